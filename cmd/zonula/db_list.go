package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/taxonomy/refdb"
)

func newDBListCommand() *cobra.Command {
	var o dbListOptions
	cmd := &cobra.Command{
		Use:   "list [flags]",
		Short: "List installed databases and the catalogue of fetchable ones",
		Long: `List the databases installed in the database directory (name, version,
sequences, checksum prefix), then the catalogue entries 'zonula db fetch'
knows, marked when installed. Headers are read, not checksummed: 'zonula db
info NAME' checks one.` + exitStatusHelp,
		Args: argsBetween(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDBList(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&o.dir, "dir", "", "database `DIR` (default: $ZONULA_DB_DIR, $XDG_DATA_HOME/zonula or ~/.local/share/zonula)")
	return cmd
}

type dbListOptions struct{ dir string }

// runDBList prints the databases installed in the database directory, then
// the catalogue.
func runDBList(_ context.Context, o dbListOptions, _ []string, stdout, _ io.Writer) error {
	dir, err := dbDir(o.dir)
	if err != nil {
		return err
	}
	installed, err := refdb.ListInstalled(dir)
	if err != nil {
		return &databaseError{err}
	}
	cat, err := refdb.Catalogue()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Installed in %s:\n", dir)
	fmt.Fprintln(tw, "name\tversion\tsequences\tsha256\t")
	h, err := refdb.DefaultHeader()
	if err == nil {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t(built in)\n", refdb.DefaultName, h.Version, h.Sequences, h.ShortID())
	}
	isInstalled := map[string]bool{}
	for _, in := range installed {
		isInstalled[in.Name] = true
		if in.Err != nil {
			fmt.Fprintf(tw, "%s\t-\t-\t-\tunreadable: %v\n", in.Name, in.Err)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t\n", in.Name, in.Header.Version, in.Header.Sequences, in.Header.ShortID())
	}
	fmt.Fprintln(tw, "\t\t\t\t")
	fmt.Fprintln(tw, "Catalogue ('zonula db fetch NAME'):")
	fmt.Fprintln(tw, "name\tversion\tformat\tlicense\t")
	for _, e := range cat {
		mark := ""
		if isInstalled[e.Name] {
			mark = "installed"
		}
		for _, f := range e.Files {
			if f.SHA256 == "" {
				mark = strings.TrimPrefix(mark+", needs --sha256", ", ")
				break
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Name, e.Version, e.Format, e.License, mark)
	}
	return tw.Flush()
}
