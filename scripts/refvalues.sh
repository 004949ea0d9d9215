#!/usr/bin/env bash
# Regenerate pipeline/metrics/testdata/refvalues.json: the scikit-bio and vegan
# values that pipeline/metrics tests compare zonula's diversity metrics with.
#
# Installs nothing. It expects Debian's packages (bookworm: scikit-bio 0.5.8,
# vegan 2.6-4), installed as root with:
#
#   apt-get update && apt-get install -y python3-skbio r-cran-vegan
#
# and runs the Debian python (/usr/bin/python3), not a pyenv or venv one.
# Inputs: pipeline/metrics/testdata/{alpha_counts,beta_pairs}.tsv for
# refvalues.json (alpha metrics, pairwise beta); {beta_table,beta_edge}.tsv
# with tree.nwk, tree_rootlen.nwk and tree_nolength.nwk for refvalues_beta.json (Faith PD,
# UniFrac, Aitchison, PCoA, PERMANOVA, rarefaction, CLR + Welch, BH).
# Usage: scripts/refvalues.sh   (from anywhere; writes the JSON in place)
set -euo pipefail
cd "$(dirname "$0")/.."

py=/usr/bin/python3
td=pipeline/metrics/testdata
out=$td/refvalues.json

if ! "$py" -c 'import skbio' 2>/dev/null; then
	echo "refvalues.sh: $py cannot import skbio; apt-get install -y python3-skbio" >&2
	exit 1
fi
if ! Rscript -e 'suppressMessages(library(vegan))' >/dev/null 2>&1; then
	echo "refvalues.sh: R package vegan missing; apt-get install -y r-cran-vegan" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

Rscript scripts/refvalues_vegan.R "$td/alpha_counts.tsv" "$td/beta_pairs.tsv" >"$tmp/vegan.tsv"

debs=$(dpkg-query -W -f '${Package}=${Version}\n' python3-skbio r-cran-vegan python3-numpy python3-scipy python3-pandas r-base-core 2>/dev/null | paste -sd, -)
"$py" scripts/refvalues_skbio.py \
	--alpha "$td/alpha_counts.tsv" --beta "$td/beta_pairs.tsv" \
	--vegan "$tmp/vegan.tsv" --debs "$debs" \
	--command "scripts/refvalues.sh" >"$tmp/refvalues.json"
mv "$tmp/refvalues.json" "$out"
echo "wrote $out" >&2

depths=1,2,5,10,20,50,100,200,1000
Rscript scripts/refvalues_beta.R "$td/beta_table.tsv" "$td/beta_edge.tsv" "$td/alpha_counts.tsv" "$depths" >"$tmp/r_beta.tsv"
"$py" scripts/refvalues_beta.py \
	--tables "$td/beta_table.tsv" "$td/beta_edge.tsv" --trees "$td/tree.nwk" "$td/tree_rootlen.nwk" "$td/tree_nolength.nwk" \
	--r "$tmp/r_beta.tsv" --debs "$debs" --depths "$depths" \
	--inputs "$td/beta_table.tsv" "$td/beta_edge.tsv" "$td/tree.nwk" "$td/tree_rootlen.nwk" "$td/tree_nolength.nwk" "$td/alpha_counts.tsv" \
	>"$tmp/refvalues_beta.json"
mv "$tmp/refvalues_beta.json" "$td/refvalues_beta.json"
echo "wrote $td/refvalues_beta.json" >&2
