package tables

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/zonula/zonula/pipeline/tables/internal/hdf5"
	"github.com/zonula/zonula/taxonomy"
)

// Format names an abundance table format. The zero value, FormatAuto, asks
// ReadTables to detect the format from the content. Format implements
// pflag.Value (Set, String, Type), so a command can bind it to a flag.
type Format int

// The table formats ReadTables reads.
const (
	FormatAuto      Format = iota // detect from content
	FormatDelimited               // TSV or CSV, taxa as rows or samples as rows
	FormatZonula                  // zonula's own abundance.tsv (one sample)
	FormatBIOM1                   // BIOM 1.0 JSON, dense or sparse
	FormatBIOM2                   // BIOM 2.1 HDF5
	FormatQZA                     // QIIME 2 artifact holding a BIOM feature table
	FormatEmu                     // Emu <sample>_rel-abundance.tsv
	FormatKraken                  // Kraken2 report (also Bracken's -w report)
	FormatBracken                 // Bracken abundance output
	FormatMetaPhlAn               // MetaPhlAn 3/4 profile or merged table
	FormatMothur                  // mothur .shared
)

var formatNames = []string{"auto", "tsv", "zonula", "biom1", "biom2", "qza", "emu", "kraken2", "bracken", "metaphlan", "mothur"}

// String returns the format's name as Set accepts it ("biom2").
func (f Format) String() string {
	if f < 0 || int(f) >= len(formatNames) {
		return fmt.Sprintf("Format(%d)", int(f))
	}
	return formatNames[f]
}

// Set parses a format name: auto, tsv (also csv), zonula, biom1 (also
// biom, json), biom2 (also hdf5), qza, emu, kraken2 (also kraken, kreport),
// bracken, metaphlan, mothur (also shared). Case is ignored.
func (f *Format) Set(s string) error {
	s = strings.ToLower(strings.TrimSpace(s))
	alias := map[string]Format{"csv": FormatDelimited, "biom": FormatBIOM1, "json": FormatBIOM1, "hdf5": FormatBIOM2,
		"kraken": FormatKraken, "kreport": FormatKraken, "shared": FormatMothur, "": FormatAuto}
	if v, ok := alias[s]; ok {
		*f = v
		return nil
	}
	if i := slices.Index(formatNames, s); i >= 0 {
		*f = Format(i)
		return nil
	}
	return fmt.Errorf("unknown table format %q (want one of %s)", s, strings.Join(formatNames, ", "))
}

// Type returns the flag type name shown in help.
func (f *Format) Type() string { return "format" }

// Orientation says how a delimited (TSV/CSV) table is laid out.
type Orientation int

// Orientations of a delimited table.
const (
	OrientAuto    Orientation = iota // detect (see ReadTables)
	TaxaAsRows                       // one row per taxon, one column per sample (QIIME, phyloseq export)
	SamplesAsRows                    // one row per sample, one column per taxon
)

var orientNames = []string{"auto", "taxa-rows", "sample-rows"}

// String returns the orientation's name as Set accepts it.
func (o Orientation) String() string {
	if o < 0 || int(o) >= len(orientNames) {
		return fmt.Sprintf("Orientation(%d)", int(o))
	}
	return orientNames[o]
}

// Set parses auto, taxa-rows or sample-rows.
func (o *Orientation) Set(s string) error {
	if i := slices.Index(orientNames, strings.ToLower(strings.TrimSpace(s))); i >= 0 {
		*o = Orientation(i)
		return nil
	}
	return fmt.Errorf("unknown orientation %q (want auto, taxa-rows or sample-rows)", s)
}

