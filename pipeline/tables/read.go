package tables

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/zonula/zonula/pipeline/tables/internal/hdf5"
	"github.com/zonula/zonula/taxonomy"
)

// DefaultMaxMember is the default cap on the uncompressed size of one
// member of a .qza archive (1 GiB).
const DefaultMaxMember = 1 << 30

// ReadOptions adjusts ReadTables. The zero value detects everything.
type ReadOptions struct {
	Format      Format      // FormatAuto: detect from content
	Orientation Orientation // delimited tables only; OrientAuto: detect
	// Taxonomy is an optional file of lineages by feature id: a QIIME 2
	// taxonomy .qza or its taxonomy.tsv ("Feature ID<TAB>Taxon[...]"), a
	// mothur .cons.taxonomy, or a Kraken2/Bracken report (by taxid, for
	// Bracken output). Its lineages win over lineages in the table.
	Taxonomy string
	// Sample names the sample of single-sample formats that do not name
	// it (Emu, Kraken2, Bracken, MetaPhlAn without a sample id, zonula's
	// abundance.tsv); empty gives the file name without its directory and
	// known suffixes ("S1_rel-abundance.tsv" gives "S1").
	Sample string
	// MaxMember caps the uncompressed size of a .qza member or of a
	// gzip-compressed table; 0 gives DefaultMaxMember.
	MaxMember int64
	// Label picks the lines of a mothur .shared file with several labels
	// (OTU cutoffs); empty reads the taxonomy file's label or the first
	// (MothurLabel).
	Label string
}

// ReadTables reads the abundance table at path and returns one Profile per
// sample, in the table's sample order. Each Profile holds rows at every rank
// (as Builder.Profile makes them, from each feature's lineage and count) and
// the table's own Features.
//
// A gzip-compressed file (any format but .qza) is decompressed first. The
// format is o.Format or, for FormatAuto, detected from the content:
// the HDF5 signature (BIOM 2.1), a zip signature (.qza), a JSON object with
// a BIOM 1 "format" (BIOM 1.0), zonula's TSVHeader, mothur's
// "label<TAB>Group<TAB>numOtus" (or numASVs) header, Bracken's "name<TAB>taxonomy_id
// <TAB>taxonomy_lvl" header, Emu's "tax_id<TAB>abundance" header, MetaPhlAn's
// "#mpa_", "#clade_name" or "#SampleID<TAB>Metaphlan..." header or
// k__...|p__... clade names in the first column, Kraken2 report lines
// (percentage, clade reads, taxon reads, rank code, taxid, name), and
// otherwise a TSV/CSV table (FormatDelimited).
//
// Delimited tables: the delimiter is a tab if the header line has one, else
// a comma (RFC 4180 quoting). Lines starting with '#' before the header are
// comments, except "#OTU ID" and "#SampleID" headers. With OrientAuto the
// table has samples as rows when its first header cell names samples
// ("sample", "sample_id", "SampleID", "#SampleID", "Group") or when its
// other header cells parse as prefixed lineages; otherwise taxa are rows. A
// column headed "taxonomy", "Taxon", "lineage" or "Consensus Lineage"
// (taxa-as-rows only) gives lineages; so do two or more rank columns
// ("species", "genus", ..., "superkingdom", as in Emu's combined tables;
// "tax_id", "clade" and similar label columns are not samples); otherwise
// a feature id is parsed as a lineage when it contains ';', '|' or a rank
// prefix. WriteCombinedTSV's tables ("rank<TAB>taxon<TAB>lineage<TAB>S1...")
// read back with their lineages.
//
// Errors are *ParseError values naming the file and the line (or, for
// BIOM and .qza, the record): unreadable or unknown formats, ragged rows,
// negative, non-finite or non-numeric counts, duplicate sample or feature
// ids, samples whose counts are all zero, a table with no samples, and
// lineages that do not parse; and files that break the limits of
// limits.go: larger than o.MaxMember, a gzip file inflating more than
// MaxInflation times, a text table with a NUL byte or a line longer than
// MaxTableLine. A file that cannot be opened gives the *fs.PathError of
// os.Open.
func ReadTables(path string, o ReadOptions) ([]*Profile, error) {
	data, err := readTableFile(path, o.maxMember())
	if err != nil {
		return nil, err
	}
	var tax map[string]taxonomy.Lineage
	if o.Taxonomy != "" {
		if tax, err = ReadTaxonomy(o.Taxonomy, o.MaxMember); err != nil {
			return nil, err
		}
	}
	if o.Sample == "" {
		o.Sample = SampleFromPath(path)
	}
	return Decode(path, data, o, tax)
}

