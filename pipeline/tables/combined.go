package tables

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

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