// Type returns the flag type name shown in help.
func (o *Orientation) Type() string { return "orientation" }

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
// "label<TAB>Group<TAB>numOtus" header, Bracken's "name<TAB>taxonomy_id
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
// lineages that do not parse. A file that cannot be opened gives the
// *fs.PathError of os.ReadFile.
func ReadTables(path string, o ReadOptions) ([]*Profile, error) {
	data, err := os.ReadFile(path)
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
		if data, err = gunzip(name, data, o.maxMember()); err != nil {
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
		t, err = readMothur(name, data)
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
// bytes of output.
func gunzip(name string, data []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, &ParseError{File: name, Where: "gzip", Err: err}
	}
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, &ParseError{File: name, Where: "gzip", Err: fmt.Errorf("%w (truncated or damaged file?)", err)}
	}
	if int64(len(out)) > limit {
		return nil, &ParseError{File: name, Where: "gzip", Err: fmt.Errorf("decompresses to more than %d bytes", limit)}
	}
	return out, nil
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
	case strings.HasPrefix(first, "label\tGroup\tnumOtus"):
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

// firstLines returns up to n lines from the start of data, without "\r".
func firstLines(data []byte, n int) []string {
	var out []string
	for len(data) > 0 && len(out) < n {
		i := bytes.IndexByte(data, '\n')
		var l []byte
		if i < 0 {
			l, data = data, nil
		} else {
			l, data = data[:i], data[i+1:]
		}
		out = append(out, strings.TrimSuffix(string(l), "\r"))
	}
	return out
}

// lineIter yields lines with their 1-based numbers, "\r" removed.
type lineIter struct {
	data []byte
	n    int
	line string
}

func (it *lineIter) next() bool {
	if len(it.data) == 0 {
		return false
	}
	i := bytes.IndexByte(it.data, '\n')
	var l []byte
	if i < 0 {
		l, it.data = it.data, nil
	} else {
		l, it.data = it.data[:i], it.data[i+1:]
	}
	it.n++
	it.line = strings.TrimSuffix(string(l), "\r")
	return true
}

// cell is one non-zero count of a sample.
type cell struct {
	feature int
	value   float64
}

// table is an imported table before it becomes profiles.
type table struct {
	samples     []string
	sampleLine  []int // line naming each sample, 0 if none
	features    []string
	featureLine []int // line of each feature, 0 if none
	lineages    []taxonomy.Lineage
	cols        [][]cell // per sample, non-zero counts
	relative    bool     // values are relative abundances
	relKnown    bool     // the format says whether they are; else guessed
}

func (t *table) addFeature(id string, l taxonomy.Lineage, line int) int {
	t.features = append(t.features, id)
	t.lineages = append(t.lineages, l)
	t.featureLine = append(t.featureLine, line)
	return len(t.features) - 1
}

func (t *table) addSample(id string, line int) int {
	t.samples = append(t.samples, id)
	t.sampleLine = append(t.sampleLine, line)
	t.cols = append(t.cols, nil)
	return len(t.samples) - 1
}

// profiles checks the table (ids unique, every sample with counts) and
// builds one Profile per sample.
func (t *table) profiles(name string) ([]*Profile, error) {
	where := func(kind, id string, line int, err error) error {
		return &ParseError{File: name, Line: line, Where: kind + " " + id, Err: err}
	}
	if len(t.samples) == 0 {
		return nil, &ParseError{File: name, Err: errors.New("no samples in the table")}
	}
	seen := make(map[string]int, len(t.samples))
	for i, s := range t.samples {
		if s == "" {
			return nil, where("sample", fmt.Sprint(i+1), t.sampleLine[i], errors.New("empty sample id"))
		}
		if j, dup := seen[s]; dup {
			return nil, where("sample", s, t.sampleLine[i], fmt.Errorf("sample id repeats sample %d", j+1))
		}
		seen[s] = i
	}
	fseen := make(map[string]int, len(t.features))
	for i, f := range t.features {
		if j, dup := fseen[f]; dup {
			return nil, where("feature", f, t.featureLine[i], fmt.Errorf("feature id repeats feature %d", j+1))
		}
		fseen[f] = i
	}
	for i, s := range t.samples {
		var total float64
		for _, c := range t.cols[i] {
			if !finiteNonNeg(c.value) {
				return nil, where("sample", s, t.featureLine[c.feature], fmt.Errorf("feature %s: count %v, want a finite number ≥ 0", t.features[c.feature], c.value))
			}
			total += c.value
		}
		if total == 0 {
			return nil, where("sample", s, t.sampleLine[i], errors.New("no counts: every value of the sample is 0 (drop the sample or check the table)"))
		}
	}
	out := t.build()
	rel := t.relative
	if !t.relKnown {
		rel = guessRelative(out)
	}
	for _, p := range out {
		p.Relative = rel
	}
	return out, nil
}

// rankIndex numbers the distinct lineages of a table cut at one rank.
type rankIndex struct {
	group    []int32            // per distinct feature lineage: its group at this rank, -1 if shallower
	lineages []taxonomy.Lineage // per group: the lineage cut at the rank
}

// build turns the checked table into profiles with the rows Builder.Profile
// would give (same rows, same order: see Builder.Profile), but without
// hashing lineages per sample: lineages are numbered once per rank, and
// samples are summed in dense scratch arrays, on all CPUs.
func (t *table) build() []*Profile {
	// Distinct lineages of the features, each cut at its depth.
	uid := make([]int32, len(t.features))
	seen := map[taxonomy.Lineage]int32{}
	var uniq []taxonomy.Lineage
	for i, l := range t.lineages {
		l = l.Truncate(l.Depth())
		u, ok := seen[l]
		if !ok {
			u = int32(len(uniq))
			seen[l] = u
			uniq = append(uniq, l)
		}
		uid[i] = u
	}
	var idx [taxonomy.NumRanks]rankIndex
	for r := range idx {
		rank := taxonomy.Rank(r)
		groups := map[taxonomy.Lineage]int32{}
		ri := rankIndex{group: make([]int32, len(uniq))}
		for u, l := range uniq {
			if l.Depth() < rank {
				ri.group[u] = -1
				continue
			}
			k := l.Truncate(rank)
			g, ok := groups[k]
			if !ok {
				g = int32(len(ri.lineages))
				groups[k] = g
				ri.lineages = append(ri.lineages, k)
			}
			ri.group[u] = g
		}
		idx[r] = ri
	}
	out := make([]*Profile, len(t.samples))
	workers := min(runtime.GOMAXPROCS(0), len(t.samples))
	var wg sync.WaitGroup
	next := make(chan int, len(t.samples))
	for i := range t.samples {
		next <- i
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sums [taxonomy.NumRanks][]float64
			for r := range sums {
				sums[r] = make([]float64, len(idx[r].lineages))
			}
			var sc buildScratch
			for i := range next {
				out[i] = t.buildOne(i, uid, &idx, &sums, &sc)
			}
		}()
	}
	wg.Wait()
	return out
}

