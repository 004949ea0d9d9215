package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
)

type batchOptions struct {
	out, db       string
	report        reportFlags
	jobs, threads int
	force, quiet  bool
	qc            qcFlags
}

const batchHelp = `Run many samples on this machine. SHEET is a CSV samplesheet:

  sample,reads[,reads...][,group,subject,timepoint,age,sex,calprotectin,...]
  S01,run1/S01.fastq.gz,,case,P01,t0,54,female,120
  S02,run1/S02.part1.fastq.gz,run1/S02.part2.fastq.gz,control,P02,t0,,,

Read paths are relative to the sheet's directory; a reads cell may name a
directory (all read files in it). Metadata columns feed each sample's report
(the fields of 'zonula run --metadata'; symptoms and red_flags are
';'-separated). SHEET may instead be an ONT run directory: one sample per
fastq_pass/barcodeNN/ directory (unclassified reads are left out).

Each sample's outputs go to DIR/SAMPLE/ exactly as 'zonula run' writes them.
Samples run --jobs at a time, sharing one database index; the --threads are
split between them. A failed sample (a missing or broken reads file) does not
stop the others; the batch then exits 5. A sample whose
DIR/SAMPLE/run.json records the same zonula version, database, options and
input checksums is skipped, so re-running the same command resumes after a
crash or Ctrl-C (--force runs everything again). At the end DIR holds:

  batch-summary.tsv     sample, status, reads, passed, genus reads, seconds, error
  abundance-genus.tsv   genus read counts, one column per sample
  abundance-genus.biom  the same, BIOM 1.0 JSON (2.1 HDF5 with --biom-format 2.1)
  zonula_qc_mqc.tsv     QC per sample for MultiQC ('multiqc DIR')
  cohort/               the cohort report of the finished samples, as 'zonula
                        cohort DIR' writes it: grouped by the sheet's group
                        column (paired by its subject column) when it has
                        one, else composition, PCoA and alpha diversity only`

