package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/profile"
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/taxonomy/classify"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// Config is everything one sample's run depends on. The caller settles paths,
// flags and the clock; Run reads no flags or environment.
type Config struct {
	Inputs  []string  // read files; "-" is Stdin
	Stdin   io.Reader // read for the input "-"
	OutDir  string
	Sample  string // sample name; derived from the first input when empty
	DB      *refdb.DB
	DBName  string // as the user named it ("embedded" or a path)
	Threads int    // classification workers; ≤ 0 means GOMAXPROCS
	QC      qc.Options
	// Primers, when non-nil, are searched in every read (qc.Inspect): a
	// read whose primers lie on the antisense strand is reverse-complemented
	// to the 16S sense strand before classification (reads without primers
	// are oriented by the classifier), and primers are trimmed off unless
	// QC.KeepPrimers. Nil skips the search.
	Primers *qc.PrimerOptions
	// BIOMFormat is the format of profile.biom: BIOM 1.0 JSON (the zero
	// value) or 2.1 HDF5.
	BIOMFormat tables.BIOMFormat
	// NoMultiQC leaves out the MultiQC custom-content files
	// (SAMPLE.zonula_general_mqc.json, SAMPLE.zonula_lengths_mqc.json).
	NoMultiQC bool
	// NoQualityErrorRate is the error rate reads without qualities (FASTA)
	// are classified at; 0 estimates it from the first of them
	// (classify.Worker.EstimateErrorRate).
	NoQualityErrorRate float64
	// MaxReadLength is the longest read, in bases, accepted at all: a
	// longer one (or a line longer than it plus 64 KiB) stops the run with
	// a *seqio.ParseError, so memory stays bounded whatever the input.
	// ≤ 0 means seqio.DefaultMaxReadLength.
	MaxReadLength int
	Classify      classify.Options
	Metadata      report.Metadata // what the person or clinician reported
	HTML          bool            // write report.html
	PDF           bool            // write report.pdf
	PageSize      string
	Version       string
	Commit        string
	Options       []report.Option // the options as the user gave them, for provenance
	Now           func() time.Time

	// Classifier, when set, is used instead of indexing DB with Classify
	// (classify.New) on every call, so a batch indexes its database once;
	// it must have been built from DB.
	Classifier *classify.Classifier
	// Catalogue, when set, is DB's genus catalogue for the indices'
	// coverage (the genera of DB's references), so that a batch builds it
	// once; nil builds it per run (147 ms for 500,000 genes).
	Catalogue *metrics.Catalogue
	// Reference is the reference set percentiles are taken in; nil means
	// the embedded one (metrics.EmbeddedReferenceSet).
	Reference *metrics.ReferenceSet
}

// Result summarises a finished run: the tally of its reads (QC and
// classification summaries, profile; empty but for the profile when the
// profile came from a table), the metrics of its profile and the files
// written.
type Result struct {
	Sample string
	profile.Result
	Alpha       metrics.Alpha
	Indices     []metrics.IndexValue // health and imbalance indices (metrics.json)
	Percentiles map[string]float64   // metric → percentile in the reference set
	Files       []string             // outputs written, in OutDir
}

// Run processes one sample and writes its outputs into cfg.OutDir. Outputs
// are staged (safefile.Stage) and moved into place only when every one of
// them is complete, run.json last, so a failed run leaves no partial
// outputs behind.
func Run(ctx context.Context, cfg Config, prog Progress) (*Result, error) {
	cfg, prog, threads, err := prepare(cfg, prog)
	if err != nil {
		return nil, err
	}
	started := cfg.Now()
	stage, err := safefile.NewStage(cfg.OutDir)
	if err != nil {
		return nil, err
	}
	defer stage.Discard()

	clf, err := classifierOf(ctx, cfg)
	if err != nil {
		return nil, err
	}
	tally, inputFiles, err := runReads(ctx, cfg, clf, threads, stage.Path("reads.tsv.gz"), prog)
	if err != nil {
		return nil, err
	}
	res := &Result{Sample: cfg.Sample, Result: *tally}
	prov := report.Provenance{
		Program: "zonula", Version: cfg.Version, Commit: cfg.Commit,
		Database: DatabaseOf(cfg.DB, cfg.DBName),
		Options:  cfg.Options, Inputs: inputFiles, Started: started.UTC(),
	}
	if err := writeSampleOutputs(ctx, stage, cfg, res, prov, nil, prog); err != nil {
		return nil, err
	}
	return res, nil
}

