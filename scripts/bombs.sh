#!/usr/bin/env bash
# Hostile inputs (issue 16): compression bombs, endless files, huge lines and
# records, YAML alias and nesting bombs, given to every command that reads a
# user's file. Each case must end with its exit status (3 bad input, 4 bad
# database) within MAX_SECONDS (default 5) at a peak resident set under
# MAX_MB (default 500), measured with /usr/bin/time. Every bomb is at most
# about 10 MB on disk (or /dev/zero); they are built from concatenated gzip
# members, zstd frames and bzip2 streams, so making them takes seconds.
# Usage: scripts/bombs.sh [ZONULA [WORKDIR]]   (default: builds ./cmd/zonula)
# Environment: MAX_MB, MAX_SECONDS; CASES (a grep -E pattern of case names).
# Prints one line per case and exits 1 when any case fails. A safety cap of
# 4 GiB of address space (ulimit -v) keeps a regression from taking the
# machine down; a case that hits it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
max_mb=${MAX_MB:-500}
max_s=${MAX_SECONDS:-5}
work=${2:-$(mktemp -d)}
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }
if [ -n "${1:-}" ]; then z=$1; else go build -trimpath -o "$work/zonula" ./cmd/zonula; z="$work/zonula"; fi
b="$work/bombs"
mkdir -p "$b"

# repeat N FILE: FILE concatenated N times to stdout (members, frames, streams).
repeat() { for _ in $(seq "$1"); do cat "$2"; done; }
zeros64="$b/zeros64.gz"
[ -s "$zeros64" ] || head -c 64M /dev/zero | gzip -1 > "$zeros64"
[ -s "$b/zeros1g.fq.gz" ] || repeat 16 "$zeros64" > "$b/zeros1g.fq.gz"
[ -s "$b/zeros2g.fq.gz" ] || repeat 32 "$zeros64" > "$b/zeros2g.fq.gz"
if command -v zstd >/dev/null; then
  [ -s "$b/zeros1g.fq.zst" ] || head -c 1G /dev/zero | zstd -q -1 -c > "$b/zeros1g.fq.zst"
fi
[ -s "$b/zeros64.bz2" ] || head -c 64M /dev/zero | bzip2 -1 -c > "$b/zeros64.bz2"
[ -s "$b/zeros1g.fq.bz2" ] || repeat 16 "$b/zeros64.bz2" > "$b/zeros1g.fq.bz2"
# One FASTQ sequence line of 1 GiB.
if [ ! -s "$b/longline.fq.gz" ]; then
  head -c 64M /dev/zero | tr '\0' 'A' | gzip -1 > "$b/a64.gz"
  { printf '@r1\n' | gzip; repeat 16 "$b/a64.gz"; } > "$b/longline.fq.gz"
fi
# One FASTA record of 1 GiB in 80-base lines.
if [ ! -s "$b/longrecord.fa.gz" ]; then
  python3 -c 'import sys; sys.stdout.write(("A"*80+"\n")*(64*1024*1024//81))' | gzip -9 > "$b/l64.gz"
  { printf '>r1\n' | gzip; repeat 16 "$b/l64.gz"; } > "$b/longrecord.fa.gz"
fi
# A FASTQ header line of 1 GiB.
[ -s "$b/longheader.fq.gz" ] || { printf '@' | gzip; repeat 16 "$b/a64.gz"; } > "$b/longheader.fq.gz"
# Valid reads of 1,000,000 bases (under the read-length cap), 1 GiB of them.
if [ ! -s "$b/bigreads.fa.gz" ]; then
  python3 -c '
import sys
seq = "ACGT" * 250000
for i in range(64):
    sys.stdout.write(">r%d\n%s\n" % (i, seq))' | gzip -1 > "$b/big64.gz"
  repeat 16 "$b/big64.gz" > "$b/bigreads.fa.gz"
