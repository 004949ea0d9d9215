package report_test

import (
	"bytes"
	"html"
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/htmlout"
	"github.com/zonula/zonula/report/internal/reporttest"
)

// TestCompareHTML checks the before/after report as HTML: every section,
// user text escaped, no claim of a normal range, every cited reference listed.
func TestCompareHTML(t *testing.T) {
	doc := reporttest.CompareDocument(t)
	var b bytes.Buffer
	if err := htmlout.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, s := range doc.Sections {
		if !strings.Contains(page, ">"+html.EscapeString(s.Title)+"<") {
			t.Errorf("no section %q", s.Title)
		}
	}
	if strings.Contains(page, reporttest.Evil) || !strings.Contains(page, html.EscapeString(reporttest.Evil)) {
		t.Error("sample name not escaped")
	}
	for _, s := range []string{"No normal range for change is claimed", "R-PAL18", "R-DAV14", "read-sampling noise"} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if strings.Contains(strings.ToLower(page), "within normal variation.") && !strings.Contains(page, "does not say whether this change is within normal variation") {
		t.Error("the report claims a normal range")
	}
	if len(doc.References) < 5 {
		t.Errorf("%d references", len(doc.References))
	}
}

// TestCohortDocument checks the cohort report's content: the hand-made
// groups differ in Akkermansia, which is near the head of the differential table.
func TestCohortDocument(t *testing.T) {
	doc := reporttest.CohortDocument(t)
	// Every genus's share moves with Akkermansia's (shares are relative),
	// and the hand-made samples have little noise, so another genus's q can
	// be as small; Akkermansia has the largest effect and is near the top.
	var top []string
	for _, s := range doc.Sections {
		for _, blk := range s.Blocks {
			if tb, ok := blk.(*report.Table); ok && s.ID == "differential" && len(tb.Rows) > 1 {
				top = []string{tb.Rows[0][0], tb.Rows[1][0]}
			}
		}
	}
	if !slices.Contains(top, "Akkermansia") {
		t.Fatalf("first genera of the differential table %q, want Akkermansia", top)
	}
	var b bytes.Buffer
	if err := htmlout.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	i := strings.Index(page, "Genera that differ between groups")
	if i < 0 || !strings.Contains(page[i:], "<td>Akkermansia</td>") {
		t.Error("Akkermansia not in the differential table")
	}
	if strings.Contains(page, reporttest.EvilGroup) {
		t.Error("group name not escaped")
	}
}

// TestCompareSafetyBox checks that the before/after report carries the
// sample report's see-a-clinician box: the list on its first page always,
// and, with warning signs in the metadata, the alert before everything.
func TestCompareSafetyBox(t *testing.T) {
	has := func(doc *report.Document) bool {
		for _, b := range doc.Sections[0].Blocks {
			if c, ok := b.(*report.Callout); ok && strings.HasPrefix(c.Title, "See a clinician, whatever this report shows") {
				return true
			}
		}
		return false
	}
	plain := reporttest.CompareDocument(t)
	if !has(plain) || len(plain.Alerts) != 0 {
		t.Errorf("compare report without metadata: box %v, alerts %d", has(plain), len(plain.Alerts))
	}
	age, calpro := 57.0, 120.0
	doc := reporttest.CompareDocumentWith(t, report.Metadata{Age: &age, Symptoms: []string{"blood when I wipe"}, Labs: report.Labs{CalprotectinUgG: &calpro}})
	if len(doc.Alerts) != 1 || doc.Alerts[0].Level != report.Urgent {
		t.Fatalf("alerts %+v", doc.Alerts)
	}
	items := strings.Join(doc.Alerts[0].Items, "\n")
	for _, want := range []string{"“blood when I wipe”", "At 57", "NICE NG12", "120 µg/g is above 50 µg/g"} {
		if !strings.Contains(items, want) {
			t.Errorf("alert lacks %q:\n%s", want, items)
		}
	}
}
