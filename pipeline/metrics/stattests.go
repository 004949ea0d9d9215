package metrics

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// The two-sample, paired and k-sample tests below reproduce R 4.2.2's
// stats::t.test, wilcox.test, kruskal.test and friedman.test with their
// default arguments (two-sided, conf.level 0.95, exact = NULL, correct =
// TRUE); testdata/refvalues_da.json, written by scripts/refvalues_da.R,
// holds R's values for the tests. Undefined results (too few values,
// constant data) are NaN where R stops with an error.

// confLevel is the level of every confidence interval here (R's default).
const confLevel = 0.95

// TTest is a t-test: the statistic, its degrees of freedom, the two-sided
// p-value, the estimated difference (of means, or the mean difference when
// paired) and its 95 % confidence interval [Low, High].
type TTest struct {
	T, DF, P        float64
	Diff, Low, High float64
}

// nanTTest is the result of a test that is not defined.
func nanTTest() TTest {
	n := math.NaN()
	return TTest{n, n, n, n, n, n}
}

// WelchTest returns Welch's (1947) unequal-variance t-test of a against b,
// as R t.test(a, b) (var.equal = FALSE):
//
//	t  = (ā − b̄) / se,  se² = s_a²/n_a + s_b²/n_b,
//	ν  = se⁴ / ((s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1)),
//	p  = 2 F_ν(−|t|),  CI = ā − b̄ ± F_ν⁻¹(0.975) se,
//
// s² being the sample variances (n − 1 denominator) and F_ν Student's t
// distribution function. Everything but Diff is NaN when a group has fewer
// than 2 values or both variances are 0 (R stops: "data are essentially
// constant"); Diff is NaN when a group is empty.
func WelchTest(a, b []float64) TTest {
	na, nb := float64(len(a)), float64(len(b))
	r := nanTTest()
	if na < 1 || nb < 1 {
		return r
	}
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	r.Diff = ma - mb
	if na < 2 || nb < 2 {
		return r
	}
	sa, sb := va/na, vb/nb
	se2 := sa + sb
	if !(se2 > 0) {
		return r
	}
	df := se2 * se2 / (sa*sa/(na-1) + sb*sb/(nb-1))
	return tResult(r.Diff, math.Sqrt(se2), df)
}

// PairedTTest returns the paired t-test of the differences d (x − y for each
// pair), as R t.test(x, y, paired = TRUE), which is the one-sample test of
// d against 0: t = d̄ / (s_d/√n), ν = n − 1, with the interval around d̄.
// Fewer than 2 differences, or differences that are all equal: NaN but Diff
// (R stops: "data are essentially constant").
func PairedTTest(d []float64) TTest {
	r := nanTTest()
	if len(d) == 0 {
		return r
	}
	m, v := meanVar(d)
	r.Diff = m
	if len(d) < 2 || !(v > 0) {
		return r
	}
	n := float64(len(d))
	return tResult(m, math.Sqrt(v/n), n-1)
}

// tResult is a t-test of diff with standard error se on df degrees of
// freedom.
func tResult(diff, se, df float64) TTest {
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	t := diff / se
	half := dist.Quantile(1-(1-confLevel)/2) * se
	p := 2 * dist.CDF(-math.Abs(t))
	return TTest{T: t, DF: df, P: min(p, 1), Diff: diff, Low: diff - half, High: diff + half}
}

// meanVar returns the mean and the sample variance (n − 1 denominator; NaN
// for one value).
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

// RankTest is a rank-based test: the statistic (W, V, H or Friedman's
// chi-squared), its degrees of freedom (k − 1 for Kruskal–Wallis and
// Friedman, NaN for the Wilcoxon tests), the two-sided p-value, and whether
// the p-value is exact (from the permutation distribution) or from the
// normal or chi-squared approximation.
type RankTest struct {
	Stat, DF, P float64
	Exact       bool
}

func nanRankTest() RankTest {
	n := math.NaN()
	return RankTest{Stat: n, DF: n, P: n}
}

