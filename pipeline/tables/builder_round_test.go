package tables

import (
	"strings"
	"testing"
	"time"

	"github.com/zonula/zonula/taxonomy"
)

// TestBuilderRoundsWholeSums checks that species reads with fractional EM
// weights add up to whole reads above species: ten species of 0.1 reads
// each sum to 0.9999999999999999 in float, and 401 reads split in sevenths
// to 400.99999999999994; both are rounded, so profile.biom holds 1 and 401
// and a count table is never taken for relative abundances.
func TestBuilderRoundsWholeSums(t *testing.T) {
	b := NewBuilder("S")
	g := taxonomy.Lineage{"Bacteria", "Firmicutes", "Bacilli", "Lactobacillales", "Lactobacillaceae", "Lactobacillus"}
	var sum float64
	for i := range 10 {
		l := g
		l[taxonomy.Species] = "Lactobacillus sp" + string(rune('a'+i))
		if err := b.Add(l, 0.1); err != nil {
			t.Fatal(err)
		}
		sum += 0.1
	}
	if sum == 1 {
		t.Fatal("the test needs a float sum that is not whole")
	}
	e := taxonomy.Lineage{"Bacteria", "Proteobacteria", "Gammaproteobacteria", "Enterobacteriales", "Enterobacteriaceae", "Escherichia"}
	for i := range 7 {
		l := e
		l[taxonomy.Species] = "Escherichia sp" + string(rune('a'+i))
		if err := b.Add(l, 401.0/7); err != nil {
			t.Fatal(err)
		}
	}
	b.Add(taxonomy.Lineage{"Bacteria", "Firmicutes"}, 1.0/3) // a genuinely fractional sum stays
	p := b.Profile()
	for _, r := range p.AtRank(taxonomy.Genus) {
		want := map[string]float64{"Lactobacillus": 1, "Escherichia": 401, Unclassified: 1.0 / 3}[r.Taxon]
		if r.Reads != want {
			t.Errorf("%s: %.17g reads, want %v", r.Taxon, r.Reads, want)
		}
	}
	var biom strings.Builder
	if err := WriteBIOM(&biom, p, taxonomy.Genus, BIOMMeta{GeneratedBy: "test", Date: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(biom.String(), "400.99") || strings.Contains(biom.String(), "0.99999") {
		t.Errorf("profile.biom holds an unrounded sum: %s", biom.String())
	}
}
