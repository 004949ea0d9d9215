#!/usr/bin/env bash
# No non-test file over 600 lines, no function over 100 (scripts/lengths).
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./scripts/lengths .