// Classify runs QC and classification only and writes the per-read table
// (the reads.tsv.gz columns) to out, gzip-compressed when out ends in
// ".gz"; cfg.OutDir and the report options are not used. The file appears
// only when complete.
func Classify(ctx context.Context, cfg Config, out string, prog Progress) (*Result, error) {
	cfg, prog, threads, err := prepare(cfg, prog)
	if err != nil {
		return nil, err
	}
	clf, err := classifierOf(ctx, cfg)
	if err != nil {
		return nil, err
	}
	tally, _, err := runReads(ctx, cfg, clf, threads, out, prog)
	if err != nil {
		return nil, err
	}
	return &Result{Sample: cfg.Sample, Result: *tally}, nil
}

// prepare checks cfg and fills its defaults: the clock, the sample name,
// inputs expanded (directories of reads), the thread count.
func prepare(cfg Config, prog Progress) (Config, Progress, int, error) {
	if prog == nil {
		prog = NoProgress{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if len(cfg.Inputs) == 0 {
		return cfg, prog, 0, errors.New("no input files")
	}
	if cfg.Sample == "" {
		cfg.Sample = SampleName(cfg.Inputs[0])
	}
	if err := CheckRunSampleName(cfg.Sample); err != nil {
		return cfg, prog, 0, err
	}
	inputs, err := ExpandInputs(cfg.Inputs)
	if err != nil {
		return cfg, prog, 0, err
	}
	cfg.Inputs = inputs
	if cfg.DB == nil {
		return cfg, prog, 0, errors.New("no reference database")
	}
	threads := cfg.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	if cfg.Classify.Threads == 0 {
		cfg.Classify.Threads = threads
	}
	return cfg, prog, threads, nil
}

// classifierOf returns cfg.Classifier, or indexes cfg.DB; cancelled, it
// returns at once (cancellable).
func classifierOf(ctx context.Context, cfg Config) (*classify.Classifier, error) {
	if cfg.Classifier != nil {
		return cfg.Classifier, nil
	}
	return cancellable(ctx, func() (*classify.Classifier, error) { return classify.New(cfg.DB, cfg.Classify) })
}

// cancellable runs fn, a step that does not watch ctx (indexing a
// database takes seconds to minutes), on its own goroutine and returns its
// result, or ctx's error as soon as ctx is done: an interrupted command
// then stops, removing its staging, instead of finishing the step first.
// The abandoned step runs on until the process exits; its result is
// dropped.
func cancellable[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := fn()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// MaxSampleName is the longest sample name Run accepts, in characters: the
// name begins the MultiQC files' names (SAMPLE.zonula_lengths_mqc.json,
// staged as a hidden temporary file first), which must fit in the 255
// bytes a file name may have.
const MaxSampleName = 200

// ErrSampleName is wrapped by the errors of CheckRunSampleName.
var ErrSampleName = errors.New("sample name")

// CheckRunSampleName checks a sample name before any work is done, so that
// it cannot fail once the reads are classified: at most MaxSampleName
// characters, valid UTF-8, no control characters (it names files and is
// printed in tables and reports). Batch sample names are checked more
// strictly (CheckSampleName): they name directories.
func CheckRunSampleName(name string) error {
	switch n := utf8.RuneCountInString(name); {
	case !utf8.ValidString(name):
		return fmt.Errorf("%w %q is not valid UTF-8", ErrSampleName, name)
	case n > MaxSampleName:
		return fmt.Errorf("%w of %d characters: at most %d (it names output files); give a shorter --sample", ErrSampleName, n, MaxSampleName)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("%w %q holds a control character (a tab, a line end…)", ErrSampleName, name)
	}
	return nil
}

// SpaceWarning says, when the file system of outDir has less room than
// outputs of samples samples from inputs are likely to take (8 MiB of
// reports and tables a sample, and a tenth of the inputs' size for the
// per-read tables; staging holds the new set beside the old), how much is
// free and how much is wanted; "" when there is room or it cannot be told.
func SpaceWarning(outDir string, inputs []string, samples int) string {
	free, ok := safefile.FreeBytes(outDir)
	if !ok {
		return ""
	}
	need := int64(samples) * 8 << 20
	for _, in := range inputs {
		if st, err := os.Stat(in); err == nil && st.Mode().IsRegular() {
			need += st.Size() / 10
		}
	}
	if free >= need {
		return ""
	}
	return fmt.Sprintf("only %d MiB free for %s; its outputs may need about %d MiB", free>>20, outDir, (need+1<<20-1)>>20)
}

// SampleName derives a sample name from a reads path: the base name without
// compression and sequence suffixes ("S01.hifi.fastq.gz" gives "S01.hifi").
func SampleName(path string) string {
	if path == "-" {
		return "stdin"
	}
	name := filepath.Base(path)
	for _, ext := range []string{".gz", ".zst", ".bz2", ".fastq", ".fq", ".fasta", ".fa", ".fna", ".bam"} {
		if n := len(name) - len(ext); n > 0 && name[n:] == ext {
			name = name[:n]
		}
	}
	return name
}
