package pipeline

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/simulate"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// SimulateConfig asks for reads drawn from a known composition (zonula
// simulate).
type SimulateConfig struct {
	Composition string // "taxon<TAB>fraction" lines (simulate.ReadComposition)
	// Out is the FASTQ file written, gzip-compressed when it ends in ".gz"
	// (no name or time in the gzip header: the same seed gives the same
	// bytes).
	Out     string
	DB      *refdb.DB // the sequences reads are drawn from
	Options simulate.Options
}

// Simulate reads the composition and writes the simulated reads to
// cfg.Out, which appears only when complete.
func Simulate(ctx context.Context, cfg SimulateConfig) error {
	f, err := os.Open(cfg.Composition)
	if err != nil {
		return &InputError{Path: cfg.Composition, Err: err}
	}
	parts, err := simulate.ReadComposition(f, cfg.Composition)
	f.Close()
	if err != nil {
		return err
	}
	sim, err := simulate.New(cfg.DB, parts, cfg.Options)
	if err != nil {
		return &InputError{Path: cfg.Composition, Err: err}
	}
	return safefile.Write(cfg.Out, func(w io.Writer) error {
		var out io.Writer = w
		var gz *gzip.Writer
		if strings.HasSuffix(cfg.Out, ".gz") {
			gz = gzip.NewWriter(w)
			out = gz
		}
		bw := bufio.NewWriterSize(out, 1<<16)
		if err := sim.Each(func(r simulate.Read) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return simulate.WriteFASTQ(bw, r)
		}); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("%s: %w", cfg.Out, err)
		}
		if gz != nil {
			return gz.Close()
		}
		return nil
	})
}
