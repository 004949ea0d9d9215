package metrics

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// Closed-form and property tests of the sample-comparison API; the
// tool-made values are in refbeta_test.go.

func TestCountMatrixValidate(t *testing.T) {
	good := func() *CountMatrix {
		return &CountMatrix{Samples: []string{"a", "b"}, Taxa: []string{"x", "y"}, Counts: [][]float64{{1, 2}, {3, 0}}}
	}
	if err := good().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		edit func(*CountMatrix)
		msg  string
	}{
		{func(m *CountMatrix) { m.Counts = m.Counts[:1] }, "2 sample names but 1 rows"},
		{func(m *CountMatrix) { m.Counts[1] = []float64{1} }, `sample "b" has 1 counts for 2 taxa`},
		{func(m *CountMatrix) { m.Samples[1] = "a" }, `sample "a" appears twice`},
		{func(m *CountMatrix) { m.Taxa[0] = "" }, "taxon 1 has an empty name"},
		{func(m *CountMatrix) { m.Counts[1][1] = -1 }, `sample "b", taxon "y": count -1`},
		{func(m *CountMatrix) { m.Counts[0][0] = math.NaN() }, `sample "a", taxon "x"`},
	} {
		m := good()
		c.edit(m)
		err := m.Validate()
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("got %v, want an error containing %q", err, c.msg)
		}
		if _, err := Distances(m, BrayCurtisMetric(), 1); err == nil {
			t.Errorf("Distances accepted a bad matrix (%s)", c.msg)
		}
	}
	if _, err := Distances(good(), Metric{}, 1); err == nil {
		t.Error("zero Metric accepted")
	}
}

