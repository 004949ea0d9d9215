package metrics

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
)

// testDefs are index definitions shaped like the knowledge base's
// (report/knowledge measures.json and taxa.json), cut to what these tests
// need: a GMHI-like index, a log ratio, shares by genus and phylum, and a
// taxon share defined by species.
var testDefs = IndexDefs{
	Measures: []IndexDef{
		{ID: "IDX-01", Kind: GMHIIndex, MinMapped: 1,
			Up:   TaxonSet{Species: []string{"Bifidobacterium adolescentis"}},
			Down: TaxonSet{Species: []string{"Mediterraneibacter gnavus|Ruminococcus gnavus"}}},
		{ID: "IDX-02", Kind: LogRatioIndex, Up: TaxonSet{Genera: []string{"Escherichia", "Veillonella"}}, Down: TaxonSet{Genera: []string{"Faecalibacterium", "Bacteroides"}}},
		{ID: "IDX-04", Kind: ShareIndex, Up: TaxonSet{Genera: []string{"Faecalibacterium", "Roseburia"}}},
		{ID: "taxon:T-11", Name: "Pseudomonadota share", Kind: ShareIndex, Up: TaxonSet{Phyla: []string{"Pseudomonadota"}}},
		{ID: "sulfide", Kind: ShareIndex, Up: TaxonSet{Genera: []string{"Bilophila", "Desulfovibrio"}}},
		{ID: "oral", Kind: ShareIndex, Up: TaxonSet{Genera: []string{"Fusobacterium", "Veillonella"}}},
	},
	Taxa: []IndexDef{
		{ID: "taxon:T-01", Kind: ShareIndex, Up: TaxonSet{Genera: []string{"Faecalibacterium"}}},
		{ID: "taxon:T-11", Kind: ShareIndex, Up: TaxonSet{Phyla: []string{"Pseudomonadota"}}},
		{ID: "taxon:T-14", Kind: ShareIndex, Up: TaxonSet{Species: []string{"Mediterraneibacter gnavus|Ruminococcus gnavus"}}},
	},
}

// gutRows is a small stool-like profile: 920 reads named to a genus
// (Faecalibacterium 230 of them), M. gnavus called to species, 180 reads
// named only to order; gutProfile adds 40 unclassified reads.
var gutRows = []struct {
	lineage string
	reads   float64
}{
	{"Bacteroidetes;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides", 520},
	{"Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Faecalibacterium", 230},
	{"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Roseburia", 90},
	{"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Ruminococcus;Ruminococcus gnavus", 25},
	{"Firmicutes;Negativicutes;Selenomonadales;Veillonellaceae;Veillonella", 12},
	{"Proteobacteria;Gammaproteobacteria;Enterobacteriales;Enterobacteriaceae;Escherichia", 35},
	{"Proteobacteria;Deltaproteobacteria;Desulfovibrionales;Desulfovibrionaceae;Bilophila", 8},
	{"Firmicutes;Clostridia;Clostridiales", 180},
}

// gutProfile builds gutRows as a reads profile named sample, with the
// Faecalibacterium reads multiplied by f (rounded); genusCounts are the
// reads of each row named to a genus or below.
func gutProfile(t *testing.T, sample string, f float64) (p *tables.Profile, genusCounts []float64) {
	t.Helper()
	b := tables.NewBuilder(sample)
	for _, r := range gutRows {
		n := r.reads
		if strings.HasSuffix(r.lineage, ";Faecalibacterium") {
			n = math.Round(n * f)
		}
		if err := b.Add(lin(r.lineage), n); err != nil {
			t.Fatal(err)
		}
		if strings.Count(r.lineage, ";") >= 4 {
			genusCounts = append(genusCounts, n)
		}
	}
	if err := b.Add(taxonomy.Lineage{}, 40); err != nil {
		t.Fatal(err)
	}
	return b.Profile(), genusCounts
}

// gutCohort returns n variants of gutRows: sample i has its
// Faecalibacterium reads scaled by (i+1)/n·2, so the butyrate share rises
// with i.
func gutCohort(t *testing.T, n int) []*tables.Profile {
	t.Helper()
	var out []*tables.Profile
	for i := range n {
		p, _ := gutProfile(t, fmt.Sprintf("C%02d", i), 2*float64(i+1)/float64(n))
		out = append(out, p)
	}
	return out
}

