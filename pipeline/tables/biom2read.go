package tables

import (
	"fmt"

	"github.com/zonula/zonula/pipeline/tables/internal/hdf5"
	"github.com/zonula/zonula/taxonomy"
)

// readBIOM2 reads a BIOM 2.x HDF5 table: sample/ids, observation/ids, the
// sample-major CSC matrix sample/matrix/{data,indices,indptr} and, when
// present, observation/metadata/taxonomy.
func readBIOM2(name string, data []byte) (*table, error) {
	f, err := hdf5.Open(data)
	if err != nil {
		return nil, &ParseError{File: name, Where: "HDF5", Err: err}
	}
	b := &biom2File{name: name, f: f}
	obs, err := b.strings("observation/ids")
	if err != nil {
		return nil, b.fail("observation/ids", fmt.Errorf("%w (is this a BIOM 2 table?)", err))
	}
	samples, err := b.strings("sample/ids")
	if err != nil {
		return nil, b.fail("sample/ids", err)
	}
	t := &table{}
	if err := b.addFeatures(t, obs); err != nil {
		return nil, err
	}
	for _, s := range samples {
		t.addSample(s, 0)
	}
	if err := b.addCounts(t); err != nil {
		return nil, err
	}
	return t, nil
}

// biom2File is a BIOM 2 table being read.
type biom2File struct {
	name string // for errors
	f    *hdf5.File
}

// fail returns a *ParseError naming the dataset or record at fault.
func (b *biom2File) fail(where string, err error) error {
	return &ParseError{File: b.name, Where: where, Err: err}
}

// strings reads a string dataset.
func (b *biom2File) strings(path string) ([]string, error) {
	d, err := b.f.Dataset(path)
	if err != nil {
		return nil, err
	}
	return d.Strings()
}

// numbers reads a numeric dataset; errors name it.
func (b *biom2File) numbers(path string) ([]float64, error) {
	d, err := b.f.Dataset(path)
	if err != nil {
		return nil, b.fail(path, err)
	}
	v, err := d.Float64s()
	if err != nil {
		return nil, b.fail(path, err)
	}
	return v, nil
}

// addFeatures adds the observations to t, with lineages from
// observation/metadata/taxonomy (one level per column, or one string) when
// the file has it, else from ids that look like lineages.
func (b *biom2File) addFeatures(t *table, obs []string) error {
	const taxPath = "observation/metadata/taxonomy"
	var taxa []string
	width := 0
	if b.f.Has(taxPath) {
		d, err := b.f.Dataset(taxPath)
		if err != nil {
			return b.fail(taxPath, err)
		}
		dims := d.Dims()
		switch {
		case len(dims) == 2 && dims[0] == uint64(len(obs)):
			width = int(dims[1])
		case len(dims) == 1 && dims[0] == uint64(len(obs)):
			width = 1
		default:
			return b.fail(taxPath, fmt.Errorf("dimensions %v, want [%d, levels]", dims, len(obs)))
		}
		if taxa, err = d.Strings(); err != nil {
			return b.fail(taxPath, err)
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
			return b.fail(fmt.Sprintf("observation %d (%s)", i, id), err)
		}
		t.addFeature(id, l, 0)
	}
	return nil
}

// addCounts reads the sample-major matrix into t's columns, checking that
// indptr, indices and data agree with each other and with the ids.
func (b *biom2File) addCounts(t *table) error {
	vals, err := b.numbers("sample/matrix/data")
	if err != nil {
		return err
	}
	idx, err := b.numbers("sample/matrix/indices")
	if err != nil {
		return err
	}
	ptr, err := b.numbers("sample/matrix/indptr")
	if err != nil {
		return err
	}
	nobs, nsamp := len(t.features), len(t.samples)
	if len(ptr) != nsamp+1 || len(idx) != len(vals) || ptr[0] != 0 || int(ptr[len(ptr)-1]) != len(vals) {
		return b.fail("sample/matrix", fmt.Errorf("indptr of %d values, indices %d, data %d: want %d, and indptr ending at the data length", len(ptr), len(idx), len(vals), nsamp+1))
	}
	for s := range nsamp {
		lo, hi := ptr[s], ptr[s+1]
		if hi < lo || lo != float64(int(lo)) || hi > float64(len(vals)) {
			return b.fail("sample/matrix/indptr", fmt.Errorf("entry %d (%v..%v) is not an increasing index into data", s, lo, hi))
		}
		col := make([]cell, 0, int(hi-lo))
		for k := int(lo); k < int(hi); k++ {
			o := idx[k]
			if o < 0 || o >= float64(nobs) || o != float64(int(o)) {
				return b.fail("sample/matrix/indices", fmt.Errorf("entry %d: observation %v outside 0..%d", k, o, nobs-1))
			}
			if !finiteNonNeg(vals[k]) {
				return b.fail(fmt.Sprintf("sample %s, observation %s", t.samples[s], t.features[int(o)]), fmt.Errorf("value %v, want a finite count ≥ 0", vals[k]))
			}
			if vals[k] != 0 {
				col = append(col, cell{int(o), vals[k]})
			}
		}
		t.cols[s] = sortCells(col)
	}
	return nil
}
