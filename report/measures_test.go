package report_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
)

// cohort returns n variants of adultGut: sample i has its Faecalibacterium
// reads scaled by (i+1)/n·2, so the butyrate share rises with i.
func cohort(t *testing.T, n int) []*tables.Profile {
	t.Helper()
	var out []*tables.Profile
	for i := range n {
		rows := make([]taxon, len(adultGut))
		copy(rows, adultGut)
		for j, r := range rows {
			if strings.HasSuffix(r.lineage, ";Faecalibacterium") {
				rows[j].reads = math.Round(r.reads * 2 * float64(i+1) / float64(n))
			}
		}
		in := gutInput(t, rows)
		in.Profile.Sample = fmt.Sprintf("C%02d", i)
		out = append(out, in.Profile)
	}
	return out
}

func TestReferenceFromProfiles(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	profiles := cohort(t, 11)
	ref, err := report.ReferenceFromProfiles("test cohort", "made in a test", profiles, kb)
	if err != nil {
		t.Fatal(err)
	}
	if ref.N() != 11 || ref.Name() != "test cohort (n = 11)" {
		t.Errorf("reference %q n %d", ref.Name(), ref.N())
	}
	// The middle sample (index 5 of 11) is the median of the butyrate share
	// and the Faecalibacterium share: percentile 100·(5 + ½)/11 = 50.
	c := report.CompositionOf(profiles[5])
	vals := report.ReferenceValues(&c, kb)
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
	if _, err := report.ReferenceFromProfiles("tiny", "", profiles[:3], kb); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Errorf("3-sample cohort: %v", err)
	}
}

func TestReferenceValuesGenusBasis(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	in := gutInput(t, adultGut)
	c := report.CompositionOf(in.Profile)
	v := report.ReferenceValues(&c, kb)
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
	if math.Abs(v["shannon"]-in.Alpha.Shannon) > 1e-12 {
		t.Errorf("shannon %v, alpha %v", v["shannon"], in.Alpha.Shannon)
	}
	if want := metrics.ExpectedRichness(g.GenusCounts(), report.RichnessDepth); v["richness"] != want {
		t.Errorf("richness %v, want %v", v["richness"], want)
	}
	if _, ok := v["IDX-01"]; ok {
		t.Error("GMHI-like in reference values without a catalogue")
	}
}

func TestReportWithEmbeddedReference(t *testing.T) {
	ref, err := metrics.EmbeddedReferenceSet()
	if err != nil {
		t.Fatal(err)
	}
	in := gutInput(t, adultGut)
	in.Percentiles = ref
	lineages := []taxonomy.Lineage{}
	for _, r := range adultGut {
		l := taxonomy.Lineage{"Bacteria"}
		copy(l[1:], strings.Split(r.lineage, ";"))
		lineages = append(lineages, l)
	}
	in.Catalogue = metrics.NewCatalogue(lineages)
	doc := build(t, in)
	var div, idx string
	for _, s := range doc.Sections {
		var text []string
		for _, b := range s.Blocks {
			switch v := b.(type) {
			case *report.Paragraph:
				text = append(text, v.Text)
			case *report.Table:
				for _, r := range v.Rows {
					text = append(text, strings.Join(r, " | "))
				}
			}
		}
		switch s.ID {
		case "diversity":
			div = strings.Join(text, "\n")
		case "indices":
			idx = strings.Join(text, "\n")
		}
	}
	if !strings.Contains(div, ref.Name()) || !strings.Contains(div, "LGPL-3") {
		t.Errorf("diversity section does not name the reference set:\n%s", div)
	}
	p, _ := ref.Percentile("shannon", in.Alpha.Shannon)
	if row := fmt.Sprintf("Shannon (natural log) | %.3f | %.0f |", in.Alpha.Shannon, p); !strings.Contains(div, row) {
		t.Errorf("diversity table lacks %q:\n%s", row, div)
	}
	if !strings.Contains(idx, "Butyrate-producer share") || !strings.Contains(idx, "GMHI-like") || !strings.Contains(idx, "only ") {
		t.Errorf("indices section:\n%s", idx)
	}
	if f := findings(doc)["F-12"]; f != nil {
		t.Errorf("F-12 shown although only some GMHI species are in this catalogue: %+v", f)
	}
	// Findings with a reference set name it in their range.
	f := findings(doc)["F-01"]
	if f == nil || !strings.Contains(f.Range, "Percentile") || !strings.Contains(f.Range, "lean women") {
		t.Errorf("F-01 range: %+v", f)
	}
}

// rough is a pretend reference set at percentile 97 for every metric, with
// a note saying its positions are rough.
type rough struct{ fixed }

func (rough) Note() string { return "This set was made by another method." }

func TestRoughReferenceDecidesNothing(t *testing.T) {
	in := gutInput(t, adultGut, "Akkermansia")
	in.Percentiles = rough{fixed(97)}
	fs := findings(build(t, in))
	// A percentile in a set made by another method decides nothing: F-11
	// is at most a measurement, naming the set's note.
	if f := fs["F-11"]; f != nil && (f.Level != report.Info || !strings.Contains(f.Range, "another method") || !strings.Contains(f.Range, report.RoughReference)) {
		t.Errorf("F-11 with a rough reference set: %+v", f)
	}
	// F-05a holds on zero reads alone: no note.
	if f := fs["F-05a"]; f == nil || strings.Contains(f.Range, "another method") {
		t.Errorf("F-05a: %+v", f)
	}
	in.Percentiles = fixed(97)
	if f := findings(build(t, in))["F-11"]; f == nil || f.Level != report.Attention {
		t.Errorf("F-11 with a plain reference set: %+v", f)
	}
}

func TestGMHIFinding(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	d, ok := kb.IndexDef("IDX-01")
	if !ok || len(d.Up.Species) != 7 || len(d.Down.Species) != 43 {
		t.Fatalf("IDX-01 definition: %+v", d)
	}
	// A database holding 30 of the 50 species (first name of each entry).
	var lineages []taxonomy.Lineage
	for _, s := range append(append([]string{}, d.Up.Species...), d.Down.Species...)[:30] {
		name := strings.Split(s, "|")[0]
		lineages = append(lineages, taxonomy.Lineage{"Bacteria", "P", "C", "O", "F", strings.Fields(name)[0], name})
	}
	rows := append([]taxon{}, adultGut...)
	rows = append(rows, taxon{"Actinobacteria;Actinobacteria;Bifidobacteriales;Bifidobacteriaceae;Bifidobacterium;Bifidobacterium adolescentis", 40})
	in := gutInput(t, rows)
	in.Catalogue = metrics.NewCatalogue(lineages)
	f := findings(build(t, in))["F-12"]
	if f == nil || !strings.Contains(f.Value, "30 of 50 species mapped to the database") {
		t.Fatalf("F-12: %+v", f)
	}
	// Species-named reads: B. adolescentis 40 and R. gnavus 25 (both in the
	// lists): MH = 1/7·H(40/65), MN = 1/31·H(25/65).
	h := func(p float64) float64 { return -p * math.Log(p) }
	want := math.Log10((h(40.0/65)/7 + 1e-5) / (h(25.0/65)/31 + 1e-5))
	if !strings.HasPrefix(f.Value, fmt.Sprintf("%.2f", want)) {
		t.Errorf("F-12 value %q, want %.2f", f.Value, want)
	}
}
