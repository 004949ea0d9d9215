package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/taxonomy"
)

const demoReads = "../../testdata/demo/demo.fastq.gz"

var update = flag.Bool("update", false, "rewrite the golden files in testdata/demo/golden")

// checkGolden compares an output with its golden copy; -update rewrites it.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("../../testdata/demo/golden", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (%v); if intended: go test ./cmd/zonula -update, then read the git diff", name, path, err)
	}
}

// zonula runs the command line in-process and returns the exit code and output.
func zonula(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := zonula(t, "", "version")
	if code != 0 || !strings.Contains(out, "zonula ") || !strings.Contains(out, "rrna16s-gold") {
		t.Fatalf("version: code %d, output %q", code, out)
	}
}

func TestDBInfo(t *testing.T) {
	code, out, errs := zonula(t, "", "db", "info")
	if code != 0 {
		t.Fatalf("db info: code %d: %s", code, errs)
	}
	for _, want := range []string{"sequences\t5181", "genera\t1196", "genera_with_cohesion\t638", "license\tBSD-3-Clause", "sha256\t"} {
		if !strings.Contains(out, want) {
			t.Errorf("db info output lacks %q:\n%s", want, out)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.fastq")
	os.WriteFile(empty, nil, 0o644)
	junk := filepath.Join(dir, "junk.fastq")
	os.WriteFile(junk, []byte("\x00\x01\x02binary junk\xff\xfe"), 0o644)
	badq := filepath.Join(dir, "badq.fastq")
	os.WriteFile(badq, []byte("@r1\nACGTACGT\n+\nIIII\n"), 0o644)
	badDB := filepath.Join(dir, "bad.zdb")
	os.WriteFile(badDB, []byte("zonula-db {\"format\":1}\nnot zstd"), 0o644)
	for _, c := range []struct {
		name string
		args []string
		want int
	}{
		{"unknown flag", []string{"run", "--no-such-flag", demoReads, "-o", dir}, exitUsage},
		{"missing out", []string{"run", demoReads}, exitUsage},
		{"no inputs", []string{"run", "-o", dir}, exitUsage},
		{"bad format", []string{"run", demoReads, "-o", dir, "--format", "docx"}, exitUsage},
		{"unknown command", []string{"frobnicate"}, exitFailure},
		{"missing file", []string{"run", filepath.Join(dir, "nope.fq"), "-o", filepath.Join(dir, "o1")}, exitBadInput},
		{"empty file", []string{"run", empty, "-o", filepath.Join(dir, "o2")}, exitBadInput},
		{"binary junk", []string{"run", junk, "-o", filepath.Join(dir, "o3")}, exitBadInput},
		{"quality length", []string{"run", badq, "-o", filepath.Join(dir, "o4")}, exitBadInput},
		{"missing db", []string{"run", demoReads, "--db", filepath.Join(dir, "none.zdb"), "-o", filepath.Join(dir, "o5")}, exitDatabase},
		{"corrupt db", []string{"db", "info", badDB}, exitDatabase},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := zonula(t, "", c.args...)
			if code != c.want {
				t.Fatalf("exit %d, want %d; stderr: %s", code, c.want, errs)
			}
			if c.want == exitBadInput && !strings.Contains(errs, dir) {
				t.Errorf("error does not name the file: %s", errs)
			}
		})
	}
	// A failed run leaves no outputs behind.
	for _, o := range []string{"o1", "o2", "o3", "o4", "o5"} {
		entries, _ := os.ReadDir(filepath.Join(dir, o))
		if len(entries) > 0 {
			t.Errorf("failed run left %d entries in %s (first %s)", len(entries), o, entries[0].Name())
		}
	}
}

// demoTruth returns the reads of each true genus in the demo sample.
func demoTruth(t *testing.T) map[string]float64 { return genusTruth(t, demoReads) }

// genusTruth returns the reads of each true genus in a gzipped FASTQ file
// that zonula simulate wrote, from its read descriptions
// ("lineage=d__…;g__X;s__…").
func genusTruth(t *testing.T, path string) map[string]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string]float64{}
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 0; sc.Scan(); n++ {
		if n%4 != 0 {
			continue
		}
		_, lin, ok := strings.Cut(sc.Text(), " lineage=")
		if !ok {
			t.Fatalf("read header without truth: %s", sc.Text())
		}
		l, err := taxonomy.ParsePrefixed(lin)
		if err != nil {
			t.Fatal(err)
		}
		truth[l[taxonomy.Genus]]++
	}
	return truth
}