// Ranks returns the ranks of x (1 = smallest), ties given their average
// rank, as R rank(x) (ties.method = "average"), and Σ(t³ − t) over the
// groups of t tied values, the tie term of the tests' variances.
func Ranks(x []float64) (ranks []float64, ties float64) {
	type vi struct {
		v float64
		i int
	}
	sorted := make([]vi, len(x))
	for i, v := range x {
		sorted[i] = vi{v, i}
	}
	slices.SortFunc(sorted, func(a, b vi) int { return cmp.Compare(a.v, b.v) })
	ranks = make([]float64, len(x))
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].v == sorted[i].v {
			j++
		}
		avg := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for k := i; k < j; k++ {
			ranks[sorted[k].i] = avg
		}
		if t := float64(j - i); t > 1 {
			ties += t*t*t - t
		}
		i = j
	}
	return ranks, ties
}

// exactLimit is R's bound for exact Wilcoxon p-values: both samples (or
// the pairs) fewer than 50.
const exactLimit = 50

// WilcoxonRankSum returns the Wilcoxon rank-sum (Mann–Whitney) test of a
// against b, as R wilcox.test(a, b): W = Σ ranks of a in the pooled sample −
// n_a(n_a+1)/2. With n_a, n_b < 50 and no ties the p-value is exact
// (2 × the smaller tail of W's permutation distribution, at most 1);
// otherwise it is the normal approximation with continuity correction,
//
//	z = (W − n_a n_b/2 − sign(·)/2) / σ,
//	σ² = n_a n_b/12 · ((n + 1) − Σ(t³ − t) / (n (n − 1))),
//
// n = n_a + n_b and t the sizes of tied groups. Either sample empty: NaN
// (R stops); all values tied: NaN (σ = 0).
func WilcoxonRankSum(a, b []float64) RankTest {
	return newExactTables().rankSum(a, b)
}

// rankSum is WilcoxonRankSum with the exact distributions cached in e.
func (e *exactTables) rankSum(a, b []float64) RankTest {
	na, nb := len(a), len(b)
	r := nanRankTest()
	if na == 0 || nb == 0 {
		return r
	}
	ranks, ties := Ranks(slices.Concat(a, b))
	var sum float64
	for _, v := range ranks[:na] {
		sum += v
	}
	fa, fb := float64(na), float64(nb)
	w := sum - fa*(fa+1)/2
	r.Stat = w
	if na < exactLimit && nb < exactLimit && ties == 0 {
		r.P, r.Exact = e.rankSumP(int(w), na, nb), true
		return r
	}
	n := fa + fb
	sigma := math.Sqrt(fa * fb / 12 * ((n + 1) - ties/(n*(n-1))))
	r.P = normalTwoSided(w-fa*fb/2, sigma)
	return r
}

// WilcoxonSignedRank returns the Wilcoxon signed-rank test of the
// differences d (x − y for each pair), as R wilcox.test(x, y, paired =
// TRUE): zero differences are dropped, the rest ranked by |d|, and V = Σ
// ranks of the positive ones. With fewer than 50 differences, no ties and no
// zeros the p-value is exact; otherwise the normal approximation with
// continuity correction,
//
//	z = (V − n(n+1)/4 − sign(·)/2) / σ,  σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48.
//
// No differences, or all zero: NaN.
func WilcoxonSignedRank(d []float64) RankTest {
	return newExactTables().signedRank(d)
}

func (e *exactTables) signedRank(d []float64) RankTest {
	r := nanRankTest()
	var abs []float64
	var pos []bool
	zeros := false
	for _, v := range d {
		if v == 0 {
			zeros = true
			continue
		}
		abs = append(abs, math.Abs(v))
		pos = append(pos, v > 0)
	}
	n := len(abs)
	if n == 0 {
		return r
	}
	ranks, ties := Ranks(abs)
	var v float64
	for i, rk := range ranks {
		if pos[i] {
			v += rk
		}
	}
	r.Stat = v
	if n < exactLimit && ties == 0 && !zeros {
		r.P, r.Exact = e.signedRankP(int(v), n), true
		return r
	}
	fn := float64(n)
	sigma := math.Sqrt(fn*(fn+1)*(2*fn+1)/24 - ties/48)
	r.P = normalTwoSided(v-fn*(fn+1)/4, sigma)
	return r
}

