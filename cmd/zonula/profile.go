package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
)

type profileOptions struct {
	tables      tableFlags
	biom        tables.BIOMFormat
	out, sample string
	quiet       bool
}

func newProfileCommand() *cobra.Command {
	var o profileOptions
	cmd := &cobra.Command{
		Use:   "profile [flags] READS.tsv[.gz]|TABLE... -o DIR",
		Short: "Abundance profile (abundance.tsv, profile.biom) from per-read calls or any table",
		Long: `Turn zonula's per-read table (reads.tsv.gz from 'zonula run' or 'zonula
classify') or an abundance table in any format zonula reads into zonula's
profile files: abundance.tsv (every rank, unclassified rows included) and
profile.biom (genus table, BIOM 1.0 JSON, or 2.1 HDF5 with --biom-format
2.1). One sample writes into DIR; several write into DIR/SAMPLE/.

From a per-read table every rank above species equals what 'zonula run'
reports; reads that run splits between near-tied species by EM are counted
at the rank their line names, since the table does not hold their ties.` + exitStatusHelp,
		Args: argsBetween(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProfile(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.tables.register(cmd)
	f := cmd.Flags()
	registerBIOMFormat(f, &o.biom)
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	f.StringVar(&o.sample, "sample", "", "sample name of a single-sample input (default: from the table or file name)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runProfile(ctx context.Context, o profileOptions, inputs []string, _, stderr io.Writer) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	if err := safefile.CheckNotInput(o.out, inputs); err != nil {
		return usagef("%v", err)
	}
	ver, _ := buildVersion()
	_, err := pipeline.Profile(ctx, pipeline.ProfileConfig{
		Inputs: inputs, Read: o.tables.options(), OutDir: o.out, Sample: o.sample, Version: ver, BIOMFormat: o.biom,
		Done: func(p *tables.Profile, dir string) {
			if !o.quiet {
				fmt.Fprintf(stderr, "zonula: %s: abundance.tsv and profile.biom in %s\n", p.Sample, dir)
			}
		},
	})
	if errors.Is(err, pipeline.ErrSeveralSamples) {
		return usagef("--sample names %v", err)
	}
	return err
}
