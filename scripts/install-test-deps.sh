#!/usr/bin/env bash
# Install the Debian packages the tests use: Chromium (HTML report checks) and
# poppler-utils (pdftotext, pdffonts, pdfinfo for the PDF report checks).
# Does nothing when they are already there. Needs root or sudo on Debian.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
