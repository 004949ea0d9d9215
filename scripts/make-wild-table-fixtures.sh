#!/usr/bin/env bash
# Regenerates the tables "from the wild" in testdata/tables/wild/, written by
# the real tools (Debian bookworm packages: apt-get install -y mothur kraken2):
#
#   mothur/       final.shared (make.shared: trailing tab, several labels),
#                 final.0.03.cons.taxonomy (classify.otu), mothur.logfile
#                 name-free copy of the commands; reads of three samples
#                 simulated by zonula from testdata/demo/composition.tsv and
#                 testdata/cohort/{with,without}-akkermansia.tsv, oriented,
#                 cut to V4 by pcr.seqs (515F/806R), clustered (average
#                 neighbour, several distance labels), classified against
#                 rRNA16S.gold (Debian microbiomeutil-data) by classify.seqs.
#   kraken2/      S1.kreport: kraken2 --report of simulated reads against a
#                 database built by kraken2-build from a custom taxonomy
#                 (nodes.dmp/names.dmp written here) whose ranks kraken2 has
#                 no letter for (clade, cluster), so their rank-code cells are
#                 empty; genus and species nodes as usual.
#   versions.txt  the tools' versions and the commands.
#
# Run from anywhere (it builds zonula in a temp dir; KEEP=1 keeps that dir).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v mothur >/dev/null && command -v kraken2-build >/dev/null || {
  echo "needs mothur and kraken2: apt-get install -y mothur kraken2" >&2; exit 1; }
out=testdata/tables/wild
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
go build -o "$tmp/zonula" ./cmd/zonula
gold=$(scripts/fetch-gold.sh)
mkdir -p "$out/mothur" "$out/kraken2"

# Three samples of 40 HiFi-like reads; reverse strands flipped so that every
# read runs 5'→3' as mothur's pairwise alignment expects.
i=0
: >"$tmp/all.fasta"
: >"$tmp/all.groups"
for spec in F3D0:testdata/demo/composition.tsv F3D1:testdata/cohort/with-akkermansia.tsv F3D2:testdata/cohort/without-akkermansia.tsv; do
  name=${spec%%:*} comp=${spec#*:}
  i=$((i + 1))
  "$tmp/zonula" simulate --composition "$comp" --reads 40 --seed $((20261215 + i)) --platform hifi -o "$tmp/$name.fastq" 2>/dev/null
  /usr/bin/python3 - "$tmp/$name.fastq" "$name" >>"$tmp/all.fasta" 3>>"$tmp/all.groups" <<'EOF'
import os, sys
comp = {ord(a): b for a, b in zip("ACGTN", "TGCAN")}
path, group = sys.argv[1], sys.argv[2]
groups = os.fdopen(3, "w")
with open(path) as f:
    lines = f.read().split("\n")
for k in range(0, len(lines) - 3, 4):
    head, seq = lines[k][1:], lines[k + 1]
    rid = "%s_%03d" % (group, k // 4 + 1)
    if "strand=-" in head:
        seq = seq.translate(comp)[::-1]
    print(">%s\n%s" % (rid, seq))
    groups.write("%s\t%s\n" % (rid, group))
EOF
done
# mothur taxonomy of the gold reference: id<TAB>lineage; (genus last).
awk -F'\t' '/^>/{split($1, w, " "); id=substr(w[1],2); tax=$NF; gsub(/; /,";",tax); print id "\t" tax ";"}' "$gold" >"$tmp/gold.tax"
awk -F'\t' '/^>/{print $1; next}{print}' "$gold" >"$tmp/gold.fasta"
printf 'forward\tGTGCCAGCMGCCGCGGTAA\nreverse\tGGACTACHVGGGTWTCTAAT\n' >"$tmp/v4.oligos"
(cd "$tmp" && mothur "#set.dir(output=$tmp);
set.seed(seed=20261215);
set.current(processors=1);
pcr.seqs(fasta=all.fasta, group=all.groups, oligos=v4.oligos, pdiffs=2, rdiffs=2);
unique.seqs(fasta=all.pcr.fasta, format=name);
count.seqs(name=all.pcr.names, group=all.pcr.groups);
pairwise.seqs(fasta=all.pcr.unique.fasta, cutoff=0.05, processors=1);
cluster(column=all.pcr.unique.dist, count=all.pcr.count_table, method=average, cutoff=0.05);
make.shared(list=all.pcr.unique.an.list, count=all.pcr.count_table);
classify.seqs(fasta=all.pcr.unique.fasta, count=all.pcr.count_table, reference=gold.fasta, taxonomy=gold.tax, cutoff=80, processors=1);
classify.otu(list=all.pcr.unique.an.list, count=all.pcr.count_table, taxonomy=all.pcr.unique.gold.wang.taxonomy, label=0.03)" >"$tmp/mothur.out")
cp "$tmp/all.pcr.unique.an.shared" "$out/mothur/final.shared"
cp "$tmp/all.pcr.unique.an.0.03.cons.taxonomy" "$out/mothur/final.0.03.cons.taxonomy"
# trailing-tab variant: the layout the issue reports from mothur releases
# that end every line of a .shared file with a tab (1.48 does not).
sed 's/$/\t/' "$out/mothur/final.shared" >"$out/mothur/final-trailing-tab.shared"

# Kraken2 with a custom taxonomy: eight genera of the gold reference under
# NCBI-style nodes.dmp/names.dmp, with "clade" and "cluster" nodes as in
# GTDB- or SILVA-derived custom taxonomies. kraken2 2.1.2 leaves the
# rank-code cell of several such rows empty.
k2=$tmp/k2db
mkdir -p "$k2/taxonomy"
/usr/bin/python3 scripts/make_kraken_taxonomy.py "$gold" "$k2/taxonomy" "$tmp/k2lib.fa"
kraken2-build --add-to-library "$tmp/k2lib.fa" --db "$k2" >/dev/null 2>&1
kraken2-build --build --db "$k2" --threads 2 >/dev/null 2>&1
printf 'Faecalibacterium\t0.25\nBacteroides\t0.25\nAkkermansia\t0.1\nEscherichia\t0.05\nBifidobacterium\t0.1\nRoseburia\t0.1\nPrevotella\t0.1\nAlistipes\t0.05\n' >"$tmp/k2comp.tsv"
"$tmp/zonula" simulate --composition "$tmp/k2comp.tsv" --reads 300 --junk 0.05 --seed 20261216 --platform hifi -o "$tmp/S1.fastq" 2>/dev/null
kraken2 --db "$k2" --threads 2 --report "$out/kraken2/S1.kreport" "$tmp/S1.fastq" >/dev/null 2>"$tmp/kraken2.log"
cp "$k2/taxonomy/nodes.dmp" "$k2/taxonomy/names.dmp" "$out/kraken2/"

{
  echo "# Written by scripts/make-wild-table-fixtures.sh"
  echo "mothur: $(mothur --version 2>&1 | grep -m1 'version=')"
  echo "kraken2: $(kraken2 --version | head -1)"
  dpkg-query -W -f '${Package}=${Version}\n' mothur kraken2 2>/dev/null || true
  echo "reference: rRNA16S.gold.fasta of microbiomeutil-data 20101212+dfsg1-5 (scripts/fetch-gold.sh)"
  echo "reads: zonula simulate --platform hifi, seeds 20261216 (kraken2) and 20261216-20261218 (mothur)"
} >"$out/versions.txt"
echo "wrote $out" >&2
