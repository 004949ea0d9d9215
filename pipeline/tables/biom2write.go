package tables

import (
	"cmp"
	"fmt"
	"io"

	"github.com/zonula/zonula/pipeline/tables/internal/hdf5"
	"github.com/zonula/zonula/taxonomy"
)

// WriteBIOM2 writes the rows of p at rank as a one-sample BIOM 2.1 HDF5
// table; see WriteCombinedBIOM2. meta.ID defaults to p.Sample.
func WriteBIOM2(w io.Writer, p *Profile, rank taxonomy.Rank, meta BIOMMeta) error {
	meta.ID = cmp.Or(meta.ID, p.Sample)
	return WriteCombinedBIOM2(w, []*Profile{p}, rank, meta)
}

// WriteCombinedBIOM2 writes the rows at rank of several profiles as one
// BIOM 2.1 HDF5 table (http://biom-format.org/documentation/format_versions/biom-2.1.html),
// readable by biom-format, QIIME 2 and phyloseq:
//
//   - root attributes id (meta.ID, default "zonula combined table"), type
//     "OTU table", format-url, format-version [2, 1], generated-by,
//     creation-date (meta.Date in UTC as BIOMDateLayout), shape
//     [taxa, samples] and nnz;
//   - observation/ids: one per taxon in WriteCombinedTSV's order, the
//     lineage string ("unclassified" for the Unclassified row);
//     observation/metadata/taxonomy: the lineage one rank per column
//     ("d__Bacteria", ..., "g__Roseburia"), padded with empty strings;
//   - sample/ids: the profiles' samples in order;
//   - observation/matrix (CSR) and sample/matrix (CSC): data (float64
//     reads), indices (int32), indptr (int32), zero cells left out;
//   - empty metadata and group-metadata groups where the format has them.
//
// The file is built in memory (uncompressed, contiguous datasets) and
// its bytes depend only on the arguments. Errors are those of
// WriteCombinedBIOM.
func WriteCombinedBIOM2(w io.Writer, ps []*Profile, rank taxonomy.Rank, meta BIOMMeta) error {
	rows, err := combineForBIOM(ps, rank, meta)
	if err != nil {
		return err
	}
	nobs, nsamp := len(rows), len(ps)
	obsIDs := make([]string, nobs)
	depth := 1
	taxa := make([][]string, nobs)
	for i, r := range rows {
		obsIDs[i], taxa[i] = biomRowID(r.row)
		depth = max(depth, len(taxa[i]))
	}
	taxFlat := make([]string, 0, nobs*depth)
	for _, t := range taxa {
		taxFlat = append(taxFlat, t...)
		for range depth - len(t) {
			taxFlat = append(taxFlat, "")
		}
	}
	sampIDs := make([]string, nsamp)
	for s, p := range ps {
		sampIDs[s] = p.Sample
	}
	// CSR by observation, CSC by sample.
	var obsData []float64
	var obsIdx []int32
	obsPtr := []int32{0}
	for _, r := range rows {
		for s, v := range r.reads {
			if v != 0 {
				obsData = append(obsData, v)
				obsIdx = append(obsIdx, int32(s))
			}
		}
		obsPtr = append(obsPtr, int32(len(obsData)))
	}
	var sData []float64
	var sIdx []int32
	sPtr := []int32{0}
	for s := range ps {
		for i, r := range rows {
			if v := r.reads[s]; v != 0 {
				sData = append(sData, v)
				sIdx = append(sIdx, int32(i))
			}
		}
		sPtr = append(sPtr, int32(len(sData)))
	}
	nnz := uint64(len(obsData))
	f := hdf5.NewWriter()
	root := f.Root()
	root.AttrString("id", cmp.Or(meta.ID, "zonula combined table"))
	root.AttrString("type", biomType)
	root.AttrString("format-url", biomFormatURL)
	root.AttrInts("format-version", []int64{2, 1})
	root.AttrString("generated-by", meta.GeneratedBy)
	root.AttrString("creation-date", meta.Date.UTC().Format(BIOMDateLayout))
	root.AttrInts("shape", []int64{int64(nobs), int64(nsamp)})
	root.AttrInt("nnz", int64(nnz))
	obs := root.Group("observation")
	obs.Strings("ids", []uint64{uint64(nobs)}, obsIDs)
	m := obs.Group("matrix")
	m.Float64s("data", []uint64{nnz}, obsData)
	m.Int32s("indices", []uint64{nnz}, obsIdx)
	m.Int32s("indptr", []uint64{uint64(nobs + 1)}, obsPtr)
	obs.Group("metadata").Strings("taxonomy", []uint64{uint64(nobs), uint64(depth)}, taxFlat)
	obs.Group("group-metadata")
	smp := root.Group("sample")
	smp.Strings("ids", []uint64{uint64(nsamp)}, sampIDs)
	m = smp.Group("matrix")
	m.Float64s("data", []uint64{nnz}, sData)
	m.Int32s("indices", []uint64{nnz}, sIdx)
	m.Int32s("indptr", []uint64{uint64(nsamp + 1)}, sPtr)
	smp.Group("metadata")
	smp.Group("group-metadata")
	b, err := f.Bytes()
	if err != nil {
		return fmt.Errorf("tables: BIOM 2.1: %w", err)
	}
	_, err = w.Write(b)
	return err
}
