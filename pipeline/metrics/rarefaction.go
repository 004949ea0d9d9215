package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// lchoose returns ln C(n, k) for 0 ≤ k ≤ n.
func lchoose(n, k float64) float64 {
	a, _ := math.Lgamma(n + 1)
	b, _ := math.Lgamma(k + 1)
	c, _ := math.Lgamma(n - k + 1)
	return a - b - c
}

// ExpectedRichness returns Hurlbert's (1971) expected number of taxa in a
// random subsample of depth reads drawn without replacement,
//
//	E[S_n] = Σ_i [1 − C(N − N_i, n) / C(N, n)],
//
// with N_i the count of taxon i, N = Σ N_i and n = depth; the binomial ratio
// is 0 when N − N_i < n. This is vegan rarefy(x, sample = n) (same formula,
// via lchoose). depth = N gives S_obs; depth 0 gives 0. A depth larger than
// N gives NaN (vegan returns S_obs there with a warning: a sample cannot be
// rarefied deeper than it was sequenced). Counts must be whole numbers;
// fractional, invalid counts or a negative depth give NaN.
func ExpectedRichness(counts []float64, depth int) float64 {
	if !valid(counts) || !integral(counts) || depth < 0 {
		return math.NaN()
	}
	n := total(counts)
	d := float64(depth)
	if d > n {
		return math.NaN()
	}
	ldiv := lchoose(n, d)
	var s float64
	for _, c := range counts {
		if c <= 0 {
			continue
		}
		if n-c < d {
			s++
			continue
		}
		s += 1 - math.Exp(lchoose(n-c, d)-ldiv)
	}
	return s
}

// RarefactionCurve returns ExpectedRichness at each depth (vegan
// rarefy(x, sample = depths) for one sample; the points of rarecurve).
// Depths above the sample's total give NaN.
func RarefactionCurve(counts []float64, depths []int) []float64 {
	out := make([]float64, len(depths))
	for k, d := range depths {
		out[k] = ExpectedRichness(counts, d)
	}
	return out
}

// Rarefy returns a random subsample of depth reads drawn without
// replacement from counts, as vegan rrarefy and scikit-bio
// subsample_counts(x, depth) do (their random streams differ, so only the
// distribution is shared). The draw is Knuth's selection sampling over the
// N reads in taxon order (each read kept with probability still-needed /
// still-left), seeded with rand.NewPCG(seed, 0): the same counts, depth and
// seed always give the same subsample, and every subset of depth reads is
// equally likely. Counts must be whole numbers and depth ≤ N.
func Rarefy(counts []float64, depth int, seed uint64) ([]float64, error) {
	if err := CheckCounts(counts); err != nil {
		return nil, err
	}
	if !integral(counts) {
		return nil, fmt.Errorf("metrics: rarefying needs whole read counts")
	}
	n := total(counts)
	if depth < 0 || float64(depth) > n {
		return nil, fmt.Errorf("metrics: cannot rarefy %g reads to depth %d", n, depth)
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	out := make([]float64, len(counts))
	need, left := int64(depth), int64(n)
	for i, c := range counts {
		for r := int64(c); r > 0 && need > 0; r-- {
			if rng.Int64N(left) < need {
				out[i]++
				need--
			}
			left--
		}
	}
	return out, nil
}
