// Package metrics computes diversity and imbalance metrics from counts. Each
// function documents its formula, log base and edge cases.
//
// The functions are pure and work on one sample's counts ([]float64, one
// value per taxon). They never panic on bad input: alpha metrics return NaN
// for negative, NaN or infinite counts (CheckCounts says why), beta metrics
// return an error. Logarithms are natural unless a function says otherwise.
//
// Every value is tested against scikit-bio 0.5.8 and vegan 2.6-4 (Debian
// bookworm) to 1e-9 relative, using testdata/refvalues.json written by
// scripts/refvalues.sh. Where the two disagree (empty samples, ACE without
// rare taxa or with only singleton rare taxa, Jaccard of two empty samples)
// the doc comment says which zonula follows and the test checks it.
package metrics
