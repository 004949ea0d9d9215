package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

const demoComposition = "../../testdata/demo/composition.tsv"

// simulateReads writes n demo-composition reads drawn with seed to path,
// through 'zonula simulate'.
func simulateReads(t *testing.T, path string, n int, seed int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, errs := zonula(t, "", "simulate", "--composition", demoComposition, "--reads", fmt.Sprint(n),
		"--seed", fmt.Sprint(seed), "-o", path)
	if code != 0 {
		t.Fatalf("simulate: %d: %s", code, errs)
	}
}

func TestBatchCommand(t *testing.T) {
	dir := t.TempDir()
	for i := 1; i <= 2; i++ {
		simulateReads(t, filepath.Join(dir, "reads", fmt.Sprintf("S%d.fastq.gz", i)), 300, i)
	}
	// A gzip file cut short: the broken sample of the batch.
	good, _ := os.ReadFile(filepath.Join(dir, "reads", "S1.fastq.gz"))
	os.WriteFile(filepath.Join(dir, "reads", "cut.fastq.gz"), good[:len(good)/2], 0o644)
	sheet := filepath.Join(dir, "sheet.csv")
	os.WriteFile(sheet, []byte("sample,reads,group\r\nS1,reads/S1.fastq.gz,a\r\nCUT,reads/cut.fastq.gz,a\r\nS2,reads/S2.fastq.gz,b\r\n"), 0o644)
	out := filepath.Join(dir, "out")

	code, _, errs := zonula(t, "", "batch", sheet, "-o", out, "--format", "none", "--jobs", "2", "--threads", "2")
	if code != exitPartial {
		t.Fatalf("batch with a broken sample: exit %d, want %d\n%s", code, exitPartial, errs)
	}
	for _, want := range []string{"[3/3]", "CUT FAILED", "cut.fastq.gz", "SAMPLE  STATUS", "2 done, 0 up to date, 1 failed", "1 of 3 samples failed", "cohort report of 2 samples"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	for _, f := range []string{"batch-summary.tsv", "abundance-genus.tsv", "abundance-genus.biom", "zonula_qc_mqc.tsv", "S1/run.json", "S2/report.html", "cohort/permanova.json"} {
		_, err := os.Stat(filepath.Join(out, f))
		if f == "S2/report.html" {
			if err == nil {
				t.Errorf("--format none wrote %s", f)
			}
			continue
		}
		if err != nil {
			t.Errorf("missing output: %v", err)
		}
	}

	// S1 alone through 'zonula run' with the same options: the same tables
	// and the same run.json but for times and the input's path.
	alone := filepath.Join(dir, "alone")
	if code, _, errs := zonula(t, "", "run", "--format", "none", "--sample", "S1", "--threads", "1", "-o", alone, filepath.Join(dir, "reads", "S1.fastq.gz")); code != 0 {
		t.Fatalf("run: %d: %s", code, errs)
	}
	for _, f := range []string{"reads.tsv.gz", "abundance.tsv", "metrics.json", "qc.json", "profile.biom"} {
		a, _ := os.ReadFile(filepath.Join(out, "S1", f))
		b, _ := os.ReadFile(filepath.Join(alone, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("S1/%s: batch and run differ", f)
		}
	}
	runJSON := func(path string) string {
		var rec map[string]any
		data, _ := os.ReadFile(path)
		if err := json.Unmarshal(data, &rec); err != nil {
			t.Fatal(err)
		}
		delete(rec, "started")
		delete(rec, "finished")
		for _, in := range rec["inputs"].([]any) {
			delete(in.(map[string]any), "path")
		}
		b, _ := json.Marshal(rec)
		return string(b)
	}
	if a, b := runJSON(filepath.Join(out, "S1", "run.json")), runJSON(filepath.Join(alone, "run.json")); a != b {
		t.Errorf("run.json differs beyond times and paths:\nbatch %s\nrun   %s", a, b)
	}

	// Fix the broken file: the next batch runs only that sample.
	os.WriteFile(filepath.Join(dir, "reads", "cut.fastq.gz"), good, 0o644)
	code, _, errs = zonula(t, "", "batch", sheet, "-o", out, "--format", "none")
	if code != 0 || !strings.Contains(errs, "1 done, 2 up to date, 0 failed") {
		t.Fatalf("resumed batch: exit %d\n%s", code, errs)
	}
	// The same genus table from 'zonula combine' over the sample directories.
	comb := filepath.Join(dir, "combined")
	code, _, errs = zonula(t, "", "combine", "-o", comb, filepath.Join(out, "S1"), filepath.Join(out, "CUT"), filepath.Join(out, "S2"))
	if code != 0 {
		t.Fatalf("combine: exit %d: %s", code, errs)
	}
	for _, f := range []string{"abundance-genus.tsv", "abundance-genus.biom", "zonula_qc_mqc.tsv"} {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, _ := os.ReadFile(filepath.Join(comb, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: combine and batch differ", f)
		}
	}
	if code, _, errs = zonula(t, "", "combine", "-o", comb, dir); code != exitBadInput || !strings.Contains(errs, "run.json") {
		t.Errorf("combine of a directory without outputs: exit %d: %s", code, errs)
	}
	// A sample directory whose files are not those of one complete run (as
	// a run killed while replacing them leaves it) is refused by combine
	// and cohort, naming the file, and nothing is written.
	os.WriteFile(filepath.Join(out, "S2", "abundance.tsv"), []byte("rank\ttaxon\tlineage\treads\tfraction\n"), 0o644)
	comb2 := filepath.Join(dir, "combined2")
	if code, _, errs = zonula(t, "", "combine", "-o", comb2, filepath.Join(out, "S1"), filepath.Join(out, "S2")); code != exitBadInput ||
		!strings.Contains(errs, "abundance.tsv differs from its checksum") {
		t.Errorf("combine of a tampered sample: exit %d: %s", code, errs)
	}
	coh := filepath.Join(dir, "cohort2")
	if code, _, errs = zonula(t, "", "cohort", "--format", "none", "-o", coh, filepath.Join(out, "S1"), filepath.Join(out, "S2")); code != exitBadInput ||
		!strings.Contains(errs, "abundance.tsv differs from its checksum") {
		t.Errorf("cohort of a tampered sample: exit %d: %s", code, errs)
	}
	for _, d := range []string{comb2, coh} {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s written after the refusal (%v)", d, err)
		}
	}
}

// TestBatchFlagsFollowRun fails when 'zonula run' gains an option that
// 'zonula batch' (and 'zonula workflow init') lack: a batch must be able to
// run its samples as 'run' would.
func TestBatchFlagsFollowRun(t *testing.T) {
	names := func(c *cobra.Command) map[string]bool {
		m := map[string]bool{}
		c.Flags().VisitAll(func(f *pflag.Flag) { m[f.Name] = true })
		return m
	}
	run := names(newRunCommand(nil))
	for _, c := range []*cobra.Command{newBatchCommand(), newWorkflowInitCommand()} {
		have := names(c)
		for f := range run {
			switch f {
			case "sample", "metadata", "out": // per sample, from the sheet
				continue
			}
			if !have[f] {
				t.Errorf("zonula run has --%s, zonula %s has not", f, c.Name())
			}
		}
	}
}

func TestBatchBadSheet(t *testing.T) {
	dir := t.TempDir()
	simulateReads(t, filepath.Join(dir, "S1.fastq.gz"), 10, 1)
	for _, c := range []struct {
		sheet string
		want  string
	}{
		{"sample,reads\nS1,S1.fastq.gz\nS1,S1.fastq.gz\n", `sheet.csv:3: column "sample": sample "S1" repeats the sample on line 2`},
		{"sample,reads\n../up,S1.fastq.gz\n", "sheet.csv:2:"},
		{"sample,reads,group\nS1,S1.fastq.gz\n", "sheet.csv:2: 2 cells, but the header has 3"},
	} {
		sheet := filepath.Join(dir, "sheet.csv")
		os.WriteFile(sheet, []byte(c.sheet), 0o644)
		code, _, errs := zonula(t, "", "batch", sheet, "-o", filepath.Join(dir, "out"))
		if code != exitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("sheet %q: exit %d, stderr %q; want %d and %q", c.sheet, code, errs, exitBadInput, c.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
			t.Errorf("sheet %q: a rejected sheet created the output directory", c.sheet)
		}
	}
	// A missing reads file fails its sample only, named by line up front.
	sheet := filepath.Join(dir, "sheet.csv")
	os.WriteFile(sheet, []byte("sample,reads\nS1,S1.fastq.gz\nS2,missing.fastq.gz\n"), 0o644)
	code, _, errs := zonula(t, "", "batch", sheet, "-o", filepath.Join(dir, "out"), "--format", "none")
	want := `sheet.csv:3: column "reads": reads file missing.fastq.gz: no such file or directory`
	if code != exitPartial || !strings.Contains(errs, want+" (that sample will fail") || !strings.Contains(errs, "1 done, 0 up to date, 1 failed") {
		t.Errorf("sheet with a missing file: exit %d, want %d:\n%s", code, exitPartial, errs)
	}
	if sum, _ := os.ReadFile(filepath.Join(dir, "out", "batch-summary.tsv")); !strings.Contains(string(sum), "S2\tfailed\t0\t0\t0\t0.0\t") || !strings.Contains(string(sum), want+"\n") {
		t.Errorf("summary:\n%s", sum)
	}
	code, _, errs = zonula(t, "", "workflow", "init", filepath.Join(dir, "wf"), "--sheet", sheet)
	if code != exitBadInput || !strings.Contains(errs, want) {
		t.Errorf("workflow init with a missing file: exit %d, want %d: %s", code, exitBadInput, errs)
	}
	if code, _, _ := zonula(t, "", "batch", filepath.Join(dir, "sheet.csv")); code != exitUsage {
		t.Errorf("batch without -o: exit %d, want %d", code, exitUsage)
	}
}

// zonulaBinary builds the zonula command into a test directory, for tests
// that need it as a separate process (signals, Snakemake).
func zonulaBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "zonula")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestBatchInterruptAndResume interrupts a batch (SIGINT, as Ctrl-C) after
// its first sample and checks that it exits 130 leaving only complete
// sample directories, and that the same command then finishes the rest.
func TestBatchInterruptAndResume(t *testing.T) {
	bin := zonulaBinary(t)
	dir := t.TempDir()
	var sheet strings.Builder
	sheet.WriteString("sample,reads\n")
	for i := 1; i <= 5; i++ {
		simulateReads(t, filepath.Join(dir, fmt.Sprintf("S%d.fastq.gz", i)), 300, i)
		fmt.Fprintf(&sheet, "S%d,S%d.fastq.gz\n", i, i)
	}
	os.WriteFile(filepath.Join(dir, "sheet.csv"), []byte(sheet.String()), 0o644)
	out := filepath.Join(dir, "out")
	cmd := exec.Command(bin, "batch", filepath.Join(dir, "sheet.csv"), "-o", out, "--format", "html", "--jobs", "1", "--threads", "1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		log.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "[1/5]") {
			time.Sleep(200 * time.Millisecond) // into the second sample
			cmd.Process.Signal(syscall.SIGINT)
		}
	}
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("interrupted batch: %v, want exit %d\n%s", err, exitInterrupted, log.String())
	}
	complete := 0
	for i := 1; i <= 5; i++ {
		sdir := filepath.Join(out, fmt.Sprintf("S%d", i))
		entries, _ := os.ReadDir(sdir)
		_, err := os.Stat(filepath.Join(sdir, "run.json"))
		switch {
		case err == nil && len(entries) == 10: // 7 outputs, the 2 MultiQC files and the manifest
			complete++
		case len(entries) != 0:
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("S%d: partial outputs after the interrupt: %v", i, names)
		}
	}
	if complete == 0 || complete == 5 {
		t.Errorf("%d samples complete after the interrupt, want some but not all\n%s", complete, log.String())
	}
	res, err := exec.Command(bin, "batch", filepath.Join(dir, "sheet.csv"), "-o", out, "--format", "html", "--jobs", "2").CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, res)
	}
	if want := fmt.Sprintf("%d done, %d up to date, 0 failed", 5-complete, complete); !strings.Contains(string(res), want) {
		t.Errorf("resume: want %q in\n%s", want, res)
	}
}

