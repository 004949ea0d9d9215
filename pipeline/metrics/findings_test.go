package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/tables"
)

func TestParseThreshold(t *testing.T) {
	for _, c := range []struct {
		in    string
		op    string
		value float64
	}{
		{"> 5 %", ">", 0.05}, {"<0.2%", "<", 0.002}, {">= 30 %", ">=", 0.3}, {"< 1.5", "<", 1.5}, {"= 0", "=", 0}, {"<= 8", "<=", 8},
	} {
		th, err := ParseThreshold(c.in)
		if err != nil || th.Op != c.op || !near(th.Value, c.value) {
			t.Errorf("ParseThreshold(%q) = %+v, %v; want %s %v", c.in, th, err, c.op, c.value)
		}
	}
	for _, bad := range []string{"5 %", "> five", "> NaN", "", "~ 3"} {
		if _, err := ParseThreshold(bad); err == nil {
			t.Errorf("ParseThreshold(%q) accepted", bad)
		}
	}
	if th := (Threshold{Op: ">=", Value: 0.3}); !th.Holds(0.3) || th.Holds(0.29) || !th.Above() || th.Holds(math.NaN()) {
		t.Errorf("%+v holds wrongly", th)
	}
}

// TestQuantile compares ReferenceSet.Quantile with R 4.2.2:
// quantile(c(0.1, 0.5, 0.2, 0.9, 0.05), c(0.1, 0.9, 0.25), type = 7),
// printed with digits = 17: 0.070000000000000007, 0.73999999999999988,
// 0.10000000000000001.
func TestQuantile(t *testing.T) {
	var rows []map[string]float64
	var names []string
	for i, v := range []float64{0.1, 0.5, 0.2, 0.9, 0.05} {
		rows = append(rows, map[string]float64{"x": v})
		names = append(names, fmt.Sprint(i))
	}
	rs, err := NewReferenceSet(ReferenceMeta{Name: "q"}, names, rows)
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[float64]float64{0.1: 0.070000000000000007, 0.9: 0.73999999999999988, 0.25: 0.10000000000000001, 0: 0.05, 1: 0.9} {
		if got := rs.Quantile("x", q); math.Abs(got-want) > 1e-15 {
			t.Errorf("Quantile(%v) = %.17g, want %.17g", q, got, want)
		}
	}
	if !math.IsNaN(rs.Quantile("y", 0.5)) || !math.IsNaN(rs.Quantile("x", 1.5)) {
		t.Error("Quantile of a missing metric or q > 1 is not NaN")
	}
}

// findingDefs are testDefs with rules of the knowledge base's three kinds:
// a percentile rule with a bound (F-04 on Enterobacteriaceae, RB-02), a
// profile rule (F-05a: no Akkermansia), bound-only rules (F-14 at info
// level, RB-12; F-02 with a marked level at zero in deep samples, RB-07)
// and a percentile rule without a bound (F-06).
func findingDefs() IndexDefs {
	ninety, ten := 90.0, 10.0
	th := func(s string) Threshold {
		x, err := ParseThreshold(s)
		if err != nil {
			panic(err)
		}
		return x
	}
	marked := func(s string) *Threshold { x := th(s); return &x }
	d := testDefs
	d.Taxa = append([]IndexDef{
		{ID: "taxon:T-10", Kind: ShareIndex, Up: TaxonSet{Families: []string{"Enterobacteriaceae"}}},
		{ID: "taxon:T-07", Kind: ShareIndex, Up: TaxonSet{Genera: []string{"Akkermansia"}}},
		{ID: "taxon:T-08", Kind: ShareIndex, Up: TaxonSet{Genera: []string{"Bifidobacterium"}}},
		{ID: "taxon:T-09", Kind: ShareIndex, Up: TaxonSet{Genera: []string{"Lactobacillus"}}},
	}, d.Taxa...)
	d.Findings = []FindingRule{
		{ID: "F-02", Metric: "taxon:T-01", Bounds: []string{"RB-07"}, Grade: "C/D", Level: LevelNotice},
		{ID: "F-04", Metric: "taxon:T-10", When: Trigger{All: []Condition{{Metric: "taxon:T-10", Above: &ninety}}}, Bounds: []string{"RB-02"},
			Level: LevelNotice, Grade: "C/D", Guidance: []string{"G-01", "G-17"}},
		{ID: "F-05a", Metric: "taxon:T-07", When: Trigger{All: []Condition{{Metric: "taxon:T-07", Zero: true}}}, Level: LevelInfo, Grade: "C"},
		{ID: "F-06", Metric: "taxon:T-08", When: Trigger{All: []Condition{{Metric: "taxon:T-08", Below: &ten}}}, Level: LevelNotice, Grade: "A/D"},
		{ID: "F-14", Metric: "taxon:T-09", Bounds: []string{"RB-12"}, Level: LevelInfo, Grade: "C"},
	}
	d.Bounds = &BoundSet{Version: "test", Bounds: []Bound{
		{ID: "RB-02", Metric: "taxon:T-10", Notice: th("> 5 %"), Marked: marked("> 20 %")},
		{ID: "RB-07", Metric: "taxon:T-01", Notice: th("< 0.2 %"), Marked: marked("= 0"), MarkedMinReads: 5000},
		{ID: "RB-12", Metric: "taxon:T-09", Notice: th(">= 0.1 %"), Info: true},
	}}
	return d
}

