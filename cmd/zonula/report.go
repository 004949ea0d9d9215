package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/taxonomy/refdb"
)

type reportOptions struct {
	tables                    tableFlags
	out, metadata, sample, db string
	report                    reportFlags
	quiet                     bool
}

func newReportCommand() *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report [flags] TABLE... -o DIR",
		Short: "Reports from abundance tables made by zonula or another tool",
		Long: `Write a sample's report and tables from an abundance table instead of reads:
zonula's abundance.tsv, TSV/CSV, BIOM 1.0 or 2.1, QIIME 2 .qza (with
--taxonomy), Emu, Kraken2, Bracken, MetaPhlAn or mothur; the format is
detected from the content.

Each sample gets what 'zonula run' writes except the reads files:
report.html, report.pdf, abundance.tsv, profile.biom, metrics.json and
run.json. A table of one sample writes into DIR; several samples write into
DIR/SAMPLE/. The report says the reads were classified by another tool,
whose quality checks and database zonula cannot see; give --db when the
table was made against a zonula database, so the indices' coverage is known.` + exitStatusHelp,
		Args: argsBetween(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.tables.register(cmd)
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	o.report.register(f)
	f.StringVar(&o.metadata, "metadata", "", "YAML or JSON `FILE` with the person's details (one sample only; see docs/reports.md)")
	f.StringVar(&o.sample, "sample", "", "sample name for a single-sample table (default: from the table or file name)")
	f.StringVar(&o.db, "db", "", "the zonula database `FILE` or name the table was made with (for index coverage; default: unknown)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runReport(ctx context.Context, o reportOptions, inputs []string, _, stderr io.Writer) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	html, pdf, err := o.report.check()
	if err != nil {
		return err
	}
	if err := safefile.CheckNotInput(o.out, inputs); err != nil {
		return usagef("%v", err)
	}
	md, err := loadMetadata(o.metadata)
	if err != nil {
		return err
	}
	ref, err := o.report.referenceSet()
	if err != nil {
		return err
	}
	var db *refdb.DB
	if o.db != "" {
		if db, err = loadDB(o.db); err != nil {
			return err
		}
	}
	ver, commit := buildVersion()
	_, err = pipeline.Report(ctx, pipeline.ReportConfig{
		Tables: inputs, Read: o.tables.options(), OutDir: o.out, Sample: o.sample, OneSample: o.metadata != "",
		Run: pipeline.Config{
			DB: db, DBName: o.db, BIOMFormat: o.report.biom, Metadata: md, HTML: html, PDF: pdf, PageSize: o.report.pageSize,
			Version: ver, Commit: commit, Reference: ref,
			Options: []report.Option{
				{Name: "biom-format", Value: o.report.biom.String()},
				{Name: "db", Value: o.db},
				{Name: "format", Value: o.report.formats},
				{Name: "metadata", Value: o.metadata},
				{Name: "page-size", Value: o.report.pageSize},
				{Name: "reference", Value: o.report.reference},
				{Name: "reference-method", Value: o.report.referenceMethod},
				{Name: "table-format"}, // the format detected, per table
				{Name: "taxonomy", Value: o.tables.taxonomy},
			},
		},
		Done: func(res *pipeline.Result, dir string) {
			if !o.quiet {
				fmt.Fprintf(stderr, "zonula: %s: %d files in %s\n", res.Sample, len(res.Files), dir)
			}
		},
	})
	if errors.Is(err, pipeline.ErrSeveralSamples) {
		return usagef("--metadata and --sample describe %v", err)
	}
	return err
}
