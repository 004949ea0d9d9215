#!/usr/bin/env bash
# No function of the module is unreachable from its commands and tests
# (golang.org/x/tools/cmd/deadcode, pinned in go.mod). Package examples
# (func Example...) are run by go test but not seen by deadcode: left out.
set -euo pipefail
cd "$(dirname "$0")/.."
dead=$(go tool deadcode -test ./... | grep -v 'unreachable func: Example' || true)
if [ -n "$dead" ]; then
  echo "$dead"
  echo "unreachable code: delete it, or use it"
  exit 1
fi
