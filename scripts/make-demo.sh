#!/usr/bin/env bash
# Regenerate the demo sample testdata/demo/demo.fastq.gz from its committed
# composition and seed with `zonula simulate` on the embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./cmd/zonula simulate --composition testdata/demo/composition.tsv \
  --reads 2000 --seed 20261125 --platform hifi -o testdata/demo/demo.fastq.gz
sha256sum testdata/demo/demo.fastq.gz
