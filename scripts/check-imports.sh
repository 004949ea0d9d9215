#!/usr/bin/env bash
# The import graph, as an allow-list (design.md: cmd → pipeline → report →
# pipeline/{seqio,qc,tables,metrics,…} → taxonomy). Every package of the module
# must be listed below with every zonula package it may import; an import not
# listed, or a package not listed, fails. Outside the module: only cmd/zonula
# imports cobra and pflag, and only taxonomy/refdb (db fetch) imports net/http.
# A new package or edge is a design decision: add it here in the same change.
# pipeline/tables and pipeline/metrics import pipeline/safefile for
# ReadBounded: every reader of a user's file reads it within bounds (issue 16).
set -euo pipefail
cd "$(dirname "$0")/.."
mod=$(go list -m)

allowed() {
  case "$1" in
  cmd/zonula) echo "pipeline pipeline/cohort pipeline/metrics pipeline/qc pipeline/safefile pipeline/seqio pipeline/simulate pipeline/tables report taxonomy taxonomy/classify taxonomy/refdb" ;;
  pipeline) echo "pipeline/cohort pipeline/metrics pipeline/profile pipeline/qc pipeline/safefile pipeline/seqio pipeline/simulate pipeline/tables report report/htmlout report/knowledge report/pdfout taxonomy taxonomy/classify taxonomy/refdb" ;;
  pipeline/cohort) echo "pipeline/metrics pipeline/safefile pipeline/tables taxonomy" ;;
  pipeline/metrics) echo "pipeline/safefile pipeline/tables taxonomy" ;;
  pipeline/profile) echo "pipeline/qc pipeline/seqio pipeline/tables taxonomy taxonomy/classify" ;;
  pipeline/qc) echo "pipeline/safefile pipeline/seqio taxonomy/dna" ;;
  pipeline/safefile) echo "" ;;
  pipeline/seqio) echo "taxonomy/dna" ;;
  pipeline/simulate) echo "taxonomy taxonomy/dna taxonomy/refdb" ;;
  pipeline/tables) echo "pipeline/safefile pipeline/tables/internal/hdf5 taxonomy" ;;
  pipeline/tables/internal/hdf5) echo "" ;;
  report) echo "pipeline/cohort pipeline/metrics pipeline/qc pipeline/tables report/knowledge report/plots taxonomy taxonomy/classify" ;;
  report/htmlout | report/pdfout) echo "report" ;;
  report/internal/reporttest) echo "pipeline/cohort pipeline/metrics pipeline/qc pipeline/tables report report/knowledge taxonomy taxonomy/classify" ;;
  report/knowledge) echo "pipeline/metrics" ;;
  report/plots) echo "pipeline/qc" ;;
  scripts/benchreads) echo "pipeline/qc pipeline/seqio taxonomy taxonomy/dna taxonomy/refdb" ;;
  scripts/lengths) echo "" ;;
  scripts/refset) echo "pipeline/metrics pipeline/safefile report/knowledge taxonomy taxonomy/refdb" ;;
  taxonomy | taxonomy/dna) echo "" ;;
  taxonomy/classify) echo "taxonomy taxonomy/dna taxonomy/refdb" ;;
  taxonomy/refdb) echo "taxonomy" ;;
  *) echo "UNLISTED" ;;
  esac
}

fail=0
while read -r pkg imports; do
  rel=${pkg#"$mod"/}
  ok=$(allowed "$rel")
  if [[ "$ok" == UNLISTED ]]; then
    echo "$rel: not in the import allow-list of scripts/check-imports.sh"; fail=1; continue
  fi
  for imp in $imports; do
    case "$imp" in
    "$mod"/*)
      dep=${imp#"$mod"/}
      if [[ " $ok " != *" $dep "* ]]; then echo "$rel imports $dep (not allowed; see scripts/check-imports.sh)"; fail=1; fi ;;
    github.com/spf13/cobra* | github.com/spf13/pflag*)
      if [[ "$rel" != cmd/zonula ]]; then echo "$rel imports $imp (only cmd/zonula may)"; fail=1; fi ;;
    net/http | net/http/*)
      if [[ "$rel" != taxonomy/refdb ]]; then echo "$rel imports $imp (only taxonomy/refdb, for db fetch, touches the network)"; fail=1; fi ;;
    esac
  done
done < <(go list -f '{{.ImportPath}} {{join .Imports " "}}' ./...)
exit $fail