// normalTwoSided returns R's continuity-corrected two-sided normal p-value
// of a centred statistic z0 with standard deviation sigma:
// 2 min(Φ(z), 1 − Φ(z)) with z = (z0 − sign(z0)/2) / sigma.
func normalTwoSided(z0, sigma float64) float64 {
	if !(sigma > 0) {
		return math.NaN()
	}
	corr := 0.0
	switch {
	case z0 > 0:
		corr = 0.5
	case z0 < 0:
		corr = -0.5
	}
	z := (z0 - corr) / sigma
	return min(1, 2*min(distuv.UnitNormal.CDF(z), distuv.UnitNormal.Survival(z)))
}

// KruskalWallis returns the Kruskal–Wallis (1952) test of k groups, as R
// kruskal.test(list(...)):
//
//	H = (12 / (n(n+1)) Σ_g R_g²/n_g − 3(n+1)) / (1 − Σ(t³ − t)/(n³ − n)),
//
// R_g being the rank sum of group g in the pooled sample of n values and t
// the sizes of tied groups; p = P(χ²_{k−1} ≥ H). Empty groups are left out
// (as R does); fewer than 2 groups, or all values tied: NaN.
func KruskalWallis(groups [][]float64) RankTest {
	r := nanRankTest()
	var pooled []float64
	var sizes []int
	for _, g := range groups {
		if len(g) > 0 {
			pooled = append(pooled, g...)
			sizes = append(sizes, len(g))
		}
	}
	if len(sizes) < 2 {
		return r
	}
	ranks, ties := Ranks(pooled)
	n := float64(len(pooled))
	var s float64
	off := 0
	for _, sz := range sizes {
		var sum float64
		for _, v := range ranks[off : off+sz] {
			sum += v
		}
		s += sum * sum / float64(sz)
		off += sz
	}
	denom := 1 - ties/(n*n*n-n)
	if !(denom > 0) {
		return r
	}
	r.Stat = (12*s/(n*(n+1)) - 3*(n+1)) / denom
	r.DF = float64(len(sizes) - 1)
	r.P = distuv.ChiSquared{K: r.DF}.Survival(r.Stat)
	return r
}

// Friedman returns Friedman's (1937) test of k treatments in b complete
// blocks, as R friedman.test(y) with y the b × k matrix blocks[i][j]:
// values are ranked within each block, and
//
//	Q = 12 Σ_j (R_j − b(k+1)/2)² / (b k (k+1) − Σ(t³ − t)/(k − 1)),
//
// R_j being treatment j's rank sum and t the sizes of ties within blocks;
// p = P(χ²_{k−1} ≥ Q). Blocks must all have k ≥ 2 values; fewer than 1
// block, ragged blocks or every block tied throughout: NaN.
func Friedman(blocks [][]float64) RankTest {
	r := nanRankTest()
	if len(blocks) == 0 {
		return r
	}
	k := len(blocks[0])
	if k < 2 {
		return r
	}
	sums := make([]float64, k)
	var ties float64
	for _, blk := range blocks {
		if len(blk) != k {
			return r
		}
		rk, t := Ranks(blk)
		ties += t
		for j, v := range rk {
			sums[j] += v
		}
	}
	b, fk := float64(len(blocks)), float64(k)
	var ss float64
	for _, s := range sums {
		d := s - b*(fk+1)/2
		ss += d * d
	}
	denom := b*fk*(fk+1) - ties/(fk-1)
	if !(denom > 0) {
		return r
	}
	r.Stat = 12 * ss / denom
	r.DF = fk - 1
	r.P = distuv.ChiSquared{K: r.DF}.Survival(r.Stat)
	return r
}
