package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/qc"
)

// simRead is one simulated read turned to the 16S sense strand.
type simRead struct {
	id, seq, qual string
}

func revComp(s string) string {
	c := map[byte]byte{'A': 'T', 'C': 'G', 'G': 'C', 'T': 'A', 'M': 'K', 'K': 'M', 'R': 'Y', 'Y': 'R', 'N': 'N'}
	out := make([]byte, len(s))
	for i := range len(s) {
		out[len(s)-1-i] = c[s[i]]
	}
	return string(out)
}

func reverse(s string) string {
	out := []byte(s)
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// senseReads simulates n HiFi reads with zonula simulate, turns each to the
// sense strand (by the strand= in its description) and cuts 60 bases off
// both ends, which removes whatever primer sites the references carry.
func senseReads(t *testing.T, n int) []simRead {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sim.fastq")
	if code, _, errs := zonula(t, "", "simulate", "--composition", "../../testdata/demo/composition.tsv",
		"--reads", fmt.Sprint(n), "--seed", "4", "-o", path); code != 0 {
		t.Fatalf("simulate: %d %s", code, errs)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var reads []simRead
	for i := 0; i+3 < len(lines); i += 4 {
		id, _, _ := strings.Cut(lines[i][1:], " ")
		seq, qual := lines[i+1], lines[i+3]
		if strings.Contains(lines[i], "strand=-") {
			seq, qual = revComp(seq), reverse(qual)
		}
		reads = append(reads, simRead{id: id, seq: seq[60 : len(seq)-60], qual: qual[60 : len(qual)-60]})
	}
	if len(reads) != n {
		t.Fatalf("simulated %d reads, want %d", len(reads), n)
	}
	return reads
}

// writeReads writes reads as FASTQ, wrapping each between fwd and the
// reverse complement of rev when fwd is not empty, and writing every second
// read as its reverse complement. It returns the ids written antisense.
func writeReads(t *testing.T, path string, reads []simRead, fwd, rev string, extra string) map[string]bool {
	t.Helper()
	var b strings.Builder
	anti := map[string]bool{}
	for i, r := range reads {
		seq, qual := r.seq, r.qual
		if fwd != "" {
			seq = fwd + seq + revComp(rev)
			qual = strings.Repeat("I", len(fwd)) + qual + strings.Repeat("I", len(rev))
		}
		if i%2 == 1 {
			seq, qual = revComp(seq), reverse(qual)
			anti[r.id] = true
		}
		fmt.Fprintf(&b, "@%s\n%s\n+\n%s\n", r.id, seq, qual)
	}
	b.WriteString(extra)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return anti
}

// qcJSON is the part of qc.json these tests read.
type qcJSON struct {
	Options qc.Options `json:"options"`
	Reads   qc.Summary `json:"reads"`
	Orient  struct {
		Reverse       int64   `json:"reverse_complemented"`
		Share         float64 `json:"reverse_complemented_share"`
		ByPrimers     int64   `json:"by_primers"`
		ByClassifier  int64   `json:"by_classifier"`
		Disagreements int64   `json:"primer_classifier_disagreements"`
	} `json:"orientation"`
}

func runQC(t *testing.T, in string, args ...string) (qcJSON, map[string][]string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	code, _, errs := zonula(t, "", append([]string{"run", in, "-o", out, "--format", "none", "-q"}, args...)...)
	if code != 0 {
		t.Fatalf("run %v: exit %d: %s", args, code, errs)
	}
	var q qcJSON
	b, err := os.ReadFile(filepath.Join(out, "qc.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "reads.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	sc := bufio.NewScanner(gz)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 7 {
			t.Fatalf("reads.tsv.gz row with %d columns: %q", len(fields), sc.Text())
		}
		rows[fields[0]] = fields
	}
	return q, rows, out
}

// TestRunPrimers runs zonula on simulated reads with 27F/1492R added (half
// of them written antisense), without primers, and with user primers, and
// checks statuses and reasons in reads.tsv.gz and the counts in qc.json.
func TestRunPrimers(t *testing.T) {
	const n = 120
	reads := senseReads(t, n)
	dir := t.TempDir()
	// Two low-complexity reads (3-mer entropy 1 and 2 bits) inside the length window.
	junk := fq("dinuc", 1400, "AC") + fq("tetra", 1400, "AACG")

	withPrimers := filepath.Join(dir, "primers.fastq")
	anti := writeReads(t, withPrimers, reads, qc.Primer27F().Seq, qc.Primer1492R().Seq, junk)
	q, rows, out := runQC(t, withPrimers)
	p := q.Reads.Primers
	if p == nil || p.Searched != n+2 || p.Both != n || p.None != 2 || p.Antisense != int64(len(anti)) || p.ByPrimer["27F"] != n {
		t.Errorf("primer counts %+v, want %d both found, %d antisense", p, n, len(anti))
	}
	// Exact primers: 20 + 19 bases trimmed from every read.
	if p != nil && p.TrimmedBases != int64(n*(len(qc.Primer27F().Seq)+len(qc.Primer1492R().Seq))) {
		t.Errorf("trimmed %d bases, want %d", p.TrimmedBases, n*39)
	}
	if q.Reads.Filtered[qc.ReasonLowComplexity] != 2 || q.Reads.PassedReads != n {
		t.Errorf("filtered %v, passed %d", q.Reads.Filtered, q.Reads.PassedReads)
	}
	if o := q.Orient; o.ByPrimers != n || o.ByClassifier != 0 || o.Reverse != int64(len(anti)) || o.Disagreements != 0 {
		t.Errorf("orientation %+v, want all %d by primers, %d reversed", o, n, len(anti))
	}
	for _, id := range []string{"dinuc", "tetra"} {
		if r := rows[id]; r == nil || r[1] != "filtered" || r[6] != qc.ReasonLowComplexity {
			t.Errorf("reads.tsv.gz row %v, want filtered with reason %s", r, qc.ReasonLowComplexity)
		}
	}
	classified := 0
	for _, r := range reads {
		row := rows[r.id]
		if row == nil || row[1] == "filtered" {
			t.Fatalf("read %s: row %v", r.id, row)
		}
		if row[1] == "classified" {
			classified++
		}
	}
	if classified < n*9/10 {
		t.Errorf("%d of %d primer-trimmed reads classified", classified, n)
	}
	// MultiQC files are written by default.
	for _, name := range []string{"primers.zonula_general_mqc.json", "primers.zonula_lengths_mqc.json"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !json.Valid(b) {
			t.Errorf("%s: %v", name, err)
		}
	}

	// --no-primer-trim: primers found, nothing cut.
	q, _, _ = runQC(t, withPrimers, "--no-primer-trim", "--no-multiqc")
	if p := q.Reads.Primers; p == nil || p.Both != n || p.TrimmedBases != 0 || !q.Options.KeepPrimers {
		t.Errorf("--no-primer-trim: %+v", p)
	}

	// Without primers: none found, orientation by the classifier;
	// --require-primers filters every read with reason no_primers.
	noPrimers := filepath.Join(dir, "noprimers.fastq")
	writeReads(t, noPrimers, reads, "", "", "")
	q, _, _ = runQC(t, noPrimers)
	if p := q.Reads.Primers; p == nil || p.None != n {
		t.Errorf("no primers: %+v", p)
	}
	if o := q.Orient; o.ByClassifier != n || o.Reverse != int64(len(anti)) {
		t.Errorf("no primers: orientation %+v, want %d reversed by the classifier", o, len(anti))
	}
	q, rows, _ = runQC(t, noPrimers, "--require-primers")
	if q.Reads.PassedReads != 0 || q.Reads.Filtered[qc.ReasonNoPrimers] != n {
		t.Errorf("--require-primers: passed %d, filtered %v", q.Reads.PassedReads, q.Reads.Filtered)
	}
	if r := rows[reads[0].id]; r[1] != "filtered" || r[6] != qc.ReasonNoPrimers {
		t.Errorf("--require-primers row %v", r)
	}
	q, _, _ = runQC(t, noPrimers, "--no-primer-search")
	if q.Reads.Primers != nil || q.Orient.ByClassifier != n {
		t.Errorf("--no-primer-search: %+v %+v", q.Reads.Primers, q.Orient)
	}

	// User primers (made-up sequences) are found; the defaults are not
	// searched for.
	fwd, rev := "GATTACAGGCCTTAAGCTCA", "TCCGATGCAAGTCGGATCAT"
	custom := filepath.Join(dir, "custom.fastq")
	writeReads(t, custom, reads, fwd, rev, "")
	pfile := filepath.Join(dir, "primers.txt")
	os.WriteFile(pfile, []byte("# lab primers\nmyF "+fwd+" myR "+rev+"\n"), 0o644)
	q, _, _ = runQC(t, custom, "--primers", pfile, "--require-primers")
	if p := q.Reads.Primers; p == nil || p.Both != n || p.ByPrimer["myF"] != n || p.ByPrimer["27F"] != 0 || q.Reads.PassedReads != n {
		t.Errorf("--primers: %+v, passed %d", p, q.Reads.PassedReads)
	}

	// A bad primer file is bad input: exit 3, file and line named.
	bad := filepath.Join(dir, "bad-primers.txt")
	os.WriteFile(bad, []byte("myF ACGT myR\n"), 0o644)
	code, _, errs := zonula(t, "", "run", custom, "-o", filepath.Join(dir, "o-bad"), "--primers", bad, "--format", "none")
	if code != exitBadInput || !strings.Contains(errs, bad+":1:") {
		t.Errorf("bad primer file: exit %d, %q", code, errs)
	}
}

// TestRunBarcodeDirectory reads an ONT barcode directory as one sample.
func TestRunBarcodeDirectory(t *testing.T) {
	dir := t.TempDir()
	bc := filepath.Join(dir, "fastq_pass", "barcode01")
	os.MkdirAll(bc, 0o755)
	good := realReads(t, 30)
	lines := strings.SplitAfter(good, "\n")
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(strings.Join(lines[40:], "")))
	w.Close()
	os.WriteFile(filepath.Join(bc, "FAX1_pass_barcode01_0.fastq"), []byte(strings.Join(lines[:40], "")), 0o644)
	os.WriteFile(filepath.Join(bc, "FAX1_pass_barcode01_1.fastq.gz"), gz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(bc, "sequencing_summary.txt"), []byte("not reads\n"), 0o644)
	q, _, out := runQC(t, bc+string(filepath.Separator))
	if q.Reads.InputReads != 30 {
		t.Errorf("barcode directory: %d reads, want 30", q.Reads.InputReads)
	}
	if _, err := os.Stat(filepath.Join(out, "barcode01.zonula_general_mqc.json")); err != nil {
		t.Errorf("sample not named after the barcode: %v", err)
	}
	var run struct {
		Sample string `json:"sample"`
		Inputs []struct {
			Path string `json:"path"`
		} `json:"inputs"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "run.json"))
	json.Unmarshal(b, &run)
	if run.Sample != "barcode01" || len(run.Inputs) != 2 {
		t.Errorf("run.json: sample %q, inputs %+v", run.Sample, run.Inputs)
	}

	// A directory without reads, and a whole fastq_pass/: exit 3 naming it.
	empty := filepath.Join(dir, "fastq_pass", "barcode02")
	os.MkdirAll(empty, 0o755)
	for _, c := range []struct{ in, msg string }{
		{empty, "no read files"},
		{filepath.Join(dir, "fastq_pass"), "barcode directories"},
	} {
		out := filepath.Join(dir, "o-"+filepath.Base(c.in))
		code, _, errs := zonula(t, "", "run", c.in, "-o", out, "--format", "none")
		if code != exitBadInput || !strings.Contains(errs, c.in) || !strings.Contains(errs, c.msg) {
			t.Errorf("%s: exit %d, %q", c.in, code, errs)
		}
		if entries, _ := os.ReadDir(out); len(entries) > 0 {
			t.Errorf("failed run left %d entries", len(entries))
		}
	}
}

// TestQCFlagsReachWorkflow checks that 'zonula workflow init' passes the QC
// and primer flags to every job's 'zonula run' (primers file made absolute)
// and refuses a bad primer file up front.
func TestQCFlagsReachWorkflow(t *testing.T) {
	dir := t.TempDir()
	pfile := filepath.Join(dir, "my primers.txt")
	os.WriteFile(pfile, []byte("F ACGTACGTAC R TTGGCCAATT\n"), 0o644)
	wf := filepath.Join(dir, "wf")
	code, _, errs := zonula(t, "", "workflow", "init", wf, "--primers", pfile, "--require-primers", "--max-ee-per-kb", "20", "--min-entropy", "4")
	if code != 0 {
		t.Fatalf("workflow init: exit %d: %s", code, errs)
	}
	cfg, err := os.ReadFile(filepath.Join(wf, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--require-primers", "--max-ee-per-kb 20", "--min-entropy 4", "--primers '" + pfile + "'"} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config.yaml lacks %q:\n%s", want, cfg)
		}
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("F ACGT\n"), 0o644)
	if code, _, errs := zonula(t, "", "workflow", "init", filepath.Join(dir, "wf2"), "--primers", bad); code != exitBadInput || !strings.Contains(errs, bad+":1:") {
		t.Errorf("bad primer file: exit %d: %s", code, errs)
	}
	if code, _, _ := zonula(t, "", "batch", "x.csv", "-o", dir, "--no-primer-search", "--require-primers"); code != exitUsage {
		t.Errorf("batch with contradictory primer flags: exit %d, want %d", code, exitUsage)
	}
}

// TestFASTAErrorRate runs Nanopore-like reads without their qualities:
// zonula estimates their error rate from the sample (qc.json
// classification.no_quality_error_rate) and names most of them to genus, as
// it does the FASTQ; --error-rate overrides the estimate.
func TestFASTAErrorRate(t *testing.T) {
	dir := t.TempDir()
	fq := filepath.Join(dir, "r9.fastq")
	if code, _, errs := zonula(t, "", "simulate", "--composition", demoComposition, "--reads", "400",
		"--platform", "ont-r9", "--seed", "21", "-o", fq); code != 0 {
		t.Fatalf("simulate: %s", errs)
	}
	b, err := os.ReadFile(fq)
	if err != nil {
		t.Fatal(err)
	}
	var fa strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		switch i % 4 {
		case 0:
			fa.WriteString(">" + line[1:] + "\n")
		case 1:
			fa.WriteString(line + "\n")
		}
	}
	fasta := filepath.Join(dir, "r9.fasta")
	if err := os.WriteFile(fasta, []byte(fa.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	classification := func(args ...string) (rate, genusShare float64) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "out")
		if code, _, errs := zonula(t, "", append([]string{"run", fasta, "-o", out, "--format", "none", "-q"}, args...)...); code != 0 {
			t.Fatalf("run %v: %s", args, errs)
		}
		var q struct {
			Classification struct {
				Reads      float64   `json:"reads"`
				AssignedAt []float64 `json:"assigned_at"`
				Rate       float64   `json:"no_quality_error_rate"`
			} `json:"classification"`
		}
		b, err := os.ReadFile(filepath.Join(out, "qc.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatal(err)
		}
		c := q.Classification
		return c.Rate, c.AssignedAt[5] / c.Reads
	}
	rate, share := classification()
	t.Logf("estimated error rate %.4f; %.3f of reads named to genus", rate, share)
	if rate < 0.03 || rate > 0.08 || share < 0.9 {
		t.Errorf("estimated error rate %.4f (want 0.03–0.08), %.3f named to genus (want ≥ 0.9)", rate, share)
	}
	rate, share = classification("--error-rate", "0.001")
	if rate != 0.001 || share > 0.7 {
		t.Errorf("--error-rate 0.001: rate %.4f, %.3f named to genus (want fewer)", rate, share)
	}
	if code, _, _ := zonula(t, "", "run", fasta, "-o", filepath.Join(dir, "bad"), "--error-rate", "0.5"); code != exitUsage {
		t.Errorf("--error-rate 0.5: exit %d, want %d", code, exitUsage)
	}
}
