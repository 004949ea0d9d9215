package tables

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// Emu ----------------------------------------------------------------------

// emuRanks maps Emu's rank columns (from its database's taxonomy.tsv) to
// zonula's ranks.
var emuRanks = map[string]taxonomy.Rank{
	"superkingdom": taxonomy.Domain, "domain": taxonomy.Domain, "phylum": taxonomy.Phylum, "class": taxonomy.Class,
	"order": taxonomy.Order, "family": taxonomy.Family, "genus": taxonomy.Genus, "species": taxonomy.Species,
}

// readEmu reads Emu's <sample>_rel-abundance.tsv (emu abundance): a header
// "tax_id<TAB>abundance<TAB>..." with rank columns (species, genus, family,
// order, class, phylum, clade, superkingdom, subspecies, ...) or one
// "lineage" column (custom databases), and with --keep-counts an
// "estimated counts" column; the last row may be "unassigned". Counts come
// from "estimated counts" when present (EM estimates, possibly
// fractional), else the relative "abundance" is used and the profile is
// Relative.
func readEmu(name string, data []byte, sample string) (*table, error) {
	it := lineIter{data: data}
	var header []string
	for it.next() {
		if strings.TrimSpace(it.line) != "" {
			header = strings.Split(it.line, "\t")
			break
		}
	}
	fail := func(line int, format string, args ...any) error {
		return &ParseError{File: name, Line: line, Err: fmt.Errorf(format, args...)}
	}
	if len(header) < 2 || header[0] != "tax_id" || header[1] != "abundance" {
		return nil, fail(max(it.n, 1), "header: want Emu's \"tax_id<TAB>abundance<TAB>...\"")
	}
	countCol, lineageCol := -1, -1
	rankCol := map[taxonomy.Rank]int{}
	for j, h := range header {
		switch {
		case h == "estimated counts":
			countCol = j
		case h == "lineage":
			lineageCol = j
		default:
			if r, ok := emuRanks[h]; ok {
				rankCol[r] = j
			}
		}
	}
	if lineageCol < 0 && len(rankCol) == 0 {
		return nil, fail(it.n, "header has neither rank columns (species, genus, ...) nor a lineage column")
	}
	t := &table{relative: countCol < 0, relKnown: true}
	t.addSample(sample, 0)
	valCol := 1
	if countCol >= 0 {
		valCol = countCol
	}
	for it.next() {
		if strings.TrimSpace(it.line) == "" {
			continue
		}
		f := strings.Split(it.line, "\t")
		if len(f) != len(header) {
			return nil, fail(it.n, "%d fields, want %d as in the header", len(f), len(header))
		}
		id := strings.TrimSpace(f[0])
		v, err := parseCount(f[valCol])
		if err != nil {
			return nil, fail(it.n, "tax_id %s: %s: %v", truncate(id), header[valCol], err)
		}
		var l taxonomy.Lineage
		if id != "unassigned" {
			var s string
			if lineageCol >= 0 {
				s = f[lineageCol]
			} else {
				var parts []string
				for r := taxonomy.Domain; r < taxonomy.NumRanks; r++ {
					if j, ok := rankCol[r]; ok {
						parts = append(parts, r.Prefix()+strings.TrimSpace(f[j]))
					}
				}
				s = strings.Join(parts, ";")
			}
			if l, err = taxonomy.ParseLineage(s); err != nil {
				return nil, fail(it.n, "tax_id %s: %v", truncate(id), err)
			}
		}
		fi := t.addFeature(id, l, it.n)
		t.sampleLine[0] = 1
		if v != 0 {
			t.cols[0] = append(t.cols[0], cell{fi, v})
		}
	}
	return t, nil
}

// Kraken2 and Bracken ------------------------------------------------------

// krakenFields splits a Kraken2 report line into percentage, clade reads,
// taxon reads, rank code, taxid and indented name (the minimizer columns
// of --report-minimizer-data are dropped); ok is false for other lines.
func krakenFields(l string) (f [6]string, ok bool) {
	p := strings.Split(l, "\t")
	switch len(p) {
	case 6:
		copy(f[:], p)
	case 8:
		f = [6]string{p[0], p[1], p[2], p[5], p[6], p[7]}
	default:
		return f, false
	}
	if _, err := parseFloat(strings.TrimSpace(f[0])); err != nil {
		return f, false
	}
	for _, s := range []string{f[1], f[2], f[4]} {
		if _, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64); err != nil {
			return f, false
		}
	}
	code := strings.TrimSpace(f[3])
	if code == "" || !strings.ContainsRune("URDKPCOFGS-", rune(code[0])) {
		return f, false
	}
	for _, c := range code[1:] {
		if c < '0' || c > '9' {
			return f, false
		}
	}
	return f, true
}

