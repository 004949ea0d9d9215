package tables

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/zonula/zonula/taxonomy"
)

// BIOM 1.0 constants (http://biom-format.org/documentation/format_versions/biom-1.0.html).
const (
	biomFormat    = "Biological Observation Matrix 1.0.0"
	biomFormatURL = "http://biom-format.org"
	biomType      = "OTU table"
	// BIOMDateLayout is how WriteBIOM writes BIOMMeta.Date (ISO 8601, UTC).
	BIOMDateLayout = "2006-01-02T15:04:05"
)

// BIOMMeta is what a BIOM file records about its making. Nothing in it is
// read from the clock or the environment, so equal inputs give equal bytes.
type BIOMMeta struct {
	GeneratedBy string    // "generated_by", e.g. "zonula 0.4.0"; required
	Date        time.Time // "date", written in UTC as BIOMDateLayout; required (pass a fixed time, e.g. the Unix epoch, for reproducible files)
	ID          string    // table "id"; empty gives the profile's sample name
}

// biomDoc is a BIOM 1.0 table; field order is the order written.
type biomDoc struct {
	ID                string      `json:"id"`
	Format            string      `json:"format"`
	FormatURL         string      `json:"format_url"`
	Type              string      `json:"type"`
	GeneratedBy       string      `json:"generated_by"`
	Date              string      `json:"date"`
	Rows              []biomAxis  `json:"rows"`
	Columns           []biomAxis  `json:"columns"`
	MatrixType        string      `json:"matrix_type"`
	MatrixElementType string      `json:"matrix_element_type"`
	Shape             [2]int      `json:"shape"`
	Data              []biomEntry `json:"data"`
}

type biomAxis struct {
	ID       string        `json:"id"`
	Metadata *biomTaxonomy `json:"metadata"`
}

type biomTaxonomy struct {
	Taxonomy []string `json:"taxonomy"`
}

// biomEntry is one sparse matrix element, written as [row, column, value].
type biomEntry struct {
	row, col int
	value    float64
	integer  bool
}

func (e biomEntry) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	b = strconv.AppendInt(b, int64(e.row), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(e.col), 10)
	b = append(b, ',')
	if e.integer {
		b = strconv.AppendFloat(b, e.value, 'f', 0, 64)
	} else {
		start := len(b)
		b = strconv.AppendFloat(b, e.value, 'g', -1, 64)
		// A float matrix must hold JSON floats: biom validate-table rejects "5".
		if !bytes.ContainsAny(b[start:], ".e") {
			b = append(b, ".0"...)
		}
	}
	return append(b, ']'), nil
}

