#!/usr/bin/env bash
# Read-scanning throughput against seqkit, in one run on the same files.
# Generates ~SIZE bytes of zonula-like FASTQ (full-length 16S reads with
# 27F/1492R primers, see scripts/benchreads) and its gzip copy, then times:
#   go      scan + qc.Check + qc.Collector (counts, N50, histograms, mean Q)
#   go+qc   the same with qc.Inspect: primer search and trimming, expected
#           errors, k-mer entropy, homopolymers
#   seqkit  seqkit stats -a (counts, N50, quartiles, Q20/Q30, GC)
# each single-threaded over one file, and prints wall seconds, MB/s, CPU
# seconds (user + system) and the ratios seqkit / Go for both (> 1: Go is
# faster). On a shared machine the CPU ratio is the steadier one: wall time
# includes waiting for a core. Generated data stays in WORKDIR only with
# KEEP=1; nothing is written to the repository.
# Usage: scripts/bench-reads.sh [SIZE_BYTES] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1000000000}
work=${2:-$(mktemp -d)}
mkdir -p "$work"
if ! command -v seqkit >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq --no-install-recommends seqkit >/dev/null
fi
go build -trimpath -o "$work/benchreads" ./scripts/benchreads
fq="$work/reads.fastq"
if [ ! -s "$fq" ] || [ ! -s "$fq.gz" ]; then
  echo "generating ~$size bytes of FASTQ in $work" >&2
  "$work/benchreads" gen -size "$size" -o "$fq" -gz "$fq.gz"
fi
timeit() { # prints "wall cpu" seconds taken by "$@" (output to $work/last.out)
  local TIMEFORMAT='%R %U %S' t
  cat "${@: -1}" > /dev/null 2>&1 || true # warm the page cache
  t=$( { time "$@" > "$work/last.out"; } 2>&1 )
  set -- $t
  echo "$1 $(echo "$2 + $3" | bc -l)"
}
printf '%-8s %-7s %8s %9s %8s %8s %8s\n' input tool wall_s MB/s ratio cpu_s cpu_ratio
for f in "$fq" "$fq.gz"; do
  kind=plain; [ "${f%.gz}" != "$f" ] && kind=gzip
  mb=$(echo "$(stat -c %s "$fq") / 1000000" | bc -l) # uncompressed MB
  ts=$(timeit seqkit stats -a -j 1 "$f"); cp "$work/last.out" "$work/seqkit.$kind.txt"
  tg=$(timeit "$work/benchreads" scan "$f"); cp "$work/last.out" "$work/go.$kind.txt"
  tq=$(timeit "$work/benchreads" scan -primers "$f"); cp "$work/last.out" "$work/goqc.$kind.txt"
  set -- $ts; sw=$1; sc=$2
  for row in "seqkit $ts" "go $tg" "go+qc $tq"; do
    set -- $row
    printf '%-8s %-7s %8.2f %9.1f %8.2f %8.2f %8.2f\n' "$kind" "$1" "$2" "$(echo "$mb / $2" | bc -l)" \
      "$(echo "$sw / $2" | bc -l)" "$3" "$(echo "$sc / $3" | bc -l)"
  done
  # Same reads and bases as seqkit, or the comparison is void.
  sk=$(awk 'NR==2{gsub(",","",$4); gsub(",","",$5); print $4, $5}' "$work/seqkit.$kind.txt")
  gr=$(sed -E 's/.*reads=([0-9]+).*bases=([0-9]+).*/\1 \2/' "$work/go.$kind.txt")
  [ "$sk" = "$gr" ] || { echo "read/base counts differ: seqkit $sk, go $gr" >&2; exit 1; }
done
echo "reads, bases: $gr (seqkit agrees)"
[ "${KEEP:-0}" = 1 ] || rm -f "$fq" "$fq.gz"
