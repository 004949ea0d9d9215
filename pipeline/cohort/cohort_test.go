package cohort

import (
	"bufio"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
)

const fixture = "../../testdata/cohort"

// reference reads testdata/cohort/reference.tsv (vegan 2.6.4 and R stats,
// scripts/cohort_ref.R).
func reference(t *testing.T) map[string]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(fixture, "reference.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "\t")
		if !ok || strings.HasPrefix(k, "#") || k == "key" {
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		ref[k] = x
	}
	return ref
}

func loadFixture(t *testing.T) ([]Sample, *Groups) {
	t.Helper()
	samples, err := Load([]string{filepath.Join(fixture, "batch")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(fixture, "groups.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := ReadGroups(f, "groups.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	return samples, g
}

func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-300)
}

func TestAnalyzeAgainstVegan(t *testing.T) {
	samples, g := loadFixture(t)
	if len(samples) != 10 || samples[0].Name != "akk1" || samples[9].Name != "none5" {
		t.Fatalf("loaded %d samples, first %q", len(samples), samples[0].Name)
	}
	if samples[0].Database == "" {
		t.Error("database name not read from run.json")
	}
	r, err := Analyze(samples, g, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	ref := reference(t)
	if got := r.Distances.At(0, 5); !near(got, ref["bray_akk1_none1"], 1e-9) {
		t.Errorf("Bray–Curtis akk1–none1 = %v, vegan %v", got, ref["bray_akk1_none1"])
	}
	pm := r.Permanova
	if pm == nil {
		t.Fatalf("PERMANOVA skipped: %s", r.PermanovaSkipped)
	}
	if !near(pm.F, ref["permanova_F"], 1e-9) || !near(pm.R2, ref["permanova_R2"], 1e-9) {
		t.Errorf("PERMANOVA F %v R² %v, vegan F %v R² %v", pm.F, pm.R2, ref["permanova_F"], ref["permanova_R2"])
	}
	// 5 + 5 samples have 126 distinct splits, two of which (the true one
	// and its mirror) reach the observed F: p is about 2/252.
	if pm.P > 0.02 || pm.Permutations != 999 {
		t.Errorf("PERMANOVA p = %v over %d permutations, want ≤ 0.02 over 999", pm.P, pm.Permutations)
	}
	if len(r.Differential) == 0 || r.Differential[0].Taxon != "Akkermansia" {
		t.Fatalf("top differential genus: %+v (skipped: %s)", r.Differential, r.DifferentialSkipped)
	}
	top := r.Differential[0]
	if top.Q >= 0.05 || top.Diff <= 0 || top.PresentA != 5 || top.PresentB != 0 || r.GroupA != "akk" {
		t.Errorf("Akkermansia: q %v diff %v present %d/%d, group A %q", top.Q, top.Diff, top.PresentA, top.PresentB, r.GroupA)
	}
	for _, d := range r.Differential {
		if !near(d.P, ref["p_"+d.Taxon], 1e-9) || !near(d.Q, ref["q_"+d.Taxon], 1e-9) {
			t.Errorf("%s: p %v q %v, R p %v q %v", d.Taxon, d.P, d.Q, ref["p_"+d.Taxon], ref["q_"+d.Taxon])
		}
	}
	for i := 1; i < len(r.Differential); i++ {
		if r.Differential[i].Q < r.Differential[i-1].Q {
			t.Errorf("differential table not sorted by q at row %d", i)
		}
	}
	if r.Depth <= 0 || r.Depth > 300 || len(r.Expected) != 10 {
		t.Errorf("depth %d, %d expected richness values", r.Depth, len(r.Expected))
	}
}

func TestWriteTablesDeterministic(t *testing.T) {
	samples, g := loadFixture(t)
	var outs [2]map[string][]byte
	for k := range outs {
		r, err := Analyze(samples, g, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		stage, err := safefile.NewStage(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.WriteTables(stage); err != nil {
			t.Fatal(err)
		}
		names, err := stage.Commit("")
		if err != nil {
			t.Fatal(err)
		}
		outs[k] = map[string][]byte{}
		for _, name := range names {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			outs[k][name] = b
		}
	}
	for _, name := range []string{DistancesFile, PCoAFile, PermanovaFile, PermanovaJSON, DifferentialFile, AlphaFile} {
		a, ok := outs[0][name]
		if !ok {
			t.Errorf("%s not written", name)
			continue
		}
		if string(a) != string(outs[1][name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	lines := strings.Split(strings.TrimSpace(string(outs[0][DistancesFile])), "\n")
	if len(lines) != 11 || len(strings.Split(lines[1], "\t")) != 11 || !strings.HasPrefix(lines[1], "akk1\t0\t") {
		t.Errorf("distances.tsv shape: %q", lines[:2])
	}
	diff := strings.Split(string(outs[0][DifferentialFile]), "\n")
	if !strings.HasPrefix(diff[1], "Akkermansia\takk\tnone\t") {
		t.Errorf("differential.tsv first row %q", diff[1])
	}
	pcoa := strings.Split(string(outs[0][PCoAFile]), "\n")
	if !strings.HasPrefix(pcoa[0], "sample\tgroup\tPC1\tPC2") || !strings.HasPrefix(pcoa[2], "proportion_explained\t\t0.") {
		t.Errorf("pcoa.tsv head %q", pcoa[:3])
	}
	if !strings.Contains(string(outs[0][PermanovaJSON]), `"tested": true`) {
		t.Errorf("permanova.json: %s", outs[0][PermanovaJSON])
	}
}

func TestMetrics(t *testing.T) {
	samples, g := loadFixture(t)
	for _, m := range Metrics() {
		opt := DefaultOptions()
		opt.Metric = m
		r, err := Analyze(samples, g, opt)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if r.Permanova == nil || r.Permanova.P > 0.05 {
			t.Errorf("%s: PERMANOVA %+v", m, r.Permanova)
		}
	}
	opt := DefaultOptions()
	opt.Metric = "euclid"
	if _, err := Analyze(samples, g, opt); err == nil {
		t.Error("unknown metric accepted")
	}
}

func TestReadGroups(t *testing.T) {
	for _, tc := range []struct {
		name, in, column string
		want             []GroupEntry
		errLine          int
		errText          string
	}{
		{name: "plain tsv", in: "a\tx\nb\ty\n", want: []GroupEntry{{"a", "x", 1}, {"b", "y", 2}}},
		{name: "header crlf", in: "sample\tgroup\r\na\tx\r\n\r\nb\ty\r\n", want: []GroupEntry{{"a", "x", 2}, {"b", "y", 4}}},
		{name: "csv", in: "sample_id,group\na,x\n", want: []GroupEntry{{"a", "x", 2}}},
		{name: "samplesheet column", in: "sample,reads,group,age\na,a.fq,x,40\n#comment\nb,b.fq,y,\n", column: "group",
			want: []GroupEntry{{"a", "x", 2}, {"b", "y", 4}}},
		{name: "qiime metadata", in: "#SampleID\tdiet\n#q2:types\tcategorical\na\tx\n", column: "diet", want: []GroupEntry{{"a", "x", 3}}},
		{name: "three fields", in: "a\tx\nb\ty\tz\n", errLine: 2, errText: "3 fields, want 2"},
		{name: "empty group", in: "a\t\n", errLine: 1, errText: "empty group"},
		{name: "duplicate", in: "a\tx\nb\ty\na\ty\n", errLine: 3, errText: "listed twice (first on line 1)"},
		{name: "no column", in: "sample,group\na,x\n", column: "diet", errLine: 1, errText: `no column "diet"`},
		{name: "column without header", in: "a,x\n", column: "group", errLine: 1, errText: "header"},
		{name: "short row", in: "sample,reads,group\na,a.fq\n", column: "group", errLine: 2, errText: "2 fields, want 3"},
		{name: "empty", in: "\n\n", errText: "no samples"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := ReadGroups(strings.NewReader(tc.in), "g.tsv", tc.column)
			if tc.errText != "" {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line != tc.errLine || !strings.Contains(err.Error(), tc.errText) || pe.File != "g.tsv" {
					t.Fatalf("error %v, want line %d with %q", err, tc.errLine, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Entries) != len(tc.want) {
				t.Fatalf("entries %+v, want %+v", g.Entries, tc.want)
			}
			for i, e := range g.Entries {
				if e != tc.want[i] {
					t.Errorf("entry %d = %+v, want %+v", i, e, tc.want[i])
				}
			}
		})
	}
}

func TestAnalyzeGroupProblems(t *testing.T) {
	samples, _ := loadFixture(t)
	groups := func(s string) *Groups {
		g, err := ReadGroups(strings.NewReader(s), "groups.tsv", "")
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	var all strings.Builder
	for _, s := range samples {
		all.WriteString(s.Name + "\tg" + s.Name[:1] + "\n")
	}
	// A sample in the groups file that is not among the inputs.
	_, err := Analyze(samples, groups(all.String()+"ghost\tx\n"), DefaultOptions())
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 11 || !strings.Contains(err.Error(), `"ghost" is not among the inputs`) {
		t.Errorf("unknown sample: %v", err)
	}
	// An input sample without a group.
	_, err = Analyze(samples, groups("akk1\tx\n"), DefaultOptions())
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `sample "akk2" has no group in groups.tsv`) {
		t.Errorf("missing sample: %v", err)
	}
	// One group: PERMANOVA and the differential test are skipped with reasons.
	var one strings.Builder
	for _, s := range samples {
		one.WriteString(s.Name + "\tall\n")
	}
	r, err := Analyze(samples, groups(one.String()), DefaultOptions())
	if err != nil || r.Permanova != nil || !strings.Contains(r.PermanovaSkipped, "one group") || r.Differential != nil || r.DifferentialSkipped == "" {
		t.Errorf("one group: %v %+v", err, r)
	}
	// A group of one: PERMANOVA runs, the differential test is skipped.
	var single strings.Builder
	for i, s := range samples {
		grp := "big"
		if i == 0 {
			grp = "solo"
		}
		single.WriteString(s.Name + "\t" + grp + "\n")
	}
	r, err = Analyze(samples, groups(single.String()), DefaultOptions())
	if err != nil || r.Permanova == nil || !strings.Contains(r.DifferentialSkipped, `group "solo" has one sample`) {
		t.Errorf("group of one: %v %+v", err, r)
	}
	// Three groups: PERMANOVA runs, the two-group test is skipped.
	var three strings.Builder
	for i, s := range samples {
		three.WriteString(s.Name + "\t" + string(rune('a'+i%3)) + "\n")
	}
	r, err = Analyze(samples, groups(three.String()), DefaultOptions())
	if err != nil || r.Permanova == nil || !strings.Contains(r.DifferentialSkipped, "has 3") {
		t.Errorf("three groups: %v %+v", err, r)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load([]string{filepath.Join(dir, "missing.tsv")}, nil); err == nil {
		t.Error("missing input accepted")
	}
	if _, err := Load([]string{dir}, nil); err == nil || !strings.Contains(err.Error(), "no abundance.tsv") {
		t.Errorf("empty directory: %v", err)
	}
	bad := filepath.Join(dir, "bad.tsv")
	if err := os.WriteFile(bad, []byte("rank\ttaxon\tlineage\treads\tfraction\ngenus\tX\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var pe *tables.ParseError
	if _, err := Load([]string{bad}, nil); !errors.As(err, &pe) || pe.Line != 2 {
		t.Errorf("bad table: %v", err)
	}
	one := filepath.Join(fixture, "batch", "akk1")
	if _, err := Load([]string{one, one}, nil); err == nil || !strings.Contains(err.Error(), "must be unique") {
		t.Errorf("duplicate sample: %v", err)
	}
	// A sample with no genus reads has no defined distance.
	empty := filepath.Join(dir, "empty.tsv")
	if err := os.WriteFile(empty, []byte("rank\ttaxon\tlineage\treads\tfraction\ngenus\tunclassified\t\t10\t1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	samples, err := Load([]string{empty, filepath.Join(fixture, "batch", "akk1")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := ReadGroups(strings.NewReader("empty\ta\nakk1\tb\n"), "g", "")
	var ie *InputError
	if _, err := Analyze(samples, g, DefaultOptions()); !errors.As(err, &ie) || !strings.Contains(err.Error(), "no reads classified to a genus") {
		t.Errorf("empty sample: %v", err)
	}
}

// TestBIOMInputs reads the fixture samples as BIOM files (written by
// tables.WriteBIOM at genus rank) and gets the same distances as from
// abundance.tsv.
func TestBIOMInputs(t *testing.T) {
	samples, g := loadFixture(t)
	dir := t.TempDir()
	var paths []string
	for _, s := range samples {
		p := filepath.Join(dir, s.Name+".biom")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := tables.WriteBIOM(f, s.Profile, taxonomy.Genus, tables.BIOMMeta{GeneratedBy: "test", Date: time.Unix(0, 0)}); err != nil {
			t.Fatal(err)
		}
		f.Close()
		paths = append(paths, p)
	}
	fromBIOM, err := Load(paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(samples, g, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Analyze(fromBIOM, g, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Samples {
		for j := range a.Samples {
			if a.Distances.At(i, j) != b.Distances.At(i, j) {
				t.Fatalf("distance %s–%s: %v from TSV, %v from BIOM", a.Samples[i], a.Samples[j], a.Distances.At(i, j), b.Distances.At(i, j))
			}
		}
	}
}

func FuzzReadGroups(f *testing.F) {
	f.Add([]byte("sample\tgroup\na\tx\nb\ty\n"), "")
	f.Add([]byte("sample,reads,group\na,a.fq,x\n"), "group")
	f.Add([]byte("#SampleID\tdiet\n#q2:types\tcategorical\na\tx\n"), "diet")
	f.Fuzz(func(t *testing.T, data []byte, column string) {
		g, err := ReadGroups(strings.NewReader(string(data)), "fuzz", column)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, e := range g.Entries {
			if e.Sample == "" || e.Group == "" || e.Line < 1 || seen[e.Sample] || strings.ContainsAny(e.Sample+e.Group, "\t\n") {
				t.Fatalf("bad entry %+v", e)
			}
			seen[e.Sample] = true
		}
	})
}
