package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
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
			return runReport(cmd, o, args)
		},
	}
	o.tables.register(cmd)
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	o.report.register(f)
	f.StringVar(&o.metadata, "metadata", "", "YAML or JSON `FILE` with the person's details (one sample only; see README)")
	f.StringVar(&o.sample, "sample", "", "sample name for a single-sample table (default: from the table or file name)")
	f.StringVar(&o.db, "db", "", "the zonula database `FILE` or name the table was made with (for index coverage; default: unknown)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runReport(cmd *cobra.Command, o reportOptions, inputs []string) error {
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
	type job struct {
		profile *tables.Profile
		source  report.TableSource
		path    string
	}
	var jobs []job
	for _, path := range inputs {
		ps, err := o.tables.read([]string{path})
		if err != nil {
			return err
		}
		for _, p := range ps {
			jobs = append(jobs, job{profile: p, path: path,
				source: report.TableSource{Path: path, Format: p.Format.String(), Relative: p.Relative}})
		}
	}
	if len(jobs) > 1 && (o.metadata != "" || o.sample != "") {
		return usagef("--metadata and --sample describe one sample, but the tables hold %d", len(jobs))
	}
	seen := map[string]string{}
	for _, j := range jobs {
		if o.sample != "" {
			j.profile.Sample = o.sample
		}
		if err := pipeline.CheckSampleName(j.profile.Sample); err != nil && len(jobs) > 1 {
			return &badInputError{fmt.Errorf("%s: %w", j.path, err)}
		}
		if prev, dup := seen[j.profile.Sample]; dup {
			return &badInputError{fmt.Errorf("%s: sample %q also in %s", j.path, j.profile.Sample, prev)}
		}
		seen[j.profile.Sample] = j.path
	}
	for _, j := range jobs {
		dir := o.out
		if len(jobs) > 1 {
			dir = filepath.Join(o.out, j.profile.Sample)
		}
		cfg := pipeline.Config{
			Inputs: []string{j.path}, OutDir: dir, Sample: j.profile.Sample, DB: db, DBName: o.db,
			Metadata: md, HTML: html, PDF: pdf, PageSize: o.report.pageSize, Version: ver, Commit: commit, Reference: ref,
			Options: []report.Option{
				{Name: "db", Value: o.db},
				{Name: "format", Value: o.report.formats},
				{Name: "metadata", Value: o.metadata},
				{Name: "page-size", Value: o.report.pageSize},
				{Name: "reference", Value: o.report.reference},
				{Name: "table-format", Value: j.source.Format},
				{Name: "taxonomy", Value: o.tables.taxonomy},
			},
		}
		res, err := pipeline.ReportProfile(cmd.Context(), cfg, j.profile, j.source)
		if err != nil {
			return err
		}
		if !o.quiet {
			fmt.Fprintf(cmd.ErrOrStderr(), "zonula: %s: %d files in %s\n", res.Sample, len(res.Files), dir)
		}
	}
	return nil
}
