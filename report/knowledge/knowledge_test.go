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
	findings := slices.DeleteFunc(ids("F", 16, "F-05a", "F-05b"), func(s string) bool { return s == "F-05" })
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
		{"bounds", slices.Compact(collect(len(k.Bounds.Bounds), func(i int) string { return k.Bounds.Bounds[i].ID })), ids("RB", 12)},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: IDs %v, want %v", c.name, c.got, c.want)
		}
	}
	if len(k.References) < 99 {
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
			When: metrics.Trigger{All: []metrics.Condition{{Metric: "IDX-04", Below: &ten, Zero: true}}}},
		{ID: "F-98", Metric: "IDX-04", Grade: "C", Refs: []string{"R-CAN17"}, Level: "info",
			Meaning: "This heals the gut", When: metrics.Trigger{}},
	}, k.Findings...)
	bad.Measures = append([]Measure{
		{Metric: "sulfide", Name: "x", Kind: "share", Taxa: []string{"T-77"}, Grade: "C", Refs: []string{"R-CAN17"}},
		{Metric: "IDX-02", Name: "x", Kind: "log-ratio", Taxa: []string{"T-01"}, Index: "IDX-99", Grade: "C", Refs: []string{"R-CAN17"}},
		{Metric: "zonulin", Name: "x", Kind: "magic", Grade: "C", Refs: []string{"R-CAN17"}},
	}, k.Measures...)
	bad.Bounds.Bounds = append([]Bound{
		{ID: "RB-99", Metric: "zonulin", Notice: "about 5", Basis: "b", Healthy: "h", Refs: []string{"R-YAT12"}},
		{ID: "RB-98", Metric: "oral", Notice: "> 5 %", Marked: "> 1 %", Basis: "b", Healthy: "h", Refs: []string{"R-YAT12"}},
		{ID: "RB-97", Metric: "oral", Notice: "= 0", Refs: []string{"R-YAT12"}},
	}, k.Bounds.Bounds...)
	bad.Findings[0].Bounds = []string{"RB-42"}
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
		"measure sulfide: ID used twice", "RB-99 zonulin: unknown metric", `RB-99 zonulin: threshold "about 5"`,
		`RB-98 oral: marked threshold "> 1 %" is not beyond notice`, "RB-97 oral: a notice threshold must be",
		"RB-97 oral: no basis or healthy figure", "F-99: bound RB-42 is not in bounds.json"} {
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

// TestBounds checks bounds.json against science.md §5a: thresholds, the
// finding each feeds and the frames' data.
func TestBounds(t *testing.T) {
	k, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if k.Bounds.Version == "" {
		t.Error("bounds.json has no version")
	}
	set := k.BoundSet()
	if len(set.Bounds) != len(k.Bounds.Bounds) {
		t.Fatalf("%d of %d bounds parse", len(set.Bounds), len(k.Bounds.Bounds))
	}
	want := map[string][3]string{ // metric, notice, marked (science.md §5a)
		"RB-01": {"taxon:T-11", "> 10 %", "> 25 %"}, "RB-02": {"taxon:T-10", "> 5 %", "> 20 %"},
		"RB-03": {"enterococcus", "> 1 %", "> 10 %"}, "RB-05": {"dominant", ">= 30 %", ">= 50 %"},
		"RB-06": {"IDX-04", "< 1 %", "< 0.2 %"}, "RB-07": {"taxon:T-01", "< 0.2 %", "= 0"},
		"RB-08": {"shannon-groups", "< 1.5", "< 1.0"}, "RB-09": {"rarefied-genera", "< 15", "< 8"},
		"RB-10": {"sulfide", "> 3 %", "> 10 %"}, "RB-11": {"taxon:T-14", "> 5 %", "> 15 %"},
		"RB-12": {"taxon:T-09", ">= 0.1 %", ""},
	}
	for id, w := range want {
		b, ok := k.BoundRow(id, w[0])
		if !ok || b.Notice != w[1] || b.Marked != w[2] {
			t.Errorf("%s: %+v, want %v", id, b, w)
		}
	}
	if r := set.Rows("RB-04"); len(r) != 2 || r[1].Metric != "taxon:T-15" || r[1].Notice.Value != 0.001 || r[1].Marked != nil {
		t.Errorf("RB-04 rows: %+v", r)
	}
	if r := set.Rows("RB-12"); len(r) != 1 || !r[0].Info {
		t.Errorf("RB-12 must raise info only: %+v", r)
	}
	feeds := map[string][]string{"F-01": {"RB-06"}, "F-02": {"RB-07"}, "F-03": {"RB-01"}, "F-04": {"RB-02"}, "F-07": {"RB-10"},
		"F-08": {"RB-11"}, "F-09": {"RB-04"}, "F-10": {"RB-08", "RB-09"}, "F-14": {"RB-12"}, "F-15": {"RB-03"}, "F-16": {"RB-05"}}
	for _, f := range k.Findings {
		if !slices.Equal(f.Bounds, feeds[f.ID]) {
			t.Errorf("%s fed by %v, want %v", f.ID, f.Bounds, feeds[f.ID])
		}
	}
	rules := k.IndexDefs().Findings
	if i := slices.IndexFunc(rules, func(r metrics.FindingRule) bool { return r.ID == "F-10" }); len(rules) != len(k.Findings) || i < 0 || rules[i].Level != metrics.LevelMarked {
		t.Errorf("finding rules handed to metrics: %d rules, F-10 at %d", len(rules), i)
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
