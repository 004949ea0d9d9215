package pipeline

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/simulate"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
	"github.com/zonula/zonula/taxonomy/refdb"
)

var (
	dbOnce sync.Once
	testDB *refdb.DB
	dbErr  error
)

func defaultDB(t *testing.T) *refdb.DB {
	t.Helper()
	dbOnce.Do(func() { testDB, dbErr = refdb.Default() })
	if dbErr != nil {
		t.Fatal(dbErr)
	}
	return testDB
}

// simulateSample writes n HiFi-like reads of the demo composition drawn with
// seed to path (gzip).
func simulateSample(t *testing.T, db *refdb.DB, path string, n int, seed uint64) {
	t.Helper()
	f, err := os.Open("../testdata/demo/composition.tsv")
	if err != nil {
		t.Fatal(err)
	}
	parts, err := simulate.ReadComposition(f, "composition.tsv")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	plat, _ := simulate.PlatformByName("hifi")
	sim, err := simulate.New(db, parts, simulate.Options{Reads: n, Seed: seed, Platform: plat})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	bw := bufio.NewWriter(gz)
	if err := sim.Each(func(r simulate.Read) error { return simulate.WriteFASTQ(bw, r) }); err != nil {
		t.Fatal(err)
	}
	bw.Flush()
	gz.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func baseConfig(db *refdb.DB) Config {
	fixed := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	return Config{
		DB: db, DBName: "embedded", QC: qc.DefaultOptions(), Classify: classify.DefaultOptions(),
		PageSize: "A4", Version: "test", Now: func() time.Time { return fixed },
		Options: []report.Option{{Name: "db", Value: "embedded"}, {Name: "format", Value: "none"}, {Name: "metadata", Value: ""}},
	}
}

type recordProgress struct {
	lines []string
}

func (p *recordProgress) SampleFinished(o SampleOutcome, done, total int) {
	p.lines = append(p.lines, fmt.Sprintf("%d/%d %s %s", done, total, o.Sample, o.Status))
}

// TestBatchMatchesRun checks deliverable 3 and the rest of batch's contract
// on three simulated samples and one broken one: the batch's per-sample
// outputs are byte-identical to Run's for each sample alone; the broken
// sample fails without stopping the others; a second batch skips every
// finished sample; a changed input or option re-runs only what it touches.
func TestBatchMatchesRun(t *testing.T) {
	db := defaultDB(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	for i, name := range []string{"S1", "S2", "S3"} {
		simulateSample(t, db, filepath.Join(in, name+".fastq.gz"), 300, uint64(100+i))
	}
	// A truncated FASTQ: the record on line 5 has no quality line.
	os.WriteFile(filepath.Join(in, "bad.fastq"), []byte("@r1\nACGT\n+\nIIII\n@r2\nACGT\n"), 0o644)
	sheetPath := filepath.Join(dir, "sheet.csv")
	os.WriteFile(sheetPath, []byte("sample,reads,group,age\nS1,in/S1.fastq.gz,a,40\nBAD,in/bad.fastq,a,\nS2,in/S2.fastq.gz,b,\nS3,in/S3.fastq.gz,b,61\n"), 0o644)
	sheet, err := OpenSamplesheet(sheetPath)
	if err != nil {
		t.Fatal(err)
	}
	base := baseConfig(db)
	clf, err := classify.New(db, base.Classify)
	if err != nil {
		t.Fatal(err)
	}
	base.Classifier = clf
	out := filepath.Join(dir, "batch")
	prog := &recordProgress{}
	res, err := Batch(context.Background(), BatchConfig{Sheet: sheet, OutDir: out, Jobs: 2, Threads: 2, Run: base}, prog)
	var be *BatchError
	if !errors.As(err, &be) || be.Failed != 1 || be.Total != 4 {
		t.Fatalf("batch error %v, want 1 of 4 failed", err)
	}
	if res.Done != 3 || res.Failed != 1 || len(prog.lines) != 4 {
		t.Fatalf("done %d failed %d, progress %v", res.Done, res.Failed, prog.lines)
	}
	bad := res.Samples[1]
	var pe interface{ Error() string }
	if bad.Sample != "BAD" || bad.Status != SampleFailed || !errors.As(bad.Err, &pe) || !strings.Contains(bad.Err.Error(), "bad.fastq") {
		t.Errorf("BAD outcome %+v, want failed naming bad.fastq", bad)
	}
	if _, err := os.Stat(filepath.Join(out, "BAD", "run.json")); err == nil {
		t.Error("the failed sample left a run.json")
	}
	if entries, _ := os.ReadDir(filepath.Join(out, "BAD")); len(entries) != 0 {
		t.Errorf("the failed sample left %d entries behind", len(entries))
	}

	// Each sample alone through Run, as `zonula run` does it (own index).
	for _, s := range sheet.Samples {
		if s.Name == "BAD" {
			continue
		}
		c := baseConfig(db)
		c.Inputs, c.OutDir, c.Sample, c.Threads = s.Reads, filepath.Join(dir, "alone", s.Name), s.Name, 1
		c.Metadata = s.Metadata
		c.Options = sampleOptions(c.Options, s.Metadata)
		if _, err := Run(context.Background(), c, nil); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"reads.tsv.gz", "abundance.tsv", "metrics.json", "qc.json", "profile.biom", "run.json"} {
			a, err1 := os.ReadFile(filepath.Join(out, s.Name, f))
			b, err2 := os.ReadFile(filepath.Join(dir, "alone", s.Name, f))
			if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
				t.Errorf("%s/%s: batch and run differ (%v, %v)", s.Name, f, err1, err2)
			}
		}
	}

	summary, err := os.ReadFile(filepath.Join(out, BatchSummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(summary)), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "sample\tstatus\t") || !strings.HasPrefix(lines[2], "BAD\tfailed\t") ||
		!strings.HasPrefix(lines[1], "S1\tdone\t300\t") || !strings.Contains(lines[2], "bad.fastq") {
		t.Errorf("summary:\n%s", summary)
	}
	checkCombined(t, out, []string{"S1", "S2", "S3"})

	// Resume: nothing to do but the broken sample.
	before, _ := os.Stat(filepath.Join(out, "S2", "run.json"))
	res, err = Batch(context.Background(), BatchConfig{Sheet: sheet, OutDir: out, Jobs: 2, Threads: 2, Run: base}, nil)
	if !errors.As(err, &be) || res.Skipped != 3 || res.Failed != 1 || res.Done != 0 {
		t.Fatalf("resume: %v, skipped %d done %d failed %d", err, res.Skipped, res.Done, res.Failed)
	}
	if res.Samples[0].InputReads != 300 || res.Samples[0].GenusReads == 0 {
		t.Errorf("a skipped sample's counts come from its qc.json: %+v", res.Samples[0])
	}
	after, _ := os.Stat(filepath.Join(out, "S2", "run.json"))
	if !before.ModTime().Equal(after.ModTime()) {
		t.Error("an up-to-date sample was run again")
	}

	// A changed input, a changed metadata cell: only those samples re-run.
	simulateSample(t, db, filepath.Join(in, "S3.fastq.gz"), 300, 999)
	os.WriteFile(sheetPath, []byte("sample,reads,group,age\nS1,in/S1.fastq.gz,a,41\nS2,in/S2.fastq.gz,b,\nS3,in/S3.fastq.gz,b,61\n"), 0o644)
	sheet, _ = OpenSamplesheet(sheetPath)
	// What a batch killed with SIGKILL leaves: a sample's staging directory
	// and a half-written combined table. Both go.
	stale := []string{filepath.Join(out, "S3", ".zonula-partial-123"), filepath.Join(out, ".abundance-genus.tsv.tmp-456")}
	os.MkdirAll(stale[0], 0o755)
	os.WriteFile(filepath.Join(stale[0], "abundance.tsv"), []byte("half"), 0o644)
	os.WriteFile(stale[1], []byte("half"), 0o644)
	res, err = Batch(context.Background(), BatchConfig{Sheet: sheet, OutDir: out, Jobs: 1, Threads: 1, Run: base}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range stale {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s left behind", f)
		}
	}
	got := []string{res.Samples[0].Status, res.Samples[1].Status, res.Samples[2].Status}
	if strings.Join(got, ",") != "done,up-to-date,done" {
		t.Errorf("after changing S1's metadata and S3's reads: %v, want done,up-to-date,done", got)
	}
	// Another option re-runs everything.
	base.Options = append(base.Options, report.Option{Name: "min-q", Value: "12"})
	res, err = Batch(context.Background(), BatchConfig{Sheet: sheet, OutDir: out, Jobs: 2, Threads: 2, Run: base}, nil)
	if err != nil || res.Done != 3 {
		t.Fatalf("after changing an option: %v, %d done, want 3", err, res.Done)
	}
	// An output changed or damaged since: that sample runs again (its
	// manifest no longer matches), the others are up to date.
	os.WriteFile(filepath.Join(out, "S2", "abundance.tsv"), []byte("edited"), 0o644)
	res, err = Batch(context.Background(), BatchConfig{Sheet: sheet, OutDir: out, Jobs: 2, Threads: 2, Run: base}, nil)
	if got := []string{res.Samples[0].Status, res.Samples[1].Status, res.Samples[2].Status}; err != nil || strings.Join(got, ",") != "up-to-date,done,up-to-date" {
		t.Errorf("after editing S2's abundance.tsv: %v %v, want up-to-date,done,up-to-date", got, err)
	}
	// A database whose header differs (a format 2 file with edited genus
	// floors keeps its header checksum): everything runs again.
	edited := *db
	edited.SHA256 = strings.Repeat("e", 64)
	base.DB = &edited
	res, err = Batch(context.Background(), BatchConfig{Sheet: sheet, OutDir: out, Jobs: 2, Threads: 2, Run: base}, nil)
	if err != nil || res.Done != 3 {
		t.Fatalf("with another database of the same header checksum: %v, %d done, want 3", err, res.Done)
	}
}

