package cohort

import (
	"bufio"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zonula/zonula/pipeline/metrics"
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
	g, err := ReadGroups(f, "groups.tsv", "", "")
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
	d := r.Differential
	if d == nil || d.Rows[0].Taxon != "Akkermansia" {
		t.Fatalf("top differential genus: %+v (skipped: %s)", d, r.DifferentialSkipped)
	}
	top := d.Rows[0]
	if top.TQ >= 0.05 || top.Effects[0].Low <= 0 || top.Present[0] != 5 || top.Present[1] != 0 || d.Groups[0] != "akk" || d.Design != "independent" {
		t.Errorf("Akkermansia: %+v, groups %v, design %s", top, d.Groups, d.Design)
	}
	for i := 1; i < len(d.Rows); i++ {
		if d.Rows[i].TQ < d.Rows[i-1].TQ {
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
	for _, name := range []string{DistancesFile, PCoAFile, PermanovaFile, PermanovaJSON, DifferentialFile, PairwiseFile, SetAsideFile, DifferentialJSON, AlphaFile} {
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
		name, in, column, subject string
		want                      []GroupEntry
		errLine                   int
		errText                   string
	}{
		{name: "plain tsv", in: "a\tx\nb\ty\n", want: []GroupEntry{{Sample: "a", Group: "x", Line: 1}, {Sample: "b", Group: "y", Line: 2}}},
		{name: "header crlf", in: "sample\tgroup\r\na\tx\r\n\r\nb\ty\r\n", want: []GroupEntry{{Sample: "a", Group: "x", Line: 2}, {Sample: "b", Group: "y", Line: 4}}},
		{name: "csv", in: "sample_id,group\na,x\n", want: []GroupEntry{{Sample: "a", Group: "x", Line: 2}}},
		{name: "samplesheet column", in: "sample,reads,group,age\na,a.fq,x,40\n#comment\nb,b.fq,y,\n", column: "group",
			want: []GroupEntry{{Sample: "a", Group: "x", Line: 2}, {Sample: "b", Group: "y", Line: 4}}},
		{name: "qiime metadata", in: "#SampleID\tdiet\n#q2:types\tcategorical\na\tx\n", column: "diet", want: []GroupEntry{{Sample: "a", Group: "x", Line: 3}}},
		{name: "three fields", in: "a\tx\nb\ty\tz\n", errLine: 2, errText: "3 fields, want 2"},
		{name: "subject without header", in: "a\tx\ts1\nb\ty\t\n", want: []GroupEntry{{Sample: "a", Group: "x", Subject: "s1", Line: 1}, {Sample: "b", Group: "y", Line: 2}}},
		{name: "subject column found", in: "sample\tgroup\tage\thost_subject_id\na\tx\t40\tp1\n", want: []GroupEntry{{Sample: "a", Group: "x", Subject: "p1", Line: 2}}},
		{name: "subject column named", in: "sample,diet,person\na,x,p1\n", column: "diet", subject: "person", want: []GroupEntry{{Sample: "a", Group: "x", Subject: "p1", Line: 2}}},
		{name: "subject column missing", in: "sample,diet\na,x\n", column: "diet", subject: "person", errLine: 1, errText: `no column "person"`},
		{name: "wide header without group", in: "sample\tdiet\tage\na\tx\t3\n", errLine: 1, errText: `none is called "group"`},
		{name: "four fields", in: "a\tx\ty\tz\n", errLine: 1, errText: "4 fields, want 2 or 3"},
		{name: "empty group", in: "a\t\n", errLine: 1, errText: "empty group"},
		{name: "duplicate", in: "a\tx\nb\ty\na\ty\n", errLine: 3, errText: "listed twice (first on line 1)"},
		{name: "no column", in: "sample,group\na,x\n", column: "diet", errLine: 1, errText: `no column "diet"`},
		{name: "column without header", in: "a,x\n", column: "group", errLine: 1, errText: "header"},
		{name: "short row", in: "sample,reads,group\na,a.fq\n", column: "group", errLine: 2, errText: "2 fields, want 3"},
		{name: "empty", in: "\n\n", errText: "no samples"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := ReadGroups(strings.NewReader(tc.in), "g.tsv", tc.column, tc.subject)
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
		g, err := ReadGroups(strings.NewReader(s), "groups.tsv", "", "")
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	var all strings.Builder
	for _, s := range samples {
		all.WriteString(s.Name + "\tg" + s.Name[:1] + "\n")
	}
	strict := DefaultOptions()
	strict.RequireAllGroups = true
	// A sample in the groups file that is not among the inputs: noted, or
	// an error naming the line with RequireAllGroups.
	r, err := Analyze(samples, groups(all.String()+"ghost\tx\n"), DefaultOptions())
	if err != nil || !slices.Equal(r.Unlisted, []string{"ghost"}) || len(r.Samples) != 10 {
		t.Errorf("unknown sample: %v, %+v", err, r)
	}
	_, err = Analyze(samples, groups(all.String()+"ghost\tx\n"), strict)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 11 || !strings.Contains(err.Error(), `"ghost" is not among the inputs`) {
		t.Errorf("unknown sample, strict: %v", err)
	}
	// Input samples without a group: left out and named, or an error.
	r, err = Analyze(samples, groups("akk1\tx\nakk2\tx\nnone1\ty\nnone2\ty\n"), DefaultOptions())
	if err != nil || len(r.Samples) != 4 || len(r.LeftOut) != 6 || r.LeftOut[0] != "akk3" || r.Permanova == nil {
		t.Errorf("subset: %v, samples %v, left out %v", err, r.Samples, r.LeftOut)
	}
	_, err = Analyze(samples, groups("akk1\tx\n"), strict)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `sample "akk2" has no group in groups.tsv`) {
		t.Errorf("missing sample, strict: %v", err)
	}
	// A groups file naming none of the inputs is an error about the file.
	if _, err = Analyze(samples, groups("S1\tx\nS2\ty\n"), DefaultOptions()); !errors.As(err, &pe) || !strings.Contains(err.Error(), "names none of the 10 input samples") {
		t.Errorf("no match: %v", err)
	}
	// No groups at all: composition, PCoA and alpha; no tests.
	r, err = Analyze(samples, nil, DefaultOptions())
	if err != nil || r.Grouped || r.Permanova != nil || r.Differential != nil || !strings.Contains(r.PermanovaSkipped, "no groups") ||
		!strings.Contains(r.DifferentialSkipped, "no groups") || r.Ordination == nil || len(r.Alpha) != 10 {
		t.Errorf("no groups: %v %+v", err, r)
	}
	// One group: PERMANOVA and the differential test are skipped with reasons.
	var one strings.Builder
	for _, s := range samples {
		one.WriteString(s.Name + "\tall\n")
	}
	r, err = Analyze(samples, groups(one.String()), DefaultOptions())
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
	if err != nil || r.Permanova == nil || !strings.Contains(r.DifferentialSkipped, `group "solo" has 1 sample;`) {
		t.Errorf("group of one: %v %+v", err, r)
	}
	// Three groups: PERMANOVA and Kruskal–Wallis run.
	var three strings.Builder
	for i, s := range samples {
		three.WriteString(s.Name + "\t" + string(rune('a'+i%3)) + "\n")
	}
	r, err = Analyze(samples, groups(three.String()), DefaultOptions())
	if err != nil || r.Permanova == nil || r.Differential == nil || r.Differential.RankTest != metrics.TestKruskal || len(r.Differential.Rows[0].Effects) != 3 {
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
	g, _ := ReadGroups(strings.NewReader("empty\ta\nakk1\tb\n"), "g", "", "")
	var ie *InputError
	if _, err := Analyze(samples, g, DefaultOptions()); !errors.As(err, &ie) || !strings.Contains(err.Error(), "1 without genus reads (empty)") {
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
		g, err := ReadGroups(strings.NewReader(string(data)), "fuzz", column, "")
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
