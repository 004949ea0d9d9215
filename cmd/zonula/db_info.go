package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/taxonomy/refdb"
)

func newDBInfoCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "info [DB]",
		Short: "Print a database's identity: name, version, source, counts and checksum",
		Long: `Print a database's header after checking its contents against its checksum.
DB is a file or an installed name; without it, the embedded default database.` + exitStatusHelp,
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDBInfo(cmd.Context(), struct{}{}, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
}

// runDBInfo checks and prints the header of the database args names (the
// embedded one without arguments).
func runDBInfo(_ context.Context, _ struct{}, args []string, stdout, _ io.Writer) error {
	name := refdb.DefaultName
	if len(args) == 1 {
		name = args[0]
	}
	db, err := loadDB(name)
	if err != nil {
		return err
	}
	printHeader(stdout, name, db.Header)
	return nil
}
