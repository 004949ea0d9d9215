package refdb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// Format is a reference database layout that Build reads.
type Format string

// The formats BuildFrom reads. Each constant's comment names the FASTA
// header and the taxonomy file (Input.Taxonomy) it expects.
const (
	// FormatGold: rRNA16S.gold.fasta (Debian microbiomeutil-data): lineage
	// "Bacteria; Phylum; …; Genus" in the last tab-separated header field,
	// species from the description's binomial. No taxonomy file.
	FormatGold Format = "gold"
	// FormatSILVA: SILVA SSU Ref (NR99) exports, ">ACC.start.stop
	// Bacteria;Phylum;…;Genus;Organism name", U read as T. Optional taxonomy
	// file: SILVA's rank file (tax_slv_ssu_VERSION.txt, "path;<TAB>taxid<TAB>
	// rank…") placing each path level at its rank, or its taxmap
	// (taxmap_slv_ssu_ref_nr_VERSION.txt: primaryAccession, start, stop,
	// path, organism_name, taxid), whose path and organism replace the
	// header's. Without a rank file, paths longer than six levels are errors;
	// Eukaryota (18S) records are skipped and counted.
	FormatSILVA Format = "silva"
	// FormatGTDB: GTDB ssu_all_rNNN.fna, ">ACCESSION~CONTIG d__…;…;s__Genus
	// species [location=…] [ssu_len=…]…". Optional taxonomy file: a GTDB
	// taxonomy TSV (bac120_taxonomy_rNNN.tsv: "ACCESSION<TAB>d__…;s__…")
	// keyed by the part of the id before '~'; it overrides the header.
	FormatGTDB Format = "gtdb"
	// FormatGG2: Greengenes2 backbone FASTA with a required taxonomy TSV
	// "Feature ID<TAB>Taxon[<TAB>Confidence]", Taxon "d__…; p__…; …; s__…".
	FormatGG2 Format = "gg2"
	// FormatRDP: RDP classifier training set FASTA, ">ID<TAB>Root;Bacteria;
	// …;Genus[;Species]", or the mothur pair: FASTA with a taxonomy file
	// "ID<TAB>Bacteria;…;Genus;" (mothur's .tax), which then wins. Levels are
	// read domain first; "Root" and "…_unclassified" placeholders are dropped.
	FormatRDP Format = "rdp"
	// FormatEmu: Emu's database: species_taxid.fasta (">TAXID:emu_db:N …")
	// with its required taxonomy.tsv (header row naming tax_id, species,
	// genus, family, order, class, phylum, superkingdom), keyed by TAXID.
	FormatEmu Format = "emu"
	// FormatSintax: SINTAX/UTAX headers ">ID;tax=d:Bacteria,p:…,g:…,s:…;".
	// No taxonomy file.
	FormatSintax Format = "sintax"
	// FormatQIIME2: a QIIME 2 reference FASTA with a required taxonomy TSV
	// ("Feature ID<TAB>Taxon"), Taxon in Greengenes ("k__…; p__…"), SILVA
	// ("D_0__…") or plain ("Bacteria;Firmicutes;…") form.
	FormatQIIME2 Format = "qiime2"
)

// Formats returns every format BuildFrom reads, in a fixed order.
func Formats() []Format {
	return []Format{FormatGold, FormatSILVA, FormatGTDB, FormatGG2, FormatRDP, FormatEmu, FormatSintax, FormatQIIME2}
}

// ParseFormat accepts a format name as Formats lists it.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Formats(), f) {
		return f, nil
	}
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown database format %q (want one of %s)", s, strings.Join(names, ", "))
}

// TaxonomyFile says whether a format takes a separate taxonomy file:
// "required", "optional" or "none".
func (f Format) TaxonomyFile() string {
	switch f {
	case FormatGG2, FormatEmu, FormatQIIME2:
		return "required"
	case FormatSILVA, FormatGTDB, FormatRDP:
		return "optional"
	}
	return "none"
}

// Input is one reference database to build: the records of its sequences
// file and, for formats that have one, its taxonomy table, as decompressed
// text; the caller parses the one and opens the other (zonula's commands
// with pipeline/seqio). Names are used in errors.
type Input struct {
	Format       Format
	FASTA        RecordSource // the sequences file's records
	FASTAName    string
	Taxonomy     io.Reader // nil when the format has no taxonomy file or it is omitted
	TaxonomyName string
}

