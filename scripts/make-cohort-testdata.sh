#!/usr/bin/env bash
# Regenerate testdata/cohort/batch: ten samples of 300 HiFi-like reads, five
# simulated from testdata/cohort/with-akkermansia.tsv (group "akk") and five
# from without-akkermansia.tsv (group "none"), each run through
# `zonula run --format none` on the embedded database. Only abundance.tsv and
# run.json are kept (run.json holds run times; cohort reads its sample and
# database names only).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/zonula" ./cmd/zonula
out=testdata/cohort/batch
rm -rf "$out"
mkdir -p "$out"
i=0
for spec in akk:with-akkermansia none:without-akkermansia; do
  group=${spec%%:*} comp=${spec#*:}
  for n in 1 2 3 4 5; do
    i=$((i + 1))
    name="$group$n"
    "$tmp/zonula" simulate --composition "testdata/cohort/$comp.tsv" --reads 300 \
      --seed $((20261128 + i)) --platform hifi -o "$tmp/$name.fastq"
    "$tmp/zonula" run "$tmp/$name.fastq" --sample "$name" --format none -q -o "$tmp/run-$name"
    mkdir -p "$out/$name"
    cp "$tmp/run-$name/abundance.tsv" "$tmp/run-$name/run.json" "$out/$name/"
  done
done
printf 'sample\tgroup\n' > testdata/cohort/groups.tsv
for d in "$out"/*/; do
  name=$(basename "$d")
  printf '%s\t%s\n' "$name" "${name%[0-9]}" >> testdata/cohort/groups.tsv
done