func TestReferenceFromProfiles(t *testing.T) {
	profiles := gutCohort(t, 11)
	ref, err := ReferenceFromProfiles("test cohort", "made in a test", profiles, testDefs, true)
	if err != nil {
		t.Fatal(err)
	}
	if ref.N() != 11 || ref.Name() != "test cohort (n = 11)" {
		t.Errorf("reference %q n %d", ref.Name(), ref.N())
	}
	// The middle sample (index 5 of 11) is the median of the butyrate share
	// and the Faecalibacterium share: percentile 100·(5 + ½)/11 = 50.
	c := CompositionOf(profiles[5])
	vals := ReferenceValues(&c, testDefs)
	for _, m := range []string{"IDX-04", "taxon:T-01"} {
		if p, ok := ref.Percentile(m, vals[m]); !ok || p != 50 {
			t.Errorf("%s: median sample at percentile %v (%v), want 50", m, p, ok)
		}
	}
	// Metrics the cohort holds: genus-level ones and the species-defined M. gnavus.
	for _, m := range []string{"shannon", "simpson", "richness", "IDX-02", "sulfide", "oral", "taxon:T-11", "taxon:T-14"} {
		if len(ref.Values(m)) != 11 {
			t.Errorf("%s: %d values, want 11", m, len(ref.Values(m)))
		}
	}
	if _, err := ReferenceFromProfiles("tiny", "", profiles[:3], testDefs, true); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Errorf("3-sample cohort: %v", err)
	}
}

func TestReferenceValuesGenusBasis(t *testing.T) {
	p, counts := gutProfile(t, "S1", 1)
	c := CompositionOf(p)
	v := ReferenceValues(&c, testDefs)
	g := c.GenusBasis()
	// Shares among genus-named reads: Faecalibacterium 230 of all named
	// reads (the unclassified 40 left out).
	var named float64
	for _, x := range g.GenusCounts() {
		named += x
	}
	if want := 230 / named; math.Abs(v["taxon:T-01"]-want) > 1e-12 {
		t.Errorf("Faecalibacterium %v, want %v", v["taxon:T-01"], want)
	}
	if alpha := AlphaOf(counts, "genus"); math.Abs(v["shannon"]-alpha.Shannon) > 1e-12 {
		t.Errorf("shannon %v, alpha %v", v["shannon"], alpha.Shannon)
	}
	if want := ExpectedRichness(g.GenusCounts(), RichnessDepth); v["richness"] != want {
		t.Errorf("richness %v, want %v", v["richness"], want)
	}
	if _, ok := v["IDX-01"]; ok {
		t.Error("GMHI-like in reference values without a catalogue")
	}
}

// TestMeasureSample checks that one call gives every measure of a sample:
// the indices in the definitions' order, the taxon shares, the reference
// values, the percentiles in a reference set with its description, and the
// community type.
func TestMeasureSample(t *testing.T) {
	p, _ := gutProfile(t, "S1", 1)
	m := MeasureSample(p, testDefs, nil, nil)
	var ids []string
	for _, v := range m.Indices {
		ids = append(ids, v.ID)
	}
	if want := []string{"IDX-01", "IDX-02", "IDX-04", "taxon:T-11", "sulfide", "oral"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("indices %v, want %v", ids, want)
	}
	if len(m.TaxonShares) != len(testDefs.Taxa) || m.TaxonShares[2].ID != "taxon:T-14" {
		t.Errorf("taxon shares %+v", m.TaxonShares)
	}
	// Butyrate producers: (230 + 90) of the 1,140 reads counted at genus
	// rank, unclassified and order-only reads included.
	if v, ok := m.Index("IDX-04"); !ok || !v.Computed || !near(v.Value, 320.0/1140) {
		t.Errorf("IDX-04 %+v (%v), want %v", v, ok, 320.0/1140)
	}
	if v, ok := m.Index("taxon:T-11"); !ok || v.Name != "Pseudomonadota share" {
		t.Errorf("taxon:T-11 is not the measure's value first: %+v", v)
	}
	if _, ok := m.Index("shannon"); ok {
		t.Error("Index found a metric that is not an index")
	}
	if m.Percentiles != nil || m.Reference != nil {
		t.Errorf("percentiles %v, reference %v without a reference set", m.Percentiles, m.Reference)
	}
	if want := CommunityTypeOf(&m.Composition); !reflect.DeepEqual(m.CommunityType, want) || m.CommunityType.Type != TypeBacteroides {
		t.Errorf("community type %+v, want %+v", m.CommunityType, want)
	}

	ref, err := ReferenceFromProfiles("test cohort", "made in a test", gutCohort(t, 11), testDefs, true)
	if err != nil {
		t.Fatal(err)
	}
	m = MeasureSample(p, testDefs, nil, ref)
	if m.Reference == nil || m.Reference.Name != ref.Name() || m.Reference.Source != "made in a test" {
		t.Errorf("reference description %+v", m.Reference)
	}
	if len(m.Percentiles) == 0 {
		t.Fatal("no percentiles in a reference set")
	}
	for k, v := range m.ReferenceValues {
		want, ok := ref.Percentile(k, v)
		if got, placed := m.Percentiles[k]; placed != ok || got != want {
			t.Errorf("%s: percentile %v (%v), want %v (%v)", k, got, placed, want, ok)
		}
	}
}