fi
# One real read repeated 300,000 times (900 MB of valid FASTQ in 5 MB).
if [ ! -s "$b/onerep.fq.gz" ]; then
  python3 -c '
import gzip, sys
with gzip.open(sys.argv[1], "rt") as f:
    one = "".join(f.readline() for _ in range(4))
sys.stdout.write(one * 300000)' testdata/demo/demo.fastq.gz | gzip -6 > "$b/onerep.fq.gz"
fi
# BAM whose header text claims 2 GiB, then zeros.
if [ ! -s "$b/header.bam" ]; then
  { printf 'BAM\001\377\377\377\177'; head -c 64M /dev/zero; } | gzip -1 > "$b/bamhead.gz"
  { cat "$b/bamhead.gz"; repeat 15 "$zeros64"; } > "$b/header.bam"
fi
# BAM with one record of 1 GiB.
if [ ! -s "$b/record.bam" ]; then
  python3 -c '
import struct, sys
rec_len = (1 << 30)
sys.stdout.buffer.write(b"BAM\x01" + struct.pack("<i", 0) + struct.pack("<i", 0) + struct.pack("<i", rec_len))' | gzip > "$b/recordhead.gz"
  { cat "$b/recordhead.gz"; repeat 16 "$zeros64"; } > "$b/record.bam"
fi
# YAML: a 900-byte string anchored in a valid field and aliased 80,000 times
# in another (240 KB on disk, 72 MB expanded), and the same at 1 MB, as the
# review did; a "billion laughs" of nested aliases (1 KB); a 200 KB string.
[ -s "$b/alias.yaml" ] || python3 -c '
print("labs: {zonulin_unit: &u \"" + "z" * 900 + "\"}")
print("symptoms: [" + ",".join(["*u"] * 80000) + "]")' > "$b/alias.yaml"
[ -s "$b/alias-1mb.yaml" ] || python3 -c '
print("labs: {zonulin_unit: &u \"" + "z" * 4000 + "\"}")
print("symptoms: [" + ",".join(["*u"] * 300000) + "]")' > "$b/alias-1mb.yaml"
[ -s "$b/laughs.yaml" ] || python3 -c '
print("diet: &a0 \"lol\"")
for i in range(1, 10):
    print("x%d: &a%d [%s]" % (i, i, ",".join(["*a%d" % (i - 1)] * 10)))
print("symptoms: *a9")' > "$b/laughs.yaml"
[ -s "$b/nested.yaml" ] || python3 -c 'print("symptoms: " + "[" * 200000)' > "$b/nested.yaml"
[ -s "$b/longstring.yaml" ] || python3 -c 'print("diet: \"" + "x" * 200000 + "\"")' > "$b/longstring.yaml"
[ -s "$b/longstring.json" ] || python3 -c 'print("{\"diet\": \"" + "x" * 200000 + "\"}")' > "$b/longstring.json"
# Tables: a gzipped 1 GiB of zeros, a gzipped 1 GiB line of "0\t", a gzipped
# table of 1 GiB of rows, and a .qza whose member inflates to 1 GiB.
[ -s "$b/zeros.tsv.gz" ] || cp "$b/zeros1g.fq.gz" "$b/zeros.tsv.gz"
if [ ! -s "$b/wide.tsv.gz" ]; then
  python3 -c 'import sys; sys.stdout.write("0\t" * (32 * 1024 * 1024))' | gzip -1 > "$b/w64.gz"
  { printf 'taxon\t' | gzip; repeat 16 "$b/w64.gz"; } > "$b/wide.tsv.gz"
fi
if [ ! -s "$b/rows.tsv.gz" ]; then
  python3 -c 'import sys; sys.stdout.write("g__A\t1\n" * (64 * 1024 * 1024 // 7))' | gzip -1 > "$b/r64.gz"
  { printf 'taxon\tS1\n' | gzip; repeat 16 "$b/r64.gz"; } > "$b/rows.tsv.gz"
