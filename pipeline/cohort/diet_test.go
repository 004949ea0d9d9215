package cohort

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/metrics"
)

// loadStudy reads testdata/cohort/DIR (scripts/make_cohort_da_testdata.py):
// a genus table and its groups file, with or without the subject column.
func loadStudy(t *testing.T, dir string, subjects bool) ([]Sample, *Groups) {
	t.Helper()
	samples, err := Load([]string{filepath.Join(fixture, dir, "genus.tsv")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(fixture, dir, "groups.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !subjects {
		var b strings.Builder
		for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
			f := strings.Split(line, "\t")
			b.WriteString(f[0] + "\t" + f[1] + "\n")
		}
		text = b.String()
	}
	g, err := ReadGroups(strings.NewReader(text), "groups.tsv", "", "")
	if err != nil {
		t.Fatal(err)
	}
	return samples, g
}

// refFilter reads the filter counts R computed (scripts/refvalues_da.R).
func refFilter(t *testing.T) map[string]int {
	t.Helper()
	data, err := os.ReadFile("../metrics/testdata/refvalues_da.tsv")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, _ := strings.Cut(line, "\t")
		if strings.HasPrefix(k, "diet.filter.") || k == "diet.paired.subjects" {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			out[k] = n
		}
	}
	return out
}

