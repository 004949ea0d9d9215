#!/usr/bin/env bash
# Crash consistency (issue 16): kill zonula at every file-system operation of
# a run and of a batch, and check after each kill that the output directory
# holds the complete old set or the complete new set, and that running the
# same command again gives byte-identical tables.
#
# zonula is built with -tags crashtest: every operation pipeline/safefile
# makes on the file system (create, write, chmod, fsync, rename, link,
# exchange, remove, mkdir, flock) is a numbered crash point, and
# ZONULA_CRASH_AT=N sends the process SIGKILL just before the Nth, as kill -9
# or a power cut would leave it (the kernel's page cache survives a kill, so
# fsync is not what is tested here). The old set is a run with --format html;
# the new one has --max-length 1450 (other tables) and --format none (the old
# report must go). Cases:
#   run          the directory holds only zonula's outputs: swapped whole;
#   run-foreign  it also holds a file of the user's: moved in file by file,
#                so a kill may leave it "incomplete" (no manifest, no
#                run.json: resume and readers tell it), never mixed;
#   batch        two samples, each directory swapped whole; the batch's own
#                combined files moved in file by file (the directory holds the
#                samples' directories): old, new or incomplete.
# Usage: scripts/crash-test.sh [WORKDIR]    (about 10 minutes on 2 cores)
# Environment: CASES (a grep -E pattern of case names), READS (per sample, 150).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${1:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
reads=${READS:-150}
go build -tags crashtest -trimpath -o "$work/zonula" ./cmd/zonula
z="$work/zonula"
state="python3 $repo/scripts/crash_state.py"
cd "$work"
for s in 1 2; do
  [ -s "r$s.fastq.gz" ] || "$z" simulate --composition "$repo/testdata/demo/composition.tsv" --reads "$reads" --seed "$s" -o "r$s.fastq.gz" 2>/dev/null
done
printf 'sample,reads\nzymo,r1.fastq.gz\ns01,r2.fastq.gz\n' > sheet.csv
old=(--format html -q)
new=(--format none --max-length 1450 -q)

fail=0 total=0
# count CMD...: the crash points of CMD (run on a copy of the old set).
count() {
  rm -f ops.log
  ZONULA_CRASH_LOG=$work/ops.log "$@" >/dev/null 2>&1
  wc -l < ops.log
}
# verdict CASE N STATE WANT: records one kill.
verdict() {
  total=$((total + 1))
  if [ "$4" != ok ]; then
    fail=$((fail + 1))
    echo "$1: kill at operation $2: $3" >&2
  fi
}
# rerun_same DIR REF: the tables of DIR equal REF's byte for byte.
same_tables() {
  local f
  for f in abundance.tsv profile.biom metrics.json qc.json reads.tsv.gz abundance-genus.tsv abundance-genus.biom zonula_qc_mqc.tsv; do
    if [ -e "$2/$f" ] && ! cmp -s "$1/$f" "$2/$f"; then
      echo "$f differs"
      return 1
    fi
  done
  if ls -a "$1" "$(dirname "$1")" | grep -q -- '-partial-\|zonula-swap-'; then
    echo "staging left after the re-run"
    return 1
  fi
}

run_case() { # NAME FOREIGN
  local name=$1 foreign=$2 n k st allow=()
  [ "$foreign" = yes ] && allow=(--allow-incomplete)
  rm -rf "$name" && mkdir -p "$name"
  "$z" run r1.fastq.gz --sample zymo "${old[@]}" -o "$name/ref-old"
  "$z" run r1.fastq.gz --sample zymo "${new[@]}" -o "$name/ref-new"
  mkdir -p "$name/probe" && cp -a "$name/ref-old" "$name/probe/out"
  [ "$foreign" = yes ] && echo mine > "$name/probe/out/notes.txt"
  n=$(count "$z" run r1.fastq.gz --sample zymo "${new[@]}" -o "$name/probe/out")
  echo "$name: $n crash points" >&2
  for k in $(seq 1 "$n"); do
    rm -rf "$name/k" && mkdir -p "$name/k" && cp -a "$name/ref-old" "$name/k/out"
    [ "$foreign" = yes ] && echo mine > "$name/k/out/notes.txt"
    { ZONULA_CRASH_AT=$k "$z" run r1.fastq.gz --sample zymo "${new[@]}" -o "$name/k/out"; } >/dev/null 2>&1 && { verdict "$name" "$k" "not killed" no; continue; }
    st=$($state "$name/k/out" "$name/ref-old" "$name/ref-new" "${allow[@]}") && verdict "$name" "$k" "$st" ok || verdict "$name" "$k" "$st" no
    echo "$name $k $st" >> states.log
    "$z" run r1.fastq.gz --sample zymo "${new[@]}" -o "$name/k/out" >/dev/null 2>&1 || { verdict "$name" "$k" "re-run failed" no; continue; }
    same_tables "$name/k/out" "$name/ref-new" >/dev/null && verdict "$name" "$k" re-run ok || verdict "$name" "$k" "re-run: $(same_tables "$name/k/out" "$name/ref-new")" no
  done
}

batch_case() {
  local name=batch n k st s b=(--jobs 1 --threads 1)
  rm -rf "$name" && mkdir -p "$name"
  "$z" batch sheet.csv "${old[@]}" "${b[@]}" -o "$name/ref-old" 2>/dev/null
  "$z" batch sheet.csv "${new[@]}" "${b[@]}" -o "$name/ref-new" 2>/dev/null
  cp -a "$name/ref-old" "$name/probe"
  n=$(count "$z" batch sheet.csv "${new[@]}" "${b[@]}" -o "$name/probe")
  echo "$name: $n crash points" >&2
  for k in $(seq 1 "$n"); do
    rm -rf "$name/k" && cp -a "$name/ref-old" "$name/k"
    { ZONULA_CRASH_AT=$k "$z" batch sheet.csv "${new[@]}" "${b[@]}" -o "$name/k"; } >/dev/null 2>&1 && { verdict "$name" "$k" "not killed" no; continue; }
    for s in zymo s01; do
      st=$($state "$name/k/$s" "$name/ref-old/$s" "$name/ref-new/$s") && verdict "$name/$s" "$k" "$st" ok || verdict "$name/$s" "$k" "$st" no
      echo "$name/$s $k $st" >> states.log
    done
    st=$($state "$name/k" "$name/ref-old" "$name/ref-new" --allow-incomplete) && verdict "$name" "$k" "$st" ok || verdict "$name" "$k" "$st" no
    echo "$name $k $st" >> states.log
    "$z" batch sheet.csv "${new[@]}" "${b[@]}" -o "$name/k" >/dev/null 2>&1 || { verdict "$name" "$k" "resume failed" no; continue; }
    for s in zymo s01; do
      same_tables "$name/k/$s" "$name/ref-new/$s" >/dev/null && verdict "$name/$s" "$k" resume ok || verdict "$name/$s" "$k" "resume: $(same_tables "$name/k/$s" "$name/ref-new/$s")" no
    done
    same_tables "$name/k" "$name/ref-new" >/dev/null && verdict "$name" "$k" resume ok || verdict "$name" "$k" "resume: combined files differ" no
  done
}

rm -f states.log
want() { [ -z "${CASES:-}" ] || grep -qE "$CASES" <<<"$1"; }
want run && run_case run no
want run-foreign && run_case run-foreign yes
want batch && batch_case
echo "states after a kill (case state count):"
awk '{s=$3; for (i=4;i<=NF;i++) s=s" "$i; sub(/:.*/, "", s); print $1, s}' states.log | sort | uniq -c
echo "$total checks, $fail failed"
[ "$fail" -eq 0 ]
