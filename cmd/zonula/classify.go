package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/safefile"
)

type classifyOptions struct {
	stdin   io.Reader // read for the input "-"
	qc      qcFlags
	out, db string
	threads int
	quiet   bool
}

func newClassifyCommand(stdin io.Reader) *cobra.Command {
	o := classifyOptions{stdin: stdin}
	cmd := &cobra.Command{
		Use:   "classify [flags] READS... -o READS.tsv[.gz]",
		Short: "Per-read taxonomic assignments only",
		Long: `Run quality control and the classifier on one sample's reads, as 'zonula run'
does, and write only the per-read table, gzip-compressed when the output
name ends in .gz:

  read_id  status  lineage  rank  confidence  identity  reference

status is classified, unclassified, chimera or filtered (with the filter's
reason in the last column). The file appears only when complete.` + exitStatusHelp,
		Args: argsBetween(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClassify(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `FILE` (required)")
	f.StringVar(&o.db, "db", "", "reference database `FILE` or installed name (default: embedded)")
	f.IntVar(&o.threads, "threads", 0, "classification threads (default: all cores)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	o.qc.register(f)
	f.MarkHidden("no-multiqc") // classify writes no MultiQC files
	return cmd
}

func runClassify(ctx context.Context, o classifyOptions, inputs []string, _, stderr io.Writer) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	if o.threads < 0 {
		return usagef("--threads %d: want 0 (all cores) or more", o.threads)
	}
	if err := o.qc.check(); err != nil {
		return err
	}
	if err := safefile.CheckNotInput(o.out, inputs); err != nil {
		return usagef("%v", err)
	}
	qopts, primers, err := o.qc.options()
	if err != nil {
		return err
	}
	db, err := loadDB(o.db)
	if err != nil {
		return err
	}
	cfg := pipeline.Config{
		Inputs: inputs, Stdin: o.stdin, DB: db, Threads: o.threads,
		QC: qopts, Primers: primers, NoQualityErrorRate: o.qc.errorRate, MaxReadLength: o.qc.maxReadLength, Classify: o.qc.classifyOptions(),
	}
	start := time.Now()
	res, err := pipeline.Classify(ctx, cfg, o.out, newProgress(stderr, o.quiet))
	if err != nil {
		return err
	}
	if !o.quiet {
		fmt.Fprintf(stderr, "zonula: %s: %d reads, %d passed QC, %d classified to genus, in %s (%.1fs)\n",
			res.Sample, res.QC.InputReads, res.QC.PassedReads, res.Classification.AssignedAt[5], o.out, time.Since(start).Seconds())
	}
	return nil
}