func newBatchCommand() *cobra.Command {
	o := batchOptions{}
	cmd := &cobra.Command{
		Use:   "batch [flags] SHEET|ONT_RUN_DIR -o DIR",
		Short: "Run many samples from a samplesheet, in parallel and resumable",
		Long:  batchHelp + exitStatusHelp,
		Args:  argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBatch(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	f.StringVar(&o.db, "db", "", "reference database `FILE` (default: embedded)")
	o.report.register(f)
	f.IntVar(&o.jobs, "jobs", 0, "samples at once (default: one per core, at most 8)")
	f.IntVar(&o.threads, "threads", 0, "classification threads in all, split between the samples in flight (default: the cores Go may use, which follows CPU limits of containers and cgroups)")
	o.qc.register(f)
	f.BoolVar(&o.force, "force", false, "run samples again even when their outputs are up to date")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors and the failed samples")
	return cmd
}

func runBatch(ctx context.Context, o batchOptions, args []string, _, stderr io.Writer) error {
	sheetPath := args[0]
	if o.out == "" {
		return usagef("--out is required")
	}
	html, pdf, err := o.report.check()
	if err != nil {
		return err
	}
	switch {
	case o.threads < 0 || o.jobs < 0:
		return usagef("--threads %d, --jobs %d: want 0 (automatic) or more", o.threads, o.jobs)
	}
	if err := o.qc.check(); err != nil {
		return err
	}
	qopts, primers, err := o.qc.options()
	if err != nil {
		return err
	}
	sheet, err := pipeline.OpenSamplesheet(sheetPath)
	if err != nil {
		return &badInputError{err}
	}
	db, err := loadDB(o.db)
	if err != nil {
		return err
	}
	ref, err := o.report.referenceSet()
	if err != nil {
		return err
	}
	ver, commit := buildVersion()
	dbName := o.db
	if dbName == "" {
		dbName = "embedded"
	}
	// The same options, in the same order, as 'zonula run' records, so a
	// batch sample's run.json matches a lone run's.
	cfg := pipeline.BatchConfig{
		Sheet: sheet, OutDir: o.out, Jobs: o.jobs, Threads: o.threads, Force: o.force,
		Run: pipeline.Config{
			DB: db, DBName: dbName, BIOMFormat: o.report.biom,
			QC: qopts, Primers: primers, NoMultiQC: o.qc.noMultiQC, NoQualityErrorRate: o.qc.errorRate, MaxReadLength: o.qc.maxReadLength,
			Classify: o.qc.classifyOptions(),
			HTML:     html, PDF: pdf, PageSize: o.report.pageSize, Version: ver, Commit: commit,
			Reference: ref,
			Options: slices.Concat([]report.Option{
				{Name: "biom-format", Value: o.report.biom.String()},
				{Name: "db", Value: dbName},
				{Name: "format", Value: o.report.formats},
				{Name: "max-length", Value: strconv.Itoa(o.qc.maxLength)},
				{Name: "metadata", Value: ""},
				{Name: "min-length", Value: strconv.Itoa(o.qc.minLength)},
			}, o.qc.record(), []report.Option{
				{Name: "page-size", Value: o.report.pageSize},
				{Name: "reference", Value: o.report.reference},
				{Name: "reference-method", Value: o.report.referenceMethod},
			}),
		},
	}
	for _, e := range sheet.Unreadable() {
		fmt.Fprintf(stderr, "zonula: %v (that sample will fail; the others run)\n", e)
	}
	if !o.quiet {
		for _, s := range sheet.Skipped {
			fmt.Fprintf(stderr, "zonula: left out %s\n", s)
		}
		jobs, each := pipeline.BatchShares(o.threads, o.jobs, len(sheet.Samples))
		fmt.Fprintf(stderr, "zonula: batch of %d samples from %s into %s, %d at a time with %d thread(s) each\n",
			len(sheet.Samples), sheetPath, o.out, jobs, each)
		var reads []string
		for _, s := range sheet.Samples {
			reads = append(reads, s.Reads...)
		}
		if w := pipeline.SpaceWarning(o.out, reads, len(sheet.Samples)); w != "" {
			fmt.Fprintf(stderr, "zonula: warning: %s\n", w)
		}
	}
	start := time.Now()
	res, err := pipeline.Batch(ctx, cfg, &batchLog{w: stderr, quiet: o.quiet})
	var be *pipeline.BatchError
	if res != nil && (err == nil || errors.As(err, &be)) {
		if !o.quiet || be != nil {
			writeBatchTable(stderr, res.Samples, o.quiet)
		}
		if !o.quiet {
			fmt.Fprintf(stderr, "zonula: %d done, %d up to date, %d failed in %.1fs; summary in %s\n",
				res.Done, res.Skipped, res.Failed, time.Since(start).Seconds(), o.out+"/"+pipeline.BatchSummaryFile)
		}
		if res.Cohort == nil {
			fmt.Fprintf(stderr, "zonula: cohort report not written: %s\n", res.CohortSkipped)
		} else if !o.quiet {
			fmt.Fprintf(stderr, "zonula: cohort report of %d samples in %s\n", len(res.Cohort.Samples), filepath.Join(o.out, pipeline.BatchCohortDir))
		}
	}
	return err
}

// batchLog prints one line per finished sample.
type batchLog struct {
	w     io.Writer
	quiet bool
}

func (l *batchLog) SampleFinished(o pipeline.SampleOutcome, done, total int) {
	switch {
	case o.Status == pipeline.SampleFailed:
		fmt.Fprintf(l.w, "zonula: [%d/%d] %s FAILED: %v\n", done, total, o.Sample, o.Err)
	case l.quiet:
	case o.Status == pipeline.SampleDone:
		fmt.Fprintf(l.w, "zonula: [%d/%d] %s done in %.1fs: %d reads, %d passed QC, %d to genus\n",
			done, total, o.Sample, o.Seconds, o.InputReads, o.PassedReads, o.GenusReads)
	case o.Status == pipeline.SampleSkipped:
		fmt.Fprintf(l.w, "zonula: [%d/%d] %s up to date, skipped\n", done, total, o.Sample)
	default:
		fmt.Fprintf(l.w, "zonula: [%d/%d] %s %s\n", done, total, o.Sample, o.Status)
	}
}

// writeBatchTable prints the samples as an aligned table; only the failed
// ones when onlyFailed.
func writeBatchTable(w io.Writer, samples []pipeline.SampleOutcome, onlyFailed bool) {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "SAMPLE\tSTATUS\tREADS\tPASSED\tGENUS\tSECONDS\tERROR")
	for _, o := range samples {
		if onlyFailed && o.Status != pipeline.SampleFailed {
			continue
		}
		msg := ""
		if o.Err != nil {
			msg = o.Err.Error()
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.1f\t%s\n", o.Sample, o.Status, o.InputReads, o.PassedReads, o.GenusReads, o.Seconds, msg)
	}
	tw.Flush()
}

func newCombineCommand() *cobra.Command {
	var o combineOptions
	cmd := &cobra.Command{
		Use:   "combine -o DIR SAMPLE_DIR...",
		Short: "Combine samples' outputs into one genus table (TSV, BIOM) and a MultiQC file",
		Long: `Read abundance.tsv and qc.json from each SAMPLE_DIR that 'zonula run' wrote
(the sample name comes from qc.json) and write into DIR:

  abundance-genus.tsv   genus read counts, one column per sample, in argument order
  abundance-genus.biom  the same, BIOM 1.0 JSON (2.1 HDF5 with --biom-format 2.1)
  zonula_qc_mqc.tsv     QC per sample for MultiQC ('multiqc DIR')

'zonula batch' does this itself; the Snakemake workflow ('zonula workflow
init') calls it as its last step.` + exitStatusHelp,
		Args: argsBetween(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCombine(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	registerBIOMFormat(cmd.Flags(), &o.biom)
	return cmd
}

type combineOptions struct {
	out  string
	biom tables.BIOMFormat
}

func runCombine(_ context.Context, o combineOptions, dirs []string, _, _ io.Writer) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	ver, _ := buildVersion()
	_, err := pipeline.CombineDirs(o.out, dirs, "zonula "+ver, o.biom)
	return err
}
