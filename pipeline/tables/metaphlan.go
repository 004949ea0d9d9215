package tables

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

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
	m := scanMetaPhlAn(data, sample)
	if len(m.rows) == 0 {
		return nil, &ParseError{File: name, Line: max(1, m.lines), Err: errors.New("no clades: want MetaPhlAn lines \"k__Bacteria|p__...<TAB>...<TAB>abundance\"")}
	}
	t := &table{relative: true, relKnown: true}
	valCols, err := m.addSamples(name, t)
	if err != nil {
		return nil, err
	}
	vals, own, err := m.values(name, valCols)
	if err != nil {
		return nil, err
	}
	residual := ownShares(m.rows, vals, own)
	for i, r := range m.rows {
		if vals[i] == nil {
			continue
		}
		var l taxonomy.Lineage
		up := strings.ToUpper(r.clade)
		if up != "UNCLASSIFIED" && up != "UNKNOWN" {
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

// mpaRow is one clade line of a MetaPhlAn table: the clade name and the
// fields after it.
type mpaRow struct {
	clade string
	vals  []string
	line  int
}

// mpaTable is a MetaPhlAn profile or merged table split into lines.
type mpaTable struct {
	header     []string // "clade_name" or "ID" header, nil if none (MetaPhlAn 2)
	headerLine int
	sample     string // the "#SampleID" value, else the caller's name
	rows       []mpaRow
	lines      int // lines read
}

// scanMetaPhlAn splits a MetaPhlAn file into its header, sample id and
// clade rows.
func scanMetaPhlAn(data []byte, sample string) *mpaTable {
	m := &mpaTable{sample: sample}
	it := lineIter{data: data}
	for it.next() {
		l := it.line
		if strings.TrimSpace(l) == "" {
			continue
		}
		if strings.HasPrefix(l, "#") {
			f := strings.Split(l[1:], "\t")
			switch {
			case f[0] == "clade_name":
				m.header, m.headerLine = f, it.n
			case f[0] == "SampleID" && len(f) > 1 && !strings.HasSuffix(f[1], "_Analysis") && strings.TrimSpace(f[1]) != "":
				m.sample = strings.TrimSpace(f[1])
			}
			continue
		}
		f := strings.Split(l, "\t")
		if m.header == nil && (f[0] == "clade_name" || f[0] == "ID") {
			m.header, m.headerLine = f, it.n
			continue
		}
		m.rows = append(m.rows, mpaRow{f[0], f[1:], it.n})
	}
	m.lines = it.n
	return m
}

// addSamples adds the table's samples to t and returns the index in
// mpaRow.vals of each sample's value: the last field of a MetaPhlAn 2
// profile, the relative_abundance (or estimated read count) column of a
// MetaPhlAn 3/4 profile, every column but the taxid of a merged table.
func (m *mpaTable) addSamples(name string, t *table) ([]int, error) {
	var valCols []int
	switch {
	case m.header == nil: // MetaPhlAn 2 profile: clade, abundance
		if len(m.rows[0].vals) == 0 {
			return nil, &ParseError{File: name, Line: m.rows[0].line, Err: errors.New("one field: want a clade name and its abundance")}
		}
		valCols = []int{len(m.rows[0].vals) - 1}
		t.addSample(m.sample, 0)
	case containsFold(m.header, "relative_abundance"):
		col := "relative_abundance"
		if containsFold(m.header, "estimated_number_of_reads_from_the_clade") {
			col, t.relative = "estimated_number_of_reads_from_the_clade", false
		}
		for j, h := range m.header {
			if h == col {
				valCols = []int{j - 1}
			}
		}
		t.addSample(m.sample, m.headerLine)
	default: // merged table: clade_name, [NCBI_tax_id], samples...
		for j, h := range m.header[1:] {
			if h == "NCBI_tax_id" || h == "clade_taxid" {
				continue
			}
			valCols = append(valCols, j)
			t.addSample(strings.TrimSpace(h), m.headerLine)
		}
	}
	return valCols, nil
}

// values parses each row's sample values (nil for skipped t__ rows) and
// indexes the rows by clade name; a clade named twice is an error.
func (m *mpaTable) values(name string, valCols []int) ([][]float64, map[string]int, error) {
	vals := make([][]float64, len(m.rows))
	own := map[string]int{}
	want := len(m.rows[0].vals) + 1
	if m.header != nil {
		want = len(m.header)
	}
	for i, r := range m.rows {
		if strings.Contains(r.clade, "|t__") || strings.HasPrefix(r.clade, "t__") {
			continue
		}
		if len(r.vals)+1 != want {
			return nil, nil, &ParseError{File: name, Line: r.line, Err: fmt.Errorf("%d fields, want %d", len(r.vals)+1, want)}
		}
		vals[i] = make([]float64, len(valCols))
		for k, j := range valCols {
			v, err := parseCount(r.vals[j])
			if err != nil {
				return nil, nil, &ParseError{File: name, Line: r.line, Err: fmt.Errorf("%s: %v", truncate(r.clade), err)}
			}
			vals[i][k] = v
		}
		if prev, dup := own[r.clade]; dup {
			return nil, nil, &ParseError{File: name, Line: r.line, Err: fmt.Errorf("clade %s repeats line %d", truncate(r.clade), m.rows[prev].line)}
		}
		own[r.clade] = i
	}
	return vals, own, nil
}

// ownShares returns each clade's values minus those of its direct
// children (rows whose clade name adds one "|level"), so that a sample's
// values sum to its total once.
func ownShares(rows []mpaRow, vals [][]float64, own map[string]int) [][]float64 {
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
	return residual
}
