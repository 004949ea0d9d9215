package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
)

// Batch output files written into BatchConfig.OutDir beside the sample
// directories.
const (
	BatchSummaryFile   = "batch-summary.tsv"
	CombinedGenusTSV   = "abundance-genus.tsv"
	CombinedGenusBIOM  = "abundance-genus.biom"
	CombinedMultiQCTSV = "zonula_qc_mqc.tsv"
)

// BatchConfig is a batch: the samples, where their outputs go, how many run
// at once, and the per-sample run settings.
type BatchConfig struct {
	Sheet  *Samplesheet
	OutDir string // one subdirectory per sample, named after it
	// Jobs is how many samples run at once; ≤ 0 picks DefaultJobs.
	Jobs int
	// Threads is the classification threads of the whole batch, split
	// evenly between the Jobs samples in flight (at least one each); ≤ 0
	// means GOMAXPROCS.
	Threads int
	// Run is the template of every sample's Config: DB, DBName, QC,
	// Classify, HTML, PDF, PageSize, Version, Commit, Options and Now are
	// used as they are; Inputs, OutDir, Sample, Metadata and Threads are set
	// per sample, and Classifier once for all (from Run.Classifier when set,
	// else built from DB).
	Run Config
	// Force re-runs samples whose outputs are up to date.
	Force bool
}

// Sample states in a batch.
const (
	SampleDone        = "done"        // run now
	SampleSkipped     = "up-to-date"  // outputs from an earlier run match the inputs and options
	SampleFailed      = "failed"      // the run failed; Error says why
	SampleInterrupted = "interrupted" // the batch was cancelled before the sample finished
)

// SampleOutcome is the small summary a batch keeps per sample.
type SampleOutcome struct {
	Sample      string
	Status      string // SampleDone, SampleSkipped, SampleFailed or SampleInterrupted
	InputReads  int64  // reads in the input (from qc.json for skipped samples)
	PassedReads int64  // reads that passed QC
	GenusReads  int64  // reads classified to genus or deeper
	Seconds     float64
	Err         error // non-nil when Status is SampleFailed
}

// BatchResult is what a batch did.
type BatchResult struct {
	Samples                 []SampleOutcome // in sheet order
	Done, Skipped, Failed   int
	Files                   []string // combined outputs written into OutDir
	Jobs, ThreadsPerSample  int
	IndexSeconds, WallTotal float64 // index build time (0 when no sample ran); whole batch, when it completed
	// Cohort is the cohort report written into OutDir/cohort/
	// (writeBatchCohort); nil when none was, and CohortSkipped says why.
	Cohort        *CohortResult
	CohortSkipped string
}

// BatchError reports that some samples failed while the others completed
// (exit status 5).
type BatchError struct{ Failed, Total int }

func (e *BatchError) Error() string {
	return fmt.Sprintf("%d of %d samples failed (see %s)", e.Failed, e.Total, BatchSummaryFile)
}

// BatchProgress hears about each sample as it finishes; calls come from one
// goroutine at a time. done counts the samples finished so far, of total.
type BatchProgress interface {
	SampleFinished(o SampleOutcome, done, total int)
}

// DefaultJobs is the number of samples run at once when BatchConfig.Jobs is
// not set: one per core, at most 8 (classification scales within a sample
// too, so more samples in flight would only add memory), at most n samples.
func DefaultJobs(cores, n int) int {
	return max(1, min(cores, 8, n))
}

