package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/taxonomy/refdb"
)

func newDBInfoCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "info [DB]",
		Short: "Print a database's identity: name, version, source, counts and checksum",
		Long: `Print a database's header after checking its contents against its checksum.
DB is a file or an installed name; without it, the embedded default database.
Format 3 files (zonula db build since this version) have a checksum over the
header (names, counts, the genus identity floors) and the sequences, so an
edited header fails the check (exit 4); format 2 files' checksum covers the
sequences only, and info prints the checksum over both that runs record.` + exitStatusHelp,
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
	if db.Header.Format < 3 {
		// The header's checksum leaves the header out: say so, and print
		// the checksum over both that runs record.
		fmt.Fprintf(stdout, "checksum\tformat %d: the sha256 covers the sequences, not the header (rebuild with 'zonula db build' for one that covers both)\n", db.Header.Format)
		fmt.Fprintf(stdout, "sha256_with_header\t%s\n", db.SHA256)
	} else {
		fmt.Fprintf(stdout, "checksum\tcovers the header and the sequences\n")
	}
	return nil
}