// parsed is what a format's reader takes from one FASTA record.
type parsed struct {
	id   string
	lin  taxonomy.Lineage
	skip string // non-empty: leave the record out, counted under this reason
}

type recordParser func(rec Record) (parsed, error)

// BuildFrom builds the references from in's records and taxonomy table as
// Build does, streaming the records: memory holds the references, not the
// input. A record needs an id and a sequence of IUPAC nucleotide codes,
// which is upper-cased, its RNA 'U' read as 'T' and its gaps ('-', '.') and
// blanks removed. Errors are *ParseError values naming the file and line,
// or the record source's own errors as it gave them; a source without
// records is an error.
func BuildFrom(in Input) ([]Reference, BuildStats, error) {
	if in.Taxonomy == nil && in.Format.TaxonomyFile() == "required" {
		return nil, BuildStats{}, fmt.Errorf("format %s needs a taxonomy file besides %s", in.Format, in.FASTAName)
	}
	if in.Taxonomy != nil && in.Format.TaxonomyFile() == "none" {
		return nil, BuildStats{}, fmt.Errorf("format %s takes no taxonomy file (%s given)", in.Format, in.TaxonomyName)
	}
	parse, err := recordParserFor(in)
	if err != nil {
		return nil, BuildStats{}, err
	}
	b := NewBuilder()
	var seq []byte
	n := 0
	for {
		rec, err := in.FASTA.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, b.stats, err
		}
		n++
		if seq, err = addRecord(b, parse, rec, seq[:0]); err != nil {
			return nil, b.stats, &ParseError{File: rec.File, Line: rec.Line, Record: n, ID: rec.ID, Err: err}
		}
	}
	if n == 0 {
		return nil, b.stats, &ParseError{File: in.FASTAName, Err: errors.New("no sequences")}
	}
	refs, st := b.Finish()
	return refs, st, nil
}

// addRecord adds rec to b with the lineage parse finds for it, after
// checking its id and cleaning its description (leading blanks) and its
// sequence (appendBases, into buf, which it returns for reuse).
func addRecord(b *Builder, parse recordParser, rec Record, buf []byte) ([]byte, error) {
	rec.Desc = strings.TrimLeft(rec.Desc, " \t")
	if rec.ID == "" {
		return buf, errors.New("empty sequence id")
	}
	buf, err := appendBases(buf, rec.Seq)
	if err != nil {
		return buf, err
	}
	rec.Seq = buf
	p, err := parse(rec)
	if err != nil {
		return buf, err
	}
	return buf, b.add(rec, p)
}

func recordParserFor(in Input) (recordParser, error) {
	switch in.Format {
	case FormatGold:
		return func(rec Record) (parsed, error) {
			l, err := GoldLineage(rec)
			return parsed{id: rec.ID, lin: l}, err
		}, nil
	case FormatSILVA:
		return silvaParser(in)
	case FormatGTDB:
		return gtdbParser(in)
	case FormatGG2, FormatQIIME2:
		tax, err := readIDTable(in.Taxonomy, in.TaxonomyName)
		if err != nil {
			return nil, err
		}
		return tax.lookup(in.TaxonomyName, func(rec Record) string { return rec.ID }, anyLineage), nil
	case FormatRDP:
		if in.Taxonomy != nil {
			tax, err := readIDTable(in.Taxonomy, in.TaxonomyName)
			if err != nil {
				return nil, err
			}
			return tax.lookup(in.TaxonomyName, func(rec Record) string { return rec.ID }, anyLineage), nil
		}
		return func(rec Record) (parsed, error) {
			if rec.Desc == "" {
				return parsed{}, errors.New("header has no lineage after the id (or give the mothur .tax file)")
			}
			l, err := anyLineage(rec.Desc)
			return parsed{id: rec.ID, lin: l}, err
		}, nil
	case FormatEmu:
		return emuParser(in)
	case FormatSintax:
		return sintaxRecord, nil
	}
	return nil, fmt.Errorf("unknown database format %q", in.Format)
}

// idTable maps a record id to the line of a taxonomy table.
type idTable map[string]tableEntry

type tableEntry struct {
	lineage string
	line    int
}

// lookup returns a parser that finds a record's lineage in the table under
// key(rec) and reads it with parse.
func (t idTable) lookup(name string, key func(Record) string, parse func(string) (taxonomy.Lineage, error)) recordParser {
	return func(rec Record) (parsed, error) {
		k := key(rec)
		e, ok := t[k]
		if !ok {
			return parsed{}, fmt.Errorf("id %q is not in taxonomy file %s", k, name)
		}
		l, err := parse(e.lineage)
		if err != nil {
			return parsed{}, fmt.Errorf("%s:%d: %w", name, e.line, err)
		}
		return parsed{id: rec.ID, lin: l}, nil
	}
}

