package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/taxonomy/classify"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// dbBuildOptions are the flags of 'zonula db build'.
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
			return runDBBuild(cmd.Context(), o, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
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

// openInput opens a reference file, decompressed as seqio detects it.
func openInput(path string) (io.ReadCloser, error) {
	r, err := seqio.Open(path)
	if err != nil {
		return nil, &badInputError{err}
	}
	return r, nil
}

// runDBBuild builds the database file o.out from the reference sequences in
// args[0] (and o.taxonomy): bad input files exit 3, bad flags 2.
func runDBBuild(_ context.Context, o dbBuildOptions, args []string, stdout, stderr io.Writer) error {
	input := args[0]
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
	fasta, err := openInput(input)
	if err != nil {
		return err
	}
	defer fasta.Close()
	in := refdb.Input{Format: o.format, FASTA: fastaRecords(fasta, input), FASTAName: input}
	if o.taxonomy != "" {
		tax, err := openInput(o.taxonomy)
		if err != nil {
			return err
		}
		defer tax.Close()
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

// baseName returns the last element of a slash- or backslash-separated path.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
