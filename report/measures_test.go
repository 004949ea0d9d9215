package report_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/internal/reporttest"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
)

func TestReportWithEmbeddedReference(t *testing.T) {
	ref, err := metrics.EmbeddedReferenceSet()
	if err != nil {
		t.Fatal(err)
	}
	in := gutInput(t, adultGut)
	lineages := []taxonomy.Lineage{}
	for _, r := range adultGut {
		l := taxonomy.Lineage{"Bacteria"}
		copy(l[1:], strings.Split(r.lineage, ";"))
		lineages = append(lineages, l)
	}
	in.Measures = reporttest.Measure(in.Profile, metrics.NewCatalogue(lineages), ref)
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

// TestContextReferenceDecidesNothing checks RULE-05: a set made by another
// method neither raises nor silences a finding; the robust bounds decide.
func TestContextReferenceDecidesNothing(t *testing.T) {
	in := gutInput(t, adultGut, "Akkermansia")
	fs := findings(build(t, fixed(t, in, 97, false)))
	// F-11 has no robust bound: at most a measurement, its position context.
	if f := fs["F-11"]; f != nil && f.Level != report.Info {
		t.Errorf("F-11 raised by a set made by another method: %+v", f)
	}
	if f := fs["F-04"]; f == nil || f.Level != report.Info || !strings.Contains(f.Range, report.ContextOnly) {
		t.Errorf("F-04 with a context set: %+v", f)
	}
	// F-05a holds on zero reads alone.
	if f := fs["F-05a"]; f == nil || !strings.Contains(f.Range, "profile alone") {
		t.Errorf("F-05a: %+v", f)
	}
	if f := findings(build(t, fixed(t, in, 97, true)))["F-11"]; f == nil || f.Level != report.Attention || !strings.Contains(f.Range, "made by the same pipeline") {
		t.Errorf("F-11 with a method-matched reference set: %+v", f)
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
	in.Measures = reporttest.Measure(in.Profile, metrics.NewCatalogue(lineages), nil)
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
