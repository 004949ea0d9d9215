package metrics

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// BenjaminiHochberg returns the Benjamini–Hochberg (1995) adjusted p-values
// (q-values) of p, in the same order, as R p.adjust(p, "BH"):
//
//	q_(i) = min_{k ≥ i} min(1, m p_(k) / k),
//
// with p_(1) ≤ … ≤ p_(m) the sorted p-values and m the number of them that
// are not NaN. NaN p-values stay NaN and do not count in m (R's NA). Ties
// keep their order; the result does not depend on it.
func BenjaminiHochberg(p []float64) []float64 {
	q := make([]float64, len(p))
	idx := make([]int, 0, len(p))
	for i, v := range p {
		if math.IsNaN(v) {
			q[i] = math.NaN()
			continue
		}
		idx = append(idx, i)
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	m := float64(len(idx))
	running := math.Inf(1)
	for r := len(idx) - 1; r >= 0; r-- {
		v := min(1, m*p[idx[r]]/float64(r+1))
		running = min(running, v)
		q[idx[r]] = running
	}
	return q
}

// WelchResult is Welch's two-sample t-test of one taxon's CLR values.
type WelchResult struct {
	Taxon        string
	MeanA, MeanB float64 // mean CLR value in group A and in group B
	Diff         float64 // MeanA − MeanB (a log-ratio: e^Diff is a fold change relative to the geometric mean)
	T, DF        float64 // t statistic and Welch–Satterthwaite degrees of freedom
	P            float64 // two-sided p-value
	Q            float64 // Benjamini–Hochberg q-value over all taxa tested
}

// WelchT returns Welch's (1947) unequal-variance t-test of a against b, as
// R t.test(a, b) (var.equal = FALSE):
//
//	t  = (ā − b̄) / √(s_a²/n_a + s_b²/n_b),
//	ν  = (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1)),
//	p  = 2 F_ν(−|t|),
//
// s² being the sample variances (n − 1 denominator) and F_ν Student's t
// distribution function (gonum distuv.StudentsT). t, ν and p are NaN when a
// group has fewer than 2 values or both variances are 0 (R stops: "data are
// essentially constant").
func WelchT(a, b []float64) (t, df, p float64) {
	na, nb := float64(len(a)), float64(len(b))
	if na < 2 || nb < 2 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	sa, sb := va/na, vb/nb
	se2 := sa + sb
	if se2 == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	t = (ma - mb) / math.Sqrt(se2)
	df = se2 * se2 / (sa*sa/(na-1) + sb*sb/(nb-1))
	p = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(-math.Abs(t))
	return t, df, min(p, 1)
}

// meanVar returns the mean and the sample variance (n − 1 denominator).
func meanVar(x []float64) (mean, variance float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		d := v - mean
		variance += d * d
	}
	return mean, variance / float64(len(x)-1)
}

// DifferentialAbundance compares two groups of samples taxon by taxon on
// the centred log-ratio scale: each sample's counts become CLR(counts,
// pseudocount) (see CLR; all taxa of m are the composition), each taxon's
// CLR values are compared between the groups with WelchT, and the p-values
// are adjusted over all taxa with BenjaminiHochberg (NaN p-values, such as
// a taxon absent everywhere, are left out of the adjustment). This is the
// ALDEx2-style "CLR + Welch" test without Monte Carlo sampling of the
// composition, so it is simpler and somewhat less conservative than ALDEx2.
//
// groups[i] labels sample i; there must be exactly two distinct labels, and
// group A is the one that sorts first (so Diff > 0 means higher in A). Each
// group needs at least 2 samples. Results are in m's taxon order.
func DifferentialAbundance(m *CountMatrix, groups []string, pseudocount float64) ([]WelchResult, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(groups) != len(m.Samples) {
		return nil, fmt.Errorf("metrics: %d group labels for %d samples", len(groups), len(m.Samples))
	}
	names := slices.Compact(slices.Sorted(slices.Values(groups)))
	if len(names) != 2 {
		return nil, fmt.Errorf("metrics: differential abundance compares 2 groups; got %d (%v)", len(names), names)
	}
	var ia, ib []int
	for i, g := range groups {
		if g == names[0] {
			ia = append(ia, i)
		} else {
			ib = append(ib, i)
		}
	}
	if len(ia) < 2 || len(ib) < 2 {
		return nil, fmt.Errorf("metrics: each group needs at least 2 samples (%q has %d, %q has %d)", names[0], len(ia), names[1], len(ib))
	}
	clr := make([][]float64, len(m.Counts))
	for i, row := range m.Counts {
		v, err := CLR(row, pseudocount)
		if err != nil {
			return nil, fmt.Errorf("sample %q: %w", m.Samples[i], err)
		}
		clr[i] = v
	}
	out := make([]WelchResult, len(m.Taxa))
	p := make([]float64, len(m.Taxa))
	a, b := make([]float64, len(ia)), make([]float64, len(ib))
	for j, name := range m.Taxa {
		for k, i := range ia {
			a[k] = clr[i][j]
		}
		for k, i := range ib {
			b[k] = clr[i][j]
		}
		ma, _ := meanVar(a)
		mb, _ := meanVar(b)
		t, df, pv := WelchT(a, b)
		out[j] = WelchResult{Taxon: name, MeanA: ma, MeanB: mb, Diff: ma - mb, T: t, DF: df, P: pv}
		p[j] = pv
	}
	for j, q := range BenjaminiHochberg(p) {
		out[j].Q = q
	}
	return out, nil
}
