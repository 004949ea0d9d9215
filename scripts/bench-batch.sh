#!/usr/bin/env bash
# Batch benchmark (issue 8): SAMPLES samples of READS HiFi-like reads each,
# drawn by `zonula simulate` from testdata/demo's composition (one seed per
# sample), run by `zonula batch` on this machine; wall time and peak memory
# (/usr/bin/time -v, "Maximum resident set size") against one `zonula run`
# of a single sample with the same options. Goal on 2 cores: 96 x 10,000 in
# at most 10 minutes, peak memory within 1.5x of the single run.
# Usage: scripts/bench-batch.sh [SAMPLES [READS [WORKDIR]]]
# Environment: FORMAT (report formats, default html,pdf), JOBS (--jobs,
# default automatic), THREADS (--threads, default all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-96}
reads=${2:-10000}
work=${3:-$(mktemp -d)}
format=${FORMAT:-html,pdf}
extra=()
[ -n "${JOBS:-}" ] && extra+=(--jobs "$JOBS")
[ -n "${THREADS:-}" ] && extra+=(--threads "$THREADS")
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }
mkdir -p "$work/reads"
go build -trimpath -o "$work/zonula" ./cmd/zonula
z="$work/zonula"
echo "sample,reads" > "$work/sheet.csv"
for i in $(seq -w 1 "$samples"); do
  f="$work/reads/S$i.fastq.gz"
  [ -s "$f" ] || "$z" simulate --composition testdata/demo/composition.tsv --reads "$reads" --seed "$((10#$i))" -o "$f"
  echo "S$i,reads/S$i.fastq.gz" >> "$work/sheet.csv"
done

# measure NAME CMD...: runs CMD under /usr/bin/time -v; prints wall seconds,
# peak RSS (MB) and CPU seconds (user + system: on a shared machine wall time
# overstates; CPU seconds / cores is the wall time on idle cores).
measure() {
  local name=$1; shift
  /usr/bin/time -v -o "$work/$name.time" "$@" >/dev/null 2>"$work/$name.log" || true
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$work/$name.time")
  cpu=$(awk -F': ' '/User time|System time/{s+=$2} END{printf "%.1f", s}' "$work/$name.time")
  echo "$name $wall $rss $cpu"
}
rm -rf "$work/single" "$work/batch"
read -r _ wall1 rss1 cpu1 < <(measure single "$z" run --quiet --format "$format" -o "$work/single" "$work/reads/S$(seq -w 1 "$samples" | head -1).fastq.gz")
read -r _ wallb rssb cpub < <(measure batch "$z" batch --format "$format" "${extra[@]}" -o "$work/batch" "$work/sheet.csv")
grep -E "at a time|done, .* up to date" "$work/batch.log" || true
printf "run\tsamples\treads_per_sample\twall_s\tcpu_s\tpeak_rss_mb\n"
printf "single\t1\t%s\t%s\t%s\t%s\n" "$reads" "$wall1" "$cpu1" "$rss1"
printf "batch\t%s\t%s\t%s\t%s\t%s\n" "$samples" "$reads" "$wallb" "$cpub" "$rssb"
awk -v a="$rssb" -v b="$rss1" -v w="$wallb" -v cpu="$cpub" -v n="$samples" -v c="$(nproc)" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
  'BEGIN{printf "peak memory batch/single: %.2f; batch %.2f s wall and %.2f CPU-s per sample; %d cores, load %s (CPU-s / cores = %.0f s on idle cores)\n", a/b, w/n, cpu/n, c, l, cpu/c}'