fi
if [ ! -s "$b/member.qza" ]; then
  python3 - "$b/member.qza" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    with z.open("u/data/feature-table.biom", "w", force_zip64=True) as w:
        chunk = b"\0" * (1 << 24)
        for _ in range(64):
            w.write(chunk)
EOF
fi
# BIOM 2.1 (HDF5) whose deflated data datasets hold 1 GiB of zeros each, in
# 2 MB (needs Debian's python3-h5py, which the tests install).
if [ ! -s "$b/bomb.biom" ] && /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
  /usr/bin/python3 testdata/tables/biom-bomb.py 27 "$b/bomb.biom"
fi
# Samplesheet with a 1 GiB line (gzip is not read: plain, so /dev/zero and a
# long line are the bombs).
python3 -c 'print("sample,reads\n" + "S1," + "x" * 9000000)' > "$b/sheet-longline.csv"
printf 'sample\tgroup\n' > "$b/groups-ok.tsv"

pass=0 fail=0
printf '%-28s %5s %6s %8s %8s  %s\n' case exit want "MB" seconds result
# check NAME WANT CMD...: runs CMD with the limits; compares.
check() {
  local name=$1 want=$2; shift 2
  if [ -n "${CASES:-}" ] && ! grep -qE "$CASES" <<<"$name"; then return; fi
  local out="$work/out-$name" rc rss secs
  rm -rf "$out"
  set +e
  ( ulimit -v $((4 * 1024 * 1024)); exec /usr/bin/time -f '%M %e' -o "$work/$name.time" timeout 60 "$@" ) \
    >"$work/$name.stdout" 2>"$work/$name.stderr" </dev/null
  rc=$?
  set -e
  read -r rss secs < <(tail -n 1 "$work/$name.time")
  local mb=$((rss / 1024)) verdict=ok
  if [ "$rc" != "$want" ] || [ "$mb" -ge "$max_mb" ] || awk -v s="$secs" -v m="$max_s" 'BEGIN{exit !(s >= m)}'; then
    verdict=FAIL; fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
  printf '%-28s %5s %6s %8s %8s  %s: %s\n' "$name" "$rc" "$want" "$mb" "$secs" "$verdict" "$(grep -m1 -a '' "$work/$name.stderr" | cut -c1-110)"
}