// Batch runs every sample of cfg.Sheet into cfg.OutDir/SAMPLE/ with Run, up
// to cfg.Jobs at a time, sharing one database and classifier index. A
// sample whose run.json already records the same sample name, zonula
// version, database checksum, options and input checksums, with its outputs
// present, is skipped (resume after a crash; cfg.Force re-runs it). A failed
// sample never stops the others; nor does one whose reads the sheet could
// not find (SheetSample.Unreadable: it fails at once). Memory is flat in the number of samples:
// each finished sample leaves only a SampleOutcome behind.
//
// At the end Batch writes batch-summary.tsv (every sample) and, from the
// outputs of the samples done or up to date, the combined tables (Combine)
// and the cohort report in DIR/cohort/ (writeBatchCohort).
// It returns a *BatchError when some samples failed, and the context's error
// when cancelled (in-flight samples then leave no partial outputs, as Run
// stages them).
func Batch(ctx context.Context, cfg BatchConfig, prog BatchProgress) (*BatchResult, error) {
	start := time.Now()
	if cfg.Sheet == nil || len(cfg.Sheet.Samples) == 0 {
		return nil, errors.New("batch: no samples")
	}
	if cfg.Run.DB == nil {
		return nil, errors.New("batch: no reference database")
	}
	n := len(cfg.Sheet.Samples)
	jobs, perSample := BatchShares(cfg.Threads, cfg.Jobs, n)
	res := &BatchResult{Samples: make([]SampleOutcome, n), Jobs: jobs, ThreadsPerSample: perSample}
	// One batch per directory: a second one (or a run into it) stops here
	// and touches nothing. The lock also clears what a killed batch left.
	lock, err := safefile.LockDir(cfg.OutDir)
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	// Temporary files an older zonula killed while writing its own outputs
	// left beside them (this one stages them).
	for _, name := range []string{BatchSummaryFile, CombinedGenusTSV, CombinedGenusBIOM, CombinedMultiQCTSV} {
		stale, _ := filepath.Glob(filepath.Join(lock.Dir(), "."+name+".tmp-*"))
		for _, f := range stale {
			os.Remove(f)
		}
	}
	runSamples(ctx, cfg, res, prog)
	if err := writeBatchOutputs(ctx, cfg, lock, res); err != nil {
		return res, err
	}
	writeBatchCohort(ctx, cfg, res)
	res.WallTotal = time.Since(start).Seconds()
	if res.Failed > 0 {
		return res, &BatchError{Failed: res.Failed, Total: n}
	}
	return res, nil
}

// BatchShares returns how many samples a batch runs at once and how many
// classification threads each gets, from the threads of the whole batch
// and the jobs asked for (≤ 0: automatic, GOMAXPROCS and DefaultJobs) for n
// samples.
func BatchShares(threads, jobs, n int) (jobsAtOnce, threadsEach int) {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	if jobs <= 0 {
		jobs = DefaultJobs(threads, n)
	}
	jobs = min(jobs, n)
	return jobs, max(1, threads/jobs)
}

