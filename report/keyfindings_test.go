package report_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/htmlout"
	"github.com/zonula/zonula/report/internal/reporttest"
)

// summaryOf returns the summary section's key-findings items and its text.
func summaryOf(doc *report.Document) (keys []string, text string) {
	s := doc.Sections[0]
	for _, b := range s.Blocks {
		if c, ok := b.(*report.Callout); ok && c.Title == "Key findings" {
			keys = c.Items
		}
	}
	return keys, strings.Join(texts(&report.Document{Sections: doc.Sections[:1]}), "\n")
}

// TestKeyFindingsOfABloom checks the bloom of reporttest.Bloom against the
// robust bounds: which findings are raised at which level, the key
// findings' order (§5a: marked first, then grade, then distance beyond the
// bound), and their sentences.
func TestKeyFindingsOfABloom(t *testing.T) {
	in := reporttest.Input("bloom", reporttest.Bloom())
	doc := build(t, in)
	levels := map[string]metrics.Level{}
	var key []string
	for _, f := range in.Measures.Findings {
		levels[f.ID] = f.Level
		if f.Key {
			key = append(key, f.ID)
		}
	}
	want := map[string]metrics.Level{"F-03": "marked", "F-04": "marked", "F-16": "marked", "F-15": "notice", "F-01": "marked", "F-09": "notice", "F-10": "notice"}
	for id, l := range want {
		if levels[id] != l {
			t.Errorf("%s: level %q, want %q (all: %v)", id, levels[id], l, levels)
		}
	}
	// F-03 (Proteobacteria) says what F-04 says of the same reads: not key.
	if wantKey := []string{"F-04", "F-01", "F-16", "F-15", "F-10"}; !slices.Equal(key, wantKey) {
		t.Errorf("key findings %v, want %v", key, wantKey)
	}
	items, text := summaryOf(doc)
	if len(items) != 5 || !strings.HasPrefix(items[0], "About 69.4\u00a0% of your bacteria belong to the E. coli family (Enterobacteriaceae); in healthy adults this family is usually under 1\u00a0% — markedly unusual (F-04).") {
		t.Errorf("key findings:\n%s", strings.Join(items, "\n"))
	}
	if !strings.Contains(items[2], "One genus, Escherichia, makes up 59.5\u00a0%") || !strings.Contains(items[1], "Bacteria able to make butyrate make up 0.2\u00a0%") {
		t.Errorf("key findings:\n%s", strings.Join(items, "\n"))
	}
	if !strings.Contains(text, "8 values in this sample are unusual compared with healthy adults (4 of them markedly)") || !strings.Contains(text, "The 5 most important are listed below") {
		t.Errorf("summary:\n%s", text)
	}
	// Each raised finding names its frame, in words and, in the HTML, as
	// data a script can read.
	f := findings(doc)["F-04"]
	if f == nil || f.Level != report.Attention || f.Frame != "RB-02" || !strings.Contains(f.Status, "level: marked") ||
		!strings.Contains(f.Range, "robust bound RB-02 (marked level)") || !strings.Contains(f.Range, "not a validated cut-off") {
		t.Errorf("F-04: %+v", f)
	}
	var b bytes.Buffer
	if err := htmlout.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="finding-F-04" data-frame="RB-02" data-level="marked"`, `id="finding-F-15" data-frame="RB-03" data-level="notice"`, `id="finding-F-05a" data-frame="profile" data-level="info"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

// TestNothingUnusual checks the summary of a healthy sample (27 genera):
// no key findings, and a sentence that says nothing is unusual; info items
// (F-14, lactobacilli at 0.3 %) are never key.
func TestNothingUnusual(t *testing.T) {
	in := gutInput(t, adultGut)
	doc := build(t, in)
	items, text := summaryOf(doc)
	if items != nil || !strings.Contains(text, "Nothing in this sample is unusual compared with healthy adults") {
		t.Errorf("key findings %v; summary:\n%s", items, text)
	}
	for _, f := range in.Measures.Findings {
		if f.Key || f.Level != metrics.LevelInfo {
			t.Errorf("healthy sample raised %+v", f)
		}
	}
}

// TestGMHIDirection checks that F-12 states which side of 0 its value is on.
func TestGMHIDirection(t *testing.T) {
	for _, v := range []float64{0.8, -0.4} {
		in := reporttest.Input("g", reporttest.GutGenera())
		m := *in.Measures
		m.Findings = []metrics.Finding{{ID: "F-12", Level: metrics.LevelInfo, Measure: "IDX-01", Value: v, Frame: metrics.FrameProfile}}
		in.Measures = &m
		f := findings(build(t, in))["F-12"]
		want := "above 0: on the side the index reads as health-like"
		if v < 0 {
			want = "below 0: on the side the index does not read as health-like"
		}
		if f == nil || !strings.Contains(f.Meaning, want) {
			t.Errorf("F-12 at %v: %+v", v, f)
		}
	}
}

// TestUnnamedGenusWarning checks the summary warning when more than 10 % of
// the reads are not named to a genus.
func TestUnnamedGenusWarning(t *testing.T) {
	g := reporttest.GutGenera()
	in := reporttest.Input("u", g) // 20 unclassified of 920: 2.2 %
	if _, text := summaryOf(build(t, in)); strings.Contains(text, "were not named to a genus") {
		t.Error("warning at 2 % unnamed")
	}
	g = append(g, reporttest.Genus{Phylum: "Firmicutes", Class: "Clostridia", Order: "Clostridiales", Family: "Lachnospiraceae", Reads: 300})
	if _, text := summaryOf(build(t, reporttest.Input("u", g))); !strings.Contains(text, "of the reads were not named to a genus") || !strings.Contains(text, "does not hold") {
		t.Errorf("no warning at 26 %% unnamed:\n%s", text)
	}
}