// bloom is a profile of n reads: ecoli of them Escherichia, lacto
// Lactobacillus, faecali Faecalibacterium, the rest Bacteroides.
func bloom(t *testing.T, name string, n, ecoli, lacto, faecali float64) *tables.Profile {
	t.Helper()
	b := tables.NewBuilder(name)
	for _, r := range []struct {
		l string
		n float64
	}{
		{"Proteobacteria;Gammaproteobacteria;Enterobacteriales;Enterobacteriaceae;Escherichia", ecoli},
		{"Firmicutes;Bacilli;Lactobacillales;Lactobacillaceae;Lactobacillus", lacto},
		{"Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Faecalibacterium", faecali},
		{"Bacteroidetes;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides", n - ecoli - lacto - faecali},
	} {
		if r.n > 0 {
			if err := b.Add(lin(r.l), r.n); err != nil {
				t.Fatal(err)
			}
		}
	}
	return b.Profile()
}

// cohortOf returns a reference set of 20 profiles made by bloom with
// Escherichia at 0.5 %, 1 %, … 10 % of 1,000 reads.
func cohortOf(t *testing.T, defs IndexDefs, matched bool) *ReferenceSet {
	t.Helper()
	var ps []*tables.Profile
	for i := range 20 {
		ps = append(ps, bloom(t, fmt.Sprintf("R%02d", i), 1000, float64(5*(i+1)), 0, 100))
	}
	ref, err := ReferenceFromProfiles("test cohort", "made in a test", ps, defs, matched)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func findingByID(fs []Finding, id string) (Finding, bool) {
	i := slices.IndexFunc(fs, func(f Finding) bool { return f.ID == id })
	if i < 0 {
		return Finding{}, false
	}
	return fs[i], true
}

// TestFindingFrames checks RULE-05: without a matched reference set the
// robust bounds decide; a set made by another method neither raises nor
// silences; a matched set decides by its percentiles, except that a value
// beyond a bound's marked level is marked whatever the set says.
func TestFindingFrames(t *testing.T) {
	defs := findingDefs()
	for _, c := range []struct {
		name   string
		ecoli  float64 // of 10,000 reads
		ref    *ReferenceSet
		frame  string
		level  Level
		raised bool
	}{
		{"15 %, no reference set", 1500, nil, "RB-02", LevelNotice, true},
		{"15 %, set made by another method", 1500, cohortOf(t, defs, false), "RB-02", LevelNotice, true},
		{"15 %, method-matched set", 1500, cohortOf(t, defs, true), "reference:test cohort", LevelNotice, true},
		{"70 %, method-matched set", 7000, cohortOf(t, defs, true), "RB-02", LevelMarked, true},
		{"3 %, method-matched set", 300, cohortOf(t, defs, true), "", "", false},
		{"3 %, no reference set", 300, nil, "", "", false},
	} {
		p := bloom(t, "bloom", 10000, c.ecoli, 5, 30) // 0.05 % Lactobacillus, 0.3 % Faecalibacterium
		m := MeasureSample(p, defs, nil, c.ref)
		f, ok := findingByID(m.Findings, "F-04")
		if ok != c.raised || ok && (f.Frame != c.frame || f.Level != c.level || !f.Above || !f.Key) {
			t.Errorf("%s: F-04 %+v (%v), want frame %q level %q", c.name, f, ok, c.frame, c.level)
			continue
		}
		switch {
		case !ok:
		case f.Frame == "RB-02":
			if !near(f.Value, c.ecoli/10000) || !math.IsNaN(f.Percentile) || f.Driver != "Escherichia" || !near(f.Distance, c.ecoli/10000/0.05) {
				t.Errorf("%s: F-04 %+v", c.name, f)
			}
			if want := map[Level]float64{LevelNotice: 0.05, LevelMarked: 0.2}[f.Level]; f.Bound != want {
				t.Errorf("%s: bound %v, want %v", c.name, f.Bound, want)
			}
		default:
			if f.Percentile != 100 || f.Cut != 90 || !near(f.Bound, c.ref.Quantile("taxon:T-10", 0.9)) || f.Distance != 1 {
				t.Errorf("%s: F-04 %+v, bound want %v", c.name, f, c.ref.Quantile("taxon:T-10", 0.9))
			}
		}
		// F-06 has no bound: only a matched set raises it (Bifidobacterium
		// absent everywhere: percentile 50, not below 10).
		if _, ok := findingByID(m.Findings, "F-06"); ok {
			t.Errorf("%s: F-06 raised", c.name)
		}
		// F-05a is decided by the profile in every frame; F-14 (0.05 %
		// lactobacilli, below RB-12's 0.1 %) is not raised.
		if f, ok := findingByID(m.Findings, "F-05a"); !ok || f.Frame != FrameProfile || f.Level != LevelInfo || f.Key {
			t.Errorf("%s: F-05a %+v (%v)", c.name, f, ok)
		}
		if f, ok := findingByID(m.Findings, "F-14"); ok {
			t.Errorf("%s: F-14 raised below its bound: %+v", c.name, f)
		}
		if m.Matched != (c.ref != nil && c.ref.Matched()) || m.BoundsVersion != "test" {
			t.Errorf("%s: matched %v, bounds %q", c.name, m.Matched, m.BoundsVersion)
		}
	}
	// A matched set in which 15 % is usual silences F-04 at notice level; a
	// set made by another method does not.
	var ps []*tables.Profile
	for i := range 12 {
		ps = append(ps, bloom(t, fmt.Sprintf("B%02d", i), 1000, float64(120+10*i), 0, 10))
	}
	p := bloom(t, "bloom", 10000, 1500, 5, 30)
	for _, matched := range []bool{true, false} {
		ref, err := ReferenceFromProfiles("blooms", "", ps, defs, matched)
		if err != nil {
			t.Fatal(err)
		}
		_, raised := findingByID(MeasureSample(p, defs, nil, ref).Findings, "F-04")
		if raised == matched {
			t.Errorf("set of blooms, matched %v: F-04 raised %v", matched, raised)
		}
	}
}

// TestBoundLevels checks the marked-at-zero rule of RB-07 (only with 5,000
// genus-named reads), info-only bounds and the bounds' edges.
func TestBoundLevels(t *testing.T) {
	defs := findingDefs()
	for _, c := range []struct {
		n, faecali, lacto float64
		f02               Level // "" for none
		f14               bool
	}{
		{10000, 0, 10, LevelMarked, true},  // none in 10,000 reads; lactobacilli exactly 0.1 %
		{2000, 0, 1, LevelNotice, false},   // none in 2,000 reads: notice only; 0.05 % lactobacilli
		{10000, 19, 0, LevelNotice, false}, // 0.19 %
		{10000, 20, 0, "", false},          // 0.2 % is not below 0.2 %
	} {
		m := MeasureSample(bloom(t, "s", c.n, 100, c.lacto, c.faecali), defs, nil, nil)
		f, ok := findingByID(m.Findings, "F-02")
		if (c.f02 == "") == ok || ok && (f.Level != c.f02 || f.Frame != "RB-07" || f.Above) {
			t.Errorf("%v reads, %v Faecalibacterium: F-02 %+v (%v), want %q", c.n, c.faecali, f, ok, c.f02)
		}
		f, ok = findingByID(m.Findings, "F-14")
		if ok != c.f14 || ok && (f.Level != LevelInfo || f.Key) {
			t.Errorf("%v reads, %v lactobacilli: F-14 %+v (%v)", c.n, c.lacto, f, ok)
		}
	}
}

func TestRankFindings(t *testing.T) {
	mk := func(id string, l Level, grade string, dist float64) Finding {
		return Finding{ID: id, Level: l, Grade: grade, Distance: dist}
	}
	fs := []Finding{
		mk("info", LevelInfo, "A", 100), mk("n-C-far", LevelNotice, "C", 9), mk("m-D", LevelMarked, "D", 1),
		mk("n-B", LevelNotice, "B/D", 1), mk("m-C-near", LevelMarked, "C", 2), mk("m-C-far", LevelMarked, "C/D", math.Inf(1)),
		mk("n-C-near", LevelNotice, "C", 1.5), mk("n-C-nearer", LevelNotice, "C", 1.1),
	}
	for i := range fs {
		fs[i].order = i
	}
	RankFindings(fs, nil)
	var got []string
	var keys int
	for _, f := range fs {
		got = append(got, f.ID)
		if f.Key {
			keys++
		}
	}
	want := []string{"m-C-far", "m-C-near", "m-D", "n-B", "n-C-far", "n-C-near", "n-C-nearer", "info"}
	if !slices.Equal(got, want) {
		t.Errorf("ranked %v, want %v", got, want)
	}
	if keys != MaxKeyFindings || !fs[4].Key || fs[5].Key || fs[7].Key {
		t.Errorf("%d key findings; %+v", keys, fs)
	}
	// A finding that says what an earlier key finding says is not key; the
	// next one is.
	RankFindings(fs, map[string][]string{"m-C-near": {"m-C-far"}})
	if fs[1].ID != "m-C-near" || fs[1].Key || !fs[5].Key {
		t.Errorf("not key with an earlier key finding: %+v", fs)
	}
}

func TestDominantAndRarefiedGenera(t *testing.T) {
	d := IndexDef{ID: "dominant", Kind: DominantIndex, Down: TaxonSet{Genera: []string{"Bacteroides"}}}
	c := CompositionOf(bloom(t, "s", 1000, 400, 0, 100)) // Bacteroides 500, Escherichia 400
	v := d.Compute(&c, nil)
	if !v.Computed || !near(v.Value, 0.4) || len(v.Drivers) != 1 || v.Drivers[0].Taxon != "Escherichia" {
		t.Errorf("dominant %+v", v)
	}
	m := MeasureSample(bloom(t, "s", 4999, 400, 0, 100), testDefs, nil, nil)
	if !math.IsNaN(m.RarefiedGenera) || m.GenusReads != 4999 {
		t.Errorf("rarefied genera %v at %v reads, want NaN", m.RarefiedGenera, m.GenusReads)
	}
	p := bloom(t, "s", 20000, 400, 3, 100)
	m = MeasureSample(p, testDefs, nil, nil)
	counts := m.Composition.GenusBasis()
	if want := ExpectedRichness(counts.GenusCounts(), RarefiedGeneraDepth); m.RarefiedGenera != want || !(want > 3 && want < 4) {
		t.Errorf("rarefied genera %v, want %v", m.RarefiedGenera, want)
	}
	if v, ok := m.Value(RarefiedGeneraMetric); !ok || v != m.RarefiedGenera {
		t.Errorf("Value(rarefied-genera) = %v, %v", v, ok)
	}
}

func TestWholeCounts(t *testing.T) {
	if w, ok := WholeCounts([]float64{400.99999999999994, 3, 0}); !ok || !slices.Equal(w, []float64{401, 3, 0}) {
		t.Errorf("WholeCounts = %v, %v", w, ok)
	}
	if _, ok := WholeCounts([]float64{0.25, 0.75}); ok {
		t.Error("shares counted as whole")
	}
}

func TestFindingJSON(t *testing.T) {
	f := Finding{ID: "F-04", Level: LevelMarked, Key: true, Measure: "taxon:T-10", Value: 0.7, Frame: "RB-02", Bound: 0.2,
		Percentile: math.NaN(), Cut: math.NaN(), Above: true, Driver: "Escherichia", Grade: "C/D", Guidance: []string{"G-01"}}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"F-04","level":"marked","key":true,"measure":"taxon:T-10","value":0.7,"frame":"RB-02","bound":0.2,"direction":"above","driver":"Escherichia","grade":"C/D","guidance":["G-01"]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(Finding{ID: "F-05a", Level: LevelInfo, Frame: FrameProfile, Value: 0, Bound: math.NaN(), Percentile: math.NaN()})
	if !strings.Contains(string(b), `"bound":null`) || strings.Contains(string(b), "direction") || !strings.Contains(string(b), `"guidance":[]`) {
		t.Errorf("profile-frame finding %s", b)
	}
}

// TestReferenceMethodLine checks the "#method" line: written and read back,
// absent means another method, anything else is an error.
func TestReferenceMethodLine(t *testing.T) {
	var buf strings.Builder
	rows := []map[string]float64{{"x": 1}, {"x": 2}}
	if err := WriteReferenceTSV(&buf, ReferenceMeta{Name: "m", Matched: true}, []string{"a", "b"}, rows); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "#method\tsame-pipeline\n") || !IsReferenceTSV([]byte(buf.String())) {
		t.Fatalf("written: %q", buf.String())
	}
	rs, err := ReadReferenceTSV(strings.NewReader(buf.String()), "m.tsv")
	if err != nil || !rs.Matched() || rs.WithMatched(false).Matched() || !rs.Matched() {
		t.Errorf("read back: matched %v, %v", rs != nil && rs.Matched(), err)
	}
	old := strings.Replace(buf.String(), "#method\tsame-pipeline\n", "", 1)
	if rs, err := ReadReferenceTSV(strings.NewReader(old), "old.tsv"); err != nil || rs.Matched() {
		t.Errorf("without #method: %v", err)
	}
	bad := strings.Replace(buf.String(), "same-pipeline", "yes", 1)
	if _, err := ReadReferenceTSV(strings.NewReader(bad), "bad.tsv"); err == nil || !strings.Contains(err.Error(), `bad.tsv:6: #method "yes"`) {
		t.Errorf("bad #method: %v", err)
	}
}

// TestGroupCounts checks the genus-level groups of gutProfile: its seven
// genera (M. gnavus counted in its genus), the 180 reads named only to the
// order Clostridiales, and the 40 reads named to nothing.
func TestGroupCounts(t *testing.T) {
	p, _ := gutProfile(t, "S1", 1)
	c := CompositionOf(p)
	got := GroupCounts(&c)
	slices.Sort(got)
	if want := []float64{8, 12, 25, 35, 40, 90, 180, 230, 520}; !slices.Equal(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
	m := MeasureSample(p, testDefs, nil, nil)
	if v, ok := m.Value(GroupShannonMetric); !ok || v != Shannon(GroupCounts(&c)) || !(v > m.ReferenceValues["shannon"]) {
		t.Errorf("group Shannon %v (%v), named-genus Shannon %v", v, ok, m.ReferenceValues["shannon"])
	}
}