// readTable calls fn for each non-blank line of a tab-separated file, with
// Windows line ends removed.
func readTable(r io.Reader, name string, fn func(line int, fields []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if err := fn(n, strings.Split(text, "\t")); err != nil {
			return &ParseError{File: name, Line: n, Err: err}
		}
	}
	if err := sc.Err(); err != nil {
		return &ParseError{File: name, Line: n + 1, Err: err}
	}
	if n == 0 {
		return &ParseError{File: name, Err: errors.New("empty taxonomy file")}
	}
	return nil
}

// readIDTable reads "ID<TAB>lineage[<TAB>…]" lines (QIIME 2, Greengenes2,
// mothur .tax, GTDB taxonomy), skipping a "Feature ID" header row and
// "#" comments. A repeated id is an error.
func readIDTable(r io.Reader, name string) (idTable, error) {
	t := idTable{}
	err := readTable(r, name, func(line int, f []string) error {
		if strings.HasPrefix(f[0], "#") || (line == 1 && strings.EqualFold(strings.TrimSpace(f[0]), "Feature ID")) {
			return nil
		}
		if len(f) < 2 {
			return fmt.Errorf("want ID<TAB>lineage, got %d field", len(f))
		}
		id := strings.TrimSpace(f[0])
		if prev, dup := t[id]; dup {
			return fmt.Errorf("id %q repeated (first on line %d)", id, prev.line)
		}
		t[id] = tableEntry{lineage: f[1], line: line}
		return nil
	})
	return t, err
}

func gtdbParser(in Input) (recordParser, error) {
	if in.Taxonomy != nil {
		tax, err := readIDTable(in.Taxonomy, in.TaxonomyName)
		if err != nil {
			return nil, err
		}
		genome := func(rec Record) string { g, _, _ := strings.Cut(rec.ID, "~"); return g }
		return tax.lookup(in.TaxonomyName, genome, prefixedLineage), nil
	}
	return func(rec Record) (parsed, error) {
		tax, _, _ := strings.Cut(rec.Desc, " [")
		if !strings.HasPrefix(strings.TrimSpace(tax), "d__") {
			return parsed{}, fmt.Errorf("header has no GTDB lineage (\"d__…;s__…\") after the id")
		}
		l, err := prefixedLineage(tax)
		return parsed{id: rec.ID, lin: l}, err
	}, nil
}

func sintaxRecord(rec Record) (parsed, error) {
	label := rec.ID
	if rec.Desc != "" {
		label += " " + rec.Desc
	}
	id, rest, _ := strings.Cut(label, ";")
	_, tax, ok := strings.Cut(";"+rest, ";tax=")
	if !ok {
		return parsed{}, errors.New("header has no ;tax= field")
	}
	tax, _, _ = strings.Cut(tax, ";")
	l, err := sintaxLineage(tax)
	return parsed{id: strings.TrimSpace(id), lin: l}, err
}

// emuParser reads Emu's taxonomy.tsv: a header row naming the columns, one
// row per tax_id; FASTA ids are "TAXID:emu_db:N".
func emuParser(in Input) (recordParser, error) {
	want := []string{"superkingdom", "phylum", "class", "order", "family", "genus", "species"}
	var col map[string]int
	byTaxid := map[string]taxonomy.Lineage{}
	err := readTable(in.Taxonomy, in.TaxonomyName, func(line int, f []string) error {
		if col == nil {
			col = map[string]int{}
			for i, name := range f {
				col[strings.ToLower(strings.TrimSpace(name))] = i
			}
			for _, w := range append([]string{"tax_id"}, want...) {
				if _, ok := col[w]; !ok {
					return fmt.Errorf("header row has no %q column (Emu's taxonomy.tsv names tax_id, species, genus, …, superkingdom)", w)
				}
			}
			return nil
		}
		get := func(c string) string {
			if i := col[c]; i < len(f) {
				return f[i]
			}
			return ""
		}
		id := strings.TrimSpace(get("tax_id"))
		if id == "" {
			return errors.New("empty tax_id")
		}
		if _, dup := byTaxid[id]; dup {
			return fmt.Errorf("tax_id %s repeated", id)
		}
		names := make([]string, len(want))
		for i, c := range want {
			names[i] = get(c)
		}
		l, err := positional(names)
		if err != nil {
			return err
		}
		byTaxid[id] = l
		return nil
	})
	if err != nil {
		return nil, err
	}
	return func(rec Record) (parsed, error) {
		taxid, _, _ := strings.Cut(rec.ID, ":")
		l, ok := byTaxid[taxid]
		if !ok {
			return parsed{}, fmt.Errorf("tax_id %q (from the id) is not in %s", taxid, in.TaxonomyName)
		}
		return parsed{id: rec.ID, lin: l}, nil
	}, nil
}

