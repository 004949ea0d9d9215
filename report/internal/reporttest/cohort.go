package reporttest

import (
	"math"
	"testing"

	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
)

// EvilGroup is a cohort group name that must come out as text.
const EvilGroup = `<b>"low" & 'fibre'</b>`

// Profile returns the profile of genera, named sample.
func Profile(sample string, genera []Genus) *tables.Profile {
	b := tables.NewBuilder(sample)
	for _, g := range genera {
		b.Add(taxonomy.Lineage{"Bacteria", g.Phylum, g.Class, g.Order, g.Family, g.Genus}, g.Reads)
	}
	return b.Profile()
}

// scaled returns genera with genus name's reads multiplied by f and every
// genus's reads shifted by i (so samples of a group differ a little).
func scaled(name string, f float64, i int) []Genus {
	out := make([]Genus, len(GutGenera()))
	for k, g := range GutGenera() {
		g.Reads += float64((i*7+k*3)%11) * 2
		if g.Genus == name {
			g.Reads = math.Round(g.Reads * f)
		}
		out[k] = g
	}
	return out
}

// CohortDocument returns a cohort report of eight hand-made samples in two
// groups, one named EvilGroup, that differ in Akkermansia; the first sample
// is named Evil, the second's name holds Unicode.
func CohortDocument(t testing.TB) *report.Document {
	t.Helper()
	var samples []cohort.Sample
	var entries []cohort.GroupEntry
	for i := range 8 {
		name, group, f := "high"+string(rune('1'+i)), "high", 8.0
		if i >= 4 {
			name, group, f = "low"+string(rune('1'+i)), EvilGroup, 0.1
		}
		switch i {
		case 0:
			name = Evil
		case 1:
			name += " " + Unicode
		}
		samples = append(samples, cohort.Sample{Name: name, Source: name + ".tsv", Profile: Profile(name, scaled("Akkermansia", f, i))})
		entries = append(entries, cohort.GroupEntry{Sample: name, Group: group, Line: i + 1})
	}
	r, err := cohort.Analyze(samples, &cohort.Groups{File: "groups.tsv", Entries: entries}, cohort.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := report.BuildCohort(report.CohortInput{Provenance: Document().Provenance, Result: r, GroupsFile: "groups.tsv"}, kb)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// compareSample is a sample of a comparison, measured.
func compareSample(name, source string, p *tables.Profile) report.CompareSample {
	return report.CompareSample{Name: name, Source: source, Profile: p, Measures: Measure(p, nil, nil)}
}

// CompareDocument returns a before/after report of two hand-made samples,
// the first named Evil, the second with ten times the Faecalibacterium.
func CompareDocument(t testing.TB) *report.Document {
	t.Helper()
	return CompareDocumentWith(t, report.Metadata{})
}

// CompareDocumentWith is CompareDocument with the person's metadata md.
func CompareDocumentWith(t testing.TB, md report.Metadata) *report.Document {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	before, after := Profile(Evil, GutGenera()), Profile("after", scaled("Faecalibacterium", 10, 0))
	c, err := cohort.Compare(before, after, 1)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := report.BuildCompare(report.CompareInput{
		Provenance: Document().Provenance,
		Before:     compareSample(Evil, "before/abundance.tsv", before),
		After:      compareSample("after "+Unicode, "after.tsv", after),
		Comparison: c,
		Metadata:   md,
	}, kb)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