// TestDietStudy is issue 15's complaint turned into a test: in a 19-sample
// diet study with 22 genera seen in one or two samples, the genera the
// simulation changed must lead the differential table and no genus present
// in fewer than 10 % of samples may appear in it, whether the samples are
// taken as independent or paired by subject.
func TestDietStudy(t *testing.T) {
	ref := refFilter(t)
	planted := []string{"Bilophila", "Roseburia", "Alistipes", "Ruminococcus", "Agathobacter"}
	for _, tc := range []struct {
		subjects bool
		design   string
		lead     int // planted genera that must fill the first rows
	}{{true, "paired", 5}, {false, "independent", 1}} {
		samples, g := loadStudy(t, "diet", tc.subjects)
		r, err := Analyze(samples, g, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		d := r.Differential
		if d == nil {
			t.Fatalf("not run: %s", r.DifferentialSkipped)
		}
		if d.Design != tc.design || d.Genera != ref["diet.filter.genera"] || len(d.Rows) != ref["diet.filter.kept"] ||
			d.AsideFor(ReasonPrevalence) != ref["diet.filter.low_prevalence"] || d.AsideFor(ReasonShare) != ref["diet.filter.low_share"] {
			t.Errorf("design %s, %d genera, %d tested, %d/%d set aside; R: %v", d.Design, d.Genera, len(d.Rows),
				d.AsideFor(ReasonPrevalence), d.AsideFor(ReasonShare), ref)
		}
		for i, x := range d.Rows[:tc.lead] {
			if !slices.Contains(planted, x.Taxon) || x.TQ > 0.15 {
				t.Errorf("%s design, row %d: %s (q %v); want the planted genera first", tc.design, i+1, x.Taxon, x.TQ)
			}
		}
		if d.Rows[0].Taxon != "Bilophila" || d.Rows[0].Effects[0].Low <= 0 || d.Groups[0] != "animal" {
			t.Errorf("%s design: first row %+v", tc.design, d.Rows[0])
		}
		for _, x := range d.Rows {
			if n := x.Present[0] + x.Present[1]; float64(n) < 0.1*float64(len(r.Samples)) {
				t.Errorf("%s in %d of %d samples is in the table", x.Taxon, n, len(r.Samples))
			}
		}
		if tc.subjects && (d.TTest != metrics.TestPairedT || d.Units[0] != ref["diet.paired.subjects"] || !strings.Contains(d.Note, "(P10)")) {
			t.Errorf("paired: %s, units %v, note %q", d.TTest, d.Units, d.Note)
		}
		if tc.subjects != r.PermanovaWithinSubjects || tc.subjects != strings.Contains(r.PermanovaNote, "permuted only among each subject's samples") {
			t.Errorf("subjects %v: PERMANOVA within subjects %v, note %q", tc.subjects, r.PermanovaWithinSubjects, r.PermanovaNote)
		}
	}
}

// TestSubjectDesigns checks how subjects shape the test: repeated samples
// of one subject in one group are averaged, subjects in several groups are
// paired, and too few complete subjects make a clear refusal.
func TestSubjectDesigns(t *testing.T) {
	samples, _ := loadStudy(t, "diet", true)
	build := func(lines ...string) *Groups {
		g, err := ReadGroups(strings.NewReader(strings.Join(lines, "\n")+"\n"), "g.tsv", "", "")
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	// Two subjects with both diets, the rest in one: a refusal that says why.
	var lines []string
	for i, s := range samples {
		subject := "S" + strconv.Itoa(i)
		if i < 4 {
			subject = "S" + strconv.Itoa(i/2) // P01, P02: both diets
		}
		lines = append(lines, s.Name+"\t"+strings.Split(s.Name, "-")[1]+"\t"+subject)
	}
	r, err := Analyze(samples, build(lines...), DefaultOptions())
	if err != nil || r.Differential != nil || !strings.Contains(r.DifferentialSkipped, "not independent, but only 2 have samples in every group") {
		t.Errorf("too few pairs: %v; %s", err, r.DifferentialSkipped)
	}
	// Each subject in one group, some with two samples: subject means.
	lines = lines[:0]
	for i, s := range samples {
		diet := strings.Split(s.Name, "-")[1]
		lines = append(lines, s.Name+"\t"+diet+"\t"+diet+strconv.Itoa(i/4))
	}
	r, err = Analyze(samples, build(lines...), DefaultOptions())
	if err != nil || r.Differential == nil || r.Differential.Design != "subject means" || r.Differential.Units[0]+r.Differential.Units[1] >= len(samples) {
		t.Errorf("subject means: %v %+v", err, r.Differential)
	}
}

// TestThreeGroups runs the IBD-like fixture: Kruskal–Wallis with pairwise
// effects, Faecalibacterium (4 times lower in one group) first.
func TestThreeGroups(t *testing.T) {
	samples, g := loadStudy(t, "ibd", false)
	r, err := Analyze(samples, g, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	d := r.Differential
	if d == nil || d.RankTest != metrics.TestKruskal || d.TTest != "" || len(d.Groups) != 3 {
		t.Fatalf("%+v (%s)", d, r.DifferentialSkipped)
	}
	top := d.Rows[0]
	if top.Taxon != "Faecalibacterium" || top.RankQ > 0.1 || len(top.Effects) != 3 {
		t.Fatalf("first row %+v", top)
	}
	// control vs crohns: Faecalibacterium is 4 times (2 log2) higher in
	// controls; the pair's interval lies above 0.
	e := top.Effects[2]
	if d.Groups[e.A] != "control" || d.Groups[e.B] != "crohns" || !(e.Low > 0 && e.Low < 2 && e.High > 2) {
		t.Errorf("control vs crohns: %+v (groups %v)", e, d.Groups)
	}
}

// TestPlainGenusTable reads a genus table whose rows are bare names (no
// lineage): the features are compared as they are, and the result says so.
func TestPlainGenusTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "genera.tsv")
	table := "genus\tS1\tS2\tS3\tS4\nBilophila\t10\t0\t3\t4\nBacteroides\t100\t200\t50\t80\nRoseburia\t5\t7\t9\t1\n"
	if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	samples, err := Load([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := ReadGroups(strings.NewReader("S1\ta\nS2\ta\nS3\tb\nS4\tb\n"), "g", "", "")
	r, err := Analyze(samples, g, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !r.FeatureLevel || !slices.Equal(r.Genus.Taxa, []string{"Bacteroides", "Bilophila", "Roseburia"}) || r.Alpha[1].Reads != 207 || r.Differential == nil {
		t.Errorf("feature level %v, taxa %v, alpha %+v, differential skipped: %s", r.FeatureLevel, r.Genus.Taxa, r.Alpha[1], r.DifferentialSkipped)
	}
}
