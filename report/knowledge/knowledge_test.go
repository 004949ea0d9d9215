package knowledge

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/metrics"
)

// ids lists every ID the science brief (shared/science.md) defines.
func ids(prefix string, n int, extra ...string) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprintf("%s-%02d", prefix, i))
	}
	return append(out, extra...)
}

func TestLoadValidates(t *testing.T) {
	k, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	collect := func(n int, id func(int) string) []string {
		var out []string
		for i := range n {
			out = append(out, id(i))
		}
		slices.Sort(out)
		return out
	}
	findings := slices.DeleteFunc(ids("F", 14, "F-05a", "F-05b"), func(s string) bool { return s == "F-05" })
	slices.Sort(findings)
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"rules", collect(len(k.Rules), func(i int) string { return k.Rules[i].ID }), ids("RULE", 10)},
		{"indices", collect(len(k.Indices), func(i int) string { return k.Indices[i].ID }), ids("IDX", 6)},
		{"taxa", collect(len(k.Taxa), func(i int) string { return k.Taxa[i].ID }), ids("T", 19)},
		{"findings", collect(len(k.Findings), func(i int) string { return k.Findings[i].ID }), findings},
		{"guidance", collect(len(k.Guidance), func(i int) string { return k.Guidance[i].ID }), ids("G", 17)},
		{"limitations", collect(len(k.Limitations), func(i int) string { return k.Limitations[i].ID }), ids("L", 10)},
		{"labs", collect(len(k.Labs), func(i int) string { return k.Labs[i].ID }), []string{"LAB-01", "LAB-02", "LAB-03", "LAB-04", "LAB-05"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: IDs %v, want %v", c.name, c.got, c.want)
		}
	}
	if len(k.References) < 93 {
		t.Errorf("%d references; the science brief lists 93", len(k.References))
	}
	// Spot checks against the brief.
	want := map[string]string{"F-01": "C/D", "F-05a": "C", "F-05b": "D", "F-06": "A (response)/D", "F-07": "B/D", "F-14": "C"}
	for _, f := range k.Findings {
		if g, ok := want[f.ID]; ok && f.Grade != g {
			t.Errorf("%s: grade %q, want %q", f.ID, f.Grade, g)
		}
	}
	if r, _ := k.Reference("R-CAN17"); r.DOI != "10.3389/fmicb.2017.01765" {
		t.Errorf("R-CAN17 DOI %q", r.DOI)
	}
	if r, _ := k.Reference("R-LAC24"); r.DOI != "" || r.Citation == "" {
		t.Errorf("R-LAC24 (no DOI): %+v", r)
	}
}

func TestValidateCatchesProblems(t *testing.T) {
	k, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	bad := *k
	bad.Guidance = append([]Guidance{{ID: "G-99", Title: "Kombucha cures everything", Grade: "Z", Refs: []string{"R-NOPE"}}}, k.Guidance...)
	ten := 10.0
	bad.Findings = append([]Finding{
		{ID: "F-99", Label: "x", Metric: "taxon:T-42", Grade: "C", Level: "loud", Guidance: []string{"G-77"},
			When: Trigger{All: []Condition{{Metric: "IDX-04", Below: &ten, Zero: true}}}},
		{ID: "F-98", Metric: "IDX-04", Grade: "C", Refs: []string{"R-CAN17"}, Level: "info",
			Meaning: "This heals the gut", When: Trigger{}},
	}, k.Findings...)
	bad.Measures = append([]Measure{
		{Metric: "sulfide", Name: "x", Kind: "share", Taxa: []string{"T-77"}, Grade: "C", Refs: []string{"R-CAN17"}},
		{Metric: "IDX-02", Name: "x", Kind: "log-ratio", Taxa: []string{"T-01"}, Index: "IDX-99", Grade: "C", Refs: []string{"R-CAN17"}},
		{Metric: "zonulin", Name: "x", Kind: "magic", Grade: "C", Refs: []string{"R-CAN17"}},
	}, k.Measures...)
	err = bad.Validate()
	if err == nil {
		t.Fatal("Validate accepted a bad item")
	}
	for _, want := range []string{"G-99: evidence grade", "R-NOPE is not in references.json", `"cures"`,
		"F-99: no reference", "F-99: guidance G-77 is not in guidance.json", `F-99: level "loud"`,
		"F-99: condition on IDX-04 sets 2 tests", "F-99: metric taxon:T-42 names a taxon",
		"F-98: a trigger needs conditions", `"heals"`,
		"measure sulfide: taxon T-77 is not in taxa.json", "measure IDX-02: index IDX-99 is not in indices.json",
		"measure IDX-02: a log-ratio needs an up and a down side", "measure zonulin: unknown metric", `measure zonulin: unknown kind "magic"`,
		"measure sulfide: ID used twice"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error lacks %q: %v", want, err)
		}
	}
	dup := *k
	dup.Taxa = append(slices.Clone(k.Taxa), k.Taxa[0])
	if err := dup.Validate(); err == nil || !strings.Contains(err.Error(), "ID used twice") {
		t.Errorf("duplicate ID not caught: %v", err)
	}
}