func isKrakenLine(l string) bool {
	_, ok := krakenFields(l)
	return ok
}

var krakenRanks = map[string]taxonomy.Rank{"D": taxonomy.Domain, "P": taxonomy.Phylum, "C": taxonomy.Class, "O": taxonomy.Order,
	"F": taxonomy.Family, "G": taxonomy.Genus, "S": taxonomy.Species}

// krakenNode is one line of a Kraken2 report.
type krakenNode struct {
	taxid   string
	lineage taxonomy.Lineage
	direct  float64
	line    int
}

// parseKraken walks a Kraken2 report: the name's indentation (two spaces
// a level) gives the tree; ranks D, P, C, O, F, G, S name the lineage;
// K (kingdom), R (root) and numbered sub-ranks (G1, S1) add no rank, so
// their reads stay at the nearest ranked ancestor's lineage.
func parseKraken(name string, data []byte) ([]krakenNode, error) {
	type frame struct {
		depth int
		names [taxonomy.NumRanks]string
	}
	var stack []frame
	var out []krakenNode
	it := lineIter{data: data}
	for it.next() {
		if strings.TrimSpace(it.line) == "" {
			continue
		}
		f, ok := krakenFields(it.line)
		if !ok {
			return nil, &ParseError{File: name, Line: it.n, Err: errors.New("want a Kraken2 report line: percentage, clade reads, taxon reads, rank code, taxid, name (tab-separated)")}
		}
		direct, _ := strconv.ParseUint(strings.TrimSpace(f[2]), 10, 64)
		code := strings.TrimSpace(f[3])
		raw := f[5]
		nm := strings.TrimLeft(raw, " ")
		depth := (len(raw) - len(nm)) / 2
		nm = strings.TrimSpace(nm)
		node := krakenNode{taxid: strings.TrimSpace(f[4]), direct: float64(direct), line: it.n}
		if code == "U" {
			node.taxid = Unclassified
			out = append(out, node)
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].depth >= depth {
			stack = stack[:len(stack)-1]
		}
		var fr frame
		if len(stack) > 0 {
			fr.names = stack[len(stack)-1].names
		}
		fr.depth = depth
		if r, ok := krakenRanks[code]; ok {
			// GTDB-built databases name taxa with their prefix ("p__Firmicutes_A").
			if len(nm) > 3 && nm[1:3] == "__" {
				nm = nm[3:]
			}
			fr.names[r] = nm
			for k := r + 1; k < taxonomy.NumRanks; k++ {
				fr.names[k] = ""
			}
		}
		stack = append(stack, fr)
		var parts []string
		for r := taxonomy.Domain; r < taxonomy.NumRanks; r++ {
			if fr.names[r] != "" {
				parts = append(parts, r.Prefix()+strings.ReplaceAll(fr.names[r], ";", ","))
			}
		}
		l, err := taxonomy.ParseLineage(strings.Join(parts, ";"))
		if err != nil {
			return nil, &ParseError{File: name, Line: it.n, Err: err}
		}
		node.lineage = l
		out = append(out, node)
	}
	if len(out) == 0 {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("empty Kraken2 report")}
	}
	return out, nil
}

// readKraken reads a Kraken2 report (or the report Bracken writes with -w):
// each taxon's own reads (column 3) count under its lineage, unclassified
// reads (rank U) under none. Feature ids are taxids ("unclassified" for U).
func readKraken(name string, data []byte, sample string) (*table, error) {
	nodes, err := parseKraken(name, data)
	if err != nil {
		return nil, err
	}
	t := &table{relKnown: true}
	t.addSample(sample, 1)
	for _, n := range nodes {
		f := t.addFeature(n.taxid, n.lineage, n.line)
		if n.direct != 0 {
			t.cols[0] = append(t.cols[0], cell{f, n.direct})
		}
	}
	return t, nil
}

// krakenTaxonomy maps taxids of a Kraken2 report to lineages.
func krakenTaxonomy(name string, data []byte) (map[string]taxonomy.Lineage, error) {
	nodes, err := parseKraken(name, data)
	if err != nil {
		return nil, err
	}
	out := make(map[string]taxonomy.Lineage, len(nodes))
	for _, n := range nodes {
		out[n.taxid] = n.lineage
	}
	return out, nil
}

