package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/taxonomy/classify"
	"github.com/zonula/zonula/taxonomy/refdb"
)

func defaultHeader() (refdb.Header, error) {
	h, err := refdb.DefaultHeader()
	if err != nil {
		return h, &databaseError{err}
	}
	return h, nil
}

// loadDB opens the database the user named: "" or "embedded" for the
// embedded default, otherwise a database file written by 'zonula db build'.
func loadDB(name string) (*refdb.DB, error) {
	if name == "" || name == refdb.DefaultName {
		db, err := refdb.Default()
		if err != nil {
			return nil, &databaseError{err}
		}
		return db, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, &databaseError{fmt.Errorf("database %s: %w (build one with 'zonula db build' or omit --db for the embedded one)", name, err)}
	}
	defer f.Close()
	db, err := refdb.Read(f)
	if err != nil {
		return nil, &databaseError{fmt.Errorf("database %s: %w", name, err)}
	}
	return db, nil
}

func newDBCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Build reference databases and show their provenance",
	}
	cmd.AddCommand(newDBInfoCommand(), newDBBuildCommand())
	return cmd
}

func newDBInfoCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "info [DB]",
		Short: "Print a database's identity: name, version, source, counts and checksum",
		Long: `Print a database's header after checking its contents against its checksum.
Without an argument, the embedded default database.` + exitStatusHelp,
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := refdb.DefaultName
			if len(args) == 1 {
				name = args[0]
			}
			db, err := loadDB(name)
			if err != nil {
				return err
			}
			printHeader(cmd.OutOrStdout(), name, db.Header)
			return nil
		},
	}
}

func printHeader(w io.Writer, name string, h refdb.Header) {
	fmt.Fprintf(w, "database\t%s\n", name)
	fmt.Fprintf(w, "name\t%s\n", h.Name)
	fmt.Fprintf(w, "version\t%s\n", h.Version)
	fmt.Fprintf(w, "source\t%s\n", h.Source)
	fmt.Fprintf(w, "license\t%s\n", h.License)
	fmt.Fprintf(w, "format\t%d\n", h.Format)
	fmt.Fprintf(w, "sequences\t%d\n", h.Sequences)
	fmt.Fprintf(w, "input_sequences\t%d\n", h.InputSeqs)
	fmt.Fprintf(w, "duplicates_merged\t%d\n", h.Duplicates)
	fmt.Fprintf(w, "genera\t%d\n", h.Genera)
	fmt.Fprintf(w, "bases\t%d\n", h.Bases)
	fmt.Fprintf(w, "sha256\t%s\n", h.SHA256)
}

type dbBuildOptions struct {
	format, out, name, version, source, license string
}

func newDBBuildCommand() *cobra.Command {
	var o dbBuildOptions
	cmd := &cobra.Command{
		Use:   "build [flags] SEQUENCES.fasta[.gz] -o OUT.zdb",
		Short: "Build a database file from reference sequences",
		Long: `Build a zonula database file: sequences with lineages, identical sequences
merged (their lineage becomes the common ancestor), sorted, checksummed and
compressed. The same input and flags give the same bytes.

Formats:
  gold   rRNA16S.gold.fasta (Debian microbiomeutil-data) and RDP-style headers:
         lineage "Bacteria; Phylum; Class; Order; Family; Genus" in the last
         tab-separated field, species from the description's binomial.` + exitStatusHelp,
		Args: argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDBBuild(o, args[0], cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "gold", "input `format`: gold")
	f.StringVarP(&o.out, "out", "o", "", "output database `FILE` (required)")
	f.StringVar(&o.name, "name", "", "database name (default: input file name)")
	f.StringVar(&o.version, "version", "", "version of the source data")
	f.StringVar(&o.source, "source", "", "where the sequences came from")
	f.StringVar(&o.license, "license", "", "licence of the source data")
	return cmd
}

func runDBBuild(o dbBuildOptions, input string, stdout io.Writer) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	var lineageOf refdb.LineageFunc
	switch o.format {
	case "gold":
		lineageOf = refdb.GoldLineage
	default:
		return usagef("--format %q: want gold", o.format)
	}
	if err := safefile.CheckNotInput(o.out, []string{input}); err != nil {
		return usagef("%v", err)
	}
	recs, err := readFASTA(input)
	if err != nil {
		return err
	}
	refs, st, err := refdb.Build(recs, lineageOf)
	if err != nil {
		return &badInputError{fmt.Errorf("%s: %w", input, err)}
	}
	name := o.name
	if name == "" {
		name = strings.TrimSuffix(strings.TrimSuffix(baseName(input), ".gz"), ".fasta")
	}
	h := refdb.Header{Name: name, Version: o.version, Source: o.source, License: o.license, InputSeqs: st.Input, Duplicates: st.Duplicates}
	h.GenusCohesion = classify.GenusCohesion(refs, 0)
	if err := safefile.Write(o.out, func(w io.Writer) error { return refdb.Write(w, h, refs) }); err != nil {
		return err
	}
	f, err := os.Open(o.out)
	if err != nil {
		return err
	}
	defer f.Close()
	h, err = refdb.ReadHeader(f)
	if err != nil {
		return err
	}
	printHeader(stdout, o.out, h)
	return nil
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// readFASTA reads every record of a sequence file for database building.
func readFASTA(path string) ([]refdb.Record, error) {
	r, err := seqio.Open(path)
	if err != nil {
		return nil, &badInputError{err}
	}
	defer r.Close()
	sc := seqio.NewScanner(r, path)
	var recs []refdb.Record
	for sc.Scan() {
		rec := sc.Record()
		recs = append(recs, refdb.Record{ID: rec.ID, Desc: rec.Desc, Seq: append([]byte(nil), rec.Seq...)})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, &badInputError{errors.New(path + ": no sequences")}
	}
	return recs, nil
}
