package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report"
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
			return runCohort(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	f.StringVar(&o.groups, "groups", "", "groups `FILE`: sample<TAB>group per line, or a table with --group-column (required)")
	f.StringVar(&o.groupColumn, "group-column", "", "take groups from column `COL` of the --groups table (header required)")
	f.StringVar(&o.metric, "metric", def.Metric, "beta diversity: "+strings.Join(cohort.Metrics(), ", "))
	f.IntVar(&o.permutations, "permutations", def.Permutations, "PERMANOVA permutations")
	f.Uint64Var(&o.seed, "seed", def.Seed, "seed of the PERMANOVA permutations")
	f.StringVar(&o.formats, "format", "html,pdf", "report formats: html, pdf, html,pdf (both) or none")
	f.StringVar(&o.pageSize, "page-size", "A4", "PDF page size: A4 or Letter")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runCohort(ctx context.Context, o cohortOptions, inputs []string, _, stderr io.Writer) error {
	if o.out == "" || o.groups == "" {
		return usagef("--out and --groups are required")
	}
	if !slices.Contains(cohort.Metrics(), o.metric) {
		return usagef("--metric %q: want one of %s", o.metric, strings.Join(cohort.Metrics(), ", "))
	}
	if o.permutations < 0 {
		return usagef("--permutations %d: want 0 or more", o.permutations)
	}
	html, pdf, err := parseFormats(o.formats)
	if err != nil {
		return err
	}
	if err := checkPageSize(o.pageSize); err != nil {
		return err
	}
	if err := safefile.CheckNotInput(o.out, append(slices.Clone(inputs), o.groups)); err != nil {
		return usagef("%v", err)
	}
	ver, commit := buildVersion()
	res, err := pipeline.Cohort(ctx, pipeline.CohortConfig{
		Inputs: inputs, GroupsFile: o.groups, GroupColumn: o.groupColumn,
		Analysis: cohort.Options{Metric: o.metric, Permutations: o.permutations, Seed: o.seed},
		ReportOutput: pipeline.ReportOutput{OutDir: o.out, HTML: html, PDF: pdf, PageSize: o.pageSize, Version: ver, Commit: commit,
			Options: []report.Option{
				{Name: "format", Value: o.formats},
				{Name: "group-column", Value: o.groupColumn},
				{Name: "groups", Value: o.groups},
				{Name: "metric", Value: o.metric},
				{Name: "page-size", Value: o.pageSize},
				{Name: "permutations", Value: strconv.Itoa(o.permutations)},
				{Name: "seed", Value: strconv.FormatUint(o.seed, 10)},
			}},
	})
	if err != nil {
		return err
	}
	if !o.quiet {
		pm := "PERMANOVA not run: " + res.PermanovaSkipped
		if p := res.Permanova; p != nil {
			pm = fmt.Sprintf("PERMANOVA F %.3f, R² %.3f, p %s", p.F, p.R2, cohort.Num(p.P))
		}
		fmt.Fprintf(stderr, "zonula: cohort of %d samples in %d groups; %s; %d files in %s\n",
			len(res.Samples), len(res.GroupNames), pm, len(res.Files), o.out)
		if res.DifferentialSkipped != "" {
			fmt.Fprintf(stderr, "zonula: differential abundance not run: %s\n", res.DifferentialSkipped)
		}
	}
	return nil
}
