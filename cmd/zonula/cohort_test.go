package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const cohortFixture = "../../testdata/cohort"

// pdfText returns the text of a PDF by poppler's pdftotext, with runs of
// white space made single spaces; it skips (fails under CI) without poppler.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not found (install poppler-utils)")
		}
		t.Skip("pdftotext not found; install poppler-utils")
	}
	txt, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(txt)), " ")
}

func checkSections(t *testing.T, dir string, want []string) {
	t.Helper()
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range want {
		if !bytes.Contains(html, []byte(">"+s+"<")) {
			t.Errorf("report.html has no heading or cell %q", s)
		}
	}
	text := pdfText(t, filepath.Join(dir, "report.pdf"))
	for _, s := range want {
		if !strings.Contains(text, s) {
			t.Errorf("report.pdf text lacks %q", s)
		}
	}
}

var cohortSections = []string{"Cohort at a glance", "Composition of every sample", "Differences between samples (beta diversity)",
	"Diversity within samples (alpha diversity) by group", "Genera that differ between groups", "Limitations and methods", "References"}

func TestCohortCommand(t *testing.T) {
	batch := filepath.Join(cohortFixture, "batch")
	groups := filepath.Join(cohortFixture, "groups.tsv")
	out := t.TempDir()
	code, _, stderr := zonula(t, "", "cohort", batch, "--groups", groups, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "cohort of 10 samples in 2 groups; PERMANOVA F 90.146") {
		t.Errorf("stderr: %s", stderr)
	}
	checkSections(t, out, append(cohortSections, "Akkermansia", "PERMANOVA: do the groups differ as a whole?", "Limits of this test"))
	var pm struct {
		Tested       bool
		P            float64 `json:"p"`
		Permutations int
	}
	data, err := os.ReadFile(filepath.Join(out, "permanova.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &pm); err != nil || !pm.Tested || pm.P > 0.02 || pm.Permutations != 999 {
		t.Errorf("permanova.json %s (%v)", data, err)
	}
	diff, err := os.ReadFile(filepath.Join(out, "differential.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if rows := strings.Split(string(diff), "\n"); len(rows) < 2 || !strings.HasPrefix(rows[1], "Akkermansia\t") {
		t.Errorf("differential.tsv does not start with Akkermansia:\n%s", diff)
	}

	// The same cohort from single tables and a samplesheet-like groups
	// table gives the same tables, byte for byte.
	dir := t.TempDir()
	sheet := "sample,reads,group,age\n"
	var tablesIn []string
	for _, s := range []string{"akk1", "akk2", "akk3", "akk4", "akk5", "none1", "none2", "none3", "none4", "none5"} {
		sheet += s + "," + s + ".fq,"
		if strings.HasPrefix(s, "akk") {
			sheet += "akk,40\n"
		} else {
			sheet += "none,41\n"
		}
		tablesIn = append(tablesIn, filepath.Join(batch, s, "abundance.tsv"))
	}
	if err := os.WriteFile(filepath.Join(dir, "sheet.csv"), []byte(sheet), 0o644); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(dir, "out")
	args := append(append([]string{"cohort"}, tablesIn...), "--groups", filepath.Join(dir, "sheet.csv"), "--group-column", "group", "-o", out2, "--format", "none", "-q")
	if code, _, stderr := zonula(t, "", args...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"distances.tsv", "pcoa.tsv", "permanova.tsv", "permanova.json", "differential.tsv", "differential-pairwise.tsv",
		"genera-set-aside.tsv", "differential.json", "alpha.tsv"} {
		a, err1 := os.ReadFile(filepath.Join(out, f))
		b, err2 := os.ReadFile(filepath.Join(out2, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between the batch and table inputs (%v, %v)", f, err1, err2)
		}
	}
	if _, err := os.Stat(filepath.Join(out2, "report.html")); err == nil {
		t.Error("--format none wrote a report")
	}
}

func TestCohortBadInput(t *testing.T) {
	batch := filepath.Join(cohortFixture, "batch")
	groups := filepath.Join(cohortFixture, "groups.tsv")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	orig, err := os.ReadFile(groups)
	if err != nil {
		t.Fatal(err)
	}
	ghost := write("ghost.tsv", string(orig)+"ghost\takk\n")
	missing := write("missing.tsv", "sample\tgroup\nakk1\takk\nnone1\tnone\n")
	badLine := write("bad.tsv", "akk1\takk\nakk2\n")
	badTable := write("bad-abundance.tsv", "rank\ttaxon\tlineage\treads\tfraction\ngenus\tX\td__Bacteria\t1\n")
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown sample", []string{"cohort", batch, "--groups", ghost, "--require-all-groups", "-o", out}, 3, `ghost.tsv:12: sample "ghost" is not among the inputs`},
		{"sample without group", []string{"cohort", batch, "--groups", missing, "--require-all-groups", "-o", out}, 3, `sample "akk2" has no group in ` + missing},
		{"malformed groups", []string{"cohort", batch, "--groups", badLine, "-o", out}, 3, "bad.tsv:2: 1 fields, want 2"},
		{"too few grouped", []string{"cohort", batch, "--groups", write("one.tsv", "akk1\takk\n"), "-o", out}, 1, "want at least 2 samples"},
		{"subject column without groups", []string{"cohort", batch, "--subject-column", "s", "-o", out}, 2, "need --groups"},
		{"bad prevalence", []string{"cohort", batch, "--min-prevalence", "10", "-o", out}, 2, "--min-prevalence"},
		{"malformed table", []string{"cohort", badTable, batch, "--groups", groups, "-o", out}, 3, "bad-abundance.tsv:2:"},
		{"missing input", []string{"cohort", filepath.Join(dir, "nope"), "--groups", groups, "-o", out}, 3, "nope"},
		{"no out flag", []string{"cohort", batch}, 2, "--out"},
		{"bad metric", []string{"cohort", batch, "--groups", groups, "--metric", "euclid", "-o", out}, 2, "--metric"},
		{"negative permutations", []string{"cohort", batch, "--groups", groups, "--permutations", "-1", "-o", out}, 2, "--permutations"},
		{"compare batch dir", []string{"compare", batch, filepath.Join(batch, "akk1"), "-o", out}, 3, "10 samples, want one"},
		{"compare one argument", []string{"compare", batch, "-o", out}, 2, "want 2 argument"},
		{"compare bad table", []string{"compare", badTable, filepath.Join(batch, "akk1"), "-o", out}, 3, "bad-abundance.tsv:2:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := zonula(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d with %q", code, stderr, tc.code, tc.msg)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output directory was made although every run failed")
	}
}

func TestCompareCommand(t *testing.T) {
	batch := filepath.Join(cohortFixture, "batch")
	out := t.TempDir()
	code, _, stderr := zonula(t, "", "compare", filepath.Join(batch, "akk1"), filepath.Join(batch, "none1", "abundance.tsv"), "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkSections(t, out, []string{"Comparison at a glance", "Composition and diversity", "Barrier-related bacteria", "Health indices",
		"What counts as a normal change", "No normal range for change is claimed", "Limitations and methods", "References", "Akkermansia"})
	var rec struct {
		Before, After string
		BC            float64 `json:"bray_curtis"`
		Noise95       float64 `json:"bray_curtis_sampling_95"`
	}
	data, err := os.ReadFile(filepath.Join(out, "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	// vegan 2.6.4 vegdist(bray) on genus shares: testdata/cohort/reference.tsv.
	const veganBC = 0.30666666666666675
	if rec.Before != "akk1" || rec.After != "none1" || abs(rec.BC-veganBC) > 1e-12 || rec.Noise95 <= 0 || rec.Noise95 >= rec.BC {
		t.Errorf("compare.json: %s", data)
	}
	// Same seed, same numbers.
	out2 := t.TempDir()
	if code, _, _ := zonula(t, "", "compare", filepath.Join(batch, "akk1"), filepath.Join(batch, "none1", "abundance.tsv"), "-o", out2, "--format", "none"); code != 0 {
		t.Fatal("second compare failed")
	}
	if again, _ := os.ReadFile(filepath.Join(out2, "compare.json")); !bytes.Equal(again, data) {
		t.Error("compare.json differs between two runs")
	}
}

// TestCohortFromReads runs the whole chain: reads simulated from two
// compositions that differ in Akkermansia (300 reads each, four samples per
// group), zonula run on each, then zonula cohort on the run directories and
// zonula compare on two of them.
func TestCohortFromReads(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end run skipped in -short mode")
	}
	dir := t.TempDir()
	runs := filepath.Join(dir, "runs")
	groups := "sample\tgroup\n"
	for i, spec := range []string{"akk", "akk", "akk", "akk", "none", "none", "none", "none"} {
		comp := filepath.Join(cohortFixture, "with-akkermansia.tsv")
		if spec == "none" {
			comp = filepath.Join(cohortFixture, "without-akkermansia.tsv")
		}
		name := spec + string(rune('1'+i%4))
		fq := filepath.Join(dir, name+".fastq")
		if code, _, stderr := zonula(t, "", "simulate", "--composition", comp, "--reads", "300", "--seed", strconv.Itoa(100+i), "-o", fq); code != 0 {
			t.Fatalf("simulate: %s", stderr)
		}
		if code, _, stderr := zonula(t, "", "run", fq, "--sample", name, "--format", "none", "-q", "-o", filepath.Join(runs, name)); code != 0 {
			t.Fatalf("run: %s", stderr)
		}
		groups += name + "\t" + spec + "\n"
	}
	gf := filepath.Join(dir, "groups.tsv")
	if err := os.WriteFile(gf, []byte(groups), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "cohort")
	if code, _, stderr := zonula(t, "", "cohort", runs, "--groups", gf, "-o", out, "--format", "html", "-q"); code != 0 {
		t.Fatalf("cohort: exit %d: %s", code, stderr)
	}
	pm, err := os.ReadFile(filepath.Join(out, "permanova.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	// 4 + 4 samples allow 35 distinct splits: p cannot go below about
	// 2/70; the true split and its mirror give p ≈ 0.03.
	fields := strings.Split(strings.Split(string(pm), "\n")[1], "\t")
	if p, err := strconv.ParseFloat(fields[8], 64); err != nil || p > 0.06 {
		t.Errorf("PERMANOVA p = %q, want ≤ 0.06 (permanova.tsv %q)", fields[8], pm)
	}
	diff, err := os.ReadFile(filepath.Join(out, "differential.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	// Akkermansia is absent from every "none" sample, so the Monte Carlo
	// model gives its log-ratios there a wide spread: with 4 + 4 samples it
	// has the largest effect and a q below 0.05, but every other genus's
	// share changes too (by 1/0.7), and one of them may have a smaller q.
	rows := strings.Split(string(diff), "\n")
	if !strings.HasPrefix(rows[1], "Akkermansia\takk\tnone\t") && !strings.HasPrefix(rows[2], "Akkermansia\takk\tnone\t") {
		t.Errorf("Akkermansia not in the first two rows of differential.tsv:\n%s", diff)
	}
	for _, row := range rows[1 : len(rows)-1] {
		f := strings.Split(row, "\t")
		if eff, _ := strconv.ParseFloat(f[13], 64); f[0] == "Akkermansia" && (eff < 4 || f[10] != "0") || f[0] != "Akkermansia" && math.Abs(eff) > 4 {
			t.Errorf("effect of %s: %s", f[0], row)
		}
	}
	if code, _, stderr := zonula(t, "", "compare", filepath.Join(runs, "akk1"), filepath.Join(runs, "none1"), "-o", filepath.Join(dir, "cmp"), "--format", "html", "-q"); code != 0 {
		t.Fatalf("compare: %s", stderr)
	}
}

// TestCohortWithoutGroups: no --groups gives the descriptive report and says
// the tests were not run; a groups file of some samples keeps those.
func TestCohortWithoutGroups(t *testing.T) {
	batch := filepath.Join(cohortFixture, "batch")
	out := t.TempDir()
	code, _, stderr := zonula(t, "", "cohort", batch, "-o", out, "--format", "html")
	if code != 0 || !strings.Contains(stderr, "cohort of 10 samples without groups; PERMANOVA not run: no groups were given") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkHTML := func(dir string, want ...string) {
		t.Helper()
		html, err := os.ReadFile(filepath.Join(dir, "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(string(html), w) {
				t.Errorf("report.html lacks %q", w)
			}
		}
	}
	checkHTML(out, "10 samples, no groups given", "The differential-abundance test was not run: no groups were given")
	subset := filepath.Join(t.TempDir(), "some.tsv")
	os.WriteFile(subset, []byte("akk1\takk\nakk2\takk\nnone1\tnone\nnone2\tnone\n"), 0o644)
	out2 := t.TempDir()
	code, _, stderr = zonula(t, "", "cohort", batch, "--groups", subset, "-o", out2, "--format", "html")
	if code != 0 || !strings.Contains(stderr, "6 samples left out (not in the groups file): akk3, akk4, akk5, none3, none4, none5") {
		t.Fatalf("subset: exit %d: %s", code, stderr)
	}
	checkHTML(out2, "Left out: not in the groups file", "6 samples (akk3, akk4, akk5, none3, none4, none5)")
}