// ReadAll reads several tables with ReadTables (one ReadOptions for all;
// Sample, when set, is ignored so each file names its own sample) and
// returns their profiles in argument order. Two profiles with the same
// sample name are an error naming both files.
func ReadAll(paths []string, o ReadOptions) ([]*Profile, error) {
	var out []*Profile
	from := map[string]string{}
	for _, p := range paths {
		o.Sample = ""
		ps, err := ReadTables(p, o)
		if err != nil {
			return nil, err
		}
		for _, x := range ps {
			if prev, dup := from[x.Sample]; dup {
				return nil, &ParseError{File: p, Where: "sample " + x.Sample, Err: fmt.Errorf("sample name also in %s: rename one of the files or samples", prev)}
			}
			from[x.Sample] = p
		}
		out = append(out, ps...)
	}
	return out, nil
}

// Decode reads a table held in data; name is used in errors and tax, when
// not nil, gives lineages by feature id (see ReadTaxonomy). It is
// ReadTables without the file system.
func Decode(name string, data []byte, o ReadOptions, tax map[string]taxonomy.Lineage) ([]*Profile, error) {
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		var err error
		if data, err = gunzip(name, data, inflateLimit(int64(len(data)), o.maxMember())); err != nil {
			return nil, err
		}
	}
	f := o.Format
	if f == FormatAuto {
		var err error
		if f, err = Detect(name, data); err != nil {
			return nil, err
		}
	}
	if o.Sample == "" {
		o.Sample = SampleFromPath(name)
	}
	var t *table
	var err error
	switch f {
	case FormatDelimited:
		t, err = readDelimited(name, data, o.Orientation, o.Sample)
	case FormatZonula:
		t, err = readZonula(name, data, o.Sample)
	case FormatBIOM1:
		t, err = readBIOM1(name, data)
	case FormatBIOM2:
		t, err = readBIOM2(name, data)
	case FormatQZA:
		t, err = readQZA(name, data, o.maxMember())
	case FormatEmu:
		t, err = readEmu(name, data, o.Sample)
	case FormatKraken:
		t, err = readKraken(name, data, o.Sample)
	case FormatBracken:
		t, err = readBracken(name, data, o.Sample)
	case FormatMetaPhlAn:
		t, err = readMetaPhlAn(name, data, o.Sample)
	case FormatMothur:
		t, err = readMothur(name, data, o)
	default:
		return nil, fmt.Errorf("tables: unknown format %v", f)
	}
	if err != nil {
		return nil, err
	}
	if tax != nil {
		for i, id := range t.features {
			if l, ok := tax[id]; ok {
				t.lineages[i] = l
			}
		}
	}
	ps, err := t.profiles(name)
	for _, p := range ps {
		p.Format = f
	}
	return ps, err
}

// gunzip decompresses a gzip file (all members), refusing more than limit
// bytes of output and text that breaks the limits of readBoundedTable.
func gunzip(name string, data []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, &ParseError{File: name, Where: "gzip", Err: err}
	}
	return readBoundedTable(name, zr, limit, "gzip")
}

func (o ReadOptions) maxMember() int64 {
	if o.MaxMember > 0 {
		return o.MaxMember
	}
	return DefaultMaxMember
}

