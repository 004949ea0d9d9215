package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/taxonomy/classify"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// dbFetchOptions are the flags of 'zonula db fetch'.
type dbFetchOptions struct {
	dir, catalogue string
	sha256         []string
}

func newDBFetchCommand() *cobra.Command {
	var o dbFetchOptions
	cmd := &cobra.Command{
		Use:   "fetch [flags] NAME",
		Short: "Download a catalogued public database, verify it and install it",
		Long: `Download the files of catalogue entry NAME (see 'zonula db list'), check
each against its pinned sha256, build the database and install it as
DIR/NAME.zdb. A checksum mismatch or an interrupted download installs
nothing (exit 4). Entries whose publisher gives no sha256 are refused until
you check the files yourself and pass --sha256 (HEX for every file without
one, or ROLE=HEX with ROLE fasta or taxonomy; repeatable).` + exitStatusHelp,
		Args: argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDBFetch(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&o.dir, "dir", "", "database `DIR` (default: $ZONULA_DB_DIR, $XDG_DATA_HOME/zonula or ~/.local/share/zonula)")
	cmd.Flags().StringSliceVar(&o.sha256, "sha256", nil, "expected sha256: `HEX` or ROLE=HEX")
	cmd.Flags().StringVar(&o.catalogue, "catalogue", "", "catalogue `FILE` (JSON, the embedded one's layout) to use instead of the embedded one")
	return cmd
}

// runDBFetch installs catalogue entry name in the database directory;
// download, checksum and build failures are database problems (exit 4).
func runDBFetch(ctx context.Context, o dbFetchOptions, args []string, stdout, stderr io.Writer) error {
	name := args[0]
	cat, err := refdb.Catalogue()
	if o.catalogue != "" {
		f, ferr := os.Open(o.catalogue)
		if ferr != nil {
			return &badInputError{ferr}
		}
		cat, err = refdb.ParseCatalogue(f)
		f.Close()
		if err != nil {
			return &badInputError{fmt.Errorf("catalogue %s: %w", o.catalogue, err)}
		}
	}
	if err != nil {
		return err
	}
	e, ok := refdb.Lookup(cat, name)
	if !ok {
		names := make([]string, len(cat))
		for i, c := range cat {
			names[i] = c.Name
		}
		return usagef("no catalogue entry %q (known: %s)", name, strings.Join(names, ", "))
	}
	sums := map[string]string{}
	for _, s := range o.sha256 {
		role, hex, ok := strings.Cut(s, "=")
		if !ok {
			role, hex = "", s
		}
		sums[role] = hex
	}
	dir, err := dbDir(o.dir)
	if err != nil {
		return err
	}
	prog := fetchProgress(stderr)
	path, h, err := refdb.Fetch(ctx, e, refdb.FetchOptions{Dir: dir, SHA256: sums, Progress: prog,
		Derive: classify.DeriveHeader, Decompress: seqio.NewReader, Records: fastaRecords})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return &databaseError{err}
	}
	printHeader(stdout, path, h)
	return nil
}

// fetchProgress reports a download on w: a line rewritten in place on a
// terminal, else a line per tenth of the file (or per 64 MiB when the size
// is unknown).
func fetchProgress(w io.Writer) func(file string, done, total int64) {
	tty := isTerminal(w)
	var lastFile string
	var lastStep int64 = -1
	return func(file string, done, total int64) {
		if file != lastFile {
			lastFile, lastStep = file, -1
		}
		mb := func(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
		msg := "downloading " + file + ": " + mb(done)
		step := done >> 26
		if total > 0 {
			msg += " of " + mb(total)
			step = done * 10 / total
		}
		switch {
		case tty:
			fmt.Fprintf(w, "\r%s", msg)
			if done == total {
				fmt.Fprintln(w)
			}
		case step != lastStep:
			fmt.Fprintln(w, msg)
		}
		lastStep = step
	}
}