func topN(m map[string]float64, n int) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int {
		if m[a] != m[b] {
			if m[a] > m[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return names[:min(n, len(names))]
}

func TestDemoEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end run skipped in -short mode")
	}
	out := t.TempDir()
	code, _, errs := zonula(t, "", "run", demoReads, "--sample", "demo", "-o", out, "--quiet")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	for _, name := range []string{"report.html", "report.pdf", "reads.tsv.gz", "abundance.tsv", "profile.biom", "metrics.json", "qc.json", "run.json"} {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Size() == 0 {
			t.Errorf("output %s missing or empty (%v)", name, err)
		}
	}
	est := genusReads(t, filepath.Join(out, "abundance.tsv"))
	truth := demoTruth(t)
	// Bray–Curtis between estimated and true genus counts: Σ|a−b| / Σ(a+b).
	var diff, total float64
	for g := range merge(est, truth) {
		a, b := est[g], truth[g]
		diff += abs(a - b)
		total += a + b
	}
	bc := diff / total
	t.Logf("Bray–Curtis estimated vs true genus counts: %.4f", bc)
	// Tolerance: HiFi-like reads from database sequences should all be
	// assigned to their genus; 0.01 allows 1 % of reads to go astray.
	if bc > 0.01 {
		t.Errorf("Bray–Curtis %.4f > 0.01 between estimated and true genus composition", bc)
	}
	gotTop, wantTop := topN(est, 5), topN(truth, 5)
	t.Logf("top-5 genera: got %v, truth %v", gotTop, wantTop)
	if !slices.Equal(gotTop, wantTop) {
		t.Errorf("top-5 genera %v, want %v", gotTop, wantTop)
	}
	for _, name := range []string{"abundance.tsv", "profile.biom", "qc.json"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, name, b)
	}
	checkReport(t, out)
}

func merge(a, b map[string]float64) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// reportSections are the section titles every report must show, in HTML and PDF.
var reportSections = []string{
	"Summary", "Sequencing quality", "Composition", "Diversity",
	"Barrier-related taxa", "Indices", "Guidance", "Limitations", "References",
}

func checkReport(t *testing.T, out string) {
	t.Helper()
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(reportSections, "not a diagnosis", "rrna16s-gold", "Bacteroides") {
		if !bytes.Contains(bytes.ToLower(html), bytes.ToLower([]byte(s))) {
			t.Errorf("report.html lacks %q", s)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not found (install poppler-utils)")
		}
		t.Skip("pdftotext not found; install poppler-utils")
	}
	txt, err := exec.Command("pdftotext", "-layout", filepath.Join(out, "report.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	lower := strings.ToLower(string(txt))
	for _, s := range append(reportSections, "not a diagnosis", "rrna16s-gold", "Bacteroides") {
		if !strings.Contains(lower, strings.ToLower(s)) {
			t.Errorf("report.pdf text lacks %q", s)
		}
	}
}

func TestRunDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end run skipped in -short mode")
	}
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if code, _, errs := zonula(t, "", "run", demoReads, "-o", dir, "--format", "none", "--threads", "2", "--quiet"); code != 0 {
			t.Fatalf("run: exit %d: %s", code, errs)
		}
	}
	for _, name := range []string{"reads.tsv.gz", "abundance.tsv", "profile.biom", "metrics.json", "qc.json"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two identical runs (%d vs %d bytes)", name, len(x), len(y))
		}
	}
}

func TestRunStdin(t *testing.T) {
	out := t.TempDir()
	fq := "@r1\n" + strings.Repeat("ACGT", 300) + "\n+\n" + strings.Repeat("I", 1200) + "\n"
	code, _, errs := zonula(t, fq, "run", "-", "-o", out, "--format", "none", "--quiet")
	if code != 0 {
		t.Fatalf("run -: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil || !bytes.Contains(b, []byte(`"path": "-"`)) {
		t.Errorf("run.json does not record stdin as input: %s", b)
	}
}

func TestRunWithMetadata(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end run skipped in -short mode")
	}
	dir := t.TempDir()
	md := filepath.Join(dir, "meta.yaml")
	os.WriteFile(md, []byte("age: 62\nsymptoms: [bloating, weight loss]\nlabs:\n  calprotectin_ug_g: 240\n"), 0o644)
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("age: 62\nsymptom: [typo]\n"), 0o644)
	if code, _, errs := zonula(t, "", "run", demoReads, "--metadata", bad, "-o", filepath.Join(dir, "bad"), "-q"); code != exitBadInput || !strings.Contains(errs, "bad.yaml") {
		t.Errorf("misspelt metadata key: exit %d, stderr %q", code, errs)
	}
	out := filepath.Join(dir, "out")
	if code, _, errs := zonula(t, "", "run", demoReads, "--metadata", md, "-o", out, "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	alert := bytes.Index(html, []byte("See a clinician first"))
	summary := bytes.Index(html, []byte(`id="summary"`))
	if alert < 0 || summary < 0 || alert > summary {
		t.Errorf("red-flag alert missing or after the summary (alert at %d, summary at %d)", alert, summary)
	}
	for _, want := range []string{"weight loss", "240 µg/g", "Lab markers"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	txt, err := exec.Command("pdftotext", filepath.Join(out, "report.pdf"), "-").Output()
	if err == nil && !strings.Contains(string(txt), "See a clinician first") {
		t.Error("report.pdf lacks the red-flag alert")
	}
}
