package tables

import (
	"slices"

	"github.com/zonula/zonula/taxonomy"
)

// Unclassified is the taxon name of reads not assigned at a rank.
const Unclassified = "unclassified"

// Row is one taxon at one rank of a sample's profile.
type Row struct {
	Rank     taxonomy.Rank
	Taxon    string           // name at Rank, or Unclassified
	Lineage  taxonomy.Lineage // down to Rank; empty for Unclassified
	Reads    float64          // read count (fractional after EM at species rank)
	Fraction float64          // Reads / total reads counted at this rank
}

// Profile is a sample's abundance at every rank. Rows are ordered by rank
// (domain first), then by descending reads, then by taxon name; the
// Unclassified row of a rank comes last within it.
type Profile struct {
	Sample string
	Rows   []Row
	// Features holds an imported table's own rows for this sample (OTUs,
	// ASVs or named taxa, with their ids, parsed lineages and counts) in
	// table order, zero counts left out, so that metrics can work at the
	// table's resolution. Nil for profiles built from reads.
	Features []Feature
	// Relative is true when the values are relative abundances rather
	// than read counts (MetaPhlAn, Emu without --keep-counts, tables with
	// fractional values): count-based estimators (Chao1, ACE, Good's
	// coverage, rarefaction) do not apply.
	Relative bool
	// Format is the table format the profile was read from (as detected
	// or as given); FormatAuto for profiles built from reads.
	Format Format
}

// Feature is one row of an imported abundance table in one sample.
type Feature struct {
	ID      string           // the table's id (OTU/ASV id, taxon name, taxid, clade)
	Lineage taxonomy.Lineage // parsed lineage; empty when the table gives none
	Reads   float64          // count, or relative abundance when Profile.Relative
}

// AtRank returns the rows of rank r in profile order.
func (p *Profile) AtRank(r taxonomy.Rank) []Row {
	var out []Row
	for _, row := range p.Rows {
		if row.Rank == r {
			out = append(out, row)
		}
	}
	return out
}

// CountsAt returns the read counts of profiles at rank r as a samples ×
// taxa table: taxa are the names found at r in any profile, sorted, with
// the unclassified rows left out (they are not a taxon); counts[i][j] is
// profile i's count of taxa[j], 0 where it has none.
func CountsAt(ps []*Profile, r taxonomy.Rank) (taxa []string, counts [][]float64) {
	index := map[string]int{}
	for _, p := range ps {
		for _, row := range p.AtRank(r) {
			if _, ok := index[row.Taxon]; !ok && row.Taxon != Unclassified {
				index[row.Taxon] = 0
				taxa = append(taxa, row.Taxon)
			}
		}
	}
	slices.Sort(taxa)
	for j, t := range taxa {
		index[t] = j
	}
	counts = make([][]float64, len(ps))
	for i, p := range ps {
		counts[i] = make([]float64, len(taxa))
		for _, row := range p.AtRank(r) {
			if row.Taxon != Unclassified {
				counts[i][index[row.Taxon]] += row.Reads
			}
		}
	}
	return taxa, counts
}