func TestNewDistanceMatrix(t *testing.T) {
	ids := []string{"a", "b", "c"}
	d, err := NewDistanceMatrix(ids, [][]float64{{0, 1, 2}, {1, 0, 3}, {2, 3, 0}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 3 || d.At(2, 1) != 3 || !slices.Equal(d.Condensed(), []float64{1, 2, 3}) || !slices.Equal(d.IDs(), ids) {
		t.Errorf("matrix %v %v", d.Condensed(), d.IDs())
	}
	for _, c := range []struct {
		rows [][]float64
		msg  string
	}{
		{[][]float64{{0, 1, 2}, {1, 0, 3}}, "3 ids but 2 rows"},
		{[][]float64{{0, 1, 2}, {1, 0, 3}, {2, 4, 0}}, "differ"},
		{[][]float64{{0, 1, 2}, {1, 1, 3}, {2, 3, 0}}, "to itself"},
		{[][]float64{{0, -1, 2}, {-1, 0, 3}, {2, 3, 0}}, "≥ 0"},
		{[][]float64{{0, 1}, {1, 0, 3}, {2, 3, 0}}, "has 2 values"},
	} {
		if _, err := NewDistanceMatrix(ids, c.rows); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v: got %v, want %q", c.rows, err, c.msg)
		}
	}
}

// TestPCoAEuclidean: for points in the plane, PCoA of their Euclidean
// distances recovers the configuration up to rotation: two positive
// eigenvalues equal to the centred sums of squares along the principal
// axes, all pairwise distances reproduced.
func TestPCoAEuclidean(t *testing.T) {
	pts := [][2]float64{{0, 0}, {4, 0}, {0, 1}, {4, 1}} // a 4 × 1 rectangle
	n := len(pts)
	rows := make([][]float64, n)
	for i := range pts {
		rows[i] = make([]float64, n)
		for j := range pts {
			rows[i][j] = math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1])
		}
	}
	d, err := NewDistanceMatrix([]string{"p", "q", "r", "s"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	o, err := PCoA(d)
	if err != nil {
		t.Fatal(err)
	}
	// Centred coordinates ±2 on x and ±0.5 on y: λ1 = 4·4 = 16, λ2 = 4·0.25 = 1.
	want := []float64{16, 1, 0, 0}
	for k := range want {
		if math.Abs(o.Eigenvalues[k]-want[k]) > 1e-12 {
			t.Errorf("eigenvalue %d = %v, want %v", k, o.Eigenvalues[k], want[k])
		}
	}
	if math.Abs(o.ProportionExplained[0]-16.0/17) > 1e-12 {
		t.Errorf("proportion %v, want 16/17", o.ProportionExplained[0])
	}
	for i := range n {
		for j := range n {
			got := math.Hypot(o.Coordinates[i][0]-o.Coordinates[j][0], o.Coordinates[i][1]-o.Coordinates[j][1])
			if math.Abs(got-rows[i][j]) > 1e-12 {
				t.Errorf("distance %d–%d in the ordination %v, want %v", i, j, got, rows[i][j])
			}
		}
	}
	if _, err := PCoA(&DistanceMatrix{ids: []string{"a"}, data: []float64{0}}); err == nil {
		t.Error("PCoA of one sample accepted")
	}
	nan, _ := NewDistanceMatrix([]string{"a", "b", "c"}, [][]float64{{0, math.NaN(), 1}, {math.NaN(), 0, 1}, {1, 1, 0}})
	if _, err := PCoA(nan); err == nil || !strings.Contains(err.Error(), `"a"–"b"`) {
		t.Errorf("PCoA with NaN: %v", err)
	}
}

func TestPermanovaErrorsAndClosedForm(t *testing.T) {
	// Two tight, far-apart groups: d = 1 within, 10 between (n = 4, g = 2).
	rows := [][]float64{{0, 1, 10, 10}, {1, 0, 10, 10}, {10, 10, 0, 1}, {10, 10, 1, 0}}
	d, _ := NewDistanceMatrix([]string{"a", "b", "c", "d"}, rows)
	r, err := Permanova(d, []string{"x", "x", "y", "y"}, 999, 3)
	if err != nil {
		t.Fatal(err)
	}
	// S_T = (2·1 + 4·100)/4 = 100.5; S_W = 1/2 + 1/2 = 1; F = 99.5/1 / (1/2) = 199.
	if !same(r.F, 199) || !same(r.R2, 99.5/100.5) || r.Groups != 2 || r.Samples != 4 {
		t.Errorf("result %+v, want F 199, R² 99.5/100.5", r)
	}
	// Only the 2 of 6 labellings that keep the pairs together reach F: p ≈ 1/3.
	if math.Abs(r.P-1.0/3) > 4*math.Sqrt(2.0/9/999)+0.001 {
		t.Errorf("p = %v, want about 1/3", r.P)
	}
	if r0, _ := Permanova(d, []string{"x", "x", "y", "y"}, 0, 3); !math.IsNaN(r0.P) {
		t.Errorf("no permutations: p = %v, want NaN", r0.P)
	}
	for _, g := range [][]string{{"x", "x", "x", "x"}, {"a", "b", "c", "d"}, {"x", "y"}} {
		if _, err := Permanova(d, g, 9, 1); err == nil {
			t.Errorf("groups %v accepted", g)
		}
	}
	if _, err := Permanova(d, []string{"x", "x", "y", "y"}, -1, 1); err == nil {
		t.Error("negative permutations accepted")
	}
}

func TestRarefy(t *testing.T) {
	counts := []float64{50, 0, 30, 15, 4, 1}
	for _, depth := range []int{0, 1, 37, 100} {
		a, err := Rarefy(counts, depth, 9)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Rarefy(counts, depth, 9)
		if !slices.Equal(a, b) {
			t.Errorf("depth %d: same seed gave %v and %v", depth, a, b)
		}
		if total(a) != float64(depth) {
			t.Errorf("depth %d: subsample sums to %v", depth, total(a))
		}
		for i := range a {
			if a[i] > counts[i] || a[i] != math.Trunc(a[i]) {
				t.Errorf("depth %d: taxon %d has %v of %v", depth, i, a[i], counts[i])
			}
		}
	}
	if a, _ := Rarefy(counts, 100, 1); !slices.Equal(a, counts) {
		t.Errorf("full depth changed the counts: %v", a)
	}
	// Unbiased: the mean observed richness of many subsamples approaches
	// Hurlbert's E[S_n] (binomial sampling error bound, 5 SE).
	const draws, depth = 4000, 10
	var sum, sumSq float64
	for s := range uint64(draws) {
		a, _ := Rarefy(counts, depth, s)
		o := Observed(a)
		sum += o
		sumSq += o * o
	}
	mean := sum / draws
	sd := math.Sqrt(sumSq/draws - mean*mean)
	if e := ExpectedRichness(counts, depth); math.Abs(mean-e) > 5*sd/math.Sqrt(draws) {
		t.Errorf("mean richness of %d subsamples %v, Hurlbert %v (sd %v)", draws, mean, e, sd)
	}
	for _, c := range []struct {
		counts []float64
		depth  int
	}{{counts, 101}, {counts, -1}, {[]float64{1.5, 2}, 1}, {[]float64{-1, 2}, 1}} {
		if _, err := Rarefy(c.counts, c.depth, 1); err == nil {
			t.Errorf("Rarefy(%v, %d) accepted", c.counts, c.depth)
		}
	}
}

func TestExpectedRichnessClosedForm(t *testing.T) {
	// Two taxa of 1 read each, depth 1: each is seen with probability 1/2.
	if got := ExpectedRichness([]float64{1, 1}, 1); !same(got, 1) {
		t.Errorf("E[S_1] = %v, want 1", got)
	}
	// {2, 1}, depth 2: C(3,2) = 3 pairs; the singleton is missed in 1 of them.
	if got := ExpectedRichness([]float64{2, 1}, 2); !same(got, 1+2.0/3) {
		t.Errorf("E[S_2] = %v, want 5/3", got)
	}
	for _, c := range [][]float64{{1.5}, {-1}} {
		if !math.IsNaN(ExpectedRichness(c, 1)) {
			t.Errorf("ExpectedRichness(%v) not NaN", c)
		}
	}
	if got := ExpectedRichness([]float64{3, 4}, 0); got != 0 {
		t.Errorf("depth 0: %v", got)
	}
}

func TestCLRAndReplacement(t *testing.T) {
	got, err := CLR([]float64{1, 2, 4}, 0)
	if err != nil {
		t.Fatal(err)
	}
	l2 := math.Log(2) // logs 0, l2, 2 l2; mean l2
	if e := sameVector(got, []float64{-l2, 0, l2}); e != nil {
		t.Errorf("CLR: %v", e)
	}
	if _, err := CLR([]float64{0, 1}, 0); err == nil || !strings.Contains(err.Error(), "count 0") {
		t.Errorf("CLR with a zero and no pseudocount: %v", err)
	}
	for _, p := range []float64{-1, math.NaN(), math.Inf(1)} {
		if _, err := CLR([]float64{1}, p); err == nil {
			t.Errorf("pseudocount %v accepted", p)
		}
	}
	r, err := MultiplicativeReplacement([]float64{0, 1, 3}, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if e := sameVector(r, []float64{0.1, 0.9 * 0.25, 0.9 * 0.75}); e != nil {
		t.Errorf("replacement: %v", e)
	}
	if _, err := MultiplicativeReplacement([]float64{0, 0}, 0); err == nil {
		t.Error("empty sample accepted")
	}
	if _, err := MultiplicativeReplacement([]float64{0, 0, 1}, 0.6); err == nil {
		t.Error("Z·δ ≥ 1 accepted")
	}
	m := &CountMatrix{Samples: []string{"a", "b"}, Taxa: []string{"x", "y"}, Counts: [][]float64{{0, 1}, {1, 1}}}
	if _, err := Distances(m, AitchisonMetric(0), 1); err == nil || !strings.Contains(err.Error(), `sample "a"`) {
		t.Errorf("Aitchison without pseudocount on zeros: %v", err)
	}
}

func TestWelchEdges(t *testing.T) {
	// Equal sizes and variances: t = (ā − b̄)/√(2s²/n), ν = 2(n − 1).
	r := WelchTest([]float64{1, 2, 3}, []float64{4, 5, 6})
	if !same(r.T, -3/math.Sqrt(2.0/3)) || !same(r.DF, 4) || !(r.P > 0 && r.P < 0.05) || r.Diff != -3 {
		t.Errorf("WelchTest = %+v", r)
	}
	for _, c := range [][2][]float64{{{1}, {2, 3}}, {{1, 1}, {2, 2}}} {
		if r := WelchTest(c[0], c[1]); !math.IsNaN(r.T) || !math.IsNaN(r.P) || !math.IsNaN(r.Low) {
			t.Errorf("WelchTest(%v) = %+v, want NaN", c, r)
		}
	}
}

func TestPhyloErrors(t *testing.T) {
	tr, err := ParseNewick([]byte("((a:1,b:2):1,(c:1,a:1):1);"), "dup")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FaithPD([]float64{1}, []string{"b"}, tr); err == nil || !strings.Contains(err.Error(), "two tips") {
		t.Errorf("duplicate tips: %v", err)
	}
	tr, _ = ParseNewick([]byte("((a:1,b:2):1,c:3);"), "ok")
	if _, err := FaithPD([]float64{1, 1}, []string{"a", "z"}, tr); err == nil || !strings.Contains(err.Error(), `"z"`) {
		t.Errorf("unknown taxon: %v", err)
	}
	if _, err := FaithPD([]float64{1}, []string{"a", "b"}, tr); err == nil {
		t.Error("length mismatch accepted")
	}
	if _, err := FaithPD([]float64{-1}, []string{"a"}, tr); err == nil {
		t.Error("negative count accepted")
	}
	// Faith PD closed form: a and c observed: 1 + 1 + 3 = 5.
	if pd, err := FaithPD([]float64{2, 0, 7}, []string{"a", "b", "c"}, tr); err != nil || pd != 5 {
		t.Errorf("FaithPD = %v, %v; want 5", pd, err)
	}
	nolen, _ := ParseNewick([]byte("((a:1,b):1,c:3);"), "nolen")
	if _, err := FaithPD([]float64{1}, []string{"a"}, nolen); err == nil || !strings.Contains(err.Error(), `"b"`) {
		t.Errorf("missing length: %v", err)
	}
	m := &CountMatrix{Samples: []string{"s"}, Taxa: []string{"zz"}, Counts: [][]float64{{1}}}
	for _, metric := range []Metric{UnweightedUniFracMetric(tr), WeightedUniFracMetric(tr, true)} {
		if _, err := Distances(m, metric, 1); err == nil {
			t.Errorf("%s accepted a taxon not in the tree", metric.Name())
		}
	}
}

func TestDistancesTinyMatrices(t *testing.T) {
	for n := range 3 {
		m := randomMatrix(n, 5, 1)
		d, err := Distances(m, BrayCurtisMetric(), 2)
		if err != nil || d.Len() != n || len(d.Condensed()) != n*(n-1)/2 {
			t.Errorf("n = %d: %v, %v", n, d, err)
		}
	}
}