// runSamples runs every sample of the sheet into res.Samples, res.Jobs at
// a time, sharing one classifier index built when the first sample needs
// it (a resumed batch with nothing left to do builds none) and one genus
// catalogue for the indices' coverage. Samples not
// started when ctx is cancelled are marked interrupted.
func runSamples(ctx context.Context, cfg BatchConfig, res *BatchResult, prog BatchProgress) {
	index := sync.OnceValues(func() (*classify.Classifier, error) {
		if cfg.Run.Classifier != nil {
			return cfg.Run.Classifier, nil
		}
		t := time.Now()
		defer func() { res.IndexSeconds = time.Since(t).Seconds() }()
		return classify.New(cfg.Run.DB, cfg.Run.Classify)
	})
	catalogue := sync.OnceValue(func() *metrics.Catalogue { return catalogueOf(cfg.Run.DB) })
	n := len(cfg.Sheet.Samples)
	var mu sync.Mutex // guards finished and prog
	finished := 0
	next := make(chan int)
	var wg sync.WaitGroup
	for range res.Jobs {
		wg.Go(func() {
			for i := range next {
				o := batchSample(ctx, cfg, i, res.ThreadsPerSample, index, catalogue)
				res.Samples[i] = o
				mu.Lock()
				finished++
				if prog != nil {
					prog.SampleFinished(o, finished, n)
				}
				mu.Unlock()
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			for j := i; j < n; j++ {
				res.Samples[j] = SampleOutcome{Sample: cfg.Sheet.Samples[j].Name, Status: SampleInterrupted}
			}
			break feed
		}
	}
	close(next)
	wg.Wait()
}

// batchSample runs the sheet's sample i with the batch's settings.
func batchSample(ctx context.Context, cfg BatchConfig, i, threads int, index func() (*classify.Classifier, error), catalogue func() *metrics.Catalogue) SampleOutcome {
	s := cfg.Sheet.Samples[i]
	if len(s.Unreadable) > 0 {
		first := *s.Unreadable[0]
		first.Problems = s.Unreadable[1:]
		return SampleOutcome{Sample: s.Name, Status: SampleFailed, Err: &first}
	}
	c := cfg.Run
	c.Inputs, c.Stdin = s.Reads, nil
	c.OutDir = filepath.Join(cfg.OutDir, s.Name)
	c.Sample, c.Metadata = s.Name, s.Metadata
	c.Threads = threads
	c.Options = sampleOptions(cfg.Run.Options, s.Metadata)
	if c.Catalogue == nil {
		c.Catalogue = catalogue()
	}
	return runSample(ctx, c, index, cfg.Run.DB.SHA256, cfg.Force)
}

// writeBatchOutputs counts the outcomes and commits batch-summary.tsv and,
// from the samples done or up to date, the combined tables (Combine's) into
// the batch's directory, as one set; a cancelled batch writes the summary
// only.
func writeBatchOutputs(ctx context.Context, cfg BatchConfig, lock *safefile.Lock, res *BatchResult) error {
	var combine []CombineInput
	for _, o := range res.Samples {
		switch o.Status {
		case SampleDone:
			res.Done++
		case SampleSkipped:
			res.Skipped++
		case SampleFailed:
			res.Failed++
		}
		if o.Status == SampleDone || o.Status == SampleSkipped {
			combine = append(combine, CombineInput{Sample: o.Sample, Dir: filepath.Join(cfg.OutDir, o.Sample)})
		}
	}
	var err error
	res.Files, err = lock.WriteAll(BatchSummaryFile, func(stage *safefile.Stage) error {
		if err := stage.Write(BatchSummaryFile, func(w io.Writer) error { return WriteBatchSummary(w, res.Samples) }); err != nil {
			return err
		}
		if ctx.Err() != nil || len(combine) == 0 {
			return nil
		}
		return stageCombined(stage, combine, "zonula "+cfg.Run.Version, cfg.Run.BIOMFormat)
	})
	if err != nil {
		return err
	}
	return ctx.Err()
}

// sampleOptions returns the run options for one sample: the batch's, with
// the "metadata" option naming the sheet's metadata by checksum (so a
// changed cell re-runs the sample) or empty when the sheet gives none, as
// `zonula run` without --metadata records it.
func sampleOptions(opts []report.Option, md report.Metadata) []report.Option {
	out := slices.Clone(opts)
	val := ""
	empty, _ := json.Marshal(report.Metadata{})
	if js, err := json.Marshal(md); err == nil && !bytes.Equal(js, empty) {
		sum := sha256.Sum256(js)
		val = "samplesheet sha256:" + hex.EncodeToString(sum[:8])
	}
	for i := range out {
		if out[i].Name == "metadata" {
			out[i].Value = val
			return out
		}
	}
	if val != "" {
		out = append(out, report.Option{Name: "metadata", Value: val})
	}
	return out
}

// runSample runs one sample unless its outputs are up to date.
func runSample(ctx context.Context, c Config, index func() (*classify.Classifier, error), dbSHA string, force bool) (o SampleOutcome) {
	start := time.Now()
	o = SampleOutcome{Sample: c.Sample}
	defer func() {
		if p := recover(); p != nil {
			o.Status, o.Err = SampleFailed, fmt.Errorf("internal error: %v", p)
		}
		o.Seconds = time.Since(start).Seconds()
	}()
	if err := ctx.Err(); err != nil {
		o.Status = SampleInterrupted
		return o
	}
	if !force {
		// Under the sample's lock, which also clears what a run killed
		// while committing it left (its old set, beside it).
		lock, err := safefile.LockDir(c.OutDir)
		if err != nil {
			o.Status, o.Err = SampleFailed, err
			return o
		}
		ok, _ := UpToDate(c, dbSHA)
		lock.Unlock()
		if ok {
			o.Status = SampleSkipped
			if q, err := readQCRecord(filepath.Join(c.OutDir, "qc.json")); err == nil {
				o.InputReads, o.PassedReads, o.GenusReads = q.Summary.InputReads, q.Summary.PassedReads, q.Classification.AssignedAt[taxonomy.Genus]
			}
			return o
		}
	}
	clf, err := cancellable(ctx, index)
	if err != nil && ctx.Err() != nil {
		o.Status = SampleInterrupted
		return o
	}
	if err != nil {
		o.Status, o.Err = SampleFailed, err
		return o
	}
	c.Classifier = clf
	r, err := Run(ctx, c, NoProgress{})
	switch {
	case err != nil && ctx.Err() != nil:
		o.Status = SampleInterrupted
	case err != nil:
		o.Status, o.Err = SampleFailed, err
	default:
		o.Status = SampleDone
		o.InputReads, o.PassedReads = r.QC.InputReads, r.QC.PassedReads
		o.GenusReads = r.Classification.AssignedAt[taxonomy.Genus]
	}
	return o
}

// UpToDate reports whether c.OutDir holds complete outputs of a run with the
// same sample name, zonula version, database checksum (dbSHA, over header
// and sequences), options and inputs (compared by SHA-256, in order) as c;
// the error says what differs. Complete means the set the directory's
// manifest lists, every file with its checksum (safefile.VerifyManifest),
// holding the files the options ask for. The inputs and outputs are hashed
// only when everything else matches.
func UpToDate(c Config, dbSHA string) (bool, error) {
	data, err := os.ReadFile(filepath.Join(c.OutDir, "run.json"))
	if err != nil {
		return false, err
	}
	var rec runRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return false, fmt.Errorf("run.json: %w", err)
	}
	switch {
	case rec.Sample != c.Sample:
		return false, fmt.Errorf("sample %q, now %q", rec.Sample, c.Sample)
	case rec.Version != c.Version:
		return false, fmt.Errorf("zonula %s, now %s", rec.Version, c.Version)
	case rec.Database.SHA256 != dbSHA:
		return false, errors.New("another database")
	case !slices.Equal(rec.Options, c.Options):
		return false, errors.New("other options")
	case len(rec.Inputs) != len(c.Inputs):
		return false, errors.New("another number of inputs")
	}
	want := []string{"abundance.tsv", "metrics.json", "profile.biom", "qc.json", "reads.tsv.gz"}
	if c.HTML {
		want = append(want, "report.html")
	}
	if c.PDF {
		want = append(want, "report.pdf")
	}
	for _, f := range want {
		if _, err := os.Stat(filepath.Join(c.OutDir, f)); err != nil {
			return false, err
		}
	}
	if err := safefile.VerifyManifest(c.OutDir); err != nil {
		return false, err
	}
	for i, path := range c.Inputs {
		in, err := HashFile(path)
		if err != nil {
			return false, err
		}
		if in.SHA256 != rec.Inputs[i].SHA256 {
			return false, fmt.Errorf("%s changed", path)
		}
	}
	return true, nil
}

// readQCRecord reads a sample's qc.json; errors name it (*InputError).
func readQCRecord(path string) (*qcRecord, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named once, by the InputError
		}
		return nil, &InputError{Path: path, Err: err}
	}
	var q qcRecord
	if err := json.Unmarshal(data, &q); err != nil {
		return nil, &InputError{Path: path, Err: err}
	}
	return &q, nil
}

// WriteBatchSummary writes one tab-separated line per sample under the
// header "sample status input_reads passed_reads genus_reads seconds
// error"; errors are cut to their first line, tabs replaced by spaces.
func WriteBatchSummary(w io.Writer, samples []SampleOutcome) error {
	var b bytes.Buffer
	b.WriteString("sample\tstatus\tinput_reads\tpassed_reads\tgenus_reads\tseconds\terror\n")
	for _, o := range samples {
		msg := ""
		if o.Err != nil {
			msg = o.Err.Error()
			if i := strings.IndexByte(msg, '\n'); i >= 0 {
				msg = msg[:i]
			}
			msg = strings.ReplaceAll(msg, "\t", " ")
		}
		fmt.Fprintf(&b, "%s\t%s\t%d\t%d\t%d\t%s\t%s\n", o.Sample, o.Status, o.InputReads, o.PassedReads, o.GenusReads,
			strconv.FormatFloat(o.Seconds, 'f', 1, 64), msg)
	}
	_, err := w.Write(b.Bytes())
	return err
}
