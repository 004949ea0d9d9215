package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
)

// tableFlags are the import flags shared by the commands that read
// abundance tables.
type tableFlags struct {
	format          tables.Format
	orientation     tables.Orientation
	taxonomy, label string
}

func (t *tableFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Var(&t.format, "table-format", "table format: auto, tsv, zonula, biom1, biom2, qza, emu, kraken2, bracken, metaphlan, mothur")
	f.Var(&t.orientation, "orientation", "delimited tables: auto, taxa-rows or samples-rows")
	f.StringVar(&t.taxonomy, "taxonomy", "", "lineages by feature id: QIIME 2 taxonomy .qza/.tsv, mothur .cons.taxonomy or Kraken2 report (for Bracken)")
	f.StringVar(&t.label, "label", "", "mothur .shared: the `LABEL` (OTU cutoff) to read (default: the --taxonomy file's label, else the first)")
}

// options returns the import options the flags ask for.
func (t *tableFlags) options() tables.ReadOptions {
	return tables.ReadOptions{Format: t.format, Orientation: t.orientation, Taxonomy: t.taxonomy, Label: t.label}
}

type metricsOptions struct {
	tables     tableFlags
	rank, tree string
	logBase    string
	out        string
	beta       []string
	rarefy     int
	seed       uint64
	threads    int
	json       bool
	rankSet    bool // --rank was given
}

func newMetricsCommand() *cobra.Command {
	var o metricsOptions
	cmd := &cobra.Command{
		Use:   "metrics [flags] TABLE...",
		Short: "Alpha and beta diversity of abundance tables",
		Long: `Compute diversity metrics of the samples in one or more abundance tables
(zonula's abundance.tsv, TSV/CSV, BIOM 1.0 or 2.1, QIIME 2 .qza, Emu, Kraken2,
Bracken, MetaPhlAn or mothur; the format is detected from the content).

Alpha diversity per sample: reads, observed taxa, Shannon (natural log;
--log-base 2 gives bits, as scikit-bio 0.5.8 and QIIME 2 report it, or 10),
Simpson (1 − Σp²), inverse Simpson, Pielou, Chao1 (bias-corrected) and classic
Chao1 (S + F1²/2F2, scikit-bio's bias_corrected=False), ACE (rare ≤ 10), Good's
coverage, and with --tree Faith's PD; with --rarefy N every
sample is first subsampled to N reads (seeded) and Hurlbert's expected
richness at N is added. Count-based estimators are NA for tables of relative
abundances (MetaPhlAn, Emu). Values equal scikit-bio and vegan (see docs/metrics.md).

--rank genus (the default) needs lineages: for an OTU or ASV table without
them (and without --taxonomy) the metrics are over the table's own features,
as --rank feature gives, and a note on stderr says so; an explicit --rank
that no feature reaches is an error. A mothur .shared file with several
labels is read at --label (default: the --taxonomy file's label, else the
first), and stderr names the label.

Without -o the alpha table is printed (TSV, or everything as JSON with
--json). With -o DIR, DIR gets alpha.tsv, metrics.json and one distance
matrix per --beta metric (distance-METRIC.tsv).` + exitStatusHelp,
		Args: argsBetween(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.rankSet = cmd.Flags().Changed("rank")
			return runMetrics(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.tables.register(cmd)
	f := cmd.Flags()
	f.StringVar(&o.rank, "rank", "genus", "taxonomic rank of the features (domain … species), or \"feature\" for the table's own rows (OTUs, ASVs)")
	f.StringVar(&o.logBase, "log-base", "e", "logarithm base of Shannon's index: 2 (bits, scikit-bio 0.5.8 and QIIME 2), e (vegan) or 10")
	f.StringVar(&o.tree, "tree", "", "Newick `FILE` whose tips are the features: adds Faith's PD and the UniFrac metrics")
	f.StringSliceVar(&o.beta, "beta", []string{"braycurtis"}, "between-sample metrics with -o: "+strings.Join(pipeline.BetaNames(), ", "))
	f.IntVar(&o.rarefy, "rarefy", 0, "subsample every sample to `N` reads first (samples with fewer are left out)")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the rarefaction subsampling")
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` for alpha.tsv, metrics.json and distance matrices")
	f.BoolVar(&o.json, "json", false, "print JSON instead of the alpha TSV")
	f.IntVar(&o.threads, "threads", 0, "threads for distances (default: all cores)")
	return cmd
}

func runMetrics(ctx context.Context, o metricsOptions, inputs []string, stdout, stderr io.Writer) error {
	rank := pipeline.FeatureLevel
	if o.rank != "feature" {
		r, err := taxonomy.ParseRank(o.rank)
		if err != nil {
			return usagef("--rank %q: want domain, phylum, class, order, family, genus, species or feature", o.rank)
		}
		rank = r
	}
	if o.rarefy < 0 {
		return usagef("--rarefy %d: want a positive number of reads", o.rarefy)
	}
	base, ok := pipeline.LogBases()[o.logBase]
	if !ok {
		return usagef("--log-base %q: want 2, e or 10", o.logBase)
	}
	if o.out != "" {
		if err := safefile.CheckNotInput(o.out, inputs); err != nil {
			return usagef("%v", err)
		}
	}
	opts := pipeline.MetricsOptions{Rank: rank, RankIsDefault: !o.rankSet, Rarefy: o.rarefy, Seed: o.seed, Threads: o.threads, LogBase: base}
	if o.out != "" {
		opts.Beta = o.beta
	}
	for _, b := range opts.Beta {
		if !slices.Contains(pipeline.BetaNames(), b) {
			return usagef("--beta %q: want %s", b, strings.Join(pipeline.BetaNames(), ", "))
		}
	}
	rep, err := pipeline.Metrics(ctx, pipeline.MetricsConfig{Tables: inputs, Read: o.tables.options(), TreeFile: o.tree, Options: opts})
	if err != nil {
		return err
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(stderr, "zonula: %s\n", n)
	}
	ver, _ := buildVersion()
	switch {
	case o.out != "":
		if _, err := rep.WriteDir(o.out, ver, inputs); err != nil {
			return err
		}
	case o.json:
		return rep.WriteJSON(stdout, ver, inputs)
	default:
		return rep.WriteAlphaTSV(stdout)
	}
	if len(rep.Dropped) > 0 {
		fmt.Fprintf(stderr, "zonula: %d samples below %d reads left out: %s\n", len(rep.Dropped), o.rarefy, strings.Join(rep.Dropped, ", "))
	}
	return nil
}
