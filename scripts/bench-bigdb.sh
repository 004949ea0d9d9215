#!/usr/bin/env bash
# Large-database benchmark (issue 5): 500,000 synthetic references (each an
# embedded-database gene with about 2 % of its bases changed, seeded; the
# size of SILVA NR99) written as SINTAX FASTA, then timed with /usr/bin/time:
#   build  zonula db build --format sintax   (goal: ≤ 10 min, ≤ 4 GB)
#   load   zonula db info                    (goal: ≤ 2 s)
#   run    zonula run on READS simulated HiFi-, R10- and R9.4-like reads against
#          it (index + classify); "start" is the same run on 10 reads, so
#          run − start is the classification alone, reported as reads per
#          CPU-second (2 cores give about twice as many reads per second)
# Usage: scripts/bench-bigdb.sh [READS [WORKDIR]]
set -euo pipefail
cd "$(dirname "$0")/.."
reads=${1:-2000}
work=${2:-$(mktemp -d)}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }
go build -trimpath -o "$work/zonula" ./cmd/zonula
z="$work/zonula"
[ -s "$work/syn500k.fasta" ] || ZONULA_SYNTH_FASTA="$work/syn500k.fasta" go test ./taxonomy/refdb -run '^TestWriteSyntheticFASTA$' -count=1 >/dev/null
for p in hifi ont-r10 ont-r9; do
  [ -s "$work/$p.fastq.gz" ] || "$z" simulate --composition testdata/demo/composition.tsv --reads "$reads" --seed 5 --platform "$p" -o "$work/$p.fastq.gz"
done
measure() { # label command...
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/$label.err" || { cat "$work/$label.err" >&2; exit 1; }
  awk -v l="$label" '{printf "%-12s %8s s wall %8.1f CPU-s %8.0f MB peak\n", l, $1, $2 + $3, $4 / 1024}' "$work/time"
  cpu=$(awk '{print $2 + $3}' "$work/time")
}
echo "zonula $($z version | head -1); $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg)"
measure build "$z" db build --format sintax "$work/syn500k.fasta" -o "$work/syn500k.zdb"
measure load "$z" db info "$work/syn500k.zdb"
gzip -dc "$work/ont-r10.fastq.gz" | awk 'NR <= 40' | gzip >"$work/start.fastq.gz" # awk reads to the end: no SIGPIPE under pipefail
measure start "$z" run "$work/start.fastq.gz" --db "$work/syn500k.zdb" --format none -q -o "$work/out-start"
start=$cpu
for p in hifi ont-r10 ont-r9; do
  measure "run-$p" "$z" run "$work/$p.fastq.gz" --db "$work/syn500k.zdb" --format none -q -o "$work/out-$p"
  awk -v n="$reads" -v c="$cpu" -v s="$start" 'BEGIN{printf "%-12s %8.0f reads per CPU-second of classification\n", "", n / (c - s)}'
done
