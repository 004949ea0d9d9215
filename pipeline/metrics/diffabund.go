package metrics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
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

// DAUnit is one independent unit of a differential-abundance design: the
// samples (rows of the count matrix) whose CLR values are averaged into one
// value per taxon — one sample, or one subject's repeated samples in one
// group — with its group and, in a blocked design, its block (the subject).
type DAUnit struct {
	Samples []int
	Group   int // index into DADesign.Groups
	Block   int // index of the subject in a blocked design; ignored otherwise
}

// DADesign says what DifferentialAbundance compares. Unblocked, the units
// are independent: two groups get Welch's t-test and the Wilcoxon rank-sum
// test, more groups the Kruskal–Wallis test. Blocked, every block (subject)
// has exactly one unit in every group and comparisons are within blocks:
// two groups get the paired t-test and the Wilcoxon signed-rank test, more
// groups Friedman's test.
type DADesign struct {
	Groups  []string
	Units   []DAUnit
	Blocked bool
}

// Test names as DAResult gives them.
const (
	TestWelch       = "Welch t-test"
	TestPairedT     = "paired t-test"
	TestRankSum     = "Wilcoxon rank-sum test"
	TestSignedRank  = "Wilcoxon signed-rank test"
	TestKruskal     = "Kruskal–Wallis test"
	TestFriedman    = "Friedman test"
	DefaultMCRounds = 128 // ALDEx2's default mc.samples
)

// DAOptions tune DifferentialAbundance.
type DAOptions struct {
	// Instances is the number of Monte Carlo Dirichlet instances per sample
	// (≤ 0: DefaultMCRounds).
	Instances int
	// Seed of the instances: instance k of sample i is drawn from the PCG
	// stream (Seed, k·2³² + i), so results do not depend on Threads.
	Seed    uint64
	Threads int // ≤ 0: GOMAXPROCS
}

// PairEffect is the expected difference of one taxon's log2 CLR values
// between groups A and B (indices into DADesign.Groups, A < B): the
// difference of the group means (unblocked, with Welch's 95 % interval) or
// the mean within-subject difference (blocked, with the paired t
// interval), each averaged over the Monte Carlo instances. Positive means
// relatively more in A; 1 is a doubling relative to the other taxa.
type PairEffect struct {
	A, B            int
	Diff, Low, High float64
}

// DATaxon is one taxon's differential-abundance result, every value the
// mean over the Monte Carlo instances (ALDEx2's "expected" values).
type DATaxon struct {
	Taxon string
	// MeanCLR is the mean log2 CLR value of each group's units.
	MeanCLR []float64
	// TP and TQ are the t-test's expected p-value and expected BH q-value
	// (two groups; NaN for more).
	TP, TQ float64
	// RankP and RankQ are the rank test's (DAResult.RankTest).
	RankP, RankQ float64
	// Effects holds every pair of groups, in order (0,1), (0,2) … (1,2) ….
	Effects []PairEffect
}

// DAResult is a differential-abundance analysis.
type DAResult struct {
	TTest, RankTest string // the tests run (TTest "" for more than two groups)
	Instances       int
	Seed            uint64
	Prior           float64
	Taxa            []DATaxon // in the matrix's taxon order
}

// DifferentialAbundance compares groups of samples taxon by taxon as ALDEx2
// does (Fernandes et al. 2013, 2014; Gloor et al. 2017): each sample's
// counts give o.Instances Monte Carlo draws of its composition from
// Dirichlet(counts + 0.5) (DirichletInstance), each draw becomes log2
// centred log-ratios (CLR2) over all of m's taxa, the tests of d run on
// every instance, their p-values are adjusted over the taxa within the
// instance (BenjaminiHochberg), and every p, q and effect reported is the
// mean over the instances. A zero count thus becomes a small share drawn
// afresh each time: a taxon seen in few samples has widely varying CLR
// values, and no longer looks like a constant with a tiny variance.
//
// m must hold counts (not relative abundances) of the taxa to test; filter
// rare taxa before. Seeded: the same inputs and options give the same
// result for any o.Threads.
func DifferentialAbundance(m *CountMatrix, d DADesign, o DAOptions) (*DAResult, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(m.Taxa) < 2 {
		return nil, fmt.Errorf("metrics: differential abundance needs at least 2 taxa for a log-ratio, have %d", len(m.Taxa))
	}
	if o.Instances <= 0 {
		o.Instances = DefaultMCRounds
	}
	if err := d.validate(len(m.Samples)); err != nil {
		return nil, err
	}
	draw := func(k int) [][]float64 {
		clr := make([][]float64, len(m.Counts))
		for i, row := range m.Counts {
			rng := rand.New(rand.NewPCG(o.Seed, uint64(k)<<32|uint64(i)))
			clr[i] = CLR2(DirichletInstance(row, DirichletPrior, rng))
		}
		return clr
	}
	r := d.run(m.Taxa, o.Instances, draw, o.Threads)
	r.Seed, r.Prior = o.Seed, DirichletPrior
	return r, nil
}

