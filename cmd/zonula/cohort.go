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
	tables                                                             tableFlags
	out, groups, groupColumn, subjectColumn, metric, formats, pageSize string
	permutations, instances                                            int
	seed                                                               uint64
	minPrevalence, minShare                                            float64
	requireAll, quiet                                                  bool
}

func newCohortCommand() *cobra.Command {
	o := cohortOptions{}
	def := cohort.DefaultOptions()
	cmd := &cobra.Command{
		Use:   "cohort [flags] TABLE|DIR... [--groups FILE] -o DIR",
		Short: "Compare groups of samples: composition, PCoA, PERMANOVA, alpha diversity, differential genera",
		Long: `Read many samples' profiles and describe them, or compare them by group, at
genus level. An input is an abundance table (zonula's abundance.tsv, BIOM, or any
format of 'zonula metrics'), a zonula sample output directory, or a directory of
them (a zonula batch output).

The groups file assigns samples to groups: lines of sample<TAB>group (or
sample,group), optionally a third column with the subject; or a table with a
header whose first column names the samples (a samplesheet, QIIME 2 metadata),
the group in a column "group" or --group-column COL, the subject in a column
"subject" (or host_subject_id, participant_id) or --subject-column COL. Input
samples the file does not list are left out and named in the report
(--require-all-groups makes that, and listed samples that are not inputs, an
error). Without --groups the report describes the samples (composition, PCoA,
alpha diversity) and says that the tests between groups were not run.

Writes into DIR:

  report.html, report.pdf     the cohort report
  distances.tsv               the sample × sample distance matrix (--metric)
  pcoa.tsv                    eigenvalues, proportions explained, sample coordinates
  permanova.tsv, .json        PERMANOVA F, R², p, permutations and seed
  differential.tsv            differential abundance per genus: ALDEx2-style Monte
                              Carlo log-ratios; Welch and Wilcoxon rank-sum tests
                              (two groups), Kruskal–Wallis (more); paired or
                              blocked tests when subjects were sampled in several
                              groups; expected p and BH q; log2 effects with 95 %
                              intervals
  differential-pairwise.tsv   the effect between every pair of groups
  genera-set-aside.tsv        genera not tested (--min-prevalence, --min-share)
  differential.json           how the test ran, or why it did not
  alpha.tsv                   alpha diversity per sample, with expected richness
                              at the smallest sample's depth

PERMANOVA needs two groups and a group of two or more; the differential test
needs two groups or more with two or more samples (or subjects) each;
otherwise the report and the JSON files say why a test was not run. Tables are
byte-identical on re-run with the same inputs and --seed. See docs/cohort.md.` + exitStatusHelp,
		Args: argsBetween(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCohort(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	o.tables.register(cmd)
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	f.StringVar(&o.groups, "groups", "", "groups `FILE`: sample<TAB>group[<TAB>subject] per line, or a table with a header")
	f.StringVar(&o.groupColumn, "group-column", "", "take groups from column `COL` of the --groups table (header required)")
	f.StringVar(&o.subjectColumn, "subject-column", "", "take subjects from column `COL` of the --groups table (default: a column named subject)")
	f.BoolVar(&o.requireAll, "require-all-groups", false, "every input sample must be in the groups file and every listed sample an input")
	f.Float64Var(&o.minPrevalence, "min-prevalence", def.MinPrevalence, "differential test: genera with ≥ 1 read in at least this `FRACTION` of samples")
	f.Float64Var(&o.minShare, "min-share", def.MinShare, "differential test: genera with a mean share of at least this `FRACTION` (0.0001 = 0.01 %)")
	f.IntVar(&o.instances, "instances", def.Instances, "differential test: Monte Carlo Dirichlet instances per sample")
	f.StringVar(&o.metric, "metric", def.Metric, "beta diversity: "+strings.Join(cohort.Metrics(), ", "))
	f.IntVar(&o.permutations, "permutations", def.Permutations, "PERMANOVA permutations")
	f.Uint64Var(&o.seed, "seed", def.Seed, "seed of the PERMANOVA permutations and the Monte Carlo instances")
	f.StringVar(&o.formats, "format", "html,pdf", "report formats: html, pdf, html,pdf (both) or none")
	f.StringVar(&o.pageSize, "page-size", "A4", "PDF page size: A4 or Letter")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runCohort(ctx context.Context, o cohortOptions, inputs []string, _, stderr io.Writer) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	if o.groups == "" && (o.groupColumn != "" || o.subjectColumn != "" || o.requireAll) {
		return usagef("--group-column, --subject-column and --require-all-groups need --groups")
	}
	if !(o.minPrevalence >= 0 && o.minPrevalence <= 1) || !(o.minShare >= 0 && o.minShare <= 1) {
		return usagef("--min-prevalence %v, --min-share %v: want fractions from 0 to 1", o.minPrevalence, o.minShare)
	}
	if o.instances < 1 {
		return usagef("--instances %d: want 1 or more", o.instances)
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
	in := slices.Clone(inputs)
	if o.groups != "" {
		in = append(in, o.groups)
	}
	if err := safefile.CheckNotInput(o.out, in); err != nil {
		return usagef("%v", err)
	}
	ver, commit := buildVersion()
	res, err := pipeline.Cohort(ctx, pipeline.CohortConfig{
		Inputs: inputs, GroupsFile: o.groups, GroupColumn: o.groupColumn, SubjectColumn: o.subjectColumn, Read: o.tables.options(),
		Analysis: cohort.Options{Metric: o.metric, Permutations: o.permutations, Seed: o.seed, MinPrevalence: o.minPrevalence,
			MinShare: o.minShare, Instances: o.instances, RequireAllGroups: o.requireAll},
		ReportOutput: pipeline.ReportOutput{OutDir: o.out, HTML: html, PDF: pdf, PageSize: o.pageSize, Version: ver, Commit: commit,
			Options: []report.Option{
				{Name: "format", Value: o.formats},
				{Name: "group-column", Value: o.groupColumn},
				{Name: "groups", Value: o.groups},
				{Name: "instances", Value: strconv.Itoa(o.instances)},
				{Name: "label", Value: o.tables.label},
				{Name: "metric", Value: o.metric},
				{Name: "min-prevalence", Value: strconv.FormatFloat(o.minPrevalence, 'g', -1, 64)},
				{Name: "min-share", Value: strconv.FormatFloat(o.minShare, 'g', -1, 64)},
				{Name: "orientation", Value: o.tables.orientation.String()},
				{Name: "page-size", Value: o.pageSize},
				{Name: "permutations", Value: strconv.Itoa(o.permutations)},
				{Name: "require-all-groups", Value: strconv.FormatBool(o.requireAll)},
				{Name: "seed", Value: strconv.FormatUint(o.seed, 10)},
				{Name: "subject-column", Value: o.subjectColumn},
				{Name: "table-format", Value: o.tables.format.String()},
				{Name: "taxonomy", Value: o.tables.taxonomy},
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
		groups := fmt.Sprintf("in %d groups", len(res.GroupNames))
		if !res.Grouped {
			groups = "without groups"
		}
		fmt.Fprintf(stderr, "zonula: cohort of %d samples %s; %s; %d files in %s\n",
			len(res.Samples), groups, pm, len(res.Files), o.out)
		printCohortNotes(stderr, res.Result)
	}
	return nil
}

// printCohortNotes tells what a cohort analysis left out and how the
// differential test ran.
func printCohortNotes(w io.Writer, r *cohort.Result) {
	note := func(what string, names []string) {
		if len(names) > 0 {
			fmt.Fprintf(w, "zonula: %d samples %s: %s\n", len(names), what, strings.Join(names, ", "))
		}
	}
	note("left out (not in the groups file)", r.LeftOut)
	note("in the groups file but not among the inputs", r.Unlisted)
	note("left out (no reads classified to a genus)", r.Empty)
	if r.FeatureLevel {
		fmt.Fprintf(w, "zonula: no sample has reads classified to a genus and the tables give no lineages: their %d features are compared as they are\n", len(r.Genus.Taxa))
	}
	if d := r.Differential; d != nil {
		fmt.Fprintf(w, "zonula: differential abundance: %d of %d genera tested (%d set aside as rare), %s design; %s\n",
			len(d.Rows), d.Genera, len(d.SetAside), d.Design, d.Note)
	} else {
		fmt.Fprintf(w, "zonula: differential abundance not run: %s\n", r.DifferentialSkipped)
	}
}
