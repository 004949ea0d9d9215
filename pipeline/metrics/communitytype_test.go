package metrics

import (
	"math"
	"strings"
	"testing"

	"github.com/zonula/zonula/taxonomy"
)

func lineageOf(s string) taxonomy.Lineage {
	var l taxonomy.Lineage
	copy(l[:], strings.Split(s, ";"))
	return l
}

func genusComp(reads map[string]float64, unnamed float64) *Composition {
	var taxa []TaxonReads
	total := unnamed
	for lin, r := range reads {
		taxa = append(taxa, TaxonReads{Rank: taxonomy.Genus, Lineage: lineageOf(lin), Reads: r})
		total += r
	}
	c := NewComposition(total, taxonomy.Genus, taxa)
	return &c
}

const (
	bact   = "Bacteria;Bacteroidota;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides"
	phoc   = "Bacteria;Bacteroidota;Bacteroidia;Bacteroidales;Bacteroidaceae;Phocaeicola"
	prev9  = "Bacteria;Bacteroidota;Bacteroidia;Bacteroidales;Prevotellaceae;Prevotella_9"
	rumi   = "Bacteria;Firmicutes;Clostridia;Oscillospirales;Ruminococcaceae;Ruminococcus"
	gnavus = "Bacteria;Firmicutes;Clostridia;Lachnospirales;Lachnospiraceae;[Ruminococcus] gnavus group"
	faec   = "Bacteria;Firmicutes;Clostridia;Oscillospirales;Ruminococcaceae;Faecalibacterium"
	blaut  = "Bacteria;Firmicutes;Clostridia;Lachnospirales;Lachnospiraceae;Blautia"
)

func TestCommunityTypeOf(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reads   map[string]float64
		unnamed float64
		want    string
		bact    float64
	}{
		// 250 + 150 of 1,000 genus-named reads Bacteroides group (40 %), 10 Faecalibacterium (1 %): Bact2-like.
		{"Bact2", map[string]float64{bact: 250, phoc: 150, faec: 10, blaut: 590}, 500, TypeBact2, 0.4},
		// The same with 100 Faecalibacterium (10 %): a Bacteroides type.
		{"Bacteroides", map[string]float64{bact: 250, phoc: 150, faec: 100, blaut: 500}, 0, TypeBacteroides, 0.4},
		// 20 % Bacteroides, 1 % Faecalibacterium: Bacteroides leads but is not high enough for Bact2.
		{"low Bacteroides", map[string]float64{bact: 200, faec: 10, blaut: 790}, 0, TypeBacteroides, 0.2},
		{"Prevotella", map[string]float64{bact: 100, prev9: 300, blaut: 600}, 0, TypePrevotella, 0.1},
		// The Lachnospiraceae "Ruminococcus" does not count as the driver.
		{"Ruminococcus", map[string]float64{bact: 50, rumi: 150, gnavus: 400, blaut: 400}, 0, TypeRuminococcus, 0.05},
		{"mixed", map[string]float64{bact: 50, rumi: 40, gnavus: 400, blaut: 510}, 0, TypeMixed, 0.05},
	} {
		got := CommunityTypeOf(genusComp(tc.reads, tc.unnamed))
		if got.Type != tc.want || math.Abs(got.Bacteroides-tc.bact) > 1e-12 || got.Reason != "" {
			t.Errorf("%s: %+v, want type %s with Bacteroides %.2f", tc.name, got, tc.want, tc.bact)
		}
	}
	if got := CommunityTypeOf(genusComp(nil, 100)); got.Type != "" || got.Reason == "" {
		t.Errorf("no genus-named reads: %+v", got)
	}
}