// TestCLRInstances runs the deterministic part of DifferentialAbundance on
// given instances: instances[k][i] holds the log2 CLR values of sample i in
// instance k, one per taxon. It is how the tests are checked against R on
// committed instances.
func TestCLRInstances(taxa []string, instances [][][]float64, d DADesign) (*DAResult, error) {
	if len(instances) == 0 {
		return nil, errors.New("metrics: no instances")
	}
	if err := d.validate(len(instances[0])); err != nil {
		return nil, err
	}
	for k, in := range instances {
		for i, row := range in {
			if len(row) != len(taxa) || len(in) != len(instances[0]) {
				return nil, fmt.Errorf("metrics: instance %d, sample %d: %d values for %d taxa", k, i, len(row), len(taxa))
			}
		}
	}
	return d.run(taxa, len(instances), func(k int) [][]float64 { return instances[k] }, 1), nil
}

// validate checks the design against n samples: known groups and samples,
// at least two groups, and enough units in each (two per group unblocked,
// two complete blocks blocked).
func (d DADesign) validate(n int) error {
	k := len(d.Groups)
	if k < 2 {
		return fmt.Errorf("metrics: differential abundance compares at least 2 groups, got %d", k)
	}
	per := make([]int, k)
	blocks := map[int][]int{}
	for _, u := range d.Units {
		if u.Group < 0 || u.Group >= k || len(u.Samples) == 0 {
			return fmt.Errorf("metrics: a unit with group %d and %d samples", u.Group, len(u.Samples))
		}
		for _, s := range u.Samples {
			if s < 0 || s >= n {
				return fmt.Errorf("metrics: sample index %d of %d", s, n)
			}
		}
		per[u.Group]++
		blocks[u.Block] = append(blocks[u.Block], u.Group)
	}
	if !d.Blocked {
		for g, c := range per {
			if c < 2 {
				return fmt.Errorf("metrics: group %q has %d units; each group needs at least 2", d.Groups[g], c)
			}
		}
		return nil
	}
	for b, gs := range blocks {
		seen := make([]bool, k)
		for _, g := range gs {
			seen[g] = true
		}
		if len(gs) != k || countTrue(seen) != k {
			return fmt.Errorf("metrics: block %d has units in groups %v; a blocked design needs one unit in each of the %d groups", b, gs, k)
		}
	}
	if len(blocks) < 2 {
		return fmt.Errorf("metrics: %d complete blocks; a blocked design needs at least 2", len(blocks))
	}
	return nil
}

func countTrue(v []bool) int {
	n := 0
	for _, b := range v {
		if b {
			n++
		}
	}
	return n
}

// daStats is the per-instance record of one taxon: t p, rank p, t q, rank
// q, then Diff, Low, High of each pair, then the mean CLR of each group.
const daFixed = 4

// run draws (or takes) every instance, tests it on Threads goroutines and
// averages the per-instance results in instance order.
func (d DADesign) run(taxa []string, instances int, draw func(k int) [][]float64, threads int) *DAResult {
	k := len(d.Groups)
	pairs := k * (k - 1) / 2
	width := daFixed + 3*pairs + k
	res := &DAResult{TTest: d.tTestName(), RankTest: d.rankTestName(), Instances: instances}
	per := make([][]float64, instances) // [instance][taxon*width + field]
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	l := d.layout()
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(threads, instances) {
		wg.Go(func() {
			ex := newExactTables()
			for inst := range next {
				per[inst] = d.testInstance(draw(inst), len(taxa), width, l, ex)
			}
		})
	}
	for inst := range instances {
		next <- inst
	}
	close(next)
	wg.Wait()
	sum := make([]float64, len(taxa)*width)
	for _, rec := range per {
		for i, v := range rec {
			sum[i] += v
		}
	}
	n := float64(instances)
	for j, name := range taxa {
		v := sum[j*width : (j+1)*width]
		t := DATaxon{Taxon: name, TP: v[0] / n, RankP: v[1] / n, TQ: v[2] / n, RankQ: v[3] / n}
		p := 0
		for a := range k {
			for b := a + 1; b < k; b++ {
				o := daFixed + 3*p
				t.Effects = append(t.Effects, PairEffect{A: a, B: b, Diff: v[o] / n, Low: v[o+1] / n, High: v[o+2] / n})
				p++
			}
		}
		for g := range k {
			t.MeanCLR = append(t.MeanCLR, v[daFixed+3*pairs+g]/n)
		}
		res.Taxa = append(res.Taxa, t)
	}
	return res
}

