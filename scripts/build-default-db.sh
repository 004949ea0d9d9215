#!/usr/bin/env bash
# Rebuild the embedded default database, taxonomy/refdb/default.zdb, from
# rRNA16S.gold.fasta in Debian's microbiomeutil-data package (BSD-3-Clause;
# see NOTICE). Running it twice gives the same bytes; it prints the checksum.
# Needs apt-get (Debian), dpkg and Go.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=microbiomeutil-data
version=20101212+dfsg1-5
work=$(mktemp -d)
chmod 755 "$work" # apt-get download runs as the _apt user where it can
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download "$pkg=$version" >/dev/null)
dpkg -x "$work"/${pkg}_*.deb "$work/x"
gold="$work/x/usr/share/microbiomeutil-data/RESOURCES/rRNA16S.gold.fasta"
go run ./cmd/zonula db build --format gold \
  --name rrna16s-gold --version "$version" \
  --source "Debian $pkg $version: RESOURCES/rRNA16S.gold.fasta (Broad Institute microbiomeutil)" \
  --license BSD-3-Clause \
  -o taxonomy/refdb/default.zdb "$gold"
sha256sum taxonomy/refdb/default.zdb
