package tables

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// Builder accumulates reads per assigned lineage and turns them into a
// Profile at every rank. The zero value is not ready; use NewBuilder. A
// Builder is not safe for concurrent use.
type Builder struct {
	sample string
	reads  map[taxonomy.Lineage]float64 // keyed by the lineage cut at its Depth
	total  float64
}

// NewBuilder returns an empty Builder for the named sample.
func NewBuilder(sample string) *Builder {
	return &Builder{sample: sample, reads: map[taxonomy.Lineage]float64{}}
}

// Add counts reads (1 for one read; fractional weights are allowed) for the
// lineage l, which is cut at its Depth: names below the first empty rank are
// dropped, as Lineage.String does. An empty lineage (Depth NoRank) counts the
// reads as unclassified at every rank. Reads must be finite and ≥ 0; anything
// else is an error and nothing is added.
func (b *Builder) Add(l taxonomy.Lineage, reads float64) error {
	if math.IsNaN(reads) || math.IsInf(reads, 0) || reads < 0 {
		return fmt.Errorf("tables: adding %v reads to %q: want a finite count ≥ 0", reads, l.String())
	}
	b.reads[l.Truncate(l.Depth())] += reads
	b.total += reads
	return nil
}

// Total returns the reads added so far, classified or not.
func (b *Builder) Total() float64 { return b.total }

// Profile returns the sample's profile at every rank, Domain to Species.
//
// At rank r, the reads of every lineage whose Depth ≥ r are summed under the
// lineage cut at r (Row.Taxon is its rank-r name, Row.Lineage the cut
// lineage); reads of shallower lineages go to that rank's Unclassified row,
// whose Lineage is empty. Fraction is Reads divided by Total, the same
// denominator at every rank, so each rank's fractions sum to 1.
//
// Taxa with 0 reads get no row. Every rank has an Unclassified row, with 0
// reads when all reads reached the rank, so that a rank's rows always account
// for every read. A Builder with no reads gives a Profile with no rows. Rows
// follow the Profile order: rank, then descending reads, then taxon name, then
// lineage string (two taxa can share a name in different parents),
// Unclassified last. The Builder can keep accumulating afterwards.
func (b *Builder) Profile() *Profile {
	p := &Profile{Sample: b.sample}
	if b.total == 0 {
		return p
	}
	keys := slices.SortedFunc(maps.Keys(b.reads), func(x, y taxonomy.Lineage) int {
		return strings.Compare(x.String(), y.String())
	})
	for _, r := range taxonomy.Ranks() {
		at := map[taxonomy.Lineage]float64{}
		var unclassified float64
		for _, l := range keys { // sorted, so float sums are deterministic
			n := b.reads[l]
			if l.Depth() >= r {
				at[l.Truncate(r)] += n
			} else {
				unclassified += n
			}
		}
		rows := make([]Row, 0, len(at)+1)
		for l, n := range at {
			if n == 0 {
				continue // Add(l, 0) names a taxon but gives it no reads
			}
			rows = append(rows, Row{Rank: r, Taxon: l[r], Lineage: l, Reads: n, Fraction: n / b.total})
		}
		sortRows(rows)
		rows = append(rows, Row{Rank: r, Taxon: Unclassified, Reads: unclassified, Fraction: unclassified / b.total})
		p.Rows = append(p.Rows, rows...)
	}
	return p
}

// sortRows orders rows of one rank: descending reads, then taxon name, then
// lineage string, with Unclassified rows last.
func sortRows(rows []Row) {
	slices.SortStableFunc(rows, compareRows)
}

func compareRows(a, b Row) int {
	if c := int(a.Rank) - int(b.Rank); c != 0 {
		return c
	}
	au, bu := a.Taxon == Unclassified && a.Lineage.Depth() == taxonomy.NoRank, b.Taxon == Unclassified && b.Lineage.Depth() == taxonomy.NoRank
	switch {
	case au && !bu:
		return 1
	case bu && !au:
		return -1
	}
	switch {
	case a.Reads > b.Reads:
		return -1
	case a.Reads < b.Reads:
		return 1
	}
	if c := strings.Compare(a.Taxon, b.Taxon); c != 0 {
		return c
	}
	return strings.Compare(a.Lineage.String(), b.Lineage.String())
}
