package tables

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zonula/zonula/pipeline/tables/internal/hdf5"
	"github.com/zonula/zonula/taxonomy"
)

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

// sortCells orders a sample's cells by feature and sums repeated cells.
func sortCells(cs []cell) []cell {
	sorted := true
	for i := 1; i < len(cs); i++ {
		if cs[i].feature <= cs[i-1].feature {
			sorted = false
			break
		}
	}
	if sorted {
		return cs
	}
	slices.SortStableFunc(cs, func(a, b cell) int { return a.feature - b.feature })
	out := cs[:0]
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].feature == c.feature {
			out[n-1].value += c.value
			continue
		}
		out = append(out, c)
	}
	return out
}

func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + strings.Count(string(data[:off]), "\n")
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

// joinLineage parses a lineage given as one name per level, or as one
// string holding the whole lineage.
func joinLineage(fields []string) (taxonomy.Lineage, error) {
	for len(fields) > 0 && strings.TrimSpace(fields[len(fields)-1]) == "" {
		fields = fields[:len(fields)-1]
	}
	if len(fields) == 1 {
		return taxonomy.ParseLineage(fields[0])
	}
	for _, f := range fields {
		if strings.Contains(f, ";") {
			return taxonomy.Lineage{}, fmt.Errorf("taxonomy level %q contains ';'", truncate(f))
		}
	}
	return taxonomy.ParseLineage(strings.Join(fields, ";"))
}

// readBIOM2 reads a BIOM 2.x HDF5 table: sample/ids, observation/ids, the
// sample-major CSC matrix sample/matrix/{data,indices,indptr} and, when
// present, observation/metadata/taxonomy.
func readBIOM2(name string, data []byte) (*table, error) {
	fail := func(where string, err error) error {
		return &ParseError{File: name, Where: where, Err: err}
	}
	f, err := hdf5.Open(data)
	if err != nil {
		return nil, fail("HDF5", err)
	}
	strs := func(p string) ([]string, error) {
		d, err := f.Dataset(p)
		if err != nil {
			return nil, err
		}
		return d.Strings()
	}
	obs, err := strs("observation/ids")
	if err != nil {
		return nil, fail("observation/ids", fmt.Errorf("%w (is this a BIOM 2 table?)", err))
	}
	samples, err := strs("sample/ids")
	if err != nil {
		return nil, fail("sample/ids", err)
	}
	t := &table{}
	var taxa []string
	width := 0
	if f.Has("observation/metadata/taxonomy") {
		d, err := f.Dataset("observation/metadata/taxonomy")
		if err != nil {
			return nil, fail("observation/metadata/taxonomy", err)
		}
		dims := d.Dims()
		switch {
		case len(dims) == 2 && dims[0] == uint64(len(obs)):
			width = int(dims[1])
		case len(dims) == 1 && dims[0] == uint64(len(obs)):
			width = 1
		default:
			return nil, fail("observation/metadata/taxonomy", fmt.Errorf("dimensions %v, want [%d, levels]", dims, len(obs)))
		}
		if taxa, err = d.Strings(); err != nil {
			return nil, fail("observation/metadata/taxonomy", err)
		}
	}
	for i, id := range obs {
		var l taxonomy.Lineage
		var err error
		if width > 0 {
			l, err = joinLineage(taxa[i*width : (i+1)*width])
		} else {
			l, err = idLineage(id)
		}
		if err != nil {
			return nil, fail(fmt.Sprintf("observation %d (%s)", i, id), err)
		}
		t.addFeature(id, l, 0)
	}
	for _, s := range samples {
		t.addSample(s, 0)
	}
	num := func(p string) ([]float64, error) {
		d, err := f.Dataset(p)
		if err != nil {
			return nil, fail(p, err)
		}
		v, err := d.Float64s()
		if err != nil {
			return nil, fail(p, err)
		}
		return v, nil
	}
	vals, err := num("sample/matrix/data")
	if err != nil {
		return nil, err
	}
	idx, err := num("sample/matrix/indices")
	if err != nil {
		return nil, err
	}
	ptr, err := num("sample/matrix/indptr")
	if err != nil {
		return nil, err
	}
	if len(ptr) != len(samples)+1 || len(idx) != len(vals) || ptr[0] != 0 || int(ptr[len(ptr)-1]) != len(vals) {
		return nil, fail("sample/matrix", fmt.Errorf("indptr of %d values, indices %d, data %d: want %d, and indptr ending at the data length", len(ptr), len(idx), len(vals), len(samples)+1))
	}
	for s := range samples {
		lo, hi := ptr[s], ptr[s+1]
		if hi < lo || lo != float64(int(lo)) || hi > float64(len(vals)) {
			return nil, fail("sample/matrix/indptr", fmt.Errorf("entry %d (%v..%v) is not an increasing index into data", s, lo, hi))
		}
		col := make([]cell, 0, int(hi-lo))
		for k := int(lo); k < int(hi); k++ {
			o := idx[k]
			if o < 0 || o >= float64(len(obs)) || o != float64(int(o)) {
				return nil, fail("sample/matrix/indices", fmt.Errorf("entry %d: observation %v outside 0..%d", k, o, len(obs)-1))
			}
			if !finiteNonNeg(vals[k]) {
				return nil, fail(fmt.Sprintf("sample %s, observation %s", samples[s], obs[int(o)]), fmt.Errorf("value %v, want a finite count ≥ 0", vals[k]))
			}
			if vals[k] != 0 {
				col = append(col, cell{int(o), vals[k]})
			}
		}
		t.cols[s] = sortCells(col)
	}
	return t, nil
}
