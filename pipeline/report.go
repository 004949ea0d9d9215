package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/profile"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/knowledge"
)

// ReportProfile writes a sample's outputs from a profile imported from an
// abundance table (zonula report): abundance.tsv, profile.biom,
// metrics.json, the report and run.json, as Run writes them from reads, but
// no reads.tsv.gz or qc.json. cfg.Inputs names the table file (hashed into
// run.json); cfg.DB may be nil, in which case the indices' database
// coverage is unknown. Outputs appear in cfg.OutDir only when all are
// complete.
func ReportProfile(ctx context.Context, cfg Config, p *tables.Profile, table report.TableSource) (*Result, error) {
	if p == nil {
		return nil, errors.New("no profile")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sample == "" {
		cfg.Sample = p.Sample
	}
	started := cfg.Now()
	var inputs []report.InputFile
	for _, path := range cfg.Inputs {
		in, err := HashFile(path)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, in)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stage, err := safefile.NewStage(cfg.OutDir)
	if err != nil {
		return nil, err
	}
	defer stage.Discard()
	db := report.Database{Name: "not used by zonula: the table's own (" + table.Path + ")"}
	if cfg.DB != nil {
		db = DatabaseOf(cfg.DB, cfg.DBName)
	}
	prov := report.Provenance{
		Program: "zonula", Version: cfg.Version, Commit: cfg.Commit, Database: db,
		Options: cfg.Options, Inputs: inputs, Started: started.UTC(),
	}
	res := &Result{Sample: cfg.Sample, Result: profile.Result{Profile: p}}
	if err := writeSampleOutputs(ctx, stage, cfg, res, prov, &table, NoProgress{}); err != nil {
		return nil, err
	}
	return res, nil
}

// ErrSeveralSamples is wrapped by the error returned when settings that
// describe one sample (a sample name, metadata) are given for inputs that
// hold several; the error reads "one sample, but the tables hold 3", for
// the caller to say which settings.
var ErrSeveralSamples = errors.New("one sample")

// ReportConfig asks for reports from abundance tables (zonula report).
type ReportConfig struct {
	Tables []string
	Read   tables.ReadOptions // format, orientation, taxonomy file
	// OutDir receives a single sample's outputs; several samples go to
	// OutDir/SAMPLE/.
	OutDir string
	// Sample renames the sample of a single-sample input ("" keeps the
	// table's name).
	Sample string
	// OneSample says settings that describe one sample were given (a
	// metadata file): inputs holding several samples are then an error
	// (ErrSeveralSamples), as they are with Sample.
	OneSample bool
	// Run is the template of every sample's Config: DB (nil when unknown),
	// DBName, Metadata, HTML, PDF, PageSize, Version, Commit, Reference and
	// Now are used as they are; Inputs, OutDir and Sample are set per
	// sample, and the option named "table-format", when present, records
	// each table's detected format.
	Run Config
	// Done, when set, hears of each sample as its outputs are committed.
	Done func(res *Result, dir string)
}

// Report reads every table and writes each sample's outputs with
// ReportProfile; with several samples (each in cfg.OutDir/SAMPLE/), then
// the findings table of all of them (findings.tsv, writeFindingsTable)
// into cfg.OutDir. A single sample's findings are in its metrics.json, as
// for zonula run: its directory holds one set. Samples must be uniquely named; with
// several samples, names must also be usable as directory names
// (CheckSampleName), and neither cfg.Sample nor cfg.OneSample may be set
// (ErrSeveralSamples).
func Report(ctx context.Context, cfg ReportConfig) ([]*Result, error) {
	jobs, err := readReportTables(cfg)
	if err != nil {
		return nil, err
	}
	var out []*Result
	var done []CombineInput
	for _, j := range jobs {
		c := cfg.Run
		c.Inputs, c.OutDir, c.Sample = []string{j.source.Path}, cfg.OutDir, j.profile.Sample
		if len(jobs) > 1 {
			c.OutDir = filepath.Join(cfg.OutDir, j.profile.Sample)
		}
		c.Options = withOption(c.Options, "table-format", j.source.Format)
		res, err := ReportProfile(ctx, c, j.profile, j.source)
		if err != nil {
			return out, err
		}
		out = append(out, res)
		done = append(done, CombineInput{Sample: res.Sample, Dir: c.OutDir})
		if cfg.Done != nil {
			cfg.Done(res, c.OutDir)
		}
	}
	if len(done) > 1 {
		if _, err := safefile.WriteAll(cfg.OutDir, "", func(stage *safefile.Stage) error {
			return stageFindingsTable(stage, done)
		}); err != nil {
			return out, err
		}
	}
	return out, nil
}

// reportJob is one sample of a report run.
type reportJob struct {
	profile *tables.Profile
	source  report.TableSource
}

// readReportTables reads the tables of a report run and checks the sample
// names.
func readReportTables(cfg ReportConfig) ([]reportJob, error) {
	var jobs []reportJob
	for _, path := range cfg.Tables {
		ps, err := readTables([]string{path}, cfg.Read)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			jobs = append(jobs, reportJob{profile: p, source: report.TableSource{Path: path, Format: p.Format.String(), Relative: p.Relative}})
		}
	}
	if len(jobs) > 1 && (cfg.OneSample || cfg.Sample != "") {
		return nil, fmt.Errorf("%w, but the tables hold %d", ErrSeveralSamples, len(jobs))
	}
	seen := map[string]string{}
	for _, j := range jobs {
		if cfg.Sample != "" {
			j.profile.Sample = cfg.Sample
		}
		if err := CheckSampleName(j.profile.Sample); err != nil && len(jobs) > 1 {
			return nil, &InputError{Path: j.source.Path, Err: err}
		}
		if prev, dup := seen[j.profile.Sample]; dup {
			return nil, &InputError{Path: j.source.Path, Err: fmt.Errorf("sample %q also in %s", j.profile.Sample, prev)}
		}
		seen[j.profile.Sample] = j.source.Path
	}
	return jobs, nil
}

