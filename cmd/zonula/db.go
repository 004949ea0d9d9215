package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline/safefile"
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

// dbDir returns the database directory: --dir, else $ZONULA_DB_DIR, else
// $XDG_DATA_HOME/zonula, else ~/.local/share/zonula.
func dbDir(flagDir string) (string, error) {
	if flagDir != "" {
		return flagDir, nil
	}
	if d := os.Getenv("ZONULA_DB_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "zonula"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", &databaseError{fmt.Errorf("no database directory: set ZONULA_DB_DIR or pass --dir (%v)", err)}
	}
	return filepath.Join(home, ".local", "share", "zonula"), nil
}

// resolveDB turns what the user gave to --db into a file path: an existing
// file as is, otherwise a name installed in the database directory
// ("silva-138.2" → DIR/silva-138.2.zdb).
func resolveDB(name string) (string, error) {
	if st, err := os.Stat(name); err == nil && !st.IsDir() {
		return name, nil
	}
	if strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, ".zdb") {
		return "", &databaseError{fmt.Errorf("database %s: no such file (build one with 'zonula db build', or omit --db for the embedded one)", name)}
	}
	dir, err := dbDir("")
	if err != nil {
		return "", err
	}
	path := refdb.InstalledPath(dir, name)
	if _, err := os.Stat(path); err != nil {
		return "", &databaseError{fmt.Errorf("database %s: not a file and not installed in %s; run 'zonula db fetch %s' (see 'zonula db list'), or pass a file", name, dir, name)}
	}
	return path, nil
}

// loadDB opens the database the user named: "" or "embedded" for the
// embedded default, otherwise a database file written by 'zonula db build'
// or the name of one installed by 'zonula db fetch'.
func loadDB(name string) (*refdb.DB, error) {
	if name == "" || name == refdb.DefaultName {
		db, err := refdb.Default()
		if err != nil {
			return nil, &databaseError{err}
		}
		return db, nil
	}
	path, err := resolveDB(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &databaseError{fmt.Errorf("database %s: %w", name, err)}
	}
	defer f.Close()
	db, err := refdb.Read(f)
	if err != nil {
		return nil, &databaseError{fmt.Errorf("database %s: %w", path, err)}
	}
	return db, nil
}

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

func newDBInfoCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "info [DB]",
		Short: "Print a database's identity: name, version, source, counts and checksum",
		Long: `Print a database's header after checking its contents against its checksum.
DB is a file or an installed name; without it, the embedded default database.` + exitStatusHelp,
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

type dbBuildOptions struct {
	format                                              refdb.Format
	taxonomy, out, name, version, source, license, date string
}

// formatFlag is --format: checked while flags are parsed.
type formatFlag struct{ f *refdb.Format }

func (v formatFlag) String() string { return string(*v.f) }
func (v formatFlag) Type() string   { return "format" }
func (v formatFlag) Set(s string) error {
	f, err := refdb.ParseFormat(s)
	if err != nil {
		return err
	}
	*v.f = f
	return nil
}

const dbBuildHelp = `Build a zonula database file: sequences with lineages, identical sequences
merged (their lineage becomes the common ancestor), sorted, checksummed and
compressed. Input files may be plain, gzip or zstd. The same input and flags
give the same bytes (the date is only what --date says).

Formats (--format), with the taxonomy file --taxonomy takes:
  gold    rRNA16S.gold.fasta (Debian microbiomeutil-data): lineage in the last
          tab-separated header field, species from the description. No taxonomy.
  silva   SILVA SSU Ref NR99 FASTA ">ACC.start.stop Bacteria;…;Genus;Organism";
          optional: SILVA's rank file tax_slv_ssu_VERSION.txt (places paths
          deeper than six levels) or its taxmap. Eukaryota records are skipped.
  gtdb    GTDB ssu_all_rNNN.fna ">ID~CONTIG d__…;s__… [location=…]"; optional:
          a GTDB taxonomy TSV (bac120_taxonomy_rNNN.tsv) that overrides headers.
  gg2     Greengenes2 FASTA; required: taxonomy TSV "Feature ID<TAB>Taxon".
  rdp     RDP training set ">ID<TAB>Root;Bacteria;…;Genus"; optional: the
          mothur .tax file of the same set ("ID<TAB>Bacteria;…;Genus;").
  emu     Emu's species_taxid.fasta; required: Emu's taxonomy.tsv.
  sintax  SINTAX/UTAX headers ">ID;tax=d:…,p:…,g:…,s:…;". No taxonomy.
  qiime2  QIIME 2 reference FASTA; required: taxonomy TSV "Feature ID<TAB>Taxon"
          (k__/d__/D_0__ prefixes or plain "Bacteria;Firmicutes;…").`