o() { echo "$work/out-$1"; }
check reads-gzip-zeros-1g 3 "$z" run "$b/zeros1g.fq.gz" --format none -q -o "$(o reads-gzip-zeros-1g)"
check reads-gzip-zeros-2g 3 "$z" run "$b/zeros2g.fq.gz" --format none -q -o "$(o reads-gzip-zeros-2g)"
check reads-dev-zero 3 "$z" run /dev/zero --format none -q -o "$(o reads-dev-zero)"
[ -s "$b/zeros1g.fq.zst" ] && check reads-zstd-zeros-1g 3 "$z" run "$b/zeros1g.fq.zst" --format none -q -o "$(o reads-zstd-zeros-1g)"
check reads-bzip2-zeros-1g 3 "$z" run "$b/zeros1g.fq.bz2" --format none -q -o "$(o reads-bzip2-zeros-1g)"
check reads-1g-line 3 "$z" run "$b/longline.fq.gz" --format none -q -o "$(o reads-1g-line)"
check reads-1g-fasta-record 3 "$z" run "$b/longrecord.fa.gz" --format none -q -o "$(o reads-1g-fasta-record)"
check reads-1g-header 3 "$z" run "$b/longheader.fq.gz" --format none -q -o "$(o reads-1g-header)"
check reads-1mbp-reads-1g 3 "$z" run "$b/bigreads.fa.gz" --format none -q -o "$(o reads-1mbp-reads-1g)"
check reads-one-read-900mb 3 "$z" run "$b/onerep.fq.gz" --format none -q -o "$(o reads-one-read-900mb)"
check reads-stdin-zeros-1g 3 sh -c "exec \"$z\" run - --format none -q -o \"$(o reads-stdin-zeros-1g)\" < \"$b/zeros1g.fq.gz\""
check bam-header-2g 3 "$z" run "$b/header.bam" --format none -q -o "$(o bam-header-2g)"
check bam-record-1g 3 "$z" run "$b/record.bam" --format none -q -o "$(o bam-record-1g)"
check metadata-dev-zero 3 "$z" run testdata/demo/demo.fastq.gz --metadata /dev/zero --format none -q -o "$(o metadata-dev-zero)"
check metadata-yaml-alias 3 "$z" report testdata/tables/S1_rel-abundance.tsv --metadata "$b/alias.yaml" --format html -o "$(o metadata-yaml-alias)"
check metadata-yaml-alias-1mb 3 "$z" report testdata/tables/S1_rel-abundance.tsv --metadata "$b/alias-1mb.yaml" --format html -o "$(o metadata-yaml-alias-1mb)"
check metadata-yaml-laughs 3 "$z" report testdata/tables/S1_rel-abundance.tsv --metadata "$b/laughs.yaml" --format html -o "$(o metadata-yaml-laughs)"
check metadata-yaml-nested 3 "$z" report testdata/tables/S1_rel-abundance.tsv --metadata "$b/nested.yaml" -o "$(o metadata-yaml-nested)"
check metadata-yaml-200kb-text 3 "$z" report testdata/tables/S1_rel-abundance.tsv --metadata "$b/longstring.yaml" --format html -o "$(o metadata-yaml-200kb-text)"
check metadata-json-200kb-text 3 "$z" report testdata/tables/S1_rel-abundance.tsv --metadata "$b/longstring.json" --format html -o "$(o metadata-json-200kb-text)"
check table-dev-zero 3 "$z" report /dev/zero -o "$(o table-dev-zero)"
check table-gzip-zeros-1g 3 "$z" report "$b/zeros.tsv.gz" -o "$(o table-gzip-zeros-1g)"
check table-gzip-1g-line 3 "$z" metrics "$b/wide.tsv.gz"
check table-gzip-1g-rows 3 "$z" metrics "$b/rows.tsv.gz"
check table-qza-member-1g 3 "$z" metrics "$b/member.qza"
[ -s "$b/bomb.biom" ] && check table-biom21-2x1g 3 "$z" metrics "$b/bomb.biom"
check taxonomy-dev-zero 3 "$z" metrics testdata/tables/table.qza --taxonomy /dev/zero
check samplesheet-dev-zero 3 "$z" batch /dev/zero --format none -o "$(o samplesheet-dev-zero)"
printf 'sample,reads,diet\nS1,x.fq,%s\n' "$(head -c 200000 /dev/zero | tr '\0' x)" > "$b/sheet-longcell.csv"
check samplesheet-200kb-cell 3 "$z" batch "$b/sheet-longcell.csv" --format none -o "$(o samplesheet-200kb-cell)"
check samplesheet-9mb-line 3 "$z" batch "$b/sheet-longline.csv" --format none -o "$(o samplesheet-9mb-line)"
check groups-dev-zero 3 "$z" cohort testdata/cohort/batch --groups /dev/zero --format none -o "$(o groups-dev-zero)"
check tree-dev-zero 3 "$z" metrics testdata/tables/S1_rel-abundance.tsv --tree /dev/zero
check primers-dev-zero 3 "$z" run testdata/demo/demo.fastq.gz --primers /dev/zero --format none -q -o "$(o primers-dev-zero)"
check db-dev-zero 4 "$z" db info /dev/zero
check composition-dev-zero 3 "$z" simulate --composition /dev/zero -o "$(o composition-dev-zero).fq"
echo "$pass passed, $fail failed (limits: exit status as listed, < $max_mb MB, < $max_s s)"
[ "$fail" -eq 0 ]