// readTables imports tables (tables.ReadAll); a failure that does not
// already name its place in a file names the inputs.
func readTables(paths []string, o tables.ReadOptions) ([]*tables.Profile, error) {
	ps, err := tables.ReadAll(paths, o)
	if err != nil {
		var pe *tables.ParseError
		if !errors.As(err, &pe) {
			return nil, &InputError{Path: strings.Join(paths, ", "), Err: err}
		}
		return nil, err
	}
	return ps, nil
}

// withOption returns opts with the value of the option called name set to
// value; opts without it are returned as they are.
func withOption(opts []report.Option, name, value string) []report.Option {
	i := slices.IndexFunc(opts, func(o report.Option) bool { return o.Name == name })
	if i < 0 {
		return opts
	}
	out := slices.Clone(opts)
	out[i].Value = value
	return out
}

// LoadReference reads the reference set percentiles are taken in (zonula's
// --reference): a zonula reference-set file (metrics.WriteReferenceTSV,
// told by its first line), or a user's cohort table in any format
// tables.ReadTables detects (at least metrics.MinReferenceSamples samples),
// each sample reduced to the values findings compare
// (metrics.ReferenceValues, with the knowledge base's index definitions).
//
// method says how the set was made, and so whether its percentiles decide
// findings (science.md RULE-05): metrics.MethodSame (method-matched: they
// do), metrics.MethodOther (context only: the robust bounds decide), or ""
// for the default: a cohort table is the user's own and counts as matched;
// a reference-set file says so on its "#method" line.
func LoadReference(path, method string) (*metrics.ReferenceSet, error) {
	switch method {
	case "", metrics.MethodSame, metrics.MethodOther:
	default:
		return nil, fmt.Errorf("reference method %q: want %s or %s", method, metrics.MethodSame, metrics.MethodOther)
	}
	head, err := readHead(path, 64)
	if err != nil {
		return nil, &InputError{Path: path, Err: err}
	}
	if metrics.IsReferenceTSV(head) {
		f, err := os.Open(path)
		if err != nil {
			return nil, &InputError{Path: path, Err: err}
		}
		defer f.Close()
		ref, err := metrics.ReadReferenceTSV(f, path)
		if err != nil {
			return nil, err
		}
		if method != "" {
			ref = ref.WithMatched(method == metrics.MethodSame)
		}
		return ref, nil
	}
	profiles, err := readTables([]string{path}, tables.ReadOptions{})
	if err != nil {
		return nil, err
	}
	kb, err := knowledge.Load()
	if err != nil {
		return nil, err
	}
	ref, err := metrics.ReferenceFromProfiles("your reference cohort "+filepath.Base(path), "samples of "+path+" given with --reference, values computed by zonula",
		profiles, kb.IndexDefs(), method != metrics.MethodOther)
	if err != nil {
		return nil, &InputError{Path: path, Err: err}
	}
	return ref, nil
}

// readHead returns up to n bytes from the start of the file at path.
func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:k], nil
}
