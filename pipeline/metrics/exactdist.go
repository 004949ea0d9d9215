package metrics

// exactTables caches the exact null distributions of the Wilcoxon
// statistics by sample sizes, as cumulative counts, so that many tests of
// the same sizes (one per taxon and Monte Carlo instance) count once. It is
// not safe for concurrent use: each goroutine keeps its own.
type exactTables struct {
	sumTables  map[[2]int][]float64 // (m, n) → cumulative counts of W = 0 … mn
	signTables map[int][]float64    // n → cumulative counts of V = 0 … n(n+1)/2
}

func newExactTables() *exactTables {
	return &exactTables{sumTables: map[[2]int][]float64{}, signTables: map[int][]float64{}}
}

// twoSidedExact returns R's exact two-sided p-value of a statistic s whose
// null distribution, symmetric about the middle of 0 … max, has the
// cumulative counts cum (cum[k] = #{S ≤ k}): 2 P(S ≤ s) up to the middle,
// 2 P(S ≥ s) = 2 P(S ≤ max − s) above it (summed from the short end, as R
// does, so small tails lose no precision), at most 1.
func twoSidedExact(cum []float64, s int) float64 {
	last := len(cum) - 1
	total := cum[last]
	k := s
	if 2*s > last {
		k = last - s
	}
	return min(1, 2*cum[k]/total)
}

// rankSumP is the exact two-sided p-value of the rank-sum statistic w for
// samples of m and n values (R pwilcox).
func (e *exactTables) rankSumP(w, m, n int) float64 {
	key := [2]int{m, n}
	cum, ok := e.sumTables[key]
	if !ok {
		cum = cumulate(rankSumCounts(m, n))
		e.sumTables[key] = cum
	}
	return twoSidedExact(cum, w)
}

// rankSumCounts returns c[k], the number of the C(m+n, m) ways to order m
// values of one sample among n of another in which k pairs have the first
// sample's value larger (the Mann–Whitney U = W), by the recurrence
// c(i, j, k) = c(i−1, j, k−j) + c(i, j−1, k): the largest value belongs to
// one sample or the other. Only additions, so the counts are exact while
// they fit a float64's 53-bit mantissa and correctly rounded beyond.
func rankSumCounts(m, n int) []float64 {
	prev := make([][]float64, n+1) // c(i−1, j, ·) for j = 0 … n
	for j := range prev {
		prev[j] = []float64{1}
	}
	for i := 1; i <= m; i++ {
		cur := make([][]float64, n+1)
		cur[0] = []float64{1}
		for j := 1; j <= n; j++ {
			c := make([]float64, i*j+1)
			copy(c, cur[j-1]) // last value from the second sample
			for k, v := range prev[j] {
				c[k+j] += v // last value from the first: j more pairs
			}
			cur[j] = c
		}
		prev = cur
	}
	return prev[n]
}

// signedRankP is the exact two-sided p-value of the signed-rank statistic v
// for n nonzero differences without ties (R psignrank).
func (e *exactTables) signedRankP(v, n int) float64 {
	cum, ok := e.signTables[n]
	if !ok {
		max := n * (n + 1) / 2
		c := make([]float64, max+1)
		c[0] = 1
		top := 0
		for r := 1; r <= n; r++ { // subsets of the ranks 1 … r by their sum
			top += r
			for s := top; s >= r; s-- {
				c[s] += c[s-r]
			}
		}
		cum = cumulate(c)
		e.signTables[n] = cum
	}
	return twoSidedExact(cum, v)
}

// cumulate returns the running sums of c.
func cumulate(c []float64) []float64 {
	out := make([]float64, len(c))
	var s float64
	for i, v := range c {
		s += v
		out[i] = s
	}
	return out
}