// checkCombined checks the combined tables against the samples' own
// abundance.tsv files (read back with tables.ReadTables), and loads the
// BIOM file in biom-format and the MultiQC file in MultiQC when they are
// installed.
func checkCombined(t *testing.T, out string, samples []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, CombinedGenusTSV))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if want := tables.CombinedTSVPrefix + "\t" + strings.Join(samples, "\t"); lines[0] != want {
		t.Fatalf("header %q, want %q", lines[0], want)
	}
	if !strings.HasPrefix(lines[len(lines)-1], "genus\tunclassified\t\t") {
		t.Errorf("last row %q, want unclassified", lines[len(lines)-1])
	}
	back, err := tables.ReadTables(filepath.Join(out, CombinedGenusTSV), tables.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(samples) {
		t.Fatalf("%d samples read back, want %d", len(back), len(samples))
	}
	total := 0.0
	for j, s := range samples {
		f, _ := os.Open(filepath.Join(out, s, "abundance.tsv"))
		p, err := tables.ReadTSV(f, s)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{}
		for _, row := range p.AtRank(taxonomy.Genus) {
			if row.Reads > 0 {
				want[row.Lineage.String()] = row.Reads
			}
			total += row.Reads
		}
		got := map[string]float64{}
		for _, row := range back[j].AtRank(taxonomy.Genus) {
			if row.Reads > 0 {
				got[row.Lineage.String()] = row.Reads
			}
		}
		if back[j].Sample != s || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: the combined table reads back as %s %v, the sample's own table has %v", s, back[j].Sample, got, want)
		}
	}
	cells := lines[1:]
	if _, err := exec.LookPath("/usr/bin/python3"); err == nil && exec.Command("/usr/bin/python3", "-c", "import biom").Run() == nil {
		script := `import sys, biom
t = biom.load_table(sys.argv[1])
print(",".join(t.ids()), int(t.sum()), t.shape[0])
`
		b, err := exec.Command("/usr/bin/python3", "-c", script, filepath.Join(out, CombinedGenusBIOM)).CombinedOutput()
		if err != nil {
			t.Fatalf("biom-format cannot load %s: %v\n%s", CombinedGenusBIOM, err, b)
		}
		if want := fmt.Sprintf("%s %.0f %d", strings.Join(samples, ","), total, len(cells)); strings.TrimSpace(string(b)) != want {
			t.Errorf("biom-format reads %q, want %q", strings.TrimSpace(string(b)), want)
		}
	} else {
		t.Log("python3-biom-format not installed: BIOM load check skipped")
	}
	if mqc, err := exec.LookPath("multiqc"); err == nil {
		mdir := t.TempDir()
		b, err := exec.Command(mqc, "--no-ansi", "-q", "-o", mdir, out).CombinedOutput()
		if err != nil {
			t.Fatalf("multiqc: %v\n%s", err, b)
		}
		gs, err := os.ReadFile(filepath.Join(mdir, "multiqc_data", "multiqc_general_stats.txt"))
		if err != nil {
			t.Fatalf("multiqc wrote no general stats: %v\n%s", err, b)
		}
		for _, s := range samples {
			if !strings.Contains(string(gs), s) {
				t.Errorf("MultiQC general stats lack %s:\n%s", s, gs)
			}
		}
		// The samples' own MultiQC files and the combined table give one set
		// of columns.
		header := strings.Split(strings.SplitN(string(gs), "\n", 2)[0], "\t")
		seen := map[string]int{}
		for _, h := range header[1:] {
			seen[h[strings.LastIndex(h, "-")+1:]]++
		}
		for _, key := range []string{"reads", "passed", "passed_pct", "genus_pct"} {
			if seen[key] != 1 {
				t.Errorf("MultiQC general stats: column %s %d times in %q", key, seen[key], header)
			}
		}
	} else {
		t.Log("multiqc not installed: MultiQC check skipped")
	}
}

