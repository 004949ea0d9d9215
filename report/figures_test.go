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
)

// sectionFigures returns the figures of section id by figure ID, and the
// section's paragraphs joined.
func sectionFigures(doc *report.Document, id string) (map[string]*report.Figure, string) {
	figs := map[string]*report.Figure{}
	var text []string
	for _, s := range doc.Sections {
		if s.ID != id {
			continue
		}
		for _, b := range s.Blocks {
			switch b := b.(type) {
			case *report.Figure:
				figs[b.ID] = b
			case *report.Paragraph:
				text = append(text, b.Text)
			}
		}
	}
	return figs, strings.Join(text, "\n")
}

func TestPercentileGaugesFigure(t *testing.T) {
	ref, err := metrics.EmbeddedReferenceSet()
	if err != nil {
		t.Fatal(err)
	}
	in := gutInput(t, adultGut)
	in.Measures = reporttest.Measure(in.Profile, nil, ref)
	figs, _ := sectionFigures(build(t, in), "diversity")
	g := figs["percentiles"]
	if g == nil {
		t.Fatal("no percentile gauges in the diversity section")
	}
	if !strings.Contains(g.Caption, ref.Name()) || !strings.Contains(g.Caption, "descriptive only") || !strings.Contains(g.Caption, ref.Note()) {
		t.Errorf("caption does not name the set and its note: %q", g.Caption)
	}
	// The alt text carries each position, as the reference set places the
	// sample's genus-basis value (metrics.ReferenceValues, tested there).
	vals := in.Measures.ReferenceValues
	for metric, name := range map[string]string{"shannon": "Shannon diversity", "richness": "Expected genera in 200 reads", "IDX-04": "Butyrate-producer share"} {
		p, ok := ref.Percentile(metric, vals[metric])
		if !ok {
			t.Fatalf("the reference set lacks %s", metric)
		}
		if want := fmt.Sprintf("%s: percentile %.0f", name, p); !strings.Contains(g.Alt, want) {
			t.Errorf("alt text %q lacks %q", g.Alt, want)
		}
	}
	if strings.Contains(g.Alt, "GMHI") {
		t.Error("a measure without a percentile (GMHI-like, no catalogue) is on the gauges")
	}

	// A set without a note: positions described, not called descriptive only.
	figs, _ = sectionFigures(build(t, fixed(t, in, 40, true)), "diversity")
	if g := figs["percentiles"]; g == nil || strings.Contains(g.Caption, "descriptive only") || !strings.Contains(g.Alt, "Shannon diversity: percentile 40") {
		t.Errorf("gauges for a set without a note: %+v", g)
	}
	// No set: no gauges.
	in.Measures = reporttest.Measure(in.Profile, nil, nil)
	if figs, _ = sectionFigures(build(t, in), "diversity"); figs["percentiles"] != nil {
		t.Error("gauges drawn without a reference set")
	}
}

func TestRarefactionFigure(t *testing.T) {
	in := gutInput(t, adultGut)
	figs, _ := sectionFigures(build(t, in), "diversity")
	r := figs["rarefaction"]
	if r == nil {
		t.Fatal("no rarefaction curve in the diversity section")
	}
	// Independent count: reads and distinct genus lineages of the profile.
	var reads float64
	genera := map[string]bool{}
	for _, row := range adultGut {
		if parts := strings.Split(row.lineage, ";"); len(parts) >= 5 {
			reads += row.reads
			genera[strings.Join(parts[:5], ";")] = true
		}
	}
	if want := fmt.Sprintf("to %d at all %.0f genus-named reads", len(genera), reads); !strings.Contains(r.Alt, want) {
		t.Errorf("alt text %q lacks %q", r.Alt, want)
	}
	// The first point after 0 is at round(N/24) reads.
	if want := fmt.Sprintf(" at %.0f reads", math.Round(reads/24)); !strings.Contains(r.Alt, want) {
		t.Errorf("alt text %q lacks %q", r.Alt, want)
	}

	// Relative abundances: a sentence instead of a curve.
	in.Table = &report.TableSource{Path: "t.tsv", Format: "tsv", Relative: true}
	figs, text := sectionFigures(build(t, in), "diversity")
	if figs["rarefaction"] != nil || !strings.Contains(text, "No rarefaction curve is drawn: the profile holds relative abundances") {
		t.Errorf("relative table: figure %v, text %q", figs["rarefaction"] != nil, text)
	}
}

func TestCommunityTypeFinding(t *testing.T) {
	ref, err := metrics.EmbeddedReferenceSet()
	if err != nil {
		t.Fatal(err)
	}
	// adultGut: 520 Bacteroides and 230 Faecalibacterium of 1,795 reads
	// named to a genus: Bacteroides-dominated, described, not Bact2.
	in := gutInput(t, adultGut)
	in.Measures = reporttest.Measure(in.Profile, nil, ref)
	f := findings(build(t, in))["F-13"]
	if f == nil || f.Level != report.Info || f.Title != "Community type (descriptive only)" ||
		!strings.HasPrefix(f.Value, "Bacteroides-dominated (Bacteroides 29.0\u00a0%") || f.Range != report.CategoryRange || f.Barrier != "" || len(f.Guidance) != 0 {
		t.Fatalf("F-13 for a Bacteroides-led sample: %+v", f)
	}
	// Without Faecalibacterium, Bacteroides is 520/1,565 = 33 %: Bact2-like,
	// still at Info level (descriptive, never graded as abnormal).
	in = gutInput(t, adultGut, "Faecalibacterium")
	doc := build(t, fixed(t, in, 3, true)) // percentiles decide nothing about the type
	f = findings(doc)["F-13"]
	if f == nil || f.Level != report.Info || f.Title != "Community type resembles Bact2" ||
		!strings.HasPrefix(f.Value, "Bact2-like") || !strings.Contains(f.Value, "Bacteroides 33.2\u00a0%") || !strings.Contains(f.Value, "Faecalibacterium 0\u00a0%") || !strings.Contains(f.Barrier, "cell density") {
		t.Fatalf("F-13 for a Bact2-like sample: %+v", f)
	}
	// The indices table has a row for the type, without a percentile.
	found := false
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			if tb, ok := b.(*report.Table); ok && s.ID == "indices" {
				for _, r := range tb.Rows {
					if strings.Contains(r[0], "IDX-06") {
						found = r[1] == "Bact2-like" && strings.HasPrefix(r[3], "Bact2-like (Bacteroides-dominated, little Faecalibacterium): Bacteroides") && r[2] == "–" && r[5] == "C"
					}
				}
			}
		}
	}
	if !found {
		t.Error("indices table lacks a correct IDX-06 row")
	}
}

// BenchmarkBuild builds the demo-like report content (the input the
// renderers' benchmarks use).
func BenchmarkBuild(b *testing.B) {
	kb, err := knowledge.Load()
	if err != nil {
		b.Fatal(err)
	}
	in := reporttest.BenchInput(b)
	for b.Loop() {
		if _, err := report.Build(in, kb); err != nil {
			b.Fatal(err)
		}
	}
}
