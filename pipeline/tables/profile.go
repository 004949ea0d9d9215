package tables

import "github.com/zonula/zonula/taxonomy"

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
