#!/usr/bin/env bash
# Install the Debian packages the tests use: Chromium (HTML report checks),
# poppler-utils (pdftotext, pdffonts, pdfinfo for the PDF report checks) and
# python3-biom-format (profile.biom must load in the reference BIOM library).
# Does nothing when they are already there. Needs root or sudo on Debian.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
/usr/bin/python3 -c 'import biom' >/dev/null 2>&1 || need+=(python3-biom-format)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
