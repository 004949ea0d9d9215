package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at link time (-ldflags "-X main.version=v0.1.0"); builds
// without it report the module version or "dev".
var version = ""

// buildVersion returns the version and VCS commit of this binary.
func buildVersion() (ver, commit string) {
	ver = version
	info, ok := debug.ReadBuildInfo()
	if ok {
		if ver == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			ver = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				commit = s.Value
			}
		}
	}
	if ver == "" {
		ver = "0.1.0-dev"
	}
	return ver, commit
}

func newRootCommand(stdin io.Reader) *cobra.Command {
	root := &cobra.Command{
		Use:   "zonula",
		Short: "Full-length 16S reads to a gut-microbiome report tied to gut-barrier science",
		Long: `zonula turns full-length 16S rRNA reads (PacBio HiFi, Oxford Nanopore) from a
stool sample into an abundance profile, diversity metrics and a report (HTML
and PDF) that ties the findings to gut-barrier science with graded evidence.
The report is not a diagnosis.` + exitStatusHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(
		newRunCommand(stdin),
		newClassifyCommand(stdin),
		newProfileCommand(),
		newBatchCommand(),
		newCombineCommand(),
		newWorkflowCommand(),
		newSimulateCommand(),
		newDBCommand(),
		newMetricsCommand(),
		newReportCommand(),
		newCohortCommand(),
		newCompareCommand(),
		newVersionCommand(),
	)
	return root
}

// positional returns a cobra.PositionalArgs that reports a usage error.
func argsBetween(lo, hi int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < lo || (hi >= 0 && len(args) > hi) {
			if hi == lo {
				return usagef("want %d argument(s), got %d", lo, len(args))
			}
			return usagef("want at least %d argument(s), got %d", lo, len(args))
		}
		return nil
	}
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print zonula's version, commit and embedded database",
		Args:  argsBetween(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ver, commit := buildVersion()
			h, err := defaultHeader()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "zonula %s\n", ver)
			if commit != "" {
				fmt.Fprintf(out, "commit %s\n", commit)
			}
			fmt.Fprintf(out, "embedded database %s %s (%d sequences, sha256 %s)\n", h.Name, h.Version, h.Sequences, h.SHA256)
			return nil
		},
	}
}
