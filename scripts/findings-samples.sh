#!/usr/bin/env bash
# Make the four samples of known composition the findings are checked on
# (issue 14) and run each through `zonula run`, without and with metadata,
# then print each run's findings and guidance from metrics.json:
#
#   healthy   the demo composition (testdata/demo/composition.tsv), 6,000 reads
#   bloom     an Enterobacteriaceae bloom (about 70 %), butyrate producers 0.3 %
#   postabx   after antibiotics: 8 genera, Enterococcus and lactobacilli up
#   unknown   a healthy mix with 30 % of reads from three genera moved about
#             9 % away from their references (no database genus within the
#             94.5 % genus floor), so they stay unnamed at genus
#
# Usage: scripts/findings-samples.sh [OUTDIR]   (default /tmp/zonula-findings)
# Reads are seeded: the same zonula gives the same samples and reports.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-${TMPDIR:-/tmp}/zonula-findings}
mkdir -p "$out"
go build -o "$out/zonula" ./cmd/zonula
z="$out/zonula"

cp testdata/demo/composition.tsv "$out/healthy.tsv"
cat >"$out/bloom.tsv" <<'EOF'
Escherichia	0.52
Klebsiella	0.12
Enterobacter	0.05
Citrobacter	0.01
Bacteroides	0.12
Enterococcus	0.03
Streptococcus	0.03
Veillonella	0.02
Dorea	0.03
Parabacteroides	0.02
Alistipes	0.02
Bifidobacterium	0.02
Faecalibacterium	0.002
Roseburia	0.001
EOF
cat >"$out/postabx.tsv" <<'EOF'
Bacteroides	0.42
Enterococcus	0.16
Escherichia	0.10
Lactobacillus	0.09
Streptococcus	0.08
Parabacteroides	0.07
Veillonella	0.04
Clostridium	0.04
EOF

# Unknown genera: three genera of the embedded database's source, each
# sequence with 9 % of its bases changed (seeded), filed under made-up
# genus names, added to a copy of the source; reads are drawn from that.
gold=$(scripts/fetch-gold.sh)
python3 - "$gold" "$out/novel.fasta" <<'EOF'
import random, sys
src, dst = sys.argv[1], sys.argv[2]
rng = random.Random(20261202)
pick = {"Alistipes": "Novelalistipes", "Parabacteroides": "Novelparabacteroides", "Dorea": "Noveldorea"}
recs, head, seq = [], None, []
for line in open(src):
    line = line.rstrip("\n")
    if line.startswith(">"):
        if head: recs.append((head, "".join(seq)))
        head, seq = line, []
    else:
        seq.append(line)
recs.append((head, "".join(seq)))
with open(dst, "w") as f:
    for h, s in recs:
        f.write(h + "\n" + s + "\n")
        genus = h.split("\t")[-1].split("; ")[-1]
        if genus in pick:
            s = list(s)
            for i in rng.sample(range(len(s)), int(0.09 * len(s))):
                s[i] = rng.choice([b for b in "ACGT" if b != s[i].upper()])
            h = h.replace(genus, pick[genus])
            f.write(">novel-" + h[1:] + "\n" + "".join(s) + "\n")
EOF
"$z" db build --format gold "$out/novel.fasta" -o "$out/novel.zdb" >/dev/null
cat >"$out/unknown.tsv" <<'EOF'
Bacteroides	0.25
Faecalibacterium	0.10
Prevotella	0.08
Ruminococcus	0.06
Roseburia	0.05
Bifidobacterium	0.04
Subdoligranulum	0.04
Coprococcus	0.03
Akkermansia	0.03
Escherichia	0.02
Novelalistipes	0.12
Novelparabacteroides	0.10
Noveldorea	0.08
EOF

cat >"$out/meta-bloom.yaml" <<'EOF'
age: 63
sex: female
symptoms: [diarrhoea for three weeks, "blood when I wipe", no weight loss]
antibiotics_months_ago: 1
diet: low carb
labs:
  calprotectin_ug_g: 240
EOF
cat >"$out/meta-postabx.yaml" <<'EOF'
age: 34
symptoms: [bloating, loose stools]
antibiotics_months_ago: 0.5
proton_pump_inhibitors: true
diet: vegetarian
EOF
cat >"$out/meta-healthy.yaml" <<'EOF'
age: 45
symptoms: [bloating, no blood]
nsaids: true
diet: "🥦"
labs:
  calprotectin_ug_g: 35
EOF
cat >"$out/meta-unknown.yaml" <<'EOF'
age: 52
symptoms: [change in bowel habit, tummy pain]
diet: Mediterranean
EOF

for s in healthy bloom postabx unknown; do
  db=embedded
  simdb=()
  [ "$s" = unknown ] && simdb=(--db "$out/novel.zdb")
  "$z" simulate "${simdb[@]}" --composition "$out/$s.tsv" --reads 6000 --seed 14 --platform hifi -o "$out/$s.fastq.gz"
  "$z" run -q "$out/$s.fastq.gz" --sample "$s" -o "$out/$s" --db "$db"
  "$z" run -q "$out/$s.fastq.gz" --sample "$s-meta" -o "$out/$s-meta" --db "$db" --metadata "$out/meta-$s.yaml"
done
python3 - "$out" <<'EOF'
import json, sys
out = sys.argv[1]
for s in ["healthy", "bloom", "postabx", "unknown"]:
    for d in [s, s + "-meta"]:
        m = json.load(open(f"{out}/{d}/metrics.json"))
        fs = m["findings"]
        key = [f'{f["id"]} {f["level"]} ({f["frame"]})' for f in fs if f["key"]]
        other = [f'{f["id"]} {f["level"]}' for f in fs if not f["key"]]
        print(f"{d}: key {key or 'none'}; other {other or 'none'}; guidance {m['guidance']}")
EOF
