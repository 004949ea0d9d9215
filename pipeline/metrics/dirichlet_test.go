package metrics

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestDirichletMoments checks DirichletInstance's draws against the
// Dirichlet's known moments, E[p_j] = α_j/α₀ and Var[p_j] = α_j(α₀ − α_j) /
// (α₀²(α₀ + 1)), and the Gamma draws of shape 0.5 (a zero count) against
// E[ln g] = ψ(0.5) = −γ − 2 ln 2, the moment that matters for a log-ratio.
// 40,000 seeded draws: a wrong sampler fails by far more than 5 standard
// errors.
func TestDirichletMoments(t *testing.T) {
	counts := []float64{0, 1, 10, 100}
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 40000
	var a0 float64
	for _, c := range counts {
		a0 += c + DirichletPrior
	}
	sum, sum2 := make([]float64, len(counts)), make([]float64, len(counts))
	for range n {
		p := DirichletInstance(counts, DirichletPrior, rng)
		var tot float64
		for j, v := range p {
			if !(v > 0) {
				t.Fatalf("part %d = %v, want > 0", j, v)
			}
			sum[j] += v
			sum2[j] += v * v
			tot += v
		}
		if math.Abs(tot-1) > 1e-12 {
			t.Fatalf("proportions sum to %v", tot)
		}
	}
	for j, c := range counts {
		a := c + DirichletPrior
		mean, variance := a/a0, a*(a0-a)/(a0*a0*(a0+1))
		gotMean := sum[j] / n
		gotVar := sum2[j]/n - gotMean*gotMean
		if se := math.Sqrt(variance / n); math.Abs(gotMean-mean) > 5*se {
			t.Errorf("part %d: mean %v, want %v ± %v", j, gotMean, mean, se)
		}
		if math.Abs(gotVar-variance) > 0.05*variance {
			t.Errorf("part %d: variance %v, want %v", j, gotVar, variance)
		}
	}
	var logSum, logSum2 float64
	for range n {
		l := math.Log(gammaRand(0.5, rng))
		logSum += l
		logSum2 += l * l
	}
	want := -0.5772156649015329 - 2*math.Ln2 // ψ(1/2)
	trigamma := math.Pi * math.Pi / 2        // ψ'(1/2), the variance of ln g
	if got := logSum / n; math.Abs(got-want) > 5*math.Sqrt(trigamma/n) {
		t.Errorf("E[ln Gamma(0.5)] = %v, want %v", got, want)
	}
	if got := logSum2/n - (logSum/n)*(logSum/n); math.Abs(got-trigamma) > 0.05*trigamma {
		t.Errorf("Var[ln Gamma(0.5)] = %v, want %v", got, trigamma)
	}
}

func TestCLR2(t *testing.T) {
	got := CLR2([]float64{1, 2, 4, 8})
	for j, want := range []float64{-1.5, -0.5, 0.5, 1.5} {
		if math.Abs(got[j]-want) > 1e-15 {
			t.Errorf("CLR2[%d] = %v, want %v", j, got[j], want)
		}
	}
}

// TestDifferentialAbundanceSeeded checks that the Monte Carlo analysis is
// reproducible for any number of threads, changes with the seed, and finds
// a planted difference while a rare, near-constant taxon stays far from
// significance (the failure of CLR + pseudocount + Welch in issue 15).
func TestDifferentialAbundanceSeeded(t *testing.T) {
	m := &CountMatrix{Taxa: []string{"up", "flat", "rare", "other"}}
	d := DADesign{Groups: []string{"a", "b"}}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 16 {
		g := i % 2
		up := 40.0
		if g == 0 {
			up = 400
		}
		rare := 0.0
		if i == 0 {
			rare = 1 // one read in one sample of group a
		}
		m.Samples = append(m.Samples, string(rune('A'+i)))
		m.Counts = append(m.Counts, []float64{up + float64(rng.IntN(40)), 500 + float64(rng.IntN(100)), rare, 2000 + float64(rng.IntN(300))})
		d.Units = append(d.Units, DAUnit{Samples: []int{i}, Group: g})
	}
	run := func(seed uint64, threads int) *DAResult {
		r, err := DifferentialAbundance(m, d, DAOptions{Instances: 32, Seed: seed, Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b, c := run(1, 1), run(1, 3), run(2, 2)
	for j := range a.Taxa {
		if a.Taxa[j].TP != b.Taxa[j].TP || a.Taxa[j].Effects[0].Low != b.Taxa[j].Effects[0].Low {
			t.Errorf("%s: threads change the result", a.Taxa[j].Taxon)
		}
	}
	if a.Taxa[0].TP == c.Taxa[0].TP {
		t.Error("the seed changes nothing")
	}
	// "up" has about 420 reads in group a and 60 in b: log2 7 = 2.8, of
	// which a CLR over 4 taxa keeps 3/4 as the difference, 2.1.
	up, rare := a.Taxa[0], a.Taxa[2]
	if e := up.Effects[0]; !(up.TQ < 0.05 && up.RankQ < 0.05 && e.Low < 2.1 && e.High > 2.1 && e.Low > 0.5) {
		t.Errorf("planted tenfold difference: %+v", up)
	}
	if !(rare.TP > 0.2 && rare.RankP > 0.2) {
		t.Errorf("one read in one sample looks different: %+v", rare)
	}
}

func TestDADesignErrors(t *testing.T) {
	m := &CountMatrix{Samples: []string{"a", "b", "c", "d"}, Taxa: []string{"x", "y"}, Counts: [][]float64{{1, 2}, {3, 4}, {5, 6}, {7, 8}}}
	u := func(s, g, b int) DAUnit { return DAUnit{Samples: []int{s}, Group: g, Block: b} }
	for name, d := range map[string]DADesign{
		"one group":        {Groups: []string{"g"}, Units: []DAUnit{u(0, 0, 0), u(1, 0, 0)}},
		"small group":      {Groups: []string{"g", "h"}, Units: []DAUnit{u(0, 0, 0), u(1, 0, 0), u(2, 1, 0)}},
		"unknown sample":   {Groups: []string{"g", "h"}, Units: []DAUnit{u(0, 0, 0), u(1, 0, 0), u(2, 1, 0), u(9, 1, 0)}},
		"incomplete block": {Groups: []string{"g", "h"}, Blocked: true, Units: []DAUnit{u(0, 0, 0), u(1, 1, 0), u(2, 0, 1)}},
		"one block":        {Groups: []string{"g", "h"}, Blocked: true, Units: []DAUnit{u(0, 0, 0), u(1, 1, 0)}},
	} {
		if _, err := DifferentialAbundance(m, d, DAOptions{Instances: 2}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// BenchmarkDifferentialAbundance: 400 samples in two groups × 300 genera,
// 128 instances (the default), on all cores.
func BenchmarkDifferentialAbundance(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	m := &CountMatrix{}
	d := DADesign{Groups: []string{"a", "b"}}
	for j := range 300 {
		m.Taxa = append(m.Taxa, "g"+strconv.Itoa(j))
	}
	for i := range 400 {
		row := make([]float64, 300)
		for j := range row {
			row[j] = float64(rng.IntN(1 + 2000/(j+1)))
		}
		m.Samples = append(m.Samples, "s"+strconv.Itoa(i))
		m.Counts = append(m.Counts, row)
		d.Units = append(d.Units, DAUnit{Samples: []int{i}, Group: i % 2})
	}
	for b.Loop() {
		if _, err := DifferentialAbundance(m, d, DAOptions{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