// TestWorkflowSnakemake writes the workflow for three demo samples and runs
// it with Debian's snakemake (scripts/install-test-deps.sh installs it), then
// checks the outputs, the cohort report's tables (grouped by the sheet's
// group column) among them, equal 'zonula batch' ones.
func TestWorkflowSnakemake(t *testing.T) {
	snakemake, err := exec.LookPath("snakemake")
	if err != nil {
		t.Fatal("snakemake not installed: run scripts/install-test-deps.sh (Debian package snakemake)")
	}
	bin := zonulaBinary(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "sheet.csv"), []byte("sample,reads,group,age\nA1,reads/A1.fastq.gz,x,35\nB2,reads/B2.fastq.gz,y,\nC3,reads/C3.fastq.gz,y,62\n"), 0o644)
	for i, s := range []string{"A1", "B2", "C3"} {
		simulateReads(t, filepath.Join(dir, "reads", s+".fastq.gz"), 300, 10+i)
	}
	wf := filepath.Join(dir, "wf")
	code, _, errs := zonula(t, "", "workflow", "init", wf, "--sheet", filepath.Join(dir, "sheet.csv"), "--zonula", bin, "--format", "html", "--threads", "1")
	if code != 0 {
		t.Fatalf("workflow init: exit %d: %s", code, errs)
	}
	if code, _, errs := zonula(t, "", "workflow", "init", wf); code != exitUsage || !strings.Contains(errs, "--force") {
		t.Errorf("workflow init over a workflow: exit %d, %s", code, errs)
	}
	cmd := exec.Command(snakemake, "--cores", "2", "--quiet")
	cmd.Dir = wf
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("snakemake: %v\n%s", err, out)
	}
	a1, err1 := os.ReadFile(filepath.Join(wf, "results", "A1", "report.html"))
	b2, err2 := os.ReadFile(filepath.Join(wf, "results", "B2", "report.html"))
	if err1 != nil || err2 != nil || !bytes.Contains(a1, []byte("<dt>Age</dt><dd>35</dd>")) || bytes.Contains(b2, []byte("<dt>Age</dt>")) {
		t.Errorf("the reports do not show the ages from the sheet (A1 35, B2 none) (%v, %v)", err1, err2)
	}
	// The same samples through zonula batch: equal tables.
	out := filepath.Join(dir, "batch")
	if code, _, errs := zonula(t, "", "batch", filepath.Join(dir, "sheet.csv"), "-o", out, "--format", "html"); code != 0 {
		t.Fatalf("batch: %d: %s", code, errs)
	}
	for _, f := range []string{"abundance-genus.tsv", "abundance-genus.biom", "zonula_qc_mqc.tsv", "A1/abundance.tsv", "B2/qc.json", "C3/reads.tsv.gz", "C3/metrics.json", "A1/profile.biom",
		"cohort/distances.tsv", "cohort/alpha.tsv", "cohort/permanova.tsv"} {
		a, err1 := os.ReadFile(filepath.Join(wf, "results", f))
		b, err2 := os.ReadFile(filepath.Join(out, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: workflow and batch differ (%v, %v)", f, err1, err2)
		}
	}
	// Nothing left to do: snakemake must agree the outputs are complete.
	cmd = exec.Command(snakemake, "--cores", "1", "--dry-run", "--quiet")
	cmd.Dir = wf
	if b, err := cmd.CombinedOutput(); err != nil || strings.Contains(string(b), "rule sample") {
		t.Errorf("a second snakemake would re-run jobs (%v):\n%s", err, b)
	}
}