// groupSum is a taxon's reads at one rank: its group number and sum.
type groupSum struct {
	n float64
	g int32
}

// buildOne makes sample i's profile; sums are zeroed scratch arrays.
func (t *table) buildOne(i int, uid []int32, idx *[taxonomy.NumRanks]rankIndex, sums *[taxonomy.NumRanks][]float64, sc *buildScratch) *Profile {
	p := &Profile{Sample: t.samples[i], Features: make([]Feature, 0, len(t.cols[i]))}
	var total float64
	for _, c := range t.cols[i] {
		if c.value == 0 {
			continue
		}
		total += c.value
		p.Features = append(p.Features, Feature{ID: t.features[c.feature], Lineage: t.lineages[c.feature], Reads: c.value})
	}
	var unclassified [taxonomy.NumRanks]float64
	nrows := 0
	for r := range idx {
		rank := taxonomy.Rank(r)
		s := sums[r]
		touched := sc.touched[:0]
		for _, c := range t.cols[i] {
			g := idx[r].group[uid[c.feature]]
			if g < 0 {
				unclassified[r] += c.value
				continue
			}
			if s[g] == 0 {
				touched = append(touched, g)
			}
			s[g] += c.value
		}
		sc.touched = touched
		// Order as compareRows does, on small keys rather than Rows.
		keys := sc.keys[r][:0]
		for _, g := range touched {
			if n := s[g]; n != 0 {
				keys = append(keys, groupSum{n, g})
			}
			s[g] = 0
		}
		ls := idx[r].lineages
		slices.SortFunc(keys, func(a, b groupSum) int {
			switch {
			case a.n > b.n:
				return -1
			case a.n < b.n:
				return 1
			}
			if c := strings.Compare(ls[a.g][rank], ls[b.g][rank]); c != 0 {
				return c
			}
			return strings.Compare(ls[a.g].String(), ls[b.g].String())
		})
		sc.keys[r] = keys
		nrows += len(keys) + 1
	}
	p.Rows = make([]Row, 0, nrows)
	for r := range idx {
		rank := taxonomy.Rank(r)
		ls := idx[r].lineages
		for _, k := range sc.keys[r] {
			l := &ls[k.g]
			p.Rows = append(p.Rows, Row{Rank: rank, Taxon: l[rank], Lineage: *l, Reads: k.n, Fraction: k.n / total})
		}
		p.Rows = append(p.Rows, Row{Rank: rank, Taxon: Unclassified, Reads: unclassified[r], Fraction: unclassified[r] / total})
	}
	return p
}

// buildScratch is one worker's reusable buffers.
type buildScratch struct {
	touched []int32
	keys    [taxonomy.NumRanks][]groupSum
}

// guessRelative reports whether a table without a stated kind holds
// relative abundances: some value is not a whole number and no sample sums
// to more than 100 (fractions or percentages).
func guessRelative(ps []*Profile) bool {
	frac := false
	for _, p := range ps {
		var sum float64
		for _, f := range p.Features {
			sum += f.Reads
			frac = frac || !isWhole(f.Reads)
		}
		if sum > 100+1e-6 {
			return false
		}
	}
	return frac
}

// parseCount reads a count cell: a finite number ≥ 0; empty cells are 0.
func parseCount(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	v, err := parseFloat(s)
	if err != nil {
		return 0, fmt.Errorf("count %q is not a number", truncate(s))
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("count %q: want a finite number ≥ 0", truncate(s))
	}
	return v, nil
}

// idLineage parses a feature id as a lineage when it looks like one
// (contains ';', '|' or a rank prefix), else returns an empty lineage.
func idLineage(id string) (taxonomy.Lineage, error) {
	if !looksLikeLineage(id) {
		return taxonomy.Lineage{}, nil
	}
	return taxonomy.ParseLineage(id)
}

func looksLikeLineage(s string) bool {
	if strings.ContainsAny(s, ";|") {
		return true
	}
	for _, p := range []string{"k__", "d__", "p__", "c__", "o__", "f__", "g__", "s__", "D_0__", "d:", "k:"} {
		if strings.HasPrefix(strings.TrimSpace(s), p) {
			return true
		}
	}
	return false
}
