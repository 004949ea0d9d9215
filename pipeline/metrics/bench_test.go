package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomMatrix returns n samples × taxa of gut-like counts: about 70 % zeros,
// the rest log-normal, seeded so every run sees the same table.
func randomMatrix(n, taxa int, seed uint64) *CountMatrix {
	rng := rand.New(rand.NewPCG(seed, 2))
	m := &CountMatrix{Samples: make([]string, n), Taxa: make([]string, taxa), Counts: make([][]float64, n)}
	for j := range taxa {
		m.Taxa[j] = fmt.Sprintf("t%d", j)
	}
	for i := range n {
		m.Samples[i] = fmt.Sprintf("s%d", i)
		row := make([]float64, taxa)
		for j := range row {
			if rng.Float64() < 0.3 {
				row[j] = math.Floor(math.Exp(rng.NormFloat64()*2 + 2))
			}
		}
		m.Counts[i] = row
	}
	return m
}

// randomTree returns a random rooted binary tree over tips (joining random
// pairs of subtrees), with branch lengths in (0, 0.5], in Newick.
func randomTree(tips []string, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 3))
	nodes := make([]string, len(tips))
	for i, s := range tips {
		nodes[i] = fmt.Sprintf("%s:%.4f", s, 0.0001+rng.Float64()/2)
	}
	for len(nodes) > 1 {
		i := rng.IntN(len(nodes))
		a := nodes[i]
		nodes[i] = nodes[len(nodes)-1]
		nodes = nodes[:len(nodes)-1]
		j := rng.IntN(len(nodes))
		nodes[j] = fmt.Sprintf("(%s,%s):%.4f", a, nodes[j], 0.0001+rng.Float64()/2)
	}
	return strings.TrimSuffix(nodes[0], nodes[0][strings.LastIndexByte(nodes[0], ':'):]) + ";"
}

// TestDistancesDeterministic: 1 and 2 workers give bit-identical matrices,
// and the matrix equals the pairwise functions.
func TestDistancesDeterministic(t *testing.T) {
	m := randomMatrix(60, 300, 7)
	tr, err := ParseNewick([]byte(randomTree(m.Taxa, 7)), "random")
	if err != nil {
		t.Fatal(err)
	}
	for _, metric := range []Metric{BrayCurtisMetric(), JaccardMetric(), AitchisonMetric(1),
		UnweightedUniFracMetric(tr), WeightedUniFracMetric(tr, false), WeightedUniFracMetric(tr, true)} {
		one, err := Distances(m, metric, 1)
		if err != nil {
			t.Fatal(err)
		}
		two, err := Distances(m, metric, 2)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range one.data {
			if math.Float64bits(v) != math.Float64bits(two.data[k]) {
				t.Fatalf("%s: workers 1 and 2 differ at %d: %v vs %v", metric.Name(), k, v, two.data[k])
			}
		}
		for i := range m.Counts {
			for j := range m.Counts {
				var want float64
				switch metric.Name() {
				case "braycurtis":
					want, _ = BrayCurtis(m.Counts[i], m.Counts[j])
				case "jaccard":
					want, _ = Jaccard(m.Counts[i], m.Counts[j])
				default:
					continue
				}
				if i != j && !same(one.At(i, j), want) {
					t.Fatalf("%s(%d,%d) = %v, pairwise %v", metric.Name(), i, j, one.At(i, j), want)
				}
			}
		}
	}
}

// BenchmarkBrayCurtis1000x2000 is the target: 1,000 samples × 2,000
// taxa in ≤ 2 s on 2 cores.
func BenchmarkBrayCurtis1000x2000(b *testing.B) {
	m := randomMatrix(1000, 2000, 1)
	for b.Loop() {
		if _, err := Distances(m, BrayCurtisMetric(), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1000*999/2/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkWeightedUniFrac1000 is the target: weighted UniFrac of
// 1,000 samples in ≤ 30 s; here over 2,000 taxa on a random binary tree.
func BenchmarkWeightedUniFrac1000(b *testing.B) {
	m := randomMatrix(1000, 2000, 1)
	tr, err := ParseNewick([]byte(randomTree(m.Taxa, 1)), "random")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Distances(m, WeightedUniFracMetric(tr, true), 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1000*999/2/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkPermanova200 is PERMANOVA of 200 samples with 999 permutations.
func BenchmarkPermanova200(b *testing.B) {
	m := randomMatrix(200, 500, 1)
	dm, err := Distances(m, BrayCurtisMetric(), 0)
	if err != nil {
		b.Fatal(err)
	}
	groups := make([]string, 200)
	for i := range groups {
		groups[i] = fmt.Sprint(i % 3)
	}
	for b.Loop() {
		if _, err := Permanova(dm, groups, 999, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPCoA500 is PCoA of 500 samples.
func BenchmarkPCoA500(b *testing.B) {
	m := randomMatrix(500, 500, 1)
	dm, err := Distances(m, BrayCurtisMetric(), 0)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := PCoA(dm); err != nil {
			b.Fatal(err)
		}
	}
}
