#!/usr/bin/env bash
# Crash soak (issue 16; CI runs it): RUNS runs of `zonula run` (default 200)
# into one directory, alternating between two option sets (A: --format html;
# B: --format none --max-length 1450, other tables and no report), each
# killed with SIGKILL at a random moment: half at a random crash point of the
# crashtest build (just before one of its file-system operations, see
# crash-test.sh), half after a random delay of 20 to 1,500 ms (anywhere, the
# classifier included). After every kill the directory must hold the
# complete set of A or of B (crash_state.py), the one it held or the one
# being written; at the end an uninterrupted run must give tables
# byte-identical to a fresh run's. Prints the states seen; exits 1 on any
# inconsistent directory. Seeded ($RANDOM), so a failure replays.
# Usage: scripts/crash-soak.sh [RUNS [WORKDIR]]   (about 2 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
runs=${1:-200}
work=${2:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
go build -tags crashtest -trimpath -o "$work/zonula" ./cmd/zonula
z="$work/zonula"
cd "$work"
[ -s reads.fastq.gz ] || "$z" simulate --composition "$repo/testdata/demo/composition.tsv" --reads 100 --seed 7 -o reads.fastq.gz 2>/dev/null
optsA=(--format html -q)
optsB=(--format none --max-length 1450 -q)
rm -rf refA refB out
"$z" run reads.fastq.gz --sample demo "${optsA[@]}" -o refA
"$z" run reads.fastq.gz --sample demo "${optsB[@]}" -o refB
# Crash points of a run over the other set, each way.
count() {
  rm -rf probe ops.log && cp -a "$1" probe
  ZONULA_CRASH_LOG=$work/ops.log "$z" run reads.fastq.gz --sample demo "${@:2}" -o probe >/dev/null 2>&1
  wc -l < ops.log
}
nA=$(count refB "${optsA[@]}")
nB=$(count refA "${optsB[@]}")
echo "crash points: $nA writing A over B, $nB writing B over A"
cp -a refA out
cur=A bad=0
RANDOM=16
declare -A seen
for i in $(seq 1 "$runs"); do
  if [ "$cur" = A ]; then next=B opts=("${optsB[@]}") n=$nB; else next=A opts=("${optsA[@]}") n=$nA; fi
  if ((i % 2)); then
    how="crash point"
    { ZONULA_CRASH_AT=$((RANDOM % n + 1)) "$z" run reads.fastq.gz --sample demo "${opts[@]}" -o out; } >/dev/null 2>&1 || true
  else
    how="timer"
    ms=$((20 + RANDOM % 1480))
    { timeout -s KILL "$((ms / 1000)).$(printf %03d $((ms % 1000)))" "$z" run reads.fastq.gz --sample demo "${opts[@]}" -o out; } >/dev/null 2>&1 || true
  fi
  st=$(python3 "$repo/scripts/crash_state.py" out refA refB) || true
  case "$st" in
  old) now=A ;;
  new) now=B ;;
  *) now=bad ;;
  esac
  if [ "$now" != "$cur" ] && [ "$now" != "$next" ]; then
    bad=$((bad + 1))
    echo "run $i ($how, writing $next over $cur): $st" >&2
  else
    [ "$now" = "$next" ] && seen["$how: new set"]=$((${seen["$how: new set"]:-0} + 1)) || seen["$how: old set"]=$((${seen["$how: old set"]:-0} + 1))
    cur=$now
  fi
done
for k in "${!seen[@]}"; do echo "$k: ${seen[$k]}"; done | sort
# An uninterrupted run after all that gives the fresh run's tables.
"$z" run reads.fastq.gz --sample demo "${optsB[@]}" -o out
for f in abundance.tsv profile.biom metrics.json qc.json reads.tsv.gz demo.zonula_general_mqc.json; do
  cmp -s "out/$f" "refB/$f" || { echo "final run: $f differs from a fresh run's" >&2; bad=$((bad + 1)); }
done
if ls -a . out | grep -q -- '-partial-\|zonula-swap-'; then
  echo "staging left after the final run" >&2
  bad=$((bad + 1))
fi
echo "$runs killed runs, $bad inconsistent directories"
[ "$bad" -eq 0 ]
