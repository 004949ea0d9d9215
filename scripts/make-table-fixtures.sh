#!/usr/bin/env bash
# Regenerates testdata/tables/ and pipeline/tables/internal/hdf5/testdata/:
# BIOM 1.0/2.1 tables written by Debian's python3-biom-format, a TSV made
# from one by the biom command, QIIME 2 artifacts, HDF5 feature files from
# python3-h5py, and the hand-laid formats (Emu, Kraken2, Bracken,
# MetaPhlAn, mothur) written to their documented layouts. BIOM files carry
# a creation date, so a rerun changes those bytes but not the tables.
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 -c 'import biom, h5py' 2>/dev/null || {
  echo "needs python3-biom-format and python3-h5py: apt-get install -y python3-biom-format" >&2; exit 1; }
out=testdata/tables
mkdir -p "$out" pipeline/tables/internal/hdf5/testdata
/usr/bin/python3 scripts/make_table_fixtures.py "$out" pipeline/tables/internal/hdf5/testdata
# Taxa as rows, classic QIIME TSV with a taxonomy column, by the biom CLI.
biom convert -i "$out/biom21-taxonomy.biom" -o "$out/biom-convert.tsv" --to-tsv --header-key taxonomy
