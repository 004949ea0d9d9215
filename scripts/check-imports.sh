#!/usr/bin/env bash
# Keep the architecture's layers intact (design.md): only cmd/ imports cobra;
# taxonomy imports no other zonula package; report never imports the
# orchestrating pipeline package; nothing imports cmd.
set -euo pipefail
cd "$(dirname "$0")/.."
mod=$(go list -m)
fail=0
while read -r pkg imports; do
  for imp in $imports; do
    case "$pkg" in
      $mod/cmd/*) ;;
      *) if [[ "$imp" == github.com/spf13/cobra* ]]; then echo "$pkg imports cobra (only cmd/ may)"; fail=1; fi ;;
    esac
    if [[ "$pkg" == $mod/taxonomy* && "$imp" == $mod/* && "$imp" != $mod/taxonomy* ]]; then
      echo "$pkg imports $imp (taxonomy imports no other zonula package)"; fail=1
    fi
    if [[ "$pkg" == $mod/report* && "$imp" == "$mod/pipeline" ]]; then
      echo "$pkg imports $imp (report never imports the pipeline orchestrator)"; fail=1
    fi
    if [[ "$imp" == $mod/cmd* ]]; then echo "$pkg imports $imp"; fail=1; fi
  done
done < <(go list -f '{{.ImportPath}} {{join .Imports " "}}' ./...)
exit $fail