func (d DADesign) tTestName() string {
	switch {
	case len(d.Groups) != 2:
		return ""
	case d.Blocked:
		return TestPairedT
	}
	return TestWelch
}

func (d DADesign) rankTestName() string {
	switch {
	case len(d.Groups) == 2 && d.Blocked:
		return TestSignedRank
	case len(d.Groups) == 2:
		return TestRankSum
	case d.Blocked:
		return TestFriedman
	}
	return TestKruskal
}

// daLayout indexes a design's units by group and, blocked, by block.
type daLayout struct {
	byGroup [][]int // unit indices of each group
	blocks  [][]int // blocked: per block (in block order), the unit of each group
	pairs   [][2]int
}

func (d DADesign) layout() daLayout {
	k := len(d.Groups)
	l := daLayout{byGroup: make([][]int, k)}
	for a := range k {
		for b := a + 1; b < k; b++ {
			l.pairs = append(l.pairs, [2]int{a, b})
		}
	}
	pos := map[int]int{}
	var ids []int
	for u, unit := range d.Units {
		l.byGroup[unit.Group] = append(l.byGroup[unit.Group], u)
		if _, ok := pos[unit.Block]; !ok && d.Blocked {
			pos[unit.Block] = 0
			ids = append(ids, unit.Block)
		}
	}
	sort.Ints(ids)
	for i, id := range ids {
		pos[id] = i
		l.blocks = append(l.blocks, make([]int, k))
	}
	if d.Blocked {
		for u, unit := range d.Units {
			l.blocks[pos[unit.Block]][unit.Group] = u
		}
	}
	return l
}

// testInstance tests every taxon of one instance (clr[sample][taxon]) and
// returns the per-taxon records run averages (see daFixed).
func (d DADesign) testInstance(clr [][]float64, taxa, width int, l daLayout, ex *exactTables) []float64 {
	k := len(d.Groups)
	rec := make([]float64, taxa*width)
	tp, rp := make([]float64, taxa), make([]float64, taxa)
	vals := make([]float64, len(d.Units))
	groupVals := make([][]float64, k)
	for j := range taxa {
		for u, unit := range d.Units {
			var s float64
			for _, i := range unit.Samples {
				s += clr[i][j]
			}
			vals[u] = s / float64(len(unit.Samples))
		}
		for g, us := range l.byGroup {
			groupVals[g] = groupVals[g][:0]
			for _, u := range us {
				groupVals[g] = append(groupVals[g], vals[u])
			}
		}
		r := rec[j*width : (j+1)*width]
		var tt TTest
		var rk RankTest
		effects := make([]TTest, len(l.pairs))
		if d.Blocked {
			diffs := func(a, b int) []float64 {
				out := make([]float64, len(l.blocks))
				for i, blk := range l.blocks {
					out[i] = vals[blk[a]] - vals[blk[b]]
				}
				return out
			}
			for p, ab := range l.pairs {
				effects[p] = PairedTTest(diffs(ab[0], ab[1]))
			}
			if k == 2 {
				tt, rk = effects[0], ex.signedRank(diffs(0, 1))
			} else {
				rows := make([][]float64, len(l.blocks))
				for i, blk := range l.blocks {
					for _, u := range blk {
						rows[i] = append(rows[i], vals[u])
					}
				}
				tt, rk = nanTTest(), Friedman(rows)
			}
		} else {
			for p, ab := range l.pairs {
				effects[p] = WelchTest(groupVals[ab[0]], groupVals[ab[1]])
			}
			if k == 2 {
				tt, rk = effects[0], ex.rankSum(groupVals[0], groupVals[1])
			} else {
				tt, rk = nanTTest(), KruskalWallis(groupVals)
			}
		}
		tp[j], rp[j] = tt.P, rk.P
		r[0], r[1] = tt.P, rk.P
		for p, e := range effects {
			r[daFixed+3*p], r[daFixed+3*p+1], r[daFixed+3*p+2] = e.Diff, e.Low, e.High
		}
		for g, v := range groupVals {
			var s float64
			for _, x := range v {
				s += x
			}
			r[daFixed+3*len(l.pairs)+g] = s / float64(len(v))
		}
	}
	for j, q := range BenjaminiHochberg(tp) {
		rec[j*width+2] = q
	}
	for j, q := range BenjaminiHochberg(rp) {
		rec[j*width+3] = q
	}
	return rec
}
