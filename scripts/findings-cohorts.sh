#!/usr/bin/env bash
# How often each robust bound (RB-, report/knowledge/bounds.json) raises a
# finding in published 16S cohorts, run through `zonula report`:
#
#   R1            the 129 healthy US adults of Yatsunenko et al. 2012 (V4,
#                 Greengenes), the basis of most bounds (science.md §5a)
#   twins-lean    the 61 lean women of Turnbaugh et al. 2009 (V2 454, RDP),
#                 the embedded reference set's samples
#   twins-obese   the 193 obese women of the same study
#   gevers-*      Gevers et al. 2014 paediatric Crohn's disease (CD) and
#                 non-IBD controls, rectal and ileal biopsies (V4, Greengenes)
#
# Usage: scripts/findings-cohorts.sh MLREPO [OUTDIR]
#   MLREPO  a checkout of https://github.com/knights-lab/MLRepo (read at
#           commit 4bbfee9; datasets/yatsunenko and datasets/gevers, gg tables)
# The twins data come from Debian's r-bioc-dirichletmultinomial, as
# scripts/build-reference-set.sh fetches them; lineages of their genera from
# the embedded database's source (scripts/fetch-gold.sh) and
# scripts/refset/genus-lineages.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
mlrepo=${1:?usage: scripts/findings-cohorts.sh MLREPO [OUTDIR]}
out=${2:-${TMPDIR:-/tmp}/zonula-findings-cohorts}
mkdir -p "$out"
go build -o "$out/zonula" ./cmd/zonula
twins=${TMPDIR:-/tmp}/zonula-twins/x/usr/lib/R/site-library/DirichletMultinomial/extdata
[ -s "$twins/Twins.csv" ] || scripts/build-reference-set.sh >/dev/null
gold=$(scripts/fetch-gold.sh)

python3 - "$mlrepo" "$twins" "$gold" scripts/refset/genus-lineages.tsv "$out" <<'EOF'
import csv, sys
mlrepo, twins, gold, extra, out = sys.argv[1:]

def subset(src, ids, dst):
    with open(src) as f, open(dst, "w") as o:
        h = f.readline().rstrip("\n").split("\t")
        keep = [0] + [i for i, s in enumerate(h) if s in ids]
        o.write("\t".join(h[i] for i in keep) + "\n")
        for line in f:
            r = line.rstrip("\n").split("\t")
            o.write("\t".join(r[i] for i in keep) + "\n")

# R1: US adults (18 years or older) of the Yatsunenko mapping file.
y = f"{mlrepo}/datasets/yatsunenko"
rows = list(csv.reader(open(f"{y}/mapping-orig.txt"), delimiter="\t"))
h = rows[0]
A, U, C = h.index("AGE"), h.index("AGE_UNIT"), h.index("COUNTRY")
ids = set()
for r in rows[1:]:
    try:
        if r[C].endswith("United States of America") and r[U] == "years" and float(r[A]) >= 18:
            ids.add(r[0])
    except ValueError:
        pass
subset(f"{y}/gg/taxatable.txt", ids, f"{out}/R1.tsv")

# Gevers: CD and controls of the rectum and ileum tasks.
g = f"{mlrepo}/datasets/gevers"
for task in ["rectum", "ileum"]:
    lab = dict(l.rstrip("\n").split("\t") for l in open(f"{g}/task-{task}.txt") if not l.startswith("#"))
    for cls, name in [("CD", "CD"), ("no", "control")]:
        subset(f"{g}/gg/taxatable.txt", {k for k, v in lab.items() if v == cls}, f"{out}/gevers-{task}-{name}.tsv")

# Twins: genus counts with lineages.
lin = {}
for line in open(gold):
    if line.startswith(">"):
        f = line.rstrip("\n").split("\t")[-1].split("; ")
        if len(f) >= 6 and f[-1] not in lin:
            lin[f[-1]] = f[:6]
for line in open(extra):
    if line.strip() and not line.startswith("#"):
        f = line.rstrip("\n").split("\t")
        lin.setdefault(f[0], ["Bacteria", f[1], f[2], f[3], f[4], f[0]])
rows = list(csv.reader(open(f"{twins}/Twins.csv")))
samples = rows[0][1:]
cls = [int(x) for x in open(f"{twins}/TwinStudy.t").read().split()]
for name, want in [("lean", 0), ("obese", 1)]:
    idx = [i for i, c in enumerate(cls) if c == want]
    with open(f"{out}/twins-{name}.tsv", "w") as o:
        o.write("taxonomy\t" + "\t".join(samples[i] for i in idx) + "\n")
        for r in rows[1:]:
            if r[0] in ("Uknown", "Unknown"):
                tax = "Unassigned"
            elif r[0] in lin:
                tax = ";".join(p + "__" + n for p, n in zip("dpcofg", lin[r[0]]))
            else:
                continue
            o.write(tax + "\t" + "\t".join(r[1:][i] for i in idx) + "\n")
EOF

cohorts=(R1 twins-lean twins-obese gevers-rectum-CD gevers-rectum-control gevers-ileum-CD gevers-ileum-control)
for c in "${cohorts[@]}"; do
  rm -rf "${out:?}/$c"
  "$out/zonula" report -q "$out/$c.tsv" -o "$out/$c" --format none
done
python3 - "$out" "${cohorts[@]}" <<'EOF'
import collections, json, os, sys
out, cohorts = sys.argv[1], sys.argv[2:]
for c in cohorts:
    d = f"{out}/{c}"
    samples = sorted(s for s in os.listdir(d) if os.path.isfile(f"{d}/{s}/metrics.json"))
    hits, anyk = collections.Counter(), 0
    for s in samples:
        fs = json.load(open(f"{d}/{s}/metrics.json"))["findings"]
        for frame in {f["frame"] + " " + f["id"] for f in fs if f["frame"].startswith("RB-")}:
            hits[frame] += 1
        anyk += any(f["level"] != "info" for f in fs)
    n = len(samples)
    print(f"{c}: {n} samples; any notice or marked finding: {anyk} ({100 * anyk / n:.1f} %)")
    for k, v in sorted(hits.items()):
        print(f"  {k}: {v} ({100 * v / n:.1f} %)")
EOF
