#!/usr/bin/env bash
# Community benchmark (issue 13): realistic communities whose source genes are
# never in the database they are classified against, at three error levels,
# zonula beside minimap2 (best hit) and vsearch --usearch_global (best hit) on
# the same reads.
#
# Communities (scripts/benchreads/communities.tsv): healthy stool, an
# Enterobacteriaceae bloom, post-antibiotic, and the ZymoBIOMICS mock. For each
# draw, `benchreads sources` picks one source gene per member (seeded by the
# draw); the database is rRNA16S.gold without those genes, without every gene
# vsearch finds ≥ 99.9 % identical to one of them, and without the genera
# marked absent (leave-one-out). Reads (`benchreads sim`): HiFi-like (0.4 %
# error), R10.4-like (3 %), R9.4-like (7.5 %), with Phred qualities that match
# the realised errors, plus 5 % inter-genus chimeras and 2 % non-16S reads.
#
# Scores (bench_classify.py community; one JSON line per tool and set in
# WORKDIR/scores.jsonl, a table on stdout): genus Bray–Curtis to the truth
# (genera in the database; zonula's from abundance.tsv, the peers' from their
# best hits), genera ≥ 1 % reported below half or above twice their share,
# per-read genus recall and precision, novel-genus reads and chimeras given a
# genus, species precision, zonula's calibration (expected calibration error
# of its confidence column), CPU seconds (user + sys, /usr/bin/time).
#
# Usage: scripts/bench-community.sh [READS_PER_SET [WORKDIR [DRAWS]]]
# (default 3000 reads, draws "1 2"). A second run in the same WORKDIR reuses
# the databases, reads and peers' outputs (and their CPU seconds) and runs
# zonula again: ZONULA_BIN=path uses that binary instead of building one,
# LABEL=name keeps its outputs apart (default "z"). LOO_ID=0.999 is the
# identity at which genes like a source leave the database with it (1 leaves
# out the source alone, as a benchmark that drops only the sequences it reads
# from); ZONULA_ARGS adds flags to zonula run (e.g. --min-confidence 0.5 to
# see calibration below 0.95); PEERS="minimap2 vsearch" chooses the peers.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3000}
work=${2:-$(mktemp -d)}
draws=${3:-1 2}
threads=2
mkdir -p "$work"
need=()
for t in vsearch minimap2; do command -v $t >/dev/null || need+=($t); done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }
label=${LABEL:-z}
z=${ZONULA_BIN:-$work/zonula}
[ -n "${ZONULA_BIN:-}" ] || go build -trimpath -o "$work/zonula" ./cmd/zonula
go build -trimpath -o "$work/benchreads" ./scripts/benchreads
gold=$(scripts/fetch-gold.sh "$work/gold")
[ -s "$work/full.zdb" ] || "$z" db build --format gold --name full -o "$work/full.zdb" "$gold" >/dev/null

cpu() { # OUTFILE command...: runs it, prints user+sys seconds
  local out=$1; shift
  /usr/bin/time -f "%U %S" -o "$work/time" "$@" >"$out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  awk '{printf "%.2f", $1 + $2}' "$work/time"
}
peer() { # RESULT OUTFILE command...: cpu OUTFILE command..., or the CPU seconds of an earlier run making RESULT
  local result=$1; shift
  if [ -s "$result" ] && [ -s "$result.cpu" ]; then cat "$result.cpu"; else cpu "$@" | tee "$result.cpu"; fi
}
score() { # TOOL DRAW COMMUNITY PLATFORM CPU ARGS...
  local tool=$1 draw=$2 comm=$3 plat=$4 secs=$5; shift 5
  python3 scripts/bench_classify.py community "$tool" "$@" |
    sed "s/^{/{\"draw\": $draw, \"community\": \"$comm\", \"platform\": \"$plat\", \"cpu_s\": $secs, /" >>"$scores"
}
scores="$work/scores.$label.jsonl"
: >"$scores"
for d in $draws; do
  dd="$work/d$d"
  mkdir -p "$dd"
  if [ ! -s "$dd/train.zdb" ]; then
    "$work/benchreads" sources -db "$work/full.zdb" -spec scripts/benchreads/communities.tsv -draw "$d" -o "$dd"
    vsearch --usearch_global "$dd/sources.fasta" --db "$gold" --id "${LOO_ID:-0.999}" --maxaccepts 0 --maxrejects 0 \
      --strand both --userout "$dd/hits.tsv" --userfields query+target --quiet
    python3 scripts/bench_classify.py loo "$gold" "$dd/sources.tsv" "$dd/hits.tsv" "$dd/train.fasta"
    "$z" db build --format gold --name "loo$d" -o "$dd/train.zdb" "$dd/train.fasta" >/dev/null
  fi
  for comm in healthy bloom postabx mock; do
    for plat in hifi r10 r9; do
      mm=map-ont; [ $plat = hifi ] && mm=map-hifi
      reads="$dd/$comm.$plat.fq.gz"
      seed=$((d * 1000 + $(cksum <<<"$comm$plat" | cut -c1-3)))
      [ -s "$reads" ] || "$work/benchreads" sim -db "$work/full.zdb" -sources "$dd/sources.tsv" -community $comm \
        -platform $plat -reads "$n" -seed $seed -o "$reads"
      zcat "$reads" >"$work/reads.fq"
      awk 'NR%4==1{print ">" substr($0,2)} NR%4==2{print}' "$work/reads.fq" >"$work/reads.fa"
      out="$dd/$label.$comm.$plat"
      s=$(cpu /dev/null "$z" run "$reads" --db "$dd/train.zdb" --format none --min-length 0 --max-length 100000 \
        --threads $threads -q -o "$out" ${ZONULA_ARGS:-})
      score zonula "$d" $comm $plat "$s" "$reads" "$out/reads.tsv.gz" "$dd/train.fasta" "$out/abundance.tsv"
      if [[ ${PEERS:-minimap2 vsearch} == *minimap2* ]]; then
        s=$(peer "$dd/mm.$comm.$plat.paf" "$dd/mm.$comm.$plat.paf" minimap2 -x $mm -t $threads --secondary=no "$dd/train.fasta" "$work/reads.fq")
        score paf "$d" $comm $plat "$s" "$reads" "$dd/mm.$comm.$plat.paf" "$dd/train.fasta"
      fi
      if [[ ${PEERS:-minimap2 vsearch} == *vsearch* ]]; then
        s=$(peer "$dd/vs.$comm.$plat.b6" /dev/null vsearch --usearch_global "$work/reads.fa" --db "$dd/train.fasta" --id 0.75 \
          --strand both --maxaccepts 1 --maxrejects 32 --threads $threads --blast6out "$dd/vs.$comm.$plat.b6")
        score blast6 "$d" $comm $plat "$s" "$reads" "$dd/vs.$comm.$plat.b6" "$dd/train.fasta"
      fi
    done
  done
done
python3 scripts/bench_classify.py table "$scores"
echo "work directory: $work" >&2
