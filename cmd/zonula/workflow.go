package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
)

type workflowOptions struct {
	sheet, zonula, db       string
	report                  reportFlags
	threads, memMB, runtime int
	force, quiet            bool
	qc                      qcFlags
}

func newWorkflowCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "workflow",
		Short: "Write a Snakemake workflow (with a SLURM profile) that runs zonula per sample",
	}
	cmd.AddCommand(newWorkflowInitCommand())
	return cmd
}

func newWorkflowInitCommand() *cobra.Command {
	o := workflowOptions{}
	cmd := &cobra.Command{
		Use:   "init [flags] DIR [--sheet SHEET|ONT_RUN_DIR]",
		Short: "Write a Snakemake workflow into DIR",
		Long: `Write a Snakemake workflow into DIR that runs 'zonula run' per sample and
'zonula combine' at the end (results/abundance-genus.tsv, .biom and a MultiQC
file):

  Snakefile                   the rules
  config.yaml                 zonula binary, threads, memory, time, run options
  samplesheet.csv             the samples (from --sheet, read paths made absolute)
  metadata/SAMPLE.json        report metadata from the sheet's columns
  profiles/slurm/config.yaml  a SLURM profile (sbatch) for Snakemake 7
  profiles/slurm/status.py    its job-status check

Then, in DIR: 'snakemake --cores 4' on this machine, or
'snakemake --profile profiles/slurm' on a SLURM cluster. Written for Debian's
Snakemake 7.21 (Snakemake 8 needs the cluster-generic executor plugin; see the
profile's comments). The sheet is checked as 'zonula batch' checks it.` + exitStatusHelp,
		Args: argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWorkflowInit(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.sheet, "sheet", "", "samplesheet `CSV` or ONT run directory (default: an empty sheet to fill in)")
	f.StringVar(&o.zonula, "zonula", "", "zonula binary the jobs run (default: this one, by absolute path)")
	f.StringVar(&o.db, "db", "", "reference database `FILE` (default: embedded)")
	o.report.register(f)
	f.IntVar(&o.threads, "threads", 2, "threads per sample job")
	f.IntVar(&o.memMB, "mem-mb", 4000, "memory per sample job, MB (SLURM --mem)")
	f.IntVar(&o.runtime, "runtime", 60, "time limit per sample job, minutes (SLURM --time)")
	o.qc.register(f)
	f.BoolVar(&o.force, "force", false, "overwrite an existing workflow in DIR")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runWorkflowInit(_ context.Context, o workflowOptions, args []string, _, stderr io.Writer) error {
	dir := args[0]
	if _, _, err := o.report.check(); err != nil {
		return err
	}
	switch {
	case o.threads < 1 || o.memMB < 1 || o.runtime < 1:
		return usagef("--threads, --mem-mb and --runtime must be at least 1")
	}
	var sheet *pipeline.Samplesheet
	if o.sheet != "" {
		var err error
		if sheet, err = pipeline.OpenWorkflowSheet(o.sheet); err != nil {
			return err
		}
	}
	zonula := o.zonula
	if zonula == "" {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("finding this zonula binary: %w (give --zonula)", err)
		}
		zonula = exe
	}
	var flags []string
	if o.db != "" {
		db, err := filepath.Abs(o.db)
		if err != nil {
			return err
		}
		if _, err := loadDB(db); err != nil { // fail now, not in 96 jobs
			return err
		}
		flags = append(flags, "--db", shellQuote(db))
	}
	if err := o.report.checkReferenceMethod(); err != nil {
		return err
	}
	if o.report.reference != "" {
		ref, err := filepath.Abs(o.report.reference)
		if err != nil {
			return err
		}
		if _, err := loadReference(ref, o.report.referenceMethod); err != nil { // fail now, not in every job
			return err
		}
		flags = append(flags, "--reference", shellQuote(ref))
		if m := o.report.referenceMethod; m != "" {
			flags = append(flags, "--reference-method", m)
		}
	}
	if err := o.qc.check(); err != nil {
		return err
	}
	if _, _, err := o.qc.options(); err != nil { // a bad --primers file fails now, not in every job
		return err
	}
	qcArgs, err := o.qc.args()
	if err != nil {
		return err
	}
	for i, a := range qcArgs {
		qcArgs[i] = shellQuote(a)
	}
	flags = append(flags, "--biom-format", o.report.biom.String(), "--format", o.report.formats, "--page-size", o.report.pageSize)
	flags = append(flags, qcArgs...)
	ver, _ := buildVersion()
	files, err := pipeline.WriteWorkflow(dir, sheet, pipeline.WorkflowOptions{
		Zonula: zonula, Version: "zonula " + ver, Threads: o.threads, MemMB: o.memMB, RuntimeMinutes: o.runtime,
		Options: strings.Join(flags, " "), CombineOptions: "--biom-format " + o.report.biom.String(),
		CohortOptions: "--format " + o.report.formats + " --page-size " + o.report.pageSize, Force: o.force,
	})
	if errors.Is(err, pipeline.ErrWorkflowExists) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	if !o.quiet {
		n := "no samples yet: fill in samplesheet.csv"
		if sheet != nil {
			n = fmt.Sprintf("%d samples", len(sheet.Samples))
		}
		fmt.Fprintf(stderr, "zonula: wrote %d files into %s (%s). Then: cd %s && snakemake --cores 4  (or --profile profiles/slurm)\n",
			len(files), dir, n, dir)
	}
	return nil
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe
// characters.
func shellQuote(s string) string {
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@", r)) {
			safe = false
			break
		}
	}
	if safe && s != "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
