package metrics

import (
	"fmt"
	"math"
)

// CLR returns the centred log-ratio transform (Aitchison 1986) of one
// sample's counts with a pseudocount added to every entry:
//
//	clr(x)_i = ln(x_i + p) − (1/D) Σ_k ln(x_k + p),
//
// D being the number of taxa. This is vegan decostand(x, "clr",
// pseudocount = p); with p = 0 it is scikit-bio clr(x) (which closes x to
// proportions first, a step the result does not depend on). Every x_i + p
// must be > 0: a zero count with p = 0 is an error, as it is in both
// references. zonula's default pseudocount is 1 (DefaultPseudocount).
func CLR(counts []float64, pseudocount float64) ([]float64, error) {
	if err := CheckCounts(counts); err != nil {
		return nil, err
	}
	if math.IsNaN(pseudocount) || math.IsInf(pseudocount, 0) || pseudocount < 0 {
		return nil, fmt.Errorf("metrics: pseudocount %g is not finite and ≥ 0", pseudocount)
	}
	out := make([]float64, len(counts))
	var mean float64
	for i, c := range counts {
		v := c + pseudocount
		if v <= 0 {
			return nil, fmt.Errorf("metrics: count %d is 0 and the pseudocount is 0: the log-ratio is undefined; use a pseudocount or MultiplicativeReplacement", i)
		}
		out[i] = math.Log(v)
		mean += out[i]
	}
	mean /= float64(len(counts))
	for i := range out {
		out[i] -= mean
	}
	return out, nil
}

// DefaultPseudocount is the pseudocount zonula adds to counts before a
// log-ratio when the caller has no reason to choose another: 1 read, the
// usual choice for count data (vegan's examples use it too).
const DefaultPseudocount = 1.0

// MultiplicativeReplacement replaces zeros in one sample's composition as
// scikit-bio 0.5.8 multiplicative_replacement(x, delta) does (Martín-
// Fernández et al. 2003): with p = x / Σx (the closure) and Z the number of
// zero parts,
//
//	r_i = δ            where p_i = 0,
//	r_i = (1 − Z δ) p_i where p_i > 0,
//
// so r sums to 1 and keeps the ratios of the non-zero parts. delta ≤ 0
// means scikit-bio's default δ = 1/D² (D parts). An empty sample, Z δ ≥ 1
// or invalid counts are errors.
func MultiplicativeReplacement(counts []float64, delta float64) ([]float64, error) {
	if err := CheckCounts(counts); err != nil {
		return nil, err
	}
	n := total(counts)
	if n == 0 {
		return nil, fmt.Errorf("metrics: empty sample: no composition to replace zeros in")
	}
	if !(delta > 0) {
		delta = 1 / float64(len(counts)*len(counts))
	}
	var zeros float64
	for _, c := range counts {
		if c == 0 {
			zeros++
		}
	}
	keep := 1 - zeros*delta
	if !(keep > 0) {
		return nil, fmt.Errorf("metrics: multiplicative replacement: %g zeros × δ %g leave nothing for the observed parts", zeros, delta)
	}
	out := make([]float64, len(counts))
	for i, c := range counts {
		if c == 0 {
			out[i] = delta
		} else {
			out[i] = keep * (c / n)
		}
	}
	return out, nil
}

// AitchisonMetric is the Aitchison distance: the Euclidean distance between
// CLR vectors with the given pseudocount added to every count,
//
//	A(x, y) = √( Σ_i (clr(x + p)_i − clr(y + p)_i)² ),
//
// as vegan vegdist(x, "aitchison", pseudocount = p) and, in scikit-bio,
// Euclidean distance between clr(x + p) vectors. Two empty samples give 0
// (both CLR vectors are 0). A zero count with p = 0 is an error naming the
// sample; use AitchisonReplacementMetric for zeros without a pseudocount.
func AitchisonMetric(pseudocount float64) Metric {
	return Metric{name: "aitchison", prepare: func(m *CountMatrix) (func(i, j int) float64, error) {
		vec := make([][]float64, len(m.Counts))
		for i, row := range m.Counts {
			v, err := CLR(row, pseudocount)
			if err != nil {
				return nil, fmt.Errorf("sample %q: %w", m.Samples[i], err)
			}
			vec[i] = v
		}
		return euclidean(vec), nil
	}}
}

// AitchisonReplacementMetric is the Aitchison distance after scikit-bio's
// zero handling: the Euclidean distance between clr(MultiplicativeReplacement
// (x, delta)) vectors (delta ≤ 0: δ = 1/D²), i.e. scikit-bio
// clr(multiplicative_replacement(x)) followed by Euclidean distance. An empty
// sample is an error.
func AitchisonReplacementMetric(delta float64) Metric {
	return Metric{name: "aitchison_mr", prepare: func(m *CountMatrix) (func(i, j int) float64, error) {
		vec := make([][]float64, len(m.Counts))
		for i, row := range m.Counts {
			r, err := MultiplicativeReplacement(row, delta)
			if err != nil {
				return nil, fmt.Errorf("sample %q: %w", m.Samples[i], err)
			}
			if vec[i], err = CLR(r, 0); err != nil {
				return nil, fmt.Errorf("sample %q: %w", m.Samples[i], err)
			}
		}
		return euclidean(vec), nil
	}}
}

func euclidean(vec [][]float64) func(i, j int) float64 {
	return func(i, j int) float64 {
		a, b := vec[i], vec[j]
		var s float64
		for k := range a {
			d := a[k] - b[k]
			s += d * d
		}
		return math.Sqrt(s)
	}
}
