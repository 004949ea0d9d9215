package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/simulate"
)

type simulateOptions struct {
	composition, out, db, platform string
	reads                          int
	seed                           uint64
	chimeras, junk                 float64
}

func newSimulateCommand() *cobra.Command {
	var o simulateOptions
	cmd := &cobra.Command{
		Use:   "simulate --composition FILE -o READS.fastq[.gz]",
		Short: "Simulate reads from a known composition (demos, tests, self-checks)",
		Long: `Draw reads from database sequences in the proportions of a composition file
("taxon<TAB>fraction" per line; a taxon is a name at any rank or "Genus
species"), on both strands, with platform-like substitutions and
homopolymer-biased insertions and deletions, and matching qualities. The same
seed gives the same reads. Each read's description records its truth
(ref=, strand=, kind=, lineage=). Platforms: hifi (0.4 % error), ont-r10
(3 %), ont-r9 (7.5 %).` + exitStatusHelp,
		Args: argsBetween(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSimulate(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.composition, "composition", "", "composition `FILE` (taxon<TAB>fraction; required)")
	f.StringVarP(&o.out, "out", "o", "", "output FASTQ `FILE`, gzip-compressed when it ends in .gz (required)")
	f.StringVar(&o.db, "db", "", "database to draw sequences from (default: embedded)")
	f.StringVar(&o.platform, "platform", "hifi", "error profile: hifi, ont-r10 or ont-r9")
	f.IntVar(&o.reads, "reads", 2000, "number of 16S reads")
	f.Uint64Var(&o.seed, "seed", 1, "random seed")
	f.Float64Var(&o.chimeras, "chimeras", 0, "extra chimeric reads, as a share of --reads")
	f.Float64Var(&o.junk, "junk", 0, "extra random non-16S reads, as a share of --reads")
	return cmd
}

func runSimulate(ctx context.Context, o simulateOptions, _ []string, _, _ io.Writer) error {
	if o.composition == "" || o.out == "" {
		return usagef("--composition and --out are required")
	}
	plat, err := simulate.PlatformByName(o.platform)
	if err != nil {
		return usagef("--platform: %v", err)
	}
	if o.reads < 1 || o.chimeras < 0 || o.junk < 0 {
		return usagef("--reads must be at least 1 and --chimeras, --junk at least 0")
	}
	if err := safefile.CheckNotInput(o.out, []string{o.composition}); err != nil {
		return usagef("%v", err)
	}
	db, err := loadDB(o.db)
	if err != nil {
		return err
	}
	return pipeline.Simulate(ctx, pipeline.SimulateConfig{Composition: o.composition, Out: o.out, DB: db,
		Options: simulate.Options{Reads: o.reads, Seed: o.seed, Platform: plat, Chimeras: o.chimeras, Junk: o.junk}})
}
