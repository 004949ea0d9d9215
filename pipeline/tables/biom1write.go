package tables

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/zonula/zonula/taxonomy"
)

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

// WriteBIOM writes the rows of p at rank as a one-sample BIOM table, BIOM
// 1.0 JSON or, when meta.Format is BIOM21, BIOM 2.1 HDF5 (see
// WriteCombinedBIOM for the HDF5 layout; rows, ids and values are as
// below). BIOM 1.0 (http://biom-format.org; readable by biom-format,
// QIIME, phyloseq):
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
// GeneratedBy or Date; a Format other than BIOM10 and BIOM21; a rank
// outside Domain..Species; two rows at rank with the same lineage; rows
// WriteTSV would also refuse (BIOM 2.1 also refuses a sample name with a
// tab or newline). A rank without rows gives a valid table of shape [0, 1].
// ReadTables reads either version back.
func WriteBIOM(w io.Writer, p *Profile, rank taxonomy.Rank, meta BIOMMeta) error {
	if p.Sample == "" {
		return errors.New("tables: BIOM needs a sample name for its column; the profile has none")
	}
	if err := meta.check(); err != nil {
		return err
	}
	if rank < taxonomy.Domain || rank >= taxonomy.NumRanks {
		return fmt.Errorf("tables: BIOM rank %d is not one of domain..species", int(rank))
	}
	meta.ID = cmp.Or(meta.ID, p.Sample)
	if meta.Format == BIOM21 {
		ps := []*Profile{p}
		rows, err := combine(ps, rank)
		if err != nil {
			return err
		}
		return writeBIOM2(w, ps, rows, meta)
	}
	doc := newBIOMDoc(meta, []biomAxis{{ID: p.Sample}})
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
	return writeBIOMDoc(w, doc)
}

// WriteCombinedBIOM writes the rows at rank of several profiles as one BIOM
// table, BIOM 1.0 JSON or, when meta.Format is BIOM21, BIOM 2.1 HDF5: one
// column (sample) per profile (id = Sample, in the given order), one row
// (observation) per taxon in WriteCombinedTSV's order (id = lineage
// string, taxonomy metadata domain to rank; the Unclassified row has id
// and taxonomy "unclassified"), a sparse matrix of reads. meta.ID defaults
// to "zonula combined table".
//
// BIOM 1.0: "matrix_element_type" is "int" when every value is whole, else
// "float"; the other fields are as WriteBIOM writes them.
//
// BIOM 2.1 (http://biom-format.org/documentation/format_versions/biom-2.1.html,
// readable by biom-format, QIIME 2 and phyloseq):
//
//   - root attributes id, type "OTU table", format-url, format-version
//     [2, 1], generated-by, creation-date (meta.Date in UTC as
//     BIOMDateLayout), shape [taxa, samples] and nnz;
//   - observation/ids; observation/metadata/taxonomy: the lineage one rank
//     per column ("d__Bacteria", ..., "g__Roseburia"), padded with empty
//     strings;
//   - sample/ids;
//   - observation/matrix (CSR) and sample/matrix (CSC): data (float64
//     reads), indices (int32), indptr (int32), zero cells left out;
//   - empty metadata and group-metadata groups where the format has them.
//
// The HDF5 file is built in memory (uncompressed, contiguous datasets).
// Either way the bytes depend only on the arguments. Errors: no profiles;
// an empty GeneratedBy or Date, or an unknown Format; a rank outside
// Domain..Species; sample names empty, repeated or holding a tab or
// newline; rows WriteTSV would refuse.
func WriteCombinedBIOM(w io.Writer, ps []*Profile, rank taxonomy.Rank, meta BIOMMeta) error {
	rows, err := combineForBIOM(ps, rank, meta)
	if err != nil {
		return err
	}
	meta.ID = cmp.Or(meta.ID, "zonula combined table")
	if meta.Format == BIOM21 {
		return writeBIOM2(w, ps, rows, meta)
	}
	cols := make([]biomAxis, 0, len(ps))
	for _, p := range ps {
		cols = append(cols, biomAxis{ID: p.Sample})
	}
	doc := newBIOMDoc(meta, cols)
	integer := true
	for _, r := range rows {
		for _, v := range r.reads {
			integer = integer && isWhole(v)
		}
	}
	if !integer {
		doc.MatrixElementType = "float"
	}
	doc.Rows = make([]biomAxis, 0, len(rows))
	for i, r := range rows {
		id, tax := biomRowID(r.row)
		doc.Rows = append(doc.Rows, biomAxis{ID: id, Metadata: &biomTaxonomy{Taxonomy: tax}})
		for s, v := range r.reads {
			if v != 0 {
				doc.Data = append(doc.Data, biomEntry{row: i, col: s, value: v, integer: integer})
			}
		}
	}
	return writeBIOMDoc(w, doc)
}

// newBIOMDoc starts a sparse BIOM 1.0 table of integers with the given
// columns and no rows.
func newBIOMDoc(meta BIOMMeta, cols []biomAxis) *biomDoc {
	return &biomDoc{
		ID:                meta.ID,
		Format:            biomFormat,
		FormatURL:         biomFormatURL,
		Type:              biomType,
		GeneratedBy:       meta.GeneratedBy,
		Date:              meta.Date.UTC().Format(BIOMDateLayout),
		Rows:              []biomAxis{},
		Columns:           cols,
		MatrixType:        "sparse",
		MatrixElementType: "int",
		Data:              []biomEntry{},
	}
}

// writeBIOMDoc sets the table's shape and writes it as one line of JSON.
func writeBIOMDoc(w io.Writer, doc *biomDoc) error {
	doc.Shape = [2]int{len(doc.Rows), len(doc.Columns)}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("tables: encoding BIOM: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
