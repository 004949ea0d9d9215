package tables

import (
	"fmt"
	"io"

	"github.com/zonula/zonula/pipeline/tables/internal/hdf5"
)

// writeBIOM2 writes the combined rows of the profiles ps as a BIOM 2.1
// HDF5 table (see WriteCombinedBIOM); meta is checked and its ID set.
func writeBIOM2(w io.Writer, ps []*Profile, rows []combinedRow, meta BIOMMeta) error {
	nobs, nsamp := len(rows), len(ps)
	obsIDs, taxa, depth := biom2Observations(rows)
	sampIDs := make([]string, nsamp)
	for s, p := range ps {
		sampIDs[s] = p.Sample
	}
	byObs, bySample := biom2Matrices(rows, nsamp)
	f := hdf5.NewWriter()
	root := f.Root()
	root.AttrString("id", meta.ID)
	root.AttrString("type", biomType)
	root.AttrString("format-url", biomFormatURL)
	root.AttrInts("format-version", []int64{2, 1})
	root.AttrString("generated-by", meta.GeneratedBy)
	root.AttrString("creation-date", meta.Date.UTC().Format(BIOMDateLayout))
	root.AttrInts("shape", []int64{int64(nobs), int64(nsamp)})
	root.AttrInt("nnz", int64(len(byObs.data)))
	obs := biom2Axis(root.Group("observation"), obsIDs, byObs)
	obs.Group("metadata").Strings("taxonomy", []uint64{uint64(nobs), uint64(depth)}, taxa)
	obs.Group("group-metadata")
	smp := biom2Axis(root.Group("sample"), sampIDs, bySample)
	smp.Group("metadata")
	smp.Group("group-metadata")
	b, err := f.Bytes()
	if err != nil {
		return fmt.Errorf("tables: BIOM 2.1: %w", err)
	}
	_, err = w.Write(b)
	return err
}

// biom2Observations returns the observation ids of rows and their
// taxonomy, one rank per column, row-major, padded with empty strings to
// depth columns (at least 1).
func biom2Observations(rows []combinedRow) (ids, taxa []string, depth int) {
	ids = make([]string, len(rows))
	levels := make([][]string, len(rows))
	depth = 1
	for i, r := range rows {
		ids[i], levels[i] = biomRowID(r.row)
		depth = max(depth, len(levels[i]))
	}
	taxa = make([]string, 0, len(rows)*depth)
	for _, l := range levels {
		taxa = append(taxa, l...)
		for range depth - len(l) {
			taxa = append(taxa, "")
		}
	}
	return ids, taxa, depth
}

// sparse is a compressed sparse matrix: the non-zero values of each major
// index (observation for CSR, sample for CSC) lie in
// data[indptr[i]:indptr[i+1]], their minor indexes in indices.
type sparse struct {
	data    []float64
	indices []int32
	indptr  []int32
}

// biom2Matrices returns the rows' reads by observation (CSR) and by
// sample (CSC), zero cells left out.
func biom2Matrices(rows []combinedRow, nsamp int) (byObs, bySample sparse) {
	byObs.indptr = []int32{0}
	for _, r := range rows {
		for s, v := range r.reads {
			if v != 0 {
				byObs.data = append(byObs.data, v)
				byObs.indices = append(byObs.indices, int32(s))
			}
		}
		byObs.indptr = append(byObs.indptr, int32(len(byObs.data)))
	}
	bySample.indptr = []int32{0}
	for s := range nsamp {
		for i, r := range rows {
			if v := r.reads[s]; v != 0 {
				bySample.data = append(bySample.data, v)
				bySample.indices = append(bySample.indices, int32(i))
			}
		}
		bySample.indptr = append(bySample.indptr, int32(len(bySample.data)))
	}
	return byObs, bySample
}

// biom2Axis writes an axis group (observation or sample): its ids, then
// its matrix group with data, indices and indptr. It returns g.
func biom2Axis(g *hdf5.Group, ids []string, m sparse) *hdf5.Group {
	g.Strings("ids", []uint64{uint64(len(ids))}, ids)
	mg := g.Group("matrix")
	nnz := uint64(len(m.data))
	mg.Float64s("data", []uint64{nnz}, m.data)
	mg.Int32s("indices", []uint64{nnz}, m.indices)
	mg.Int32s("indptr", []uint64{uint64(len(ids) + 1)}, m.indptr)
	return g
}
