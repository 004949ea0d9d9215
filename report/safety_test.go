package report_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/internal/reporttest"
	"github.com/zonula/zonula/report/knowledge"
)

// TestCalprotectinRouting checks LAB-01 in the sample report: 250 µg/g puts
// the see-a-clinician box first, 180 µg/g is read in the summary against
// the usual cut-off, 30 µg/g only in the lab section.
func TestCalprotectinRouting(t *testing.T) {
	for _, c := range []struct {
		value      float64
		alert, sum bool
	}{{250, true, false}, {180, false, true}, {30, false, false}} {
		in := gutInput(t, adultGut)
		v := c.value
		in.Metadata = report.Metadata{Labs: report.Labs{CalprotectinUgG: &v}}
		doc := build(t, in)
		if got := len(doc.Alerts) == 1 && strings.Contains(strings.Join(doc.Alerts[0].Items, " "), "is high"); got != c.alert {
			t.Errorf("%v µg/g: alert %v, want %v (%+v)", v, got, c.alert, doc.Alerts)
		}
		_, text := summaryOf(doc)
		if got := strings.Contains(text, "Calprotectin above the usual cut-off"); got != c.sum {
			t.Errorf("%v µg/g: summary line %v, want %v", v, got, c.sum)
		}
		if all := strings.Join(texts(doc), "\n"); !strings.Contains(all, "the usual cut-off") {
			t.Errorf("%v µg/g: no reading against the cut-off", v)
		}
	}
}

// guidanceOf returns the G- IDs of the guidance section's items and the
// section's text.
func guidanceOf(doc *report.Document) (ids []string, text string) {
	for _, s := range doc.Sections {
		if s.ID != "guidance" {
			continue
		}
		for _, b := range s.Blocks {
			if c, ok := b.(*report.Callout); ok && strings.HasPrefix(c.Title, "G-") {
				ids = append(ids, strings.Fields(c.Title)[0])
			}
		}
		text = strings.Join(texts(&report.Document{Sections: []report.Section{s}}), "\n")
	}
	return ids, text
}

// TestGuidanceIsChosen checks §5a: items of the findings raised, items the
// metadata calls for, G-01 and G-06 for everyone, the diet changing what is
// said, and metrics.json's list (GuidanceIDs) the same as the report's.
func TestGuidanceIsChosen(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	months := 1.0
	for _, c := range []struct {
		name    string
		in      report.Input
		md      report.Metadata
		want    []string // the items, in order
		phrases []string // in the section
	}{
		{"bloom", reporttest.Input("b", reporttest.Bloom()), report.Metadata{},
			[]string{"G-01", "G-17", "G-06", "G-07", "G-08", "G-02", "G-03", "G-12", "G-04"},
			[]string{"Why: F-04 (enterobacteriaceae); F-03", "Popular remedies"}},
		{"healthy, antibiotics, NSAIDs, PPI", gutInput(t, adultGut), report.Metadata{AntibioticsMonthsAgo: &months, NSAIDs: true, ProtonPumpInhibitors: true},
			[]string{"G-04", "G-12", "G-17", "G-01", "G-06"},
			[]string{"antibiotics in the past three months; you take NSAIDs; you take a proton-pump inhibitor", "Acid-suppressing medicines"}},
		{"keto", gutInput(t, adultGut), report.Metadata{Diet: "keto, lots of meat"},
			[]string{"G-04", "G-01", "G-02", "G-06"},
			[]string{"You describe a diet low in carbohydrate or fibre", "You describe a diet rich in meat", "For your diet: On a low-carbohydrate diet"}},
		{"vegan", gutInput(t, adultGut), report.Metadata{Diet: "Vegan, no meat"},
			[]string{"G-04", "G-01", "G-06"},
			[]string{"You describe a plant-based diet", "For your diet: Its core", "algae-based omega-3"}},
		{"emoji", gutInput(t, adultGut), report.Metadata{Diet: "🥦"},
			[]string{"G-04", "G-01", "G-06"},
			[]string{"You describe your diet as “🥦”", "not tailored to it"}},
	} {
		in := c.in
		in.Metadata = c.md
		got, text := guidanceOf(build(t, in))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: guidance %v, want %v", c.name, got, c.want)
		}
		if ids := report.GuidanceIDs(in.Measures, c.md, kb); !slices.Equal(ids, got) {
			t.Errorf("%s: GuidanceIDs %v, report %v", c.name, ids, got)
		}
		for _, p := range c.phrases {
			if !strings.Contains(text, p) {
				t.Errorf("%s: guidance lacks %q", c.name, p)
			}
		}
		if c.name == "vegan" && strings.Contains(text, "rich in meat") {
			t.Error("vegan, no meat: read as a meat-rich diet")
		}
	}
}