// readBracken reads Bracken's abundance output (name, taxonomy_id,
// taxonomy_lvl, kraken_assigned_reads, added_reads, new_est_reads,
// fraction_total_reads); counts are new_est_reads. The file holds names,
// not lineages: feature ids are taxids, and lineages come from the Bracken
// report given as ReadOptions.Taxonomy; without it every taxon is
// unclassified in the rank profile (Features keep the counts).
func readBracken(name string, data []byte, sample string) (*table, error) {
	it := lineIter{data: data}
	const want = "name\ttaxonomy_id\ttaxonomy_lvl\tkraken_assigned_reads\tadded_reads\tnew_est_reads\tfraction_total_reads"
	if !it.next() || it.line != want {
		return nil, &ParseError{File: name, Line: 1, Err: fmt.Errorf("header: want %q", want)}
	}
	t := &table{relKnown: true}
	t.addSample(sample, 1)
	for it.next() {
		if strings.TrimSpace(it.line) == "" {
			continue
		}
		f := strings.Split(it.line, "\t")
		if len(f) != 7 {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("%d fields, want 7 as in the header", len(f))}
		}
		v, err := parseCount(f[5])
		if err != nil {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("%s: new_est_reads: %v", truncate(f[0]), err)}
		}
		id := strings.TrimSpace(f[1])
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("taxonomy_id %q: want a number", truncate(id))}
		}
		fi := t.addFeature(id, taxonomy.Lineage{}, it.n)
		if v != 0 {
			t.cols[0] = append(t.cols[0], cell{fi, v})
		}
	}
	return t, nil
}

// MetaPhlAn -------------------------------------------------------------

// readMetaPhlAn reads a MetaPhlAn 2/3/4 profile or a merged table
// (merge_metaphlan_tables.py). Clade names "k__Bacteria|p__...|s__..." are
// lineages; t__ (strain, SGB) rows are skipped; each clade's own share is
// its value minus its direct children's, so values are not counted twice;
// UNCLASSIFIED/UNKNOWN rows are unclassified. Values are relative
// abundances (percent), except that a single profile with
// "estimated_number_of_reads_from_the_clade" (-t rel_ab_w_read_stats) is
// read as counts. A single profile's sample is the "#SampleID" value
// unless that is MetaPhlAn's placeholder ("Metaphlan_Analysis").
func readMetaPhlAn(name string, data []byte, sample string) (*table, error) {
	it := lineIter{data: data}
	var header []string
	headerLine := 0
	type row struct {
		clade string
		vals  []string
		line  int
	}
	var rows []row
	for it.next() {
		l := it.line
		if strings.TrimSpace(l) == "" {
			continue
		}
		if strings.HasPrefix(l, "#") {
			f := strings.Split(l[1:], "\t")
			switch {
			case f[0] == "clade_name":
				header, headerLine = f, it.n
			case f[0] == "SampleID" && len(f) > 1 && !strings.HasSuffix(f[1], "_Analysis") && strings.TrimSpace(f[1]) != "":
				sample = strings.TrimSpace(f[1])
			}
			continue
		}
		f := strings.Split(l, "\t")
		if header == nil && (f[0] == "clade_name" || f[0] == "ID") {
			header, headerLine = f, it.n
			continue
		}
		rows = append(rows, row{f[0], f[1:], it.n})
	}
	if len(rows) == 0 {
		return nil, &ParseError{File: name, Line: max(1, it.n), Err: errors.New("no clades: want MetaPhlAn lines \"k__Bacteria|p__...<TAB>...<TAB>abundance\"")}
	}
	t := &table{relative: true, relKnown: true}
	var valCols []int // indexes into row.vals
	switch {
	case header == nil: // MetaPhlAn 2 profile: clade, abundance
		if len(rows[0].vals) == 0 {
			return nil, &ParseError{File: name, Line: rows[0].line, Err: errors.New("one field: want a clade name and its abundance")}
		}
		valCols = []int{len(rows[0].vals) - 1}
		t.addSample(sample, 0)
	case containsFold(header, "relative_abundance"):
		col := "relative_abundance"
		if containsFold(header, "estimated_number_of_reads_from_the_clade") {
			col, t.relative = "estimated_number_of_reads_from_the_clade", false
		}
		for j, h := range header {
			if h == col {
				valCols = []int{j - 1}
			}
		}
		t.addSample(sample, headerLine)
	default: // merged table: clade_name, [NCBI_tax_id], samples...
		for j, h := range header[1:] {
			if h == "NCBI_tax_id" || h == "clade_taxid" {
				continue
			}
			valCols = append(valCols, j)
			t.addSample(strings.TrimSpace(h), headerLine)
		}
	}
	vals := make([][]float64, len(rows))
	own := map[string]int{}
	for i, r := range rows {
		if strings.Contains(r.clade, "|t__") || strings.HasPrefix(r.clade, "t__") {
			continue
		}
		want := len(rows[0].vals) + 1
		if header != nil {
			want = len(header)
		}
		if len(r.vals)+1 != want {
			return nil, &ParseError{File: name, Line: r.line, Err: fmt.Errorf("%d fields, want %d", len(r.vals)+1, want)}
		}
		vals[i] = make([]float64, len(valCols))
		for k, j := range valCols {
			v, err := parseCount(r.vals[j])
			if err != nil {
				return nil, &ParseError{File: name, Line: r.line, Err: fmt.Errorf("%s: %v", truncate(r.clade), err)}
			}
			vals[i][k] = v
		}
		if prev, dup := own[r.clade]; dup {
			return nil, &ParseError{File: name, Line: r.line, Err: fmt.Errorf("clade %s repeats line %d", truncate(r.clade), rows[prev].line)}
		}
		own[r.clade] = i
	}
	// Subtract each clade's values from its parent's.
	residual := make([][]float64, len(rows))
	for i := range rows {
		if vals[i] != nil {
			residual[i] = append([]float64(nil), vals[i]...)
		}
	}
	for i, r := range rows {
		if vals[i] == nil {
			continue
		}
		if k := strings.LastIndexByte(r.clade, '|'); k > 0 {
			if p, ok := own[r.clade[:k]]; ok {
				for c := range vals[i] {
					residual[p][c] -= vals[i][c]
				}
			}
		}
	}
	for i, r := range rows {
		if vals[i] == nil {
			continue
		}
		var l taxonomy.Lineage
		up := strings.ToUpper(r.clade)
		if up != "UNCLASSIFIED" && up != "UNKNOWN" {
			var err error
			if l, err = taxonomy.ParseLineage(r.clade); err != nil {
				return nil, &ParseError{File: name, Line: r.line, Err: err}
			}
		}
		f := t.addFeature(r.clade, l, r.line)
		for c, v := range residual[i] {
			if v > 1e-9*max(1, vals[i][c]) {
				t.cols[c] = append(t.cols[c], cell{f, v})
			}
		}
	}
	return t, nil
}

