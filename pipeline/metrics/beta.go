package metrics

import (
	"fmt"
	"math"
)

// checkPair validates two samples' counts over the same taxa.
func checkPair(a, b []float64) error {
	if len(a) != len(b) {
		return fmt.Errorf("metrics: samples have %d and %d taxa; align them on the same taxa first", len(a), len(b))
	}
	if err := CheckCounts(a); err != nil {
		return fmt.Errorf("first sample: %w", err)
	}
	if err := CheckCounts(b); err != nil {
		return fmt.Errorf("second sample: %w", err)
	}
	return nil
}

// BrayCurtis returns the Bray–Curtis (1957) dissimilarity of two samples'
// counts over the same taxa, a[i] and b[i] being taxon i in each:
//
//	BC = Σ_i |a_i − b_i| / Σ_i (a_i + b_i).
//
// It works on the values given, as vegan vegdist(x, "bray") and scikit-bio
// beta_diversity("braycurtis") (scipy) do: pass raw counts for the classic
// index, or proportions (each sample divided by its total) for the
// depth-independent form, which is what comparing samples of unequal depth
// usually wants. Identical samples give 0, samples sharing no taxon give 1.
//
// Two empty samples (0/0) give NaN, as scipy does; vegan 2.6 gives NaN too
// and warns. One empty sample against a non-empty one gives 1. Slices of
// unequal length or invalid counts (negative, NaN, ±Inf) are errors.
func BrayCurtis(a, b []float64) (float64, error) {
	if err := checkPair(a, b); err != nil {
		return math.NaN(), err
	}
	var diff, sum float64
	for i := range a {
		diff += math.Abs(a[i] - b[i])
		sum += a[i] + b[i]
	}
	if sum == 0 {
		return math.NaN(), nil
	}
	return diff / sum, nil
}

// Jaccard returns the Jaccard (1912) distance of two samples on presence and
// absence: a taxon is present when its count is > 0, and
//
//	J = 1 − |A ∩ B| / |A ∪ B| = (b + c) / (a + b + c),
//
// with a the taxa present in both, b and c those present in one only. This is
// vegan vegdist(x, "jaccard", binary = TRUE) and scikit-bio
// beta_diversity("jaccard") on presence/absence (scipy jaccard). Abundances
// are ignored; identical taxon sets give 0, disjoint ones 1.
//
// Two empty samples have an empty union (0/0): zonula returns NaN, as vegan
// 2.6 does; scipy ≥ 1.2 returns 0 there. One empty sample against a non-empty
// one gives 1. Unequal lengths and invalid counts are errors.
func Jaccard(a, b []float64) (float64, error) {
	if err := checkPair(a, b); err != nil {
		return math.NaN(), err
	}
	var both, union int
	for i := range a {
		pa, pb := a[i] > 0, b[i] > 0
		if pa && pb {
			both++
		}
		if pa || pb {
			union++
		}
	}
	if union == 0 {
		return math.NaN(), nil
	}
	return 1 - float64(both)/float64(union), nil
}
