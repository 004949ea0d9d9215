#!/usr/bin/env bash
# Classifier self-check against peers, in one run on the same reads and
# reference sequences. Hold-out sets from the embedded database's source
# (rRNA16S.gold): one sequence from each of 200 genera (recall, precision) and
# whole genera absent from the training set (how often a read from an absent
# genus is still given a genus). Reads: HiFi-like, R10-like, R9.4-like from
# `zonula simulate`, plus 10 % chimeras and 5 % random non-16S sequence.
# Peers (Debian packages): vsearch --sintax, vsearch --usearch_global (best
# hit) and minimap2 -x map-hifi / map-ont (best hit).
# Usage: scripts/bench-classify.sh [READS_PER_SET] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3000}
work=${2:-$(mktemp -d)}
threads=2
need=()
for t in vsearch minimap2; do command -v $t >/dev/null || need+=($t); done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
go build -trimpath -o "$work/zonula" ./cmd/zonula
z="$work/zonula"
gold=$(scripts/fetch-gold.sh "$work/gold")
python3 scripts/bench_classify.py split "$gold" "$work"
for set in train heldout absent; do
  "$z" db build --format gold --name "$set" -o "$work/$set.zdb" "$work/$set.fasta" >/dev/null
done
genera() { awk -F'\t' '/^>/{n=split($NF,a,"; "); print a[n]"\t1"}' "$1" | sort -u; }
genera "$work/heldout.fasta" > "$work/heldout.comp"
genera "$work/absent.fasta" > "$work/absent.comp"

seconds() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }
# given_genus: share of 16S reads given any genus (for the absent set, every one is wrong).
printf "set\tplatform\ttool\treads\tgiven_genus\tgenus_recall\tgenus_precision\tchimeras_given_genus\tchimeras_flagged\tjunk_given_taxon\treads_per_s\n"
for plat in hifi ont-r10 ont-r9; do
  mm=map-ont; [ $plat = hifi ] && mm=map-hifi
  for set in heldout absent; do
    extra=""; [ $set = heldout ] && extra="--chimeras 0.1 --junk 0.05"
    reads="$work/$set.$plat.fq.gz"
    "$z" simulate --db "$work/$set.zdb" --composition "$work/$set.comp" --reads "$n" --seed 7 --platform $plat $extra -o "$reads"
    total=$(( $(zcat "$reads" | wc -l) / 4 ))
    zcat "$reads" > "$work/reads.fq"
    awk 'NR%4==1{print ">" substr($0,2)} NR%4==2{print}' "$work/reads.fq" > "$work/reads.fa"
    t=$(seconds "$z" run "$reads" --db "$work/train.zdb" --format none --min-length 0 --max-length 100000 --threads $threads -q -o "$work/z.$set.$plat")
    line=$(python3 scripts/bench_classify.py score zonula "$reads" "$work/z.$set.$plat/reads.tsv.gz" "$work/train.fasta" "$set")
    printf "%s\t%.0f\n" "$(echo "$line" | sed "s/^$set\t/$set\t$plat\t/")" "$(echo "$total / $t" | bc -l)"
    t=$(seconds vsearch --sintax "$work/reads.fq" --db "$work/train.sintax.fasta" --sintax_cutoff 0.8 --strand both --threads $threads --tabbedout "$work/sintax.tsv")
    line=$(python3 scripts/bench_classify.py score sintax "$reads" "$work/sintax.tsv" "$work/train.fasta" "$set")
    printf "%s\t%.0f\n" "$(echo "$line" | sed "s/^$set\t/$set\t$plat\t/")" "$(echo "$total / $t" | bc -l)"
    t=$(seconds vsearch --usearch_global "$work/reads.fa" --db "$work/train.fasta" --id 0.75 --strand both --maxaccepts 1 --maxrejects 32 --threads $threads --blast6out "$work/global.b6")
    line=$(python3 scripts/bench_classify.py score blast6 "$reads" "$work/global.b6" "$work/train.fasta" "$set")
    printf "%s\t%.0f\n" "$(echo "$line" | sed "s/^$set\t/$set\t$plat\t/" | sed 's/\tblast6\t/\tvsearch-global\t/')" "$(echo "$total / $t" | bc -l)"
    t=$(seconds sh -c "minimap2 -x $mm -t $threads --secondary=no '$work/train.fasta' '$work/reads.fq' > '$work/mm.paf'")
    line=$(python3 scripts/bench_classify.py score paf "$reads" "$work/mm.paf" "$work/train.fasta" "$set")
    printf "%s\t%.0f\n" "$(echo "$line" | sed "s/^$set\t/$set\t$plat\t/" | sed 's/\tpaf\t/\tminimap2\t/')" "$(echo "$total / $t" | bc -l)"
  done
done
echo "work directory: $work" >&2