// SampleFromPath derives a sample name from a file name: the base name
// without known table suffixes ("_rel-abundance.tsv", ".kreport2",
// ".bracken", "_profile.txt", ".tsv", ".gz"...).
func SampleFromPath(path string) string {
	s := filepath.Base(path)
	for changed := true; changed; {
		changed = false
		for _, suf := range []string{".gz", ".tsv", ".txt", ".csv", ".biom", ".qza", ".kreport2", ".kreport", ".report", ".bracken",
			"_rel-abundance", "_profile", "_profiled_metagenome", ".shared", "_species", "_genus", ".breport",
			"-species", "-genus", "-family", "-order", "-class", "-phylum", "-clade", "-superkingdom"} {
			if len(s) > len(suf) && strings.HasSuffix(strings.ToLower(s), suf) {
				s = s[:len(s)-len(suf)]
				changed = true
			}
		}
	}
	return s
}

// Detect returns the format of a table from its first bytes (see
// ReadTables); name is used in errors.
func Detect(name string, data []byte) (Format, error) {
	switch {
	case len(data) == 0:
		return FormatAuto, &ParseError{File: name, Line: 1, Err: errors.New("empty file: want an abundance table")}
	case hdf5.IsHDF5(data):
		return FormatBIOM2, nil
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return FormatQZA, nil
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		head := trimmed[:min(len(trimmed), 1<<20)]
		if bytes.Contains(head, []byte("Biological Observation Matrix")) {
			return FormatBIOM1, nil
		}
		return FormatAuto, &ParseError{File: name, Line: 1, Err: errors.New("a JSON file without a BIOM \"format\": want BIOM 1.0 JSON")}
	}
	if bytes.IndexByte(data[:min(len(data), 4096)], 0) >= 0 {
		return FormatAuto, &ParseError{File: name, Line: 1, Err: errors.New("binary data: want a text, BIOM or .qza table")}
	}
	lines := firstLines(data, 40)
	var first string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			first = l
			break
		}
	}
	switch {
	case first == TSVHeader:
		return FormatZonula, nil
	case isMothurHeader(first):
		return FormatMothur, nil
	case strings.HasPrefix(first, "name\ttaxonomy_id\ttaxonomy_lvl"):
		return FormatBracken, nil
	case strings.HasPrefix(first, "tax_id\tabundance"):
		return FormatEmu, nil
	case strings.HasPrefix(first, "#mpa_") || strings.HasPrefix(first, "#clade_name") ||
		strings.HasPrefix(first, "#SampleID\tMetaphlan"):
		return FormatMetaPhlAn, nil
	}
	data1 := ""
	for _, l := range lines {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if data1 == "" {
			data1 = l
		}
		f := strings.SplitN(l, "\t", 2)
		if len(f) == 2 && (strings.HasPrefix(f[0], "k__") || strings.HasPrefix(f[0], "d__")) &&
			strings.Contains(f[0], "|") && !strings.Contains(f[0], ";") {
			return FormatMetaPhlAn, nil // clade names k__X|p__Y
		}
	}
	if isKrakenLine(data1) {
		return FormatKraken, nil
	}
	return FormatDelimited, nil
}

// ParseError reports malformed table input at a place a user can find:
// "abundance.tsv:12: 4 tab-separated fields, want 5 (...)", or, for formats
// without lines (BIOM, .qza), "table.biom: sample S3: no counts".
type ParseError struct {
	File  string // as named by the caller
	Line  int    // 1-based; 0 when the format has no lines
	Where string // record, row, sample or archive member (may be empty)
	Err   error
}

// Error formats the error as "file:line: where: problem", leaving out the
// parts that are not known.
// InputFile names the table file at fault.
func (e *ParseError) InputFile() string { return e.File }

func (e *ParseError) Error() string {
	switch {
	case e.Line > 0 && e.Where != "":
		return fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, e.Where, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	case e.Where != "":
		return fmt.Sprintf("%s: %s: %v", e.File, e.Where, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }
