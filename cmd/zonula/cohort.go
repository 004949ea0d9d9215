package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/htmlout"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/report/pdfout"
)

type cohortOptions struct {
	out, groups, groupColumn, metric, formats, pageSize string
	permutations                                        int
	seed                                                uint64
	quiet                                               bool
}

func newCohortCommand() *cobra.Command {
	o := cohortOptions{}
	def := cohort.DefaultOptions()
	cmd := &cobra.Command{
		Use:   "cohort [flags] TABLE|DIR... --groups FILE -o DIR",
		Short: "Compare groups of samples: composition, PCoA, PERMANOVA, alpha diversity, differential genera",
		Long: `Read many samples' profiles and compare them by group, at genus level. An input
is a zonula abundance.tsv or BIOM 1.0 table, a zonula sample output directory,
or a directory of them (a zonula batch output). The groups file assigns each
sample to a group: lines of sample<TAB>group (or sample,group), an optional
header; or, with --group-column COL, a table with a header whose first column
names the samples (a samplesheet, QIIME 2 metadata). Every sample needs a group
and every listed sample must be among the inputs.

Writes into DIR:

  report.html, report.pdf  the cohort report
  distances.tsv            the sample × sample distance matrix (--metric)
  pcoa.tsv                 eigenvalues, proportions explained, sample coordinates
  permanova.tsv, .json     PERMANOVA F, R², p, permutations and seed
  differential.tsv         CLR + Welch test per genus with BH q-values (two groups)
  alpha.tsv                alpha diversity per sample, with expected richness at
                           the smallest sample's depth

PERMANOVA needs two groups and a group of two or more; the differential test
needs exactly two groups of two or more samples; otherwise the report and
permanova.json say why the test was not run. Tables are byte-identical on
re-run with the same inputs and --seed.` + exitStatusHelp,
		Args: argsBetween(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCohort(cmd, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	f.StringVar(&o.groups, "groups", "", "groups `FILE`: sample<TAB>group per line, or a table with --group-column (required)")
	f.StringVar(&o.groupColumn, "group-column", "", "take groups from column `COL` of the --groups table (header required)")
	f.StringVar(&o.metric, "metric", def.Metric, "beta diversity: "+strings.Join(cohort.Metrics, ", "))
	f.IntVar(&o.permutations, "permutations", def.Permutations, "PERMANOVA permutations")
	f.Uint64Var(&o.seed, "seed", def.Seed, "seed of the PERMANOVA permutations")
	f.StringVar(&o.formats, "format", "html,pdf", "report formats: html, pdf, both (html,pdf) or none")
	f.StringVar(&o.pageSize, "page-size", "A4", "PDF page size: A4 or Letter")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runCohort(cmd *cobra.Command, o cohortOptions, inputs []string) error {
	if o.out == "" || o.groups == "" {
		return usagef("--out and --groups are required")
	}
	if !slices.Contains(cohort.Metrics, o.metric) {
		return usagef("--metric %q: want one of %s", o.metric, strings.Join(cohort.Metrics, ", "))
	}
	if o.permutations < 0 {
		return usagef("--permutations %d: want 0 or more", o.permutations)
	}
	html, pdf, err := parseFormats(o.formats)
	if err != nil {
		return err
	}
	if o.pageSize != "A4" && o.pageSize != "Letter" {
		return usagef("--page-size %q: want A4 or Letter", o.pageSize)
	}
	if err := safefile.CheckNotInput(o.out, append(slices.Clone(inputs), o.groups)); err != nil {
		return usagef("%v", err)
	}
	started := time.Now().UTC()
	samples, err := cohort.Load(inputs, nil)
	if err != nil {
		return inputErr(err)
	}
	gf, err := os.Open(o.groups)
	if err != nil {
		return &badInputError{err}
	}
	groups, err := cohort.ReadGroups(gf, o.groups, o.groupColumn)
	gf.Close()
	if err != nil {
		return &badInputError{err}
	}
	opt := cohort.Options{Metric: o.metric, Permutations: o.permutations, Seed: o.seed}
	res, err := cohort.Analyze(samples, groups, opt)
	if err != nil {
		return inputErr(err)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	files, err := res.WriteTables(o.out)
	if err != nil {
		return err
	}
	var sources []string
	for _, s := range samples {
		sources = append(sources, s.Source)
	}
	prov, err := provenance(started, append(slices.Clone(inputs), o.groups), sources, res.Databases, []report.Option{
		{Name: "format", Value: o.formats},
		{Name: "group-column", Value: o.groupColumn},
		{Name: "groups", Value: o.groups},
		{Name: "metric", Value: o.metric},
		{Name: "page-size", Value: o.pageSize},
		{Name: "permutations", Value: strconv.Itoa(o.permutations)},
		{Name: "seed", Value: strconv.FormatUint(o.seed, 10)},
	})
	if err != nil {
		return err
	}
	reports, err := writeReports(o.out, html, pdf, o.pageSize, func(kb *knowledge.Knowledge) (*report.Document, error) {
		return report.BuildCohort(report.CohortInput{Provenance: prov, Result: res, GroupsFile: o.groups}, kb)
	})
	if err != nil {
		return err
	}
	files = append(files, reports...)
	if !o.quiet {
		pm := "PERMANOVA not run: " + res.PermanovaSkipped
		if p := res.Permanova; p != nil {
			pm = fmt.Sprintf("PERMANOVA F %.3f, R² %.3f, p %s", p.F, p.R2, cohort.Num(p.P))
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "zonula: cohort of %d samples in %d groups; %s; %d files in %s\n",
			len(res.Samples), len(res.GroupNames), pm, len(files), o.out)
		if res.DifferentialSkipped != "" {
			fmt.Fprintf(cmd.ErrOrStderr(), "zonula: differential abundance not run: %s\n", res.DifferentialSkipped)
		}
	}
	return nil
}

// inputErr marks the errors of a table, groups file or input path as bad
// input (exit 3); others pass unchanged.
func inputErr(err error) error {
	var (
		pe *cohort.ParseError
		ie *cohort.InputError
		te *tables.ParseError
	)
	if errors.As(err, &pe) || errors.As(err, &ie) || errors.As(err, &te) {
		return &badInputError{err}
	}
	return err
}

// provenance describes a cohort or comparison run: the inputs as given with
// their checksums, the database when the inputs name one, and the options.
// A directory's checksum is the sha256 of a manifest listing, for each of
// the files read from it (sources) in order, its sha256 and path.
func provenance(started time.Time, paths, sources, databases []string, opts []report.Option) (report.Provenance, error) {
	ver, commit := buildVersion()
	p := report.Provenance{Program: "zonula", Version: ver, Commit: commit, Options: opts, Started: started}
	switch len(databases) {
	case 0:
		p.Database.Name = "not recorded (tables without run.json)"
	case 1:
		p.Database.Name = databases[0]
	default:
		p.Database.Name = "several: " + strings.Join(databases, "; ")
	}
	fileSum := func(path string) (int64, string, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return 0, "", &badInputError{err}
		}
		sum := sha256.Sum256(data)
		return int64(len(data)), hex.EncodeToString(sum[:]), nil
	}
	for _, path := range paths {
		st, err := os.Stat(path)
		if err != nil {
			return p, &badInputError{err}
		}
		if !st.IsDir() {
			n, sum, err := fileSum(path)
			if err != nil {
				return p, err
			}
			p.Inputs = append(p.Inputs, report.InputFile{Path: path, Bytes: n, SHA256: sum})
			continue
		}
		var manifest strings.Builder
		var total int64
		for _, src := range sources {
			if rel, err := filepath.Rel(path, src); err == nil && !strings.HasPrefix(rel, "..") {
				n, sum, err := fileSum(src)
				if err != nil {
					return p, err
				}
				total += n
				fmt.Fprintf(&manifest, "%s  %s\n", sum, filepath.ToSlash(rel))
			}
		}
		sum := sha256.Sum256([]byte(manifest.String()))
		p.Inputs = append(p.Inputs, report.InputFile{Path: path, Bytes: total, SHA256: hex.EncodeToString(sum[:])})
	}
	p.Finished = time.Now().UTC()
	return p, nil
}

// writeReports builds a document and writes report.html and report.pdf as
// asked, returning their paths.
func writeReports(dir string, html, pdf bool, pageSize string, build func(*knowledge.Knowledge) (*report.Document, error)) ([]string, error) {
	if !html && !pdf {
		return nil, nil
	}
	kb, err := knowledge.Load()
	if err != nil {
		return nil, err
	}
	doc, err := build(kb)
	if err != nil {
		return nil, err
	}
	var files []string
	if html {
		path := filepath.Join(dir, "report.html")
		if err := safefile.Write(path, func(w io.Writer) error { return htmlout.Render(w, doc) }); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	if pdf {
		path := filepath.Join(dir, "report.pdf")
		if err := safefile.Write(path, func(w io.Writer) error { return pdfout.Render(w, doc, pdfout.Options{PageSize: pageSize}) }); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}

type compareOptions struct {
	out, formats, pageSize string
	seed                   uint64
	quiet                  bool
}

func newCompareCommand() *cobra.Command {
	o := compareOptions{}
	cmd := &cobra.Command{
		Use:   "compare [flags] BEFORE AFTER -o DIR",
		Short: "Compare two samples of one person over time",
		Long: `Compare two samples of one person, BEFORE and AFTER, each a zonula sample output
directory (its abundance.tsv) or a one-sample table (abundance.tsv or BIOM). The
report shows the Bray–Curtis dissimilarity of genus shares next to what read
sampling alone would give at these depths, the change in diversity, in the
barrier-related taxa and in the indices of the sample report. It makes no
claim about a normal range of change: zonula's knowledge base holds no study
that gives one, and the report says so.

Writes into DIR: report.html, report.pdf and compare.json (the numbers).` + exitStatusHelp,
		Args: argsBetween(2, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(cmd, o, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the read-sampling simulation")
	f.StringVar(&o.formats, "format", "html,pdf", "report formats: html, pdf, both (html,pdf) or none")
	f.StringVar(&o.pageSize, "page-size", "A4", "PDF page size: A4 or Letter")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

// loadOne reads the single sample of a sample directory or table.
func loadOne(path string) (cohort.Sample, error) {
	s, err := cohort.Load([]string{path}, nil)
	if err != nil {
		return cohort.Sample{}, inputErr(err)
	}
	if len(s) != 1 {
		return cohort.Sample{}, &badInputError{fmt.Errorf("%s: %d samples, want one (a sample directory or a one-sample table)", path, len(s))}
	}
	return s[0], nil
}

// compareRecord is compare.json.
type compareRecord struct {
	Before          string   `json:"before"`
	After           string   `json:"after"`
	BrayCurtis      *float64 `json:"bray_curtis"`
	NoiseMean       *float64 `json:"bray_curtis_sampling_mean"`
	Noise95         *float64 `json:"bray_curtis_sampling_95"`
	Depth           int      `json:"depth"`
	ExpectedBefore  *float64 `json:"expected_genera_before"`
	ExpectedAfter   *float64 `json:"expected_genera_after"`
	AlphaBefore     any      `json:"alpha_before"`
	AlphaAfter      any      `json:"alpha_after"`
	Seed            uint64   `json:"seed"`
	SamplingDraws   int      `json:"sampling_draws"`
	SamplingMethods string   `json:"sampling_method"`
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func runCompare(cmd *cobra.Command, o compareOptions, beforePath, afterPath string) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	html, pdf, err := parseFormats(o.formats)
	if err != nil {
		return err
	}
	if o.pageSize != "A4" && o.pageSize != "Letter" {
		return usagef("--page-size %q: want A4 or Letter", o.pageSize)
	}
	if err := safefile.CheckNotInput(o.out, []string{beforePath, afterPath}); err != nil {
		return usagef("%v", err)
	}
	started := time.Now().UTC()
	before, err := loadOne(beforePath)
	if err != nil {
		return err
	}
	after, err := loadOne(afterPath)
	if err != nil {
		return err
	}
	c, err := cohort.Compare(before.Profile, after.Profile, o.seed)
	if err != nil {
		return &badInputError{fmt.Errorf("%s, %s: %w", before.Source, after.Source, err)}
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	rec := compareRecord{
		Before: before.Name, After: after.Name, BrayCurtis: finite(c.BrayCurtis), NoiseMean: finite(c.NoiseMean), Noise95: finite(c.Noise95),
		Depth: c.Depth, ExpectedBefore: finite(c.ExpectedBefore), ExpectedAfter: finite(c.ExpectedAfter),
		AlphaBefore: c.AlphaBefore, AlphaAfter: c.AlphaAfter, Seed: o.seed, SamplingDraws: cohort.NoiseDraws,
		SamplingMethods: "pairs of multinomial samples at both depths from the pooled genus shares; Bray–Curtis of each pair",
	}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	files := []string{filepath.Join(o.out, "compare.json")}
	if err := safefile.WriteFile(files[0], append(data, '\n')); err != nil {
		return err
	}
	var dbs []string
	for _, s := range []cohort.Sample{before, after} {
		if s.Database != "" && !slices.Contains(dbs, s.Database) {
			dbs = append(dbs, s.Database)
		}
	}
	slices.Sort(dbs)
	prov, err := provenance(started, []string{beforePath, afterPath}, []string{before.Source, after.Source}, dbs, []report.Option{
		{Name: "format", Value: o.formats},
		{Name: "page-size", Value: o.pageSize},
		{Name: "seed", Value: strconv.FormatUint(o.seed, 10)},
	})
	if err != nil {
		return err
	}
	reports, err := writeReports(o.out, html, pdf, o.pageSize, func(kb *knowledge.Knowledge) (*report.Document, error) {
		defs := kb.IndexDefs()
		return report.BuildCompare(report.CompareInput{Provenance: prov, Comparison: c,
			Before: report.CompareSample{Name: before.Name, Source: before.Source, Profile: before.Profile, Measures: metrics.MeasureSample(before.Profile, defs, nil, nil)},
			After:  report.CompareSample{Name: after.Name, Source: after.Source, Profile: after.Profile, Measures: metrics.MeasureSample(after.Profile, defs, nil, nil)}}, kb)
	})
	if err != nil {
		return err
	}
	files = append(files, reports...)
	if !o.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "zonula: %s → %s: Bray–Curtis %.3f (read sampling alone about %.3f); Shannon %.2f → %.2f; %d files in %s\n",
			before.Name, after.Name, c.BrayCurtis, c.NoiseMean, c.AlphaBefore.Shannon, c.AlphaAfter.Shannon, len(files), o.out)
	}
	return nil
}
