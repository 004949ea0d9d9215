package metrics

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/zonula/zonula/taxonomy"
)

// lin parses "Phylum;Class;Order;Family;Genus[;Species]" under Bacteria.
func lin(s string) taxonomy.Lineage {
	var l taxonomy.Lineage
	l[taxonomy.Domain] = "Bacteria"
	for i, n := range strings.Split(s, ";") {
		l[taxonomy.Phylum+taxonomy.Rank(i)] = n
	}
	return l
}

// profileOf builds a composition the way a reads profile looks: every rank
// from domain down to each taxon's deepest, plus unclassified reads that
// count in the total only.
func profileOf(unclassified float64, deepest taxonomy.Rank, rows map[string]float64) Composition {
	sums := map[taxonomy.Lineage]float64{}
	var total float64
	for s, n := range rows {
		l := lin(s)
		total += n
		for r := taxonomy.Domain; r <= l.Depth(); r++ {
			sums[l.Truncate(r)] += n
		}
	}
	var taxa []TaxonReads
	for l, n := range sums {
		taxa = append(taxa, TaxonReads{Rank: l.Depth(), Lineage: l, Reads: n})
	}
	return NewComposition(total+unclassified, deepest, taxa)
}

// sample: 1,000 reads, 100 of them unclassified at genus.
var sample = map[string]float64{
	"Bacteroidetes;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides":                                       400,
	"Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Faecalibacterium;Faecalibacterium prausnitzii":        200,
	"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Roseburia":                                            100,
	"Proteobacteria;Gammaproteobacteria;Enterobacteriales;Enterobacteriaceae;Escherichia":                      50,
	"Proteobacteria;Gammaproteobacteria;Enterobacteriales;Enterobacteriaceae;Klebsiella;Klebsiella pneumoniae": 30,
	"Proteobacteria;Deltaproteobacteria;Desulfovibrionales;Desulfovibrionaceae;Desulfovibrio":                  20,
	"Proteobacteria;Betaproteobacteria;Burkholderiales;Sutterellaceae;Sutterella":                              10,
	"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Ruminococcus;Ruminococcus gnavus":                     90,
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func TestShareIndices(t *testing.T) {
	c := profileOf(100, taxonomy.Species, sample)
	for _, tc := range []struct {
		name    string
		set     TaxonSet
		want    float64
		drivers []string
	}{
		// (200 + 100) / 1000; Agathobacter absent.
		{"butyrate", TaxonSet{Genera: []string{"Faecalibacterium", "Roseburia", "Agathobacter"}}, 0.3, []string{"Faecalibacterium", "Roseburia"}},
		// Proteobacteria 110 reads minus Deltaproteobacteria 20 = 90.
		{"Pseudomonadota", TaxonSet{Phyla: []string{"Pseudomonadota"}}, 0.09, []string{"Escherichia", "Klebsiella", "Sutterella"}},
		{"Desulfobacterota", TaxonSet{Phyla: []string{"Desulfobacterota"}}, 0.02, []string{"Desulfovibrio"}},
		{"Enterobacteriaceae", TaxonSet{Families: []string{"Enterobacteriaceae"}}, 0.08, []string{"Escherichia", "Klebsiella"}},
		{"gnavus", TaxonSet{Species: []string{"Mediterraneibacter gnavus|Ruminococcus gnavus"}}, 0.09, []string{"Ruminococcus gnavus"}},
		{"none", TaxonSet{Genera: []string{"Akkermansia"}}, 0, nil},
	} {
		v := IndexDef{ID: tc.name, Kind: ShareIndex, Up: tc.set}.Compute(&c, nil)
		if !v.Computed || !near(v.Value, tc.want) {
			t.Errorf("%s: %v (computed %v), want %v", tc.name, v.Value, v.Computed, tc.want)
		}
		var got []string
		for _, d := range v.Drivers {
			got = append(got, d.Taxon)
			if d.Direction != 1 {
				t.Errorf("%s: driver %s direction %d", tc.name, d.Taxon, d.Direction)
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.drivers, ",") {
			t.Errorf("%s: drivers %v, want %v (largest first)", tc.name, got, tc.drivers)
		}
		if v.Coverage != nil {
			t.Errorf("%s: coverage without a catalogue", tc.name)
		}
	}
}

func TestLogRatioIndex(t *testing.T) {
	c := profileOf(100, taxonomy.Species, sample)
	d := IndexDef{ID: "IDX-02", Kind: LogRatioIndex,
		Up:   TaxonSet{Genera: []string{"Escherichia", "Sutterella", "Fusobacterium"}},
		Down: TaxonSet{Genera: []string{"Bacteroides", "Faecalibacterium", "Akkermansia"}}}
	v := d.Compute(&c, nil)
	// ln((60/1000 + 0.5/1000) / (600/1000 + 0.5/1000)) = ln(60.5/600.5)
	if want := math.Log(60.5 / 600.5); !v.Computed || !near(v.Value, want) {
		t.Errorf("MDI-g %v, want %v", v.Value, want)
	}
	if len(v.Drivers) != 4 || v.Drivers[0].Taxon != "Bacteroides" || v.Drivers[0].Direction != -1 || v.Drivers[2].Taxon != "Escherichia" || v.Drivers[2].Direction != 1 {
		t.Errorf("drivers %+v", v.Drivers)
	}
	// Neither side present: the pseudocount keeps it finite, ln(1) = 0.
	empty := profileOf(0, taxonomy.Genus, map[string]float64{"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Blautia": 10})
	if v := d.Compute(&empty, nil); v.Value != 0 {
		t.Errorf("MDI-g with neither side %v, want 0", v.Value)
	}
	d.Pseudo = 2
	if v := d.Compute(&c, nil); !near(v.Value, math.Log(62.0/602)) {
		t.Errorf("pseudocount 2: %v", v.Value)
	}
	var none Composition
	if v := d.Compute(&none, nil); v.Computed || !math.IsNaN(v.Value) {
		t.Errorf("empty composition computed: %+v", v)
	}
}

func TestGMHI(t *testing.T) {
	c := profileOf(100, taxonomy.Species, sample)
	d := IndexDef{ID: "IDX-01", Kind: GMHIIndex, MinMapped: 2,
		Up:   TaxonSet{Species: []string{"Faecalibacterium prausnitzii", "Bifidobacterium adolescentis"}},
		Down: TaxonSet{Species: []string{"Klebsiella pneumoniae", "Mediterraneibacter gnavus|Ruminococcus gnavus", "Eggerthella lenta"}}}
	cat := NewCatalogue([]taxonomy.Lineage{
		lin("Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Faecalibacterium;Faecalibacterium prausnitzii"),
		lin("Proteobacteria;Gammaproteobacteria;Enterobacteriales;Enterobacteriaceae;Klebsiella;Klebsiella pneumoniae"),
		lin("Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Ruminococcus;[Ruminococcus] gnavus"),
	})
	v := d.Compute(&c, cat)
	// Species-named reads: 200 + 30 + 90 = 320. MH: p = 200/320, R = 1;
	// MN: p = 30/320 and 90/320, R = 2.
	h := func(p ...float64) float64 {
		var s float64
		for _, x := range p {
			s -= x * math.Log(x)
		}
		return s
	}
	mh := 1.0 / 7 * h(200.0/320)
	mn := 2.0 / 31 * h(30.0/320, 90.0/320)
	want := math.Log10((mh + 1e-5) / (mn + 1e-5))
	if !v.Computed || !near(v.Value, want) {
		t.Errorf("GMHI %v (%s), want %v", v.Value, v.Reason, want)
	}
	if v.Coverage == nil || v.Coverage.Mapped() != 3 || v.Coverage.Taxa != 5 ||
		strings.Join(v.Coverage.Missing, ",") != "Bifidobacterium adolescentis,Eggerthella lenta" {
		t.Errorf("coverage %+v", v.Coverage)
	}
	d.MinMapped = 4
	if v := d.Compute(&c, cat); v.Computed || !strings.Contains(v.Reason, "only 3 of its 5") {
		t.Errorf("computed with too few mapped species: %+v", v)
	}
	if v := d.Compute(&c, nil); v.Computed {
		t.Error("computed without a catalogue")
	}
	genusOnly := c.GenusBasis()
	if v := d.Compute(&genusOnly, cat); v.Computed || !strings.Contains(v.Reason, "species") {
		t.Errorf("computed from a genus profile: %+v", v)
	}
}

func TestCoverageAndCatalogue(t *testing.T) {
	cat := NewCatalogue([]taxonomy.Lineage{
		lin("Proteobacteria;Deltaproteobacteria;Desulfovibrionales;Desulfovibrionaceae;Desulfovibrio"),
		lin("Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Faecalibacterium"),
	})
	if !cat.Has(taxonomy.Phylum, "Desulfobacterota") || !cat.Has(taxonomy.Phylum, "Bacillota") || !cat.Has(taxonomy.Phylum, "Firmicutes") {
		t.Error("catalogue phyla are not under current names")
	}
	var none *Catalogue
	if none.Has(taxonomy.Genus, "Faecalibacterium") {
		t.Error("nil catalogue holds a name")
	}
	c := profileOf(0, taxonomy.Genus, map[string]float64{"Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Faecalibacterium": 5})
	v := IndexDef{Kind: ShareIndex, Up: TaxonSet{Genera: []string{"Faecalibacterium", "Bilophila", "Desulfovibrio"}}}.Compute(&c, cat)
	if v.Coverage.Mapped() != 2 || v.Coverage.Missing[0] != "Bilophila" || !near(v.Value, 1) {
		t.Errorf("coverage %+v value %v", v.Coverage, v.Value)
	}
	b, err := json.Marshal(v)
	if err != nil || !strings.Contains(string(b), `"missing":["Bilophila"]`) || !strings.Contains(string(b), `"value":1`) {
		t.Errorf("JSON %s %v", b, err)
	}
	v.Computed = false
	if b, _ := json.Marshal(v); !strings.Contains(string(b), `"value":null`) {
		t.Errorf("uncomputed JSON %s", b)
	}
}

func TestGenusBasis(t *testing.T) {
	c := profileOf(100, taxonomy.Species, sample)
	g := c.GenusBasis()
	if g.Reads != 900 || g.Deepest != taxonomy.Genus || len(g.At(taxonomy.Species)) != 0 {
		t.Fatalf("genus basis: reads %v, deepest %v, %d species", g.Reads, g.Deepest, len(g.At(taxonomy.Species)))
	}
	for r := taxonomy.Domain; r <= taxonomy.Genus; r++ {
		var sum float64
		for _, tx := range g.At(r) {
			sum += tx.Reads
		}
		if sum != 900 {
			t.Errorf("rank %v sums to %v, want 900", r, sum)
		}
	}
	v := IndexDef{Kind: ShareIndex, Up: TaxonSet{Phyla: []string{"Pseudomonadota"}}}.Compute(&g, nil)
	if !near(v.Value, 90.0/900) {
		t.Errorf("Pseudomonadota on genus basis %v, want 0.1", v.Value)
	}
	counts := g.GenusCounts() // Bacteroides, Faecalibacterium, Roseburia, Escherichia, Klebsiella, Desulfovibrio, Sutterella, Ruminococcus
	if len(counts) != 8 || !near(Shannon(counts), Shannon([]float64{400, 200, 100, 50, 30, 20, 10, 90})) {
		t.Errorf("genus counts %v", counts)
	}
}

func TestGenusSynonyms(t *testing.T) {
	c := profileOf(0, taxonomy.Genus, map[string]float64{
		"Proteobacteria;Gammaproteobacteria;Enterobacteriales;Enterobacteriaceae;Escherichia-Shigella": 3,
		"Bacteroidetes;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides":                           1,
	})
	cat := NewCatalogue([]taxonomy.Lineage{lin("Proteobacteria;Gammaproteobacteria;Enterobacteriales;Enterobacteriaceae;Shigella")})
	v := IndexDef{Kind: ShareIndex, Up: TaxonSet{Genera: []string{"Escherichia|Escherichia-Shigella|Shigella", "Fusobacterium"}}}.Compute(&c, cat)
	if !near(v.Value, 0.75) || v.Coverage.Taxa != 2 || strings.Join(v.Coverage.Detectable, ",") != "Escherichia|Escherichia-Shigella|Shigella" {
		t.Errorf("synonyms: value %v, coverage %+v", v.Value, v.Coverage)
	}
}