func TestBatchCancelled(t *testing.T) {
	db := defaultDB(t)
	dir := t.TempDir()
	simulateSample(t, db, filepath.Join(dir, "S1.fastq.gz"), 300, 1)
	sheet := &Samplesheet{Samples: []SheetSample{{Name: "S1", Reads: []string{filepath.Join(dir, "S1.fastq.gz")}}}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Batch(ctx, BatchConfig{Sheet: sheet, OutDir: filepath.Join(dir, "out"), Run: baseConfig(db)}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled batch: %v", err)
	}
	if res.Samples[0].Status != SampleInterrupted {
		t.Errorf("status %q, want interrupted", res.Samples[0].Status)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "S1", "run.json")); err == nil {
		t.Error("a cancelled sample left outputs")
	}
	if _, err := os.Stat(filepath.Join(dir, "out", CombinedGenusTSV)); err == nil {
		t.Error("a cancelled batch wrote combined tables")
	}
}

func TestSampleOptions(t *testing.T) {
	opts := []report.Option{{Name: "db", Value: "x"}, {Name: "metadata", Value: "m.yaml"}}
	if got := sampleOptions(opts, report.Metadata{}); got[1].Value != "" || opts[1].Value != "m.yaml" {
		t.Errorf("no metadata: %v (template %v)", got, opts)
	}
	age := 40.0
	a := sampleOptions(opts, report.Metadata{Age: &age})
	age2 := 41.0
	b := sampleOptions(opts, report.Metadata{Age: &age2})
	if !strings.HasPrefix(a[1].Value, "samplesheet sha256:") || a[1].Value == b[1].Value {
		t.Errorf("metadata options %q and %q: want distinct checksums", a[1].Value, b[1].Value)
	}
}
