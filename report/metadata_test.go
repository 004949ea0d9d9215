package report_test

import (
	"strings"
	"testing"

	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/internal/reporttest"
)

func TestReadMetadata(t *testing.T) {
	yamlIn := "age: 58\nsex: female\nsymptoms: [bloating, blood in stool]\nnew_symptoms: true\nantibiotics_months_ago: 1\ntransit_days: 4\nlabs:\n  calprotectin_ug_g: 180\n  zonulin: 45\n  zonulin_unit: ng/mL\n"
	jsonIn := `{"age": 58, "sex": "female", "symptoms": ["bloating", "blood in stool"], "new_symptoms": true, "antibiotics_months_ago": 1, "transit_days": 4, "labs": {"calprotectin_ug_g": 180, "zonulin": 45, "zonulin_unit": "ng/mL"}}`
	for name, in := range map[string]string{"m.yaml": yamlIn, "m.json": jsonIn} {
		m, err := report.ReadMetadata(strings.NewReader(in), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if *m.Age != 58 || *m.Labs.CalprotectinUgG != 180 || m.Labs.ZonulinUnit != "ng/mL" || len(m.Symptoms) != 2 {
			t.Errorf("%s: %+v", name, m)
		}
		flags := m.RedFlagsFound()
		if len(flags) != 2 || !strings.Contains(flags[0], "you wrote: “blood in stool”") || !strings.Contains(flags[1], "after the age of 50") {
			t.Errorf("%s: red flags %v", name, flags)
		}
	}
	for _, bad := range []struct{ in, want string }{
		{"agee: 40\n", "agee"},
		{`{"age": 40, "colour": "blue"}`, "colour"},
		{"age: 400\n", "age 400 is outside"},
		{"labs:\n  calprotectin_ug_g: -3\n", "calprotectin"},
		{"age: [1, 2]\n", "m.yaml"},
	} {
		if _, err := report.ReadMetadata(strings.NewReader(bad.in), "m.yaml"); err == nil || !strings.Contains(err.Error(), bad.want) || !strings.Contains(err.Error(), "m.yaml") {
			t.Errorf("ReadMetadata(%q) error %v, want one naming m.yaml and %q", bad.in, err, bad.want)
		}
	}
}

func TestMetadataShapesTheReport(t *testing.T) {
	in := reporttest.Input("S1", reporttest.GutGenera())
	age, months, transit, calpro, zon := 58.0, 1.0, 4.0, 180.0, 45.0
	in.Metadata = report.Metadata{Age: &age, Symptoms: []string{"bloating", "blood in stool"}, AntibioticsMonthsAgo: &months, TransitDays: &transit,
		Labs: report.Labs{CalprotectinUgG: &calpro, Zonulin: &zon}}
	doc := build(t, in)
	if len(doc.Alerts) != 1 || doc.Alerts[0].Level != report.Urgent || !strings.Contains(doc.Alerts[0].Items[0], "“blood in stool”") {
		t.Fatalf("red-flag alert missing or wrong: %+v", doc.Alerts)
	}
	var ids []string
	for _, s := range doc.Sections {
		ids = append(ids, s.ID)
	}
	if !strings.Contains(strings.Join(ids, ","), "indices,labs,guidance") {
		t.Errorf("lab markers not between indices and guidance: %v", ids)
	}
	text := documentText(doc)
	for _, want := range []string{"180 µg/g", "Not interpreted: current tests do not reliably measure zonulin", "does not attribute them to the bacteria", "Recent antibiotics", "travelled 4 days unrefrigerated"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Without metadata: no alert, no labs section.
	plain := build(t, reporttest.Input("S1", reporttest.GutGenera()))
	if len(plain.Alerts) != 0 {
		t.Errorf("alerts without metadata: %+v", plain.Alerts)
	}
	for _, s := range plain.Sections {
		if s.ID == "labs" {
			t.Error("labs section without lab results")
		}
	}
}

func documentText(doc *report.Document) string {
	var b strings.Builder
	for _, s := range doc.Sections {
		for _, blk := range s.Blocks {
			switch v := blk.(type) {
			case *report.Paragraph:
				b.WriteString(v.Text + "\n")
			case *report.Callout:
				b.WriteString(v.Title + "\n" + v.Text + "\n")
			case *report.Finding:
				b.WriteString(v.Title + "\n" + v.Meaning + "\n")
			}
		}
	}
	return b.String()
}
