package metrics_test

import (
	"fmt"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
)

// Compare four samples: Bray–Curtis distances, a PCoA and a PERMANOVA
// between two groups, and weighted UniFrac on a small tree.
func Example() {
	m := &metrics.CountMatrix{
		Samples: []string{"a1", "a2", "b1", "b2"},
		Taxa:    []string{"Bacteroides", "Faecalibacterium", "Escherichia"},
		Counts:  [][]float64{{60, 30, 10}, {55, 40, 5}, {20, 10, 70}, {25, 5, 70}},
	}
	bc, err := metrics.Distances(m, metrics.BrayCurtisMetric(), 0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("Bray–Curtis a1–b1: %.3f\n", bc.At(0, 2))

	o, err := metrics.PCoA(bc)
	if err != nil {
		panic(err)
	}
	fmt.Printf("PCoA axis 1 explains %.1f %%\n", 100*o.ProportionExplained[0])

	r, err := metrics.Permanova(bc, []string{"a", "a", "b", "b"}, 999, 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("PERMANOVA F = %.2f, R² = %.2f\n", r.F, r.R2)

	tree, err := metrics.ReadNewick(strings.NewReader("((Bacteroides:0.2,Faecalibacterium:0.3):0.1,Escherichia:0.5);"), "tree.nwk")
	if err != nil {
		panic(err)
	}
	wu, err := metrics.Distances(m, metrics.WeightedUniFracMetric(tree, true), 0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("weighted UniFrac a1–b1: %.3f\n", wu.At(0, 2))
	fmt.Printf("E[S] at 10 reads in a1: %.3f\n", metrics.ExpectedRichness(m.Counts[0], 10))
	// Checked by hand (Bray–Curtis 120/200, weighted UniFrac 0.5/0.8) and
	// with vegan 2.6-4: cmdscale eig 98.7 %, adonis2 F 124.2, R² 0.984,
	// rarefy 2.6466.
	//
	// Output:
	// Bray–Curtis a1–b1: 0.600
	// PCoA axis 1 explains 98.7 %
	// PERMANOVA F = 124.20, R² = 0.98
	// weighted UniFrac a1–b1: 0.625
	// E[S] at 10 reads in a1: 2.647
}
