package report_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/internal/reporttest"
	"github.com/zonula/zonula/report/knowledge"
)

func build(t *testing.T, in report.Input) *report.Document {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := report.Build(in, kb)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func findings(doc *report.Document) map[string]*report.Finding {
	m := map[string]*report.Finding{}
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			if f, ok := b.(*report.Finding); ok {
				m[f.ID] = f
			}
		}
	}
	return m
}

func TestSectionsInOrder(t *testing.T) {
	doc := build(t, reporttest.Input("S1", reporttest.GutGenera))
	var ids []string
	for _, s := range doc.Sections {
		ids = append(ids, s.ID)
	}
	want := []string{"summary", "quality", "composition", "diversity", "barrier", "indices", "guidance", "limitations", "references"}
	if !slices.Equal(ids, want) {
		t.Errorf("sections %v, want %v", ids, want)
	}
}

func TestFindingsFollowTheProfile(t *testing.T) {
	with := findings(build(t, reporttest.Input("S1", reporttest.GutGenera)))
	if _, ok := with["F-05a"]; ok {
		t.Error("F-05a (Akkermansia not detected) shown although Akkermansia has reads")
	}
	if f, ok := with["F-14"]; !ok || !strings.Contains(f.Value, "Lactobacillus") {
		t.Errorf("F-14 (Lactobacillus detected) missing or without its driver: %+v", f)
	}
	if f := with["IDX-04"]; f == nil || !strings.Contains(f.Value, "Faecalibacterium") || !strings.Contains(f.Value, "Roseburia") {
		t.Errorf("butyrate-producer finding lacks its drivers: %+v", f)
	}
	var noAkk []reporttest.Genus
	for _, g := range reporttest.GutGenera {
		if g.Genus != "Akkermansia" && g.Genus != "Lactobacillus" {
			noAkk = append(noAkk, g)
		}
	}
	without := findings(build(t, reporttest.Input("S2", noAkk)))
	if _, ok := without["F-05a"]; !ok {
		t.Error("F-05a missing although Akkermansia has no reads")
	}
	if _, ok := without["F-14"]; ok {
		t.Error("F-14 shown without Lactobacillus")
	}
	for id, f := range with {
		if f.Grade == "" || len(f.Refs) == 0 {
			t.Errorf("finding %s lacks a grade or references", id)
		}
	}
}

func TestEveryCitationResolves(t *testing.T) {
	doc := build(t, reporttest.Input("S1", reporttest.GutGenera))
	listed := map[string]bool{}
	for _, r := range doc.References {
		if r.Citation == "" || listed[r.Key] {
			t.Errorf("reference %s empty or listed twice", r.Key)
		}
		listed[r.Key] = true
	}
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			var refs []string
			switch v := b.(type) {
			case *report.Paragraph:
				refs = v.Refs
			case *report.Finding:
				refs = v.Refs
			case *report.Callout:
				refs = v.Refs
			}
			for _, k := range refs {
				if !listed[k] {
					t.Errorf("section %s cites %s, which is not in the reference list", s.ID, k)
				}
			}
		}
	}
	for _, must := range []string{"R-LAC24", "R-POR25", "R-GLO17", "R-MA19"} {
		if !listed[must] {
			t.Errorf("reference %s (not-a-diagnosis, compositional data, no cut-off) not cited", must)
		}
	}
}

func TestLowDepthWarning(t *testing.T) {
	small := []reporttest.Genus{{Phylum: "Firmicutes", Class: "Clostridia", Order: "Clostridiales", Family: "Ruminococcaceae", Genus: "Faecalibacterium", Reads: 100}}
	doc := build(t, reporttest.Input("S3", small))
	found := false
	for _, b := range doc.Sections[1].Blocks {
		if c, ok := b.(*report.Callout); ok && strings.Contains(c.Title, "Low read depth") {
			found = true
		}
	}
	if !found {
		t.Error("no low-depth warning for 120 reads")
	}
}

func TestNoFirmicutesBacteroidetesRatioValue(t *testing.T) {
	doc := build(t, reporttest.Input("S1", reporttest.GutGenera))
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			if tb, ok := b.(*report.Table); ok {
				for _, row := range tb.Rows {
					if strings.Contains(strings.ToLower(row[0]), "ratio") {
						t.Errorf("a ratio row is shown: %v (IDX-05: do not interpret the F/B ratio)", row)
					}
				}
			}
		}
	}
}

func TestUserTextIsNotChecked(t *testing.T) {
	// A sample named with a forbidden word must still build: only zonula's
	// own text is held to the wording rules.
	build(t, reporttest.Input("cures-detox <script>alert(1)</script>", reporttest.GutGenera))
}