// WriteBIOM writes the rows of p at rank as a one-sample BIOM 1.0 JSON table
// (http://biom-format.org; readable by biom-format, QIIME, phyloseq):
//
//   - "format" "Biological Observation Matrix 1.0.0", "type" "OTU table",
//     "matrix_type" "sparse" (zero cells omitted), "shape" [rows, 1];
//   - "matrix_element_type" "int" when every count is whole, else "float"
//     (EM gives fractional reads at species rank), and then every value is
//     written as a float ("5.0"), as biom validate-table demands; values are
//     reads, not fractions;
//   - one row per profile row at rank, in profile order. The row "id" is the
//     lineage string ("d__Bacteria;...;g__Roseburia"), unique where taxon
//     names are not, and "metadata" is {"taxonomy": ["d__Bacteria", ...,
//     "g__Roseburia"]}, domain to rank. The Unclassified row is kept, so the
//     column sums to the reads counted at rank; its id is "unclassified" and
//     its taxonomy ["unclassified"];
//   - one column, id p.Sample, metadata null;
//   - "id" meta.ID (default p.Sample), "generated_by" meta.GeneratedBy, "date"
//     meta.Date in UTC as BIOMDateLayout.
//
// Keys come in that fixed order and the JSON is compact, on one line, so the
// bytes depend only on the arguments. Errors: an empty sample name,
// GeneratedBy or Date; a rank outside Domain..Species; two rows at rank with
// the same lineage; rows WriteTSV would also refuse. A rank without rows
// gives a valid table of shape [0, 1].
func WriteBIOM(w io.Writer, p *Profile, rank taxonomy.Rank, meta BIOMMeta) error {
	switch {
	case p.Sample == "":
		return errors.New("tables: BIOM needs a sample name for its column; the profile has none")
	case meta.GeneratedBy == "":
		return errors.New("tables: BIOMMeta.GeneratedBy is empty; pass the program and version")
	case meta.Date.IsZero():
		return errors.New("tables: BIOMMeta.Date is zero; pass a fixed time (e.g. time.Unix(0, 0)) for reproducible output")
	case rank < taxonomy.Domain || rank >= taxonomy.NumRanks:
		return fmt.Errorf("tables: BIOM rank %d is not one of domain..species", int(rank))
	}
	doc := biomDoc{
		ID:                cmpOr(meta.ID, p.Sample),
		Format:            biomFormat,
		FormatURL:         biomFormatURL,
		Type:              biomType,
		GeneratedBy:       meta.GeneratedBy,
		Date:              meta.Date.UTC().Format(BIOMDateLayout),
		Rows:              []biomAxis{},
		Columns:           []biomAxis{{ID: p.Sample}},
		MatrixType:        "sparse",
		MatrixElementType: "int",
		Data:              []biomEntry{},
	}
	rows := p.AtRank(rank)
	integer := true
	for _, row := range rows {
		integer = integer && isWhole(row.Reads)
	}
	if !integer {
		doc.MatrixElementType = "float"
	}
	seen := map[string]bool{}
	for i, row := range rows {
		if err := checkRow(row); err != nil {
			return fmt.Errorf("tables: %s row %d: %w", rank, i+1, err)
		}
		id, tax := biomRowID(row)
		if seen[id] {
			return fmt.Errorf("tables: %s %q appears twice in the profile", rank, id)
		}
		seen[id] = true
		doc.Rows = append(doc.Rows, biomAxis{ID: id, Metadata: &biomTaxonomy{Taxonomy: tax}})
		if row.Reads != 0 {
			doc.Data = append(doc.Data, biomEntry{row: i, col: 0, value: row.Reads, integer: integer})
		}
	}
	doc.Shape = [2]int{len(doc.Rows), 1}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("tables: encoding BIOM: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// biomRowID returns a row's BIOM id and taxonomy list.
func biomRowID(row Row) (string, []string) {
	if row.Lineage.Depth() == taxonomy.NoRank {
		return Unclassified, []string{Unclassified}
	}
	var tax []string
	for r := taxonomy.Domain; r <= row.Lineage.Depth(); r++ {
		tax = append(tax, r.Prefix()+row.Lineage[r])
	}
	return row.Lineage.String(), tax
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// biomIn is a BIOM 1.0 table as read: the matrix is decoded after
// matrix_type is known.
type biomIn struct {
	Format     string          `json:"format"`
	Rows       []biomAxisIn    `json:"rows"`
	Columns    []biomAxisIn    `json:"columns"`
	MatrixType string          `json:"matrix_type"`
	Shape      []int           `json:"shape"`
	Data       json.RawMessage `json:"data"`
}

type biomAxisIn struct {
	ID       string          `json:"id"`
	Metadata json.RawMessage `json:"metadata"`
}

// ReadBIOM reads a BIOM 1.0 JSON table (sparse or dense, any number of
// samples) and returns one Profile per column, in column order, with rows at
// rank only; name is used in errors.
//
// A row's lineage comes from its "taxonomy" metadata: a list such as
// ["d__Bacteria", "p__Bacillota", ...] or one "; "-separated string, with
// "k__" read as "d__"; without metadata the row id is parsed the same way (as
// WriteBIOM writes it). Rows whose taxonomy is "unclassified" or "Unassigned",
// or whose lineage stops above rank, are counted in the Unclassified row;
// deeper lineages are cut at rank and summed. Fraction is reads divided by the
// column's total. Taxa with 0 reads in a sample get no row; every non-empty
// profile ends each rank with an Unclassified row (possibly 0 reads), in the
// order Builder.Profile uses, so WriteBIOM then ReadBIOM gives back
// p.AtRank(rank) for a Builder's profile. Errors name the file and the row or
// entry at fault: not BIOM 1.0, a shape that disagrees with rows or columns,
// an entry outside the shape, a negative or non-finite value, a lineage that
// does not parse; they are *ParseError values.
func ReadBIOM(r io.Reader, name string, rank taxonomy.Rank) ([]*Profile, error) {
	if rank < taxonomy.Domain || rank >= taxonomy.NumRanks {
		return nil, fmt.Errorf("tables: rank %d is not one of domain..species", int(rank))
	}
	fail := func(format string, args ...any) error {
		return &ParseError{File: name, Err: fmt.Errorf(format, args...)}
	}
	var doc biomIn
	dec := json.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		return nil, fail("not BIOM 1.0 JSON: %v", err)
	}
	if !strings.HasPrefix(doc.Format, "Biological Observation Matrix 1.") {
		return nil, fail("format %q: want \"Biological Observation Matrix 1.0.0\" (BIOM 2 HDF5 files are not JSON)", doc.Format)
	}
	nr, nc := len(doc.Rows), len(doc.Columns)
	if len(doc.Shape) != 2 || doc.Shape[0] != nr || doc.Shape[1] != nc {
		return nil, fail("shape %v: want [%d, %d] for %d rows and %d columns", doc.Shape, nr, nc, nr, nc)
	}
	lineages := make([]taxonomy.Lineage, nr)
	for i, row := range doc.Rows {
		l, err := biomRowLineage(row)
		if err != nil {
			return nil, fail("row %d (%s): %v", i, row.ID, err)
		}
		lineages[i] = l
	}
	m := make([][]float64, nc) // column-major: m[col][row]
	for c := range m {
		m[c] = make([]float64, nr)
	}
	switch doc.MatrixType {
	case "sparse":
		var entries [][]float64
		if err := json.Unmarshal(doc.Data, &entries); err != nil {
			return nil, fail("sparse data: want [[row, column, value], ...]: %v", err)
		}
		for k, e := range entries {
			if len(e) != 3 {
				return nil, fail("data entry %d has %d values, want [row, column, value]", k, len(e))
			}
			i, c := int(e[0]), int(e[1])
			if float64(i) != e[0] || float64(c) != e[1] || i < 0 || i >= nr || c < 0 || c >= nc {
				return nil, fail("data entry %d: cell (%v, %v) outside shape [%d, %d]", k, e[0], e[1], nr, nc)
			}
			if !finiteNonNeg(e[2]) {
				return nil, fail("data entry %d: value %v, want a finite count ≥ 0", k, e[2])
			}
			m[c][i] += e[2]
		}
	case "dense":
		var rows [][]float64
		if err := json.Unmarshal(doc.Data, &rows); err != nil {
			return nil, fail("dense data: want one array per row: %v", err)
		}
		if len(rows) != nr {
			return nil, fail("dense data has %d rows, want %d", len(rows), nr)
		}
		for i, row := range rows {
			if len(row) != nc {
				return nil, fail("dense data row %d has %d values, want %d", i, len(row), nc)
			}
			for c, v := range row {
				if !finiteNonNeg(v) {
					return nil, fail("dense data row %d column %d: value %v, want a finite count ≥ 0", i, c, v)
				}
				m[c][i] = v
			}
		}
	default:
		return nil, fail("matrix_type %q: want sparse or dense", doc.MatrixType)
	}
	out := make([]*Profile, nc)
	for c, col := range doc.Columns {
		out[c] = profileAt(col.ID, lineages, m[c], rank)
	}
	return out, nil
}

// profileAt sums one sample's counts per lineage cut at rank.
func profileAt(sample string, lineages []taxonomy.Lineage, counts []float64, rank taxonomy.Rank) *Profile {
	p := &Profile{Sample: sample}
	var tot, unclassified float64
	for _, v := range counts {
		tot += v
	}
	if tot == 0 {
		return p
	}
	at := map[taxonomy.Lineage]float64{}
	var order []taxonomy.Lineage
	for i, v := range counts {
		l := lineages[i]
		if l.Depth() < rank {
			unclassified += v
			continue
		}
		k := l.Truncate(rank)
		if _, ok := at[k]; !ok {
			order = append(order, k)
		}
		at[k] += v
	}
	for _, l := range order {
		if n := at[l]; n != 0 {
			p.Rows = append(p.Rows, Row{Rank: rank, Taxon: l[rank], Lineage: l, Reads: n, Fraction: n / tot})
		}
	}
	sortRows(p.Rows)
	p.Rows = append(p.Rows, Row{Rank: rank, Taxon: Unclassified, Reads: unclassified, Fraction: unclassified / tot})
	return p
}

// biomRowLineage reads a row's lineage from its taxonomy metadata, or its id.
func biomRowLineage(row biomAxisIn) (taxonomy.Lineage, error) {
	var md struct {
		Taxonomy json.RawMessage `json:"taxonomy"`
	}
	var fields []string
	if len(row.Metadata) > 0 && string(row.Metadata) != "null" {
		if err := json.Unmarshal(row.Metadata, &md); err != nil {
			return taxonomy.Lineage{}, fmt.Errorf("metadata: want an object: %v", err)
		}
	}
	switch {
	case len(md.Taxonomy) == 0 || string(md.Taxonomy) == "null":
		fields = strings.Split(row.ID, ";")
	default:
		var s string
		if err := json.Unmarshal(md.Taxonomy, &fields); err != nil {
			if err2 := json.Unmarshal(md.Taxonomy, &s); err2 != nil {
				return taxonomy.Lineage{}, fmt.Errorf("taxonomy: want a list of names or one string: %v", err)
			}
			fields = strings.Split(s, ";")
		}
	}
	for i, f := range fields {
		f = strings.TrimSpace(f)
		if strings.HasPrefix(f, "k__") {
			f = "d__" + f[3:]
		}
		fields[i] = f
	}
	if len(fields) == 1 && (strings.EqualFold(fields[0], Unclassified) || strings.EqualFold(fields[0], "Unassigned")) {
		return taxonomy.Lineage{}, nil
	}
	l, err := taxonomy.ParsePrefixed(strings.Join(fields, ";"))
	if err != nil {
		return taxonomy.Lineage{}, err
	}
	return l.Truncate(l.Depth()), nil
}
