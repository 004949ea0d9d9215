#!/usr/bin/env bash
# Install the Debian packages the tests use: Chromium (HTML report checks),
# poppler-utils (pdftotext, pdffonts, pdfinfo for the PDF report checks),
# python3-biom-format with python3-h5py (profile.biom must load in the reference BIOM
# library; the table import benchmark writes a BIOM 2.1 file with it),
# snakemake (the workflow test runs the Snakemake workflow 'zonula workflow
# init' writes), multiqc (batch's MultiQC file and pipeline/qc's files must load in it)
# time, zstd and bzip2 (scripts/bombs.sh measures peak memory with
# /usr/bin/time and makes zstd and bzip2 bombs) and axe-core from npm
# (accessibility check of the HTML report).
# Does nothing when they are already there. Needs root or sudo on Debian.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
/usr/bin/python3 -c 'import biom, h5py, scipy' >/dev/null 2>&1 || need+=(python3-biom-format python3-h5py python3-scipy)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v snakemake >/dev/null 2>&1 || need+=(snakemake)
command -v multiqc >/dev/null 2>&1 || need+=(multiqc)
[ -x /usr/bin/time ] || need+=(time)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
command -v bzip2 >/dev/null 2>&1 || need+=(bzip2)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# axe-core, the accessibility checker the HTML report test injects into
# Chromium; pinned, installed into the ignored .cache/ directory.
cd "$(dirname "$0")/.."
axe=.cache/npm/node_modules/axe-core/axe.min.js
if [ ! -s "$axe" ]; then
  npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@4.10.3 >/dev/null
fi
