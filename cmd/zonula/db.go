package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/taxonomy/refdb"
)

// newDBCommand is 'zonula db', the parent of db build, fetch, info and list
// (one file each: db_build.go, db_fetch.go, db_info.go, db_list.go; the
// database directory and --db names are resolved in dbresolve.go).
func newDBCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Build, fetch and list reference databases and show their provenance",
		Long: `Reference databases: the embedded default ("embedded"), files built with
'zonula db build', and public databases installed by 'zonula db fetch NAME'.
Installed databases live in the database directory: --dir, else
$ZONULA_DB_DIR, else $XDG_DATA_HOME/zonula, else ~/.local/share/zonula.
'zonula run --db NAME' takes an installed name or a file.`,
	}
	cmd.AddCommand(newDBInfoCommand(), newDBBuildCommand(), newDBFetchCommand(), newDBListCommand())
	return cmd
}

// printHeader writes a database header as "key<TAB>value" lines, as db
// info, build and fetch print it.
func printHeader(w io.Writer, name string, h refdb.Header) {
	fmt.Fprintf(w, "database\t%s\n", name)
	fmt.Fprintf(w, "name\t%s\n", h.Name)
	fmt.Fprintf(w, "version\t%s\n", h.Version)
	fmt.Fprintf(w, "source\t%s\n", h.Source)
	fmt.Fprintf(w, "license\t%s\n", h.License)
	if h.Built != "" {
		fmt.Fprintf(w, "built\t%s\n", h.Built)
	}
	fmt.Fprintf(w, "format\t%d\n", h.Format)
	fmt.Fprintf(w, "sequences\t%d\n", h.Sequences)
	fmt.Fprintf(w, "input_sequences\t%d\n", h.InputSeqs)
	fmt.Fprintf(w, "duplicates_merged\t%d\n", h.Duplicates)
	if h.Skipped > 0 {
		fmt.Fprintf(w, "skipped\t%d\n", h.Skipped)
	}
	fmt.Fprintf(w, "genera\t%d\n", h.Genera)
	// Genera with their own identity floor (two or more references); the
	// rest use the classifier's fixed genus floors.
	fmt.Fprintf(w, "genera_with_cohesion\t%d\n", len(h.GenusCohesion))
	fmt.Fprintf(w, "bases\t%d\n", h.Bases)
	fmt.Fprintf(w, "sha256\t%s\n", h.SHA256)
}
