#!/usr/bin/env bash
# Print the path of rRNA16S.gold.fasta from Debian's microbiomeutil-data,
# downloading and unpacking the package into DIR (default: a cache under /tmp).
set -euo pipefail
pkg=microbiomeutil-data
version=20101212+dfsg1-5
dir=${1:-${TMPDIR:-/tmp}/zonula-gold}
gold="$dir/x/usr/share/microbiomeutil-data/RESOURCES/rRNA16S.gold.fasta"
if [ ! -s "$gold" ]; then
  mkdir -p "$dir"
  chmod 755 "$dir" # apt-get download runs as the _apt user where it can
  (cd "$dir" && apt-get download "$pkg=$version" >/dev/null 2>&1)
  dpkg -x "$dir"/${pkg}_*.deb "$dir/x"
fi
echo "$gold"
