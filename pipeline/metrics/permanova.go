package metrics

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
)

// PermanovaResult is the outcome of Permanova.
type PermanovaResult struct {
	// F is the pseudo-F statistic.
	F float64
	// R2 is the share of the total sum of squares between groups, S_A / S_T
	// (vegan adonis2's R2).
	R2 float64
	// P is the permutation p-value, (1 + #{F* ≥ F}) / (1 + Permutations);
	// NaN when Permutations is 0.
	P float64
	// Permutations is the number of label permutations drawn.
	Permutations int
	// Samples and Groups are n and g.
	Samples, Groups int
}

// Permanova tests whether groups of samples differ in position (and
// dispersion) in the space of d, by permutational multivariate analysis of
// variance (Anderson 2001), as scikit-bio 0.5.8 permanova(d, grouping) and
// vegan adonis2(d ~ group):
//
//	S_T = (1/n) Σ_{i<j} d_ij²,
//	S_W = Σ_groups (1/n_g) Σ_{i<j in g} d_ij²,  S_A = S_T − S_W,
//	F   = (S_A / (g − 1)) / (S_W / (n − g)).
//
// groups[i] labels sample i of d. The p-value compares F with the F of
// permutations random relabellings, drawn by Fisher–Yates shuffles from
// rand.NewPCG(seed, 1): the same input and seed always give the same p; its
// Monte Carlo error is about √(p(1−p)/permutations). A permuted F counts
// when it is ≥ F − 1e-12·|F| (vegan's tolerance for ties; scikit-bio uses
// ≥ F). When every within-group distance is 0, S_W = 0 and F is +Inf (as in
// both references). Errors: label count ≠ n, fewer than 2 groups, as many groups as
// samples, or an undefined distance.
func Permanova(d *DistanceMatrix, groups []string, permutations int, seed uint64) (*PermanovaResult, error) {
	return PermanovaWithin(d, groups, nil, permutations, seed)
}

// PermanovaWithin is Permanova with the permutations restricted to within
// strata, as vegan adonis2(d ~ group, strata = strata) (permute's blocks):
// strata[i] names sample i's block, such as the subject it came from, and
// labels are shuffled only among the samples of one block, each block in
// name order (Fisher–Yates from the same stream), so that samples of one
// subject sampled in several groups are compared with each other. F and R²
// are Permanova's. nil strata is Permanova.
func PermanovaWithin(d *DistanceMatrix, groups, strata []string, permutations int, seed uint64) (*PermanovaResult, error) {
	n := d.Len()
	if len(groups) != n || (strata != nil && len(strata) != n) {
		return nil, fmt.Errorf("metrics: %d group labels and %d strata for %d samples", len(groups), len(strata), n)
	}
	if permutations < 0 {
		return nil, fmt.Errorf("metrics: negative number of permutations %d", permutations)
	}
	if err := d.checkDefined(); err != nil {
		return nil, err
	}
	names := slices.Compact(slices.Sorted(slices.Values(groups)))
	g := len(names)
	if g < 2 || g >= n {
		return nil, fmt.Errorf("metrics: PERMANOVA needs 2 to n−1 groups; got %d groups for %d samples", g, n)
	}
	label := make([]int, n)
	for i, s := range groups {
		label[i], _ = slices.BinarySearch(names, s)
	}
	size := make([]float64, g)
	for _, l := range label {
		size[l]++
	}
	sq := make([]float64, n*n)
	var sT float64
	for i := range n {
		for j := i + 1; j < n; j++ {
			v := d.data[i*n+j]
			sq[i*n+j] = v * v
			sT += v * v
		}
	}
	sT /= float64(n)
	within := func(lab []int) float64 {
		acc := make([]float64, g)
		for i := range n {
			li := lab[i]
			r := sq[i*n : (i+1)*n]
			for j := i + 1; j < n; j++ {
				if lab[j] == li {
					acc[li] += r[j]
				}
			}
		}
		var s float64
		for k, a := range acc {
			s += a / size[k]
		}
		return s
	}
	fstat := func(sW float64) float64 {
		return ((sT - sW) / float64(g-1)) / (sW / float64(n-g))
	}
	sW := within(label)
	res := &PermanovaResult{F: fstat(sW), R2: (sT - sW) / sT, Permutations: permutations, Samples: n, Groups: g}
	rng := rand.New(rand.NewPCG(seed, 1))
	perm := slices.Clone(label)
	hits := 0
	tol := 1e-12 * max(res.F, -res.F)
	shuffle := func() { rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] }) }
	if strata != nil {
		blocks := map[string][]int{}
		for i, s := range strata {
			blocks[s] = append(blocks[s], i)
		}
		names := slices.Sorted(maps.Keys(blocks))
		shuffle = func() {
			for _, name := range names {
				b := blocks[name]
				rng.Shuffle(len(b), func(i, j int) { perm[b[i]], perm[b[j]] = perm[b[j]], perm[b[i]] })
			}
		}
	}
	for range permutations {
		shuffle()
		if fstat(within(perm)) >= res.F-tol {
			hits++
		}
	}
	if permutations > 0 {
		res.P = float64(hits+1) / float64(permutations+1)
	} else {
		res.P = math.NaN()
	}
	return res, nil
}
