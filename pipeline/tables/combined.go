package tables

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/zonula/zonula/pipeline/tables/internal/hdf5"
	"github.com/zonula/zonula/taxonomy"
)

// combinedRow is one taxon of a combined table with its reads per sample.
type combinedRow struct {
	row   Row // Rank, Taxon, Lineage of the taxon
	reads []float64
	total float64 // sum of fractions, for ordering
}

// combine collects the rows at rank of every profile into one matrix:
// taxa ordered by the sum of their fractions over samples (descending),
// then taxon name, then lineage string, with the Unclassified row last.
func combine(ps []*Profile, rank taxonomy.Rank) ([]combinedRow, error) {
	if rank < taxonomy.Domain || rank >= taxonomy.NumRanks {
		return nil, fmt.Errorf("tables: rank %d is not one of domain..species", int(rank))
	}
	seen := map[string]int{}
	for i, p := range ps {
		if p.Sample == "" || strings.ContainsAny(p.Sample, "\t\r\n") {
			return nil, fmt.Errorf("tables: profile %d: sample name %q: want a non-empty name without tabs or newlines", i+1, p.Sample)
		}
		if j, dup := seen[p.Sample]; dup {
			return nil, fmt.Errorf("tables: sample %q appears twice (profiles %d and %d)", p.Sample, j+1, i+1)
		}
		seen[p.Sample] = i
	}
	idx := map[taxonomy.Lineage]int{}
	var rows []combinedRow
	var unclassified *combinedRow
	for s, p := range ps {
		for _, r := range p.AtRank(rank) {
			if err := checkRow(r); err != nil {
				return nil, fmt.Errorf("tables: sample %s: %w", p.Sample, err)
			}
			var cr *combinedRow
			if r.Lineage.Depth() == taxonomy.NoRank {
				if unclassified == nil {
					unclassified = &combinedRow{row: Row{Rank: rank, Taxon: Unclassified}, reads: make([]float64, len(ps))}
				}
				cr = unclassified
			} else {
				i, ok := idx[r.Lineage]
				if !ok {
					i = len(rows)
					idx[r.Lineage] = i
					rows = append(rows, combinedRow{row: Row{Rank: rank, Taxon: r.Taxon, Lineage: r.Lineage}, reads: make([]float64, len(ps))})
				}
				cr = &rows[i]
			}
			if cr.reads[s] != 0 {
				return nil, fmt.Errorf("tables: sample %s: %s %q appears twice", p.Sample, rank, r.Lineage.String())
			}
			cr.reads[s] = r.Reads
			cr.total += r.Fraction
		}
	}
	slices.SortStableFunc(rows, func(a, b combinedRow) int {
		switch {
		case a.total > b.total:
			return -1
		case a.total < b.total:
			return 1
		}
		if c := strings.Compare(a.row.Taxon, b.row.Taxon); c != 0 {
			return c
		}
		return strings.Compare(a.row.Lineage.String(), b.row.Lineage.String())
	})
	if unclassified != nil {
		rows = append(rows, *unclassified)
	}
	return rows, nil
}

// CombinedTSVPrefix starts the header of a combined table; sample names
// follow, one column each.
const CombinedTSVPrefix = "rank\ttaxon\tlineage"

// WriteCombinedTSV writes the rows at rank of several profiles as one table
// with taxa as rows and samples as columns:
//
//	rank  taxon  lineage  S1  S2 ...
//	genus  Faecalibacterium  d__Bacteria;...;g__Faecalibacterium  1042  17
//
// Values are reads (integers when whole, else 4 decimals, as in WriteTSV);
// a taxon absent from a sample has 0. Taxa come in decreasing order of
// their summed fractions over the samples, then by name and lineage; the
// Unclassified row (empty lineage) is last. Sample names must be unique,
// non-empty and free of tabs and newlines. The bytes depend only on the
// arguments. ReadTables reads the file back (FormatDelimited).
func WriteCombinedTSV(w io.Writer, ps []*Profile, rank taxonomy.Rank) error {
	rows, err := combine(ps, rank)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(CombinedTSVPrefix)
	for _, p := range ps {
		bw.WriteByte('\t')
		bw.WriteString(p.Sample)
	}
	bw.WriteByte('\n')
	var line []byte
	for _, r := range rows {
		line = append(line[:0], rank.String()...)
		line = append(line, '\t')
		line = append(line, r.row.Taxon...)
		line = append(line, '\t')
		line = append(line, r.row.Lineage.String()...)
		for _, v := range r.reads {
			line = append(line, '\t')
			line = appendReads(line, v)
		}
		line = append(line, '\n')
		bw.Write(line)
	}
	return bw.Flush()
}

