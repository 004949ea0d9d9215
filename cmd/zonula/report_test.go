package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestReportFromTables writes reports from a three-sample BIOM 2.1 table
// (made by python3-biom-format) and checks every section in both formats.
func TestReportFromTables(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rep")
	table := filepath.Join("..", "..", "testdata", "tables", "biom21-taxonomy.biom")
	code, _, errs := zonula(t, "", "report", "-q", table, "-o", out)
	if code != 0 {
		t.Fatalf("report: code %d: %s", code, errs)
	}
	for _, s := range []string{"S1", "S2", "S3"} {
		dir := filepath.Join(out, s)
		for _, f := range []string{"report.html", "report.pdf", "abundance.tsv", "profile.biom", "metrics.json", "run.json"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s: %v", s, err)
			}
		}
		for _, f := range []string{"reads.tsv.gz", "qc.json"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				t.Errorf("%s: %s written for a table", s, f)
			}
		}
	}
	html, err := os.ReadFile(filepath.Join(out, "S1", "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range append(reportSections, "not a diagnosis", "made by another tool", "biom2", "Faecalibacterium") {
		if !bytes.Contains(bytes.ToLower(html), bytes.ToLower([]byte(want))) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not found; install poppler-utils")
	}
	txt, err := exec.Command("pdftotext", filepath.Join(out, "S1", "report.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range append(reportSections, "made by another tool") {
		if !strings.Contains(strings.ToLower(string(txt)), strings.ToLower(want)) {
			t.Errorf("report.pdf lacks %q", want)
		}
	}
}

// TestReportMatchesRun checks that a report made from run's own
// abundance.tsv states the same diversity and indices as the run.
func TestReportMatchesRun(t *testing.T) {
	dir := t.TempDir()
	runDir, repDir := filepath.Join(dir, "run"), filepath.Join(dir, "rep")
	if code, _, errs := zonula(t, "", "run", "-q", "--format", "none", "-o", runDir, filepath.Join("..", "..", "testdata", "demo", "demo.fastq.gz")); code != 0 {
		t.Fatalf("run: code %d: %s", code, errs)
	}
	if code, _, errs := zonula(t, "", "report", "-q", "--format", "none", "--db", "", "-o", repDir, filepath.Join(runDir, "abundance.tsv")); code != 0 {
		t.Fatalf("report: code %d: %s", code, errs)
	}
	type doc struct {
		Alpha       map[string]json.RawMessage `json:"alpha"`
		Percentiles struct {
			Values map[string]float64 `json:"values"`
		} `json:"percentiles"`
		Indices []struct {
			ID    string   `json:"id"`
			Value *float64 `json:"value"`
		} `json:"indices"`
	}
	read := func(p string) doc {
		var d doc
		b, err := os.ReadFile(filepath.Join(p, "metrics.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, b := read(runDir), read(repDir)
	if !reflect.DeepEqual(a.Alpha, b.Alpha) || !reflect.DeepEqual(a.Percentiles.Values, b.Percentiles.Values) {
		t.Errorf("report from run's abundance.tsv differs:\nrun    %v %v\nreport %v %v", a.Alpha, a.Percentiles.Values, b.Alpha, b.Percentiles.Values)
	}
	if len(a.Indices) == 0 || len(a.Indices) != len(b.Indices) {
		t.Fatalf("indices: run %d, report %d", len(a.Indices), len(b.Indices))
	}
	for i := range a.Indices {
		// The GMHI-like index needs the database's species list, which a
		// table alone does not give; the others must agree.
		if a.Indices[i].ID != "IDX-01" && !reflect.DeepEqual(a.Indices[i], b.Indices[i]) {
			t.Errorf("index %s: run %v, report %v", a.Indices[i].ID, a.Indices[i].Value, b.Indices[i].Value)
		}
	}
}

func TestReportBadInput(t *testing.T) {
	dir := t.TempDir()
	ragged := filepath.Join(dir, "ragged.tsv")
	if err := os.WriteFile(ragged, []byte("#OTU ID\tA\tB\nf1\t1\t2\nf2\t3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	two := filepath.Join("..", "..", "testdata", "tables", "biom21-taxonomy.biom")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"report", "-o", filepath.Join(dir, "a"), ragged}, exitBadInput, "ragged.tsv:3"},
		{[]string{"report", "-o", filepath.Join(dir, "b"), "--sample", "x", two}, exitUsage, "one sample"},
		{[]string{"report", ragged}, exitUsage, "--out"},
	} {
		code, _, errs := zonula(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: code %d, stderr %q; want %d naming %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "a")); len(entries) != 0 {
		t.Errorf("a failed report left %d entries", len(entries))
	}
}