// mothur ----------------------------------------------------------------

// readMothur reads a mothur .shared file: "label<TAB>Group<TAB>numOtus
// <TAB>Otu001..." then one line per sample. Only the first label (the
// first OTU cutoff) is read. Lineages come from a .cons.taxonomy given as
// ReadOptions.Taxonomy; without it OTUs are unclassified in the rank
// profile (Features keep the counts).
func readMothur(name string, data []byte) (*table, error) {
	it := lineIter{data: data}
	if !it.next() {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("empty file")}
	}
	header := strings.Split(it.line, "\t")
	if len(header) < 4 || header[0] != "label" || header[1] != "Group" || header[2] != "numOtus" {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("header: want \"label<TAB>Group<TAB>numOtus<TAB>Otu...\"")}
	}
	t := &table{relKnown: true}
	for _, o := range header[3:] {
		t.addFeature(strings.TrimSpace(o), taxonomy.Lineage{}, 1)
	}
	label := ""
	for it.next() {
		if strings.TrimSpace(it.line) == "" {
			continue
		}
		f := strings.Split(it.line, "\t")
		if len(f) < 3 {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("%d fields, want label, group, numOtus and counts", len(f))}
		}
		if label == "" {
			label = f[0]
		}
		if f[0] != label {
			continue // another OTU cutoff
		}
		n, err := strconv.Atoi(f[2])
		if err != nil || n != len(header)-3 || len(f) != len(header) {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("numOtus %q and %d counts: want %d OTUs as in the header", f[2], len(f)-3, len(header)-3)}
		}
		s := t.addSample(strings.TrimSpace(f[1]), it.n)
		for j, v := range f[3:] {
			x, err := parseCount(v)
			if err != nil {
				return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("group %s, %s: %v", f[1], header[j+3], err)}
			}
			if x != 0 {
				t.cols[s] = append(t.cols[s], cell{j, x})
			}
		}
	}
	return t, nil
}
