#!/usr/bin/env bash
# Rebuild pipeline/metrics/refset/twins-lean.tsv, zonula's embedded reference
# set, from Debian's r-bioc-dirichletmultinomial (Bioconductor
# DirichletMultinomial 1.40.0, LGPL-3), which ships the genus counts of the
# Turnbaugh et al. 2009 twin study (extdata/Twins.csv) and each sample's class
# (extdata/TwinStudy.t: 0 lean, 1 obese, 2 overweight). The values are
# computed by zonula's own code (scripts/refset); the output is byte-identical
# on every run for the same package version and zonula source.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=r-bioc-dirichletmultinomial
version=1.40.0-1
sha256=7e02b0b4185d64155d50b8be71d3f502fa96dd19281b25caeb364f576b482cdb # of the amd64 .deb
dir=${1:-${TMPDIR:-/tmp}/zonula-twins}
ext="$dir/x/usr/lib/R/site-library/DirichletMultinomial/extdata"
if [ ! -s "$ext/Twins.csv" ]; then
  mkdir -p "$dir"
  chmod 755 "$dir" # apt-get download runs as the _apt user where it can
  (cd "$dir" && apt-get download "$pkg=$version" >/dev/null 2>&1)
  deb=$(ls "$dir"/${pkg}_${version}_*.deb)
  if [ "$(dpkg --print-architecture)" = amd64 ]; then
    echo "$sha256  $deb" | sha256sum -c --quiet
  fi
  dpkg -x "$deb" "$dir/x"
fi
go run ./scripts/refset "$ext/Twins.csv" "$ext/TwinStudy.t" scripts/refset/genus-lineages.tsv pipeline/metrics/refset/twins-lean.tsv
sha256sum "$ext/Twins.csv" "$ext/TwinStudy.t"