// silvaRanks maps the ranks SILVA names in its rank file to zonula's.
var silvaRanks = map[string]taxonomy.Rank{
	"domain": taxonomy.Domain, "phylum": taxonomy.Phylum, "class": taxonomy.Class,
	"order": taxonomy.Order, "family": taxonomy.Family, "genus": taxonomy.Genus,
}

func silvaParser(in Input) (recordParser, error) {
	var ranks map[string]taxonomy.Rank // path "A;B;" → rank; nil without a rank file
	var taxmap idTable                 // "acc.start.stop" → "path<TAB>organism"
	if in.Taxonomy != nil {
		err := readTable(in.Taxonomy, in.TaxonomyName, func(line int, f []string) error {
			switch {
			case line == 1 && strings.EqualFold(f[0], "primaryAccession"):
				taxmap = idTable{}
			case taxmap != nil:
				if len(f) < 5 {
					return fmt.Errorf("taxmap line has %d fields, want primaryAccession, start, stop, path, organism_name", len(f))
				}
				taxmap[f[0]+"."+f[1]+"."+f[2]] = tableEntry{lineage: f[3] + "\t" + f[4], line: line}
			default:
				if len(f) < 3 || !strings.HasSuffix(f[0], ";") {
					return fmt.Errorf("want a SILVA rank file line \"path;<TAB>taxid<TAB>rank\" or a taxmap with a primaryAccession header")
				}
				if ranks == nil {
					ranks = map[string]taxonomy.Rank{}
				}
				r, ok := silvaRanks[strings.TrimSpace(f[2])]
				if !ok {
					r = taxonomy.NoRank // intermediate ranks (subphylum, …) are left out
				}
				ranks[f[0]] = r
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return func(rec Record) (parsed, error) {
		path, organism := rec.Desc, ""
		if taxmap != nil {
			e, ok := taxmap[rec.ID]
			if !ok {
				return parsed{}, fmt.Errorf("id %q is not in taxmap %s", rec.ID, in.TaxonomyName)
			}
			p, org, _ := strings.Cut(e.lineage, "\t")
			path, organism = p, org
		} else {
			levels := strings.Split(strings.TrimSuffix(path, ";"), ";")
			path, organism = strings.Join(levels[:len(levels)-1], ";"), levels[len(levels)-1]
		}
		levels := splitLineage(path)
		if len(levels) == 0 {
			return parsed{}, errors.New("header has no SILVA taxonomy path after the id")
		}
		if strings.TrimSpace(levels[0]) == "Eukaryota" {
			return parsed{id: rec.ID, skip: "eukaryotic (18S) sequences"}, nil
		}
		var l taxonomy.Lineage
		if ranks != nil {
			next := taxonomy.Domain
			for i := range levels {
				key := strings.Join(levels[:i+1], ";") + ";"
				r, ok := ranks[key]
				if !ok {
					return parsed{}, fmt.Errorf("taxonomy path %q is not in rank file %s", key, in.TaxonomyName)
				}
				if r == taxonomy.NoRank {
					continue
				}
				if r != next {
					break // a rank is missing or repeated: stop at the known part
				}
				name := cleanName(levels[i])
				if name == "" {
					break
				}
				l[r], next = name, r+1
			}
		} else {
			if len(levels) > int(taxonomy.Genus)+1 {
				return parsed{}, fmt.Errorf("taxonomy path has %d levels, more than domain to genus; give SILVA's rank file (tax_slv_ssu_VERSION.txt) to place them", len(levels))
			}
			var err error
			if l, err = positional(levels); err != nil {
				return parsed{}, err
			}
		}
		if l.Depth() == taxonomy.Genus {
			l[taxonomy.Species] = binomial(organism)
		}
		return parsed{id: rec.ID, lin: l}, nil
	}, nil
}
