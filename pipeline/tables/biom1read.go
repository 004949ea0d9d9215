package tables

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

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

// readBIOM1 reads a BIOM 1.0 JSON table, dense or sparse.
func readBIOM1(name string, data []byte) (*table, error) {
	fail := func(where string, format string, args ...any) error {
		return &ParseError{File: name, Where: where, Err: fmt.Errorf(format, args...)}
	}
	var doc biomIn
	if err := json.Unmarshal(data, &doc); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, &ParseError{File: name, Line: lineOf(data, se.Offset), Err: fmt.Errorf("not BIOM 1.0 JSON: %v", err)}
		}
		return nil, fail("", "not BIOM 1.0 JSON: %v", err)
	}
	if !strings.HasPrefix(doc.Format, "Biological Observation Matrix 1.") {
		return nil, fail("format", "%q: want \"Biological Observation Matrix 1.0.0\"", doc.Format)
	}
	nr, nc := len(doc.Rows), len(doc.Columns)
	if len(doc.Shape) != 2 || doc.Shape[0] != nr || doc.Shape[1] != nc {
		return nil, fail("shape", "%v: want [%d, %d] for %d rows and %d columns", doc.Shape, nr, nc, nr, nc)
	}
	t := &table{}
	for i, row := range doc.Rows {
		l, err := biomForeignLineage(row)
		if err != nil {
			return nil, fail(fmt.Sprintf("row %d (%s)", i, row.ID), "%v", err)
		}
		t.addFeature(row.ID, l, 0)
	}
	for _, col := range doc.Columns {
		t.addSample(col.ID, 0)
	}
	switch doc.MatrixType {
	case "sparse":
		var entries [][]float64
		if err := json.Unmarshal(doc.Data, &entries); err != nil {
			return nil, fail("data", "want [[row, column, value], ...]: %v", err)
		}
		for k, e := range entries {
			w := fmt.Sprintf("data entry %d", k)
			if len(e) != 3 {
				return nil, fail(w, "%d values, want [row, column, value]", len(e))
			}
			i, c := int(e[0]), int(e[1])
			if float64(i) != e[0] || float64(c) != e[1] || i < 0 || i >= nr || c < 0 || c >= nc {
				return nil, fail(w, "cell (%v, %v) outside shape [%d, %d]", e[0], e[1], nr, nc)
			}
			if !finiteNonNeg(e[2]) {
				return nil, fail(w, "value %v, want a finite count ≥ 0", e[2])
			}
			if e[2] != 0 {
				t.cols[c] = append(t.cols[c], cell{i, e[2]})
			}
		}
	case "dense":
		var rows [][]float64
		if err := json.Unmarshal(doc.Data, &rows); err != nil {
			return nil, fail("data", "want one array of numbers per row: %v", err)
		}
		if len(rows) != nr {
			return nil, fail("data", "%d rows, want %d", len(rows), nr)
		}
		for i, row := range rows {
			if len(row) != nc {
				return nil, fail(fmt.Sprintf("data row %d (%s)", i, doc.Rows[i].ID), "%d values, want %d", len(row), nc)
			}
			for c, v := range row {
				if !finiteNonNeg(v) {
					return nil, fail(fmt.Sprintf("data row %d (%s)", i, doc.Rows[i].ID), "column %d: value %v, want a finite count ≥ 0", c, v)
				}
				if v != 0 {
					t.cols[c] = append(t.cols[c], cell{i, v})
				}
			}
		}
	default:
		return nil, fail("matrix_type", "%q: want sparse or dense", doc.MatrixType)
	}
	// Sparse entries may come in any order: keep table order per sample.
	for c := range t.cols {
		t.cols[c] = sortCells(t.cols[c])
	}
	return t, nil
}

// biomForeignLineage reads a row's lineage from "taxonomy" metadata (a list
// or a string), else from its id when that looks like a lineage.
func biomForeignLineage(row biomAxisIn) (taxonomy.Lineage, error) {
	if len(row.Metadata) == 0 || string(row.Metadata) == "null" {
		return idLineage(row.ID)
	}
	var md map[string]json.RawMessage
	if err := json.Unmarshal(row.Metadata, &md); err != nil {
		return taxonomy.Lineage{}, fmt.Errorf("metadata: want an object: %v", err)
	}
	var raw json.RawMessage
	for k, v := range md {
		if strings.EqualFold(k, "taxonomy") {
			raw = v
		}
	}
	if len(raw) == 0 || string(raw) == "null" {
		return idLineage(row.ID)
	}
	var fields []string
	if err := json.Unmarshal(raw, &fields); err != nil {
		var s string
		if err2 := json.Unmarshal(raw, &s); err2 != nil {
			return taxonomy.Lineage{}, fmt.Errorf("taxonomy: want a list of names or one string: %v", err)
		}
		return taxonomy.ParseLineage(s)
	}
	return joinLineage(fields)
}

func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + strings.Count(string(data[:off]), "\n")
}
