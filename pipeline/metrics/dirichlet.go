package metrics

import (
	"math"
	"math/rand/v2"
)

// DirichletPrior is the pseudocount of every part of the Dirichlet
// posterior a sample's counts give (ALDEx2's default, Fernandes et al.
// 2013): a part seen c times is drawn from Gamma(c + 0.5), so zeros become
// small, uncertain shares rather than a fixed pseudocount.
const DirichletPrior = 0.5

// DirichletInstance returns one draw of proportions from Dirichlet(counts +
// prior): independent Gamma(c_j + prior, 1) variates g_j divided by their
// sum. counts must be valid (CheckCounts) and prior > 0.
func DirichletInstance(counts []float64, prior float64, rng *rand.Rand) []float64 {
	p := make([]float64, len(counts))
	var sum float64
	for j, c := range counts {
		p[j] = gammaRand(c+prior, rng)
		sum += p[j]
	}
	for j := range p {
		p[j] /= sum
	}
	return p
}

// gammaRand draws from Gamma(shape a > 0, scale 1) by Marsaglia and Tsang's
// (2000) squeeze method; for a < 1 it draws Gamma(a + 1) and multiplies by
// U^(1/a) (their section 6), with 1 − U ∈ (0, 1] so the factor is never 0.
// For the shapes used here (≥ 0.5) the factor is at least 2⁻¹⁰⁶: no draw
// underflows to 0, which would make a log-ratio infinite.
func gammaRand(a float64, rng *rand.Rand) float64 {
	boost := 1.0 // the U^(1/a) factor
	if a < 1 {
		boost = math.Pow(1-rng.Float64(), 1/a)
		a++
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v * boost
		}
	}
}

// CLR2 returns the centred log-ratio of a composition in base 2, as ALDEx2
// computes it: log2 p_j − (1/D) Σ_k log2 p_k over the D parts. Every part
// must be > 0 (a Dirichlet instance is); the result is scale-free, so p
// need not sum to 1.
func CLR2(p []float64) []float64 {
	out := make([]float64, len(p))
	var mean float64
	for j, v := range p {
		out[j] = math.Log2(v)
		mean += out[j]
	}
	mean /= float64(len(p))
	for j := range out {
		out[j] -= mean
	}
	return out
}
