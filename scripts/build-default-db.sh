#!/usr/bin/env bash
# Rebuild the embedded default database, taxonomy/refdb/default.zdb, from
# rRNA16S.gold.fasta in Debian's microbiomeutil-data package (BSD-3-Clause;
# see NOTICE). Running it twice gives the same bytes; it prints the checksum.
# Needs apt-get (Debian), dpkg and Go.
set -euo pipefail
cd "$(dirname "$0")/.."
version=20101212+dfsg1-5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gold=$(scripts/fetch-gold.sh "$work")
go run ./cmd/zonula db build --format gold \
  --name rrna16s-gold --version "$version" \
  --source "Debian microbiomeutil-data $version: RESOURCES/rRNA16S.gold.fasta (Broad Institute microbiomeutil)" \
  --license BSD-3-Clause \
  -o taxonomy/refdb/default.zdb "$gold"
sha256sum taxonomy/refdb/default.zdb