func newDBBuildCommand() *cobra.Command {
	o := dbBuildOptions{format: refdb.FormatGold}
	cmd := &cobra.Command{
		Use:   "build [flags] SEQUENCES.fasta[.gz|.zst] -o OUT.zdb",
		Short: "Build a database file from reference sequences in a common format",
		Long:  dbBuildHelp + exitStatusHelp,
		Args:  argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDBBuild(o, args[0], cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.Var(formatFlag{&o.format}, "format", "input `format`: gold|silva|gtdb|gg2|rdp|emu|sintax|qiime2")
	f.StringVar(&o.taxonomy, "taxonomy", "", "taxonomy `FILE` of the format (see above)")
	f.StringVarP(&o.out, "out", "o", "", "output database `FILE` (required)")
	f.StringVar(&o.name, "name", "", "database name (default: input file name)")
	f.StringVar(&o.version, "version", "", "version of the source data")
	f.StringVar(&o.source, "source", "", "where the sequences came from")
	f.StringVar(&o.license, "license", "", "licence of the source data")
	f.StringVar(&o.date, "date", "", "build or release `YYYY-MM-DD` to record (default: none, for reproducible files)")
	return cmd
}

// openInput opens a reference file and decompresses it.
func openInput(path string) (io.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &badInputError{err}
	}
	r, err := refdb.Decompress(f)
	if err != nil {
		f.Close()
		return nil, nil, &badInputError{fmt.Errorf("%s: %w", path, err)}
	}
	return r, func() { r.Close(); f.Close() }, nil
}

func runDBBuild(o dbBuildOptions, input string, stdout, stderr io.Writer) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	if o.date != "" {
		if _, err := time.Parse(time.DateOnly, o.date); err != nil {
			return usagef("--date %q: want YYYY-MM-DD", o.date)
		}
	}
	inputs := []string{input}
	if o.taxonomy != "" {
		inputs = append(inputs, o.taxonomy)
	}
	if err := safefile.CheckNotInput(o.out, inputs); err != nil {
		return usagef("%v", err)
	}
	switch need := o.format.TaxonomyFile(); {
	case need == "required" && o.taxonomy == "":
		return usagef("--format %s needs --taxonomy FILE", o.format)
	case need == "none" && o.taxonomy != "":
		return usagef("--format %s takes no --taxonomy file", o.format)
	}
	fasta, closeFASTA, err := openInput(input)
	if err != nil {
		return err
	}
	defer closeFASTA()
	in := refdb.Input{Format: o.format, FASTA: fasta, FASTAName: input}
	if o.taxonomy != "" {
		tax, closeTax, err := openInput(o.taxonomy)
		if err != nil {
			return err
		}
		defer closeTax()
		in.Taxonomy, in.TaxonomyName = tax, o.taxonomy
	}
	refs, st, err := refdb.BuildFrom(in)
	if err != nil {
		return &badInputError{err}
	}
	name := o.name
	if name == "" {
		name = baseName(input)
		for _, ext := range []string{".gz", ".zst", ".fasta", ".fna", ".fa"} {
			name = strings.TrimSuffix(name, ext)
		}
	}
	h := refdb.Header{Name: name, Version: o.version, Source: o.source, License: o.license, Built: o.date,
		InputSeqs: st.Input, Duplicates: st.Duplicates, Skipped: st.SkippedTotal()}
	classify.DeriveHeader(&h, refs)
	if err := safefile.Write(o.out, func(w io.Writer) error {
		var err error
		h, err = refdb.Write(w, h, refs)
		return err
	}); err != nil {
		return err
	}
	reasons := make([]string, 0, len(st.Skipped))
	for r := range st.Skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(stderr, "zonula: skipped %d %s\n", st.Skipped[r], r)
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
			return runDBFetch(cmd.Context(), o, args[0], cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&o.dir, "dir", "", "database `DIR` (default: $ZONULA_DB_DIR, $XDG_DATA_HOME/zonula or ~/.local/share/zonula)")
	cmd.Flags().StringSliceVar(&o.sha256, "sha256", nil, "expected sha256: `HEX` or ROLE=HEX")
	cmd.Flags().StringVar(&o.catalogue, "catalogue", "", "catalogue `FILE` (JSON, the embedded one's layout) to use instead of the embedded one")
	return cmd
}

func runDBFetch(ctx context.Context, o dbFetchOptions, name string, stdout, stderr io.Writer) error {
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
	path, h, err := refdb.Fetch(ctx, e, refdb.FetchOptions{Dir: dir, SHA256: sums, Progress: prog, Derive: classify.DeriveHeader})
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

func newDBListCommand() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "list [flags]",
		Short: "List installed databases and the catalogue of fetchable ones",
		Long: `List the databases installed in the database directory (name, version,
sequences, checksum prefix), then the catalogue entries 'zonula db fetch'
knows, marked when installed. Headers are read, not checksummed: 'zonula db
info NAME' checks one.` + exitStatusHelp,
		Args: argsBetween(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDBList(dir, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "database `DIR` (default: $ZONULA_DB_DIR, $XDG_DATA_HOME/zonula or ~/.local/share/zonula)")
	return cmd
}

func runDBList(flagDir string, stdout io.Writer) error {
	dir, err := dbDir(flagDir)
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
