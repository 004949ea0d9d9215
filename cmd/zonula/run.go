package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report"
)

type runOptions struct {
	stdin                     io.Reader // read for the input "-"
	out, db, sample, metadata string
	report                    reportFlags
	threads                   int
	quiet                     bool
	qc                        qcFlags
}

func newRunCommand(stdin io.Reader) *cobra.Command {
	o := runOptions{stdin: stdin}
	cmd := &cobra.Command{
		Use:   "run [flags] READS... -o DIR",
		Short: "Run the whole chain for one sample: reads to report",
		Long: `Read one sample's full-length 16S reads (FASTQ, FASTA or unaligned BAM;
plain, gzip, zstd or bzip2; several files are one sample; a directory such as
fastq_pass/barcode01/ is read as one sample; "-" is standard input), find and
trim the 16S primers (27F/1492R by default) and turn each read to the sense
strand, filter reads by length, quality and complexity, classify them against
the reference database, and write into DIR:

  report.html, report.pdf  the report
  reads.tsv.gz             per-read status, lineage, rank, confidence, identity, reference
                           (filtered reads: the reason in the last column)
  abundance.tsv            rank, taxon, lineage, reads, fraction at every rank
  profile.biom             genus table, BIOM 1.0 JSON (2.1 HDF5 with --biom-format 2.1)
  metrics.json             alpha diversity, health indices (value, drivers, coverage), percentiles,
                           findings (level, frame, key) and the guidance shown
  qc.json                  read counts per filter, length and quality histograms, classification summary
  run.json                 version, database identity, options, input checksums, times
  SAMPLE.zonula_general_mqc.json, SAMPLE.zonula_lengths_mqc.json
                           MultiQC custom content ('multiqc DIR...' picks them up)

Percentiles are positions in the embedded reference set (61 samples of lean
women from the Turnbaugh et al. 2009 twin study, genus level), or in your own
cohort given with --reference: a table of at least 10 samples in any format
zonula reads (TSV/CSV, BIOM, QIIME 2 .qza, MetaPhlAn, mothur, …). Findings are
judged against the percentiles of a set made by the same pipeline (your cohort,
unless --reference-method other), otherwise against robust bounds, values
beyond what healthy adults showed (docs/reports.md); the embedded set, made by
another method, is context only.

Outputs appear only when all are complete.` + exitStatusHelp,
		Args: argsBetween(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	f.StringVar(&o.db, "db", "", "reference database `FILE` (default: embedded)")
	f.StringVar(&o.sample, "sample", "", "sample name (default: first input's file name)")
	o.report.register(f)
	f.StringVar(&o.metadata, "metadata", "", "YAML or JSON `FILE` with age, sex, symptoms, red flags, medicines, transit and lab markers (see docs/reports.md)")
	f.IntVar(&o.threads, "threads", 0, "classification threads (default: the cores Go may use, which follows CPU limits of containers and cgroups)")
	o.qc.register(f)
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runRun(ctx context.Context, o runOptions, inputs []string, _, stderr io.Writer) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	html, pdf, err := o.report.check()
	if err != nil {
		return err
	}
	if err := o.qc.check(); err != nil {
		return err
	}
	// What could fail once the reads are classified fails now.
	if err := pipeline.CheckRunSampleName(cmp.Or(o.sample, pipeline.SampleName(inputs[0]))); err != nil {
		return err
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		if err := safefile.CheckNotInput(o.out, []string{in}); err != nil {
			return usagef("%v", err)
		}
	}
	md, err := loadMetadata(o.metadata)
	if err != nil {
		return err
	}
	qopts, primers, err := o.qc.options()
	if err != nil {
		return err
	}
	ref, err := o.report.referenceSet()
	if err != nil {
		return err
	}
	db, err := loadDB(o.db)
	if err != nil {
		return err
	}
	ver, commit := buildVersion()
	dbName := o.db
	if dbName == "" {
		dbName = "embedded"
	}
	cfg := pipeline.Config{
		Inputs: inputs, Stdin: o.stdin, OutDir: o.out, Sample: o.sample, DB: db, DBName: dbName,
		Threads: o.threads, BIOMFormat: o.report.biom, QC: qopts, Primers: primers, NoMultiQC: o.qc.noMultiQC, NoQualityErrorRate: o.qc.errorRate, MaxReadLength: o.qc.maxReadLength, Classify: o.qc.classifyOptions(),
		Metadata: md, HTML: html, PDF: pdf, PageSize: o.report.pageSize, Version: ver, Commit: commit, Reference: ref,
		Options: slices.Concat([]report.Option{
			{Name: "biom-format", Value: o.report.biom.String()},
			{Name: "db", Value: dbName},
			{Name: "format", Value: o.report.formats},
			{Name: "max-length", Value: strconv.Itoa(o.qc.maxLength)},
			{Name: "metadata", Value: o.metadata},
			{Name: "min-length", Value: strconv.Itoa(o.qc.minLength)},
		}, o.qc.record(), []report.Option{
			{Name: "page-size", Value: o.report.pageSize},
			{Name: "reference", Value: o.report.reference},
			{Name: "reference-method", Value: o.report.referenceMethod},
		}),
	}
	prog := newProgress(stderr, o.quiet)
	if c, ok := prog.(interface{ Close() }); ok {
		defer c.Close() // also on an error, which leaves the bar unfinished
	}
	if w := pipeline.SpaceWarning(o.out, inputs, 1); w != "" && !o.quiet {
		fmt.Fprintf(stderr, "zonula: warning: %s\n", w)
	}
	start := time.Now()
	res, err := pipeline.Run(ctx, cfg, prog)
	if err != nil {
		return err
	}
	if !o.quiet {
		fmt.Fprintf(stderr, "zonula: %s: %d reads, %d passed QC, %d classified to genus; %d files in %s (%.1fs)\n",
			res.Sample, res.QC.InputReads, res.QC.PassedReads, res.Classification.AssignedAt[5], len(res.Files), o.out, time.Since(start).Seconds())
	}
	return nil
}

// loadReference reads a user's cohort table or reference-set file as a
// reference set made as method says (pipeline.LoadReference); errors name
// --reference.
func loadReference(path, method string) (*metrics.ReferenceSet, error) {
	ref, err := pipeline.LoadReference(path, method)
	if err != nil {
		return nil, fmt.Errorf("--reference: %w", err)
	}
	return ref, nil
}

func parseFormats(s string) (html, pdf bool, err error) {
	if s == "none" {
		return false, false, nil
	}
	for _, f := range strings.Split(s, ",") {
		switch strings.TrimSpace(f) {
		case "html":
			html = true
		case "pdf":
			pdf = true
		default:
			return false, false, usagef("--format %q: want html, pdf, html,pdf or none", s)
		}
	}
	return html, pdf, nil
}

// logProgress prints a plain progress line at most every few seconds.
type logProgress struct {
	mu    sync.Mutex
	w     io.Writer
	last  time.Time
	every time.Duration
	share float64 // of input bytes read, when known
}

func newLogProgress(w io.Writer) *logProgress {
	return &logProgress{w: w, last: time.Now(), every: 5 * time.Second}
}

// Bytes implements pipeline.ByteProgress: the plain log adds the share of
// input read when the total size is known.
func (p *logProgress) Bytes(read, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if total > 0 {
		p.share = float64(read) / float64(total)
	}
}

func (p *logProgress) Reads(done, passed int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < p.every {
		return
	}
	p.last = time.Now()
	if p.share > 0 {
		fmt.Fprintf(p.w, "zonula: %d reads read (%.0f %% of input), %d passed QC\n", done, 100*p.share, passed)
		return
	}
	fmt.Fprintf(p.w, "zonula: %d reads read, %d passed QC\n", done, passed)
}

func (p *logProgress) Stage(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if slices.Contains([]string{"classifying", "report"}, name) {
		fmt.Fprintf(p.w, "zonula: %s\n", name)
	}
}

// loadMetadata reads a --metadata file (YAML or JSON); "" gives empty
// metadata. Problems with the file are bad input (exit 3).
func loadMetadata(path string) (report.Metadata, error) {
	if path == "" {
		return report.Metadata{}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return report.Metadata{}, &badInputError{err}
	}
	defer f.Close()
	md, err := report.ReadMetadata(f, path)
	if err != nil {
		return report.Metadata{}, &badInputError{err}
	}
	return md, nil
}