func TestCheckWording(t *testing.T) {
	endings := map[string][]string{
		"cause": {"cause", "causes", "caused", "causing"}, "cure": {"cure", "cures", "cured"},
		"heal": {"heal", "heals", "healing"}, "detox": {"detox", "detoxify", "detoxification"},
		"guarantee": {"guarantee", "guaranteed"}, "fix": {"fix", "fixes", "fixed"}, "repair": {"repair", "repairs"},
	}
	for _, w := range forbiddenWords() {
		forms, ok := endings[w]
		if !ok {
			t.Errorf("no test forms for forbidden word %q", w)
		}
		for _, f := range forms {
			for _, s := range []string{"This " + f + " the lining", strings.ToUpper(f[:1]) + f[1:] + "."} {
				if CheckWording(s) == nil {
					t.Errorf("CheckWording(%q) accepted a forbidden word", s)
				}
			}
		}
	}
	for _, ok := range []string{"is associated with lower diversity; seen in people, cause not shown", "because of transit", "prefix", "fixture-free", "healthy adults"} {
		if err := CheckWording(ok); err != nil {
			t.Error(err)
		}
	}
}

// TestNoForbiddenWordsAnywhere walks every string of the knowledge base the
// report may show (all but citations, which are other people's titles).
func TestNoForbiddenWordsAnywhere(t *testing.T) {
	k, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			if err := CheckWording(v.String()); err != nil {
				t.Errorf("%s: %v", path, err)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
		case reflect.Pointer:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() && f.Type != reflect.TypeFor[[]Reference]() {
					walk(path+"."+f.Name, v.Field(i))
				}
			}
		}
	}
	walk("Knowledge", reflect.ValueOf(*k))
}

func TestIndexDefs(t *testing.T) {
	k, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range k.Measures {
		if _, ok := k.IndexDef(m.Metric); !ok {
			t.Errorf("measure %s has no definition", m.Metric)
		}
	}
	// IDX-04 is the genera of T-01 to T-05 (science.md).
	d, _ := k.IndexDef("IDX-04")
	want := []string{"Faecalibacterium", "Roseburia", "Agathobacter", "Anaerostipes", "Anaerobutyricum", "Coprococcus", "Butyricicoccus"}
	if !slices.Equal(d.Up.Genera, want) {
		t.Errorf("IDX-04 genera %v, want %v", d.Up.Genera, want)
	}
	if d, _ := k.IndexDef("taxon:T-10"); !slices.Equal(d.Up.Families, []string{"Enterobacteriaceae"}) || d.Kind != "share" {
		t.Errorf("T-10 share: %+v", d)
	}
	if d, _ := k.IndexDef("taxon:T-14"); len(d.Up.Species) != 1 || !strings.Contains(d.Up.Species[0], "|") {
		t.Errorf("T-14 species with synonyms: %+v", d.Up.Species)
	}
	if d, _ := k.IndexDef("IDX-01"); len(d.Up.Species) != 7 || len(d.Down.Species) != 43 || d.MinMapped != 25 {
		t.Errorf("IDX-01: %d + %d species, min %d; want 7 + 43, 25", len(d.Up.Species), len(d.Down.Species), d.MinMapped)
	}
	for _, m := range []string{"shannon", "IDX-06", "taxon:T-99"} {
		if _, ok := k.IndexDef(m); ok {
			t.Errorf("%s has an index definition", m)
		}
	}
}

// TestIndexDefsForMetrics checks the definitions handed to
// metrics.MeasureSample: the measures in the knowledge base's order, then
// one share per taxon, a taxon that is also a measure under the measure's
// definition.
func TestIndexDefsForMetrics(t *testing.T) {
	k, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	defs := k.IndexDefs()
	if len(defs.Measures) != len(k.Measures) || len(defs.Taxa) != len(k.Taxa) {
		t.Fatalf("%d measures and %d taxa, want %d and %d", len(defs.Measures), len(defs.Taxa), len(k.Measures), len(k.Taxa))
	}
	for i, m := range k.Measures {
		if d, _ := k.IndexDef(m.Metric); !reflect.DeepEqual(defs.Measures[i], d) {
			t.Errorf("measure %d: %+v, want %+v", i, defs.Measures[i], d)
		}
	}
	for i, x := range k.Taxa {
		if d := defs.Taxa[i]; d.ID != "taxon:"+x.ID || d.Up.Len() == 0 {
			t.Errorf("taxon %s: %+v", x.ID, d)
		}
	}
	if d, _ := k.IndexDef("taxon:T-11"); d.Name != "Pseudomonadota (Proteobacteria) share" || !slices.ContainsFunc(defs.Taxa, func(x metrics.IndexDef) bool { return reflect.DeepEqual(x, d) }) {
		t.Errorf("taxon:T-11 is not the measure's definition: %+v", d)
	}
}