// combineForBIOM checks the arguments the BIOM writers share and combines
// the profiles' rows at rank.
func combineForBIOM(ps []*Profile, rank taxonomy.Rank, meta BIOMMeta) ([]combinedRow, error) {
	switch {
	case meta.GeneratedBy == "":
		return nil, errors.New("tables: BIOMMeta.GeneratedBy is empty; pass the program and version")
	case meta.Date.IsZero():
		return nil, errors.New("tables: BIOMMeta.Date is zero; pass a fixed time (e.g. time.Unix(0, 0)) for reproducible output")
	case len(ps) == 0:
		return nil, errors.New("tables: no profiles to write")
	}
	return combine(ps, rank)
}

// WriteCombinedBIOM writes the rows at rank of several profiles as one BIOM
// 1.0 JSON table: one column per profile (id = Sample, in the given
// order), one row per taxon in WriteCombinedTSV's order (id = lineage
// string, metadata {"taxonomy": [...]}; the Unclassified row has id and
// taxonomy "unclassified"), sparse matrix of reads; "matrix_element_type"
// is "int" when every value is whole, else "float". The other fields are
// as WriteBIOM writes them (meta.ID defaults to "zonula combined table").
func WriteCombinedBIOM(w io.Writer, ps []*Profile, rank taxonomy.Rank, meta BIOMMeta) error {
	rows, err := combineForBIOM(ps, rank, meta)
	if err != nil {
		return err
	}
	doc := biomDoc{
		ID:                cmpOr(meta.ID, "zonula combined table"),
		Format:            biomFormat,
		FormatURL:         biomFormatURL,
		Type:              biomType,
		GeneratedBy:       meta.GeneratedBy,
		Date:              meta.Date.UTC().Format(BIOMDateLayout),
		Rows:              make([]biomAxis, 0, len(rows)),
		Columns:           make([]biomAxis, 0, len(ps)),
		MatrixType:        "sparse",
		MatrixElementType: "int",
		Data:              []biomEntry{},
	}
	integer := true
	for _, r := range rows {
		for _, v := range r.reads {
			integer = integer && isWhole(v)
		}
	}
	if !integer {
		doc.MatrixElementType = "float"
	}
	for _, p := range ps {
		doc.Columns = append(doc.Columns, biomAxis{ID: p.Sample})
	}
	for i, r := range rows {
		id, tax := biomRowID(r.row)
		doc.Rows = append(doc.Rows, biomAxis{ID: id, Metadata: &biomTaxonomy{Taxonomy: tax}})
		for s, v := range r.reads {
			if v != 0 {
				doc.Data = append(doc.Data, biomEntry{row: i, col: s, value: v, integer: integer})
			}
		}
	}
	doc.Shape = [2]int{len(doc.Rows), len(doc.Columns)}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("tables: encoding BIOM: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteBIOM2 writes the rows of p at rank as a one-sample BIOM 2.1 HDF5
// table; see WriteCombinedBIOM2. meta.ID defaults to p.Sample.
func WriteBIOM2(w io.Writer, p *Profile, rank taxonomy.Rank, meta BIOMMeta) error {
	meta.ID = cmpOr(meta.ID, p.Sample)
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
	root.AttrString("id", cmpOr(meta.ID, "zonula combined table"))
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
