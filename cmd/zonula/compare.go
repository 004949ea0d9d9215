package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report"
)

type compareOptions struct {
	out, formats, pageSize, metadata string
	seed                             uint64
	quiet                            bool
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
			return runCompare(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the read-sampling simulation")
	f.StringVar(&o.formats, "format", "html,pdf", "report formats: html, pdf, html,pdf (both) or none")
	f.StringVar(&o.pageSize, "page-size", "A4", "PDF page size: A4 or Letter")
	f.StringVar(&o.metadata, "metadata", "", "YAML or JSON `FILE` of the person (symptoms, red flags, age, labs): warning signs put the see-a-clinician box first")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runCompare(ctx context.Context, o compareOptions, args []string, _, stderr io.Writer) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	html, pdf, err := parseFormats(o.formats)
	if err != nil {
		return err
	}
	if err := checkPageSize(o.pageSize); err != nil {
		return err
	}
	if err := safefile.CheckNotInput(o.out, args); err != nil {
		return usagef("%v", err)
	}
	md, err := loadMetadata(o.metadata)
	if err != nil {
		return err
	}
	ver, commit := buildVersion()
	res, err := pipeline.Compare(ctx, pipeline.CompareConfig{
		Before: args[0], After: args[1], Seed: o.seed, Metadata: md,
		ReportOutput: pipeline.ReportOutput{OutDir: o.out, HTML: html, PDF: pdf, PageSize: o.pageSize, Version: ver, Commit: commit,
			Options: []report.Option{
				{Name: "format", Value: o.formats},
				{Name: "metadata", Value: o.metadata},
				{Name: "page-size", Value: o.pageSize},
				{Name: "seed", Value: strconv.FormatUint(o.seed, 10)},
			}},
	})
	if err != nil {
		return err
	}
	if !o.quiet {
		fmt.Fprintf(stderr, "zonula: %s → %s: Bray–Curtis %.3f (read sampling alone about %.3f); Shannon %.2f → %.2f; %d files in %s\n",
			res.Before.Name, res.After.Name, res.BrayCurtis, res.NoiseMean, res.AlphaBefore.Shannon, res.AlphaAfter.Shannon, len(res.Files), o.out)
	}
	return nil
}
