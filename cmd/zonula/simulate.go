package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

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
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSimulate(o)
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

func runSimulate(o simulateOptions) error {
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
	cf, err := os.Open(o.composition)
	if err != nil {
		return &badInputError{err}
	}
	parts, err := simulate.ReadComposition(cf, o.composition)
	cf.Close()
	if err != nil {
		return &badInputError{err}
	}
	db, err := loadDB(o.db)
	if err != nil {
		return err
	}
	sim, err := simulate.New(db, parts, simulate.Options{Reads: o.reads, Seed: o.seed, Platform: plat, Chimeras: o.chimeras, Junk: o.junk})
	if err != nil {
		return &badInputError{fmt.Errorf("%s: %w", o.composition, err)}
	}
	return safefile.Write(o.out, func(w io.Writer) error {
		var out io.Writer = w
		var gz *gzip.Writer
		if strings.HasSuffix(o.out, ".gz") {
			gz = gzip.NewWriter(w) // no name or time in the header: reproducible bytes
			out = gz
		}
		bw := bufio.NewWriterSize(out, 1<<16)
		if err := sim.Each(func(r simulate.Read) error { return simulate.WriteFASTQ(bw, r) }); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if gz != nil {
			return gz.Close()
		}
		return nil
	})
}
