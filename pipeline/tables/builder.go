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

// Profile returns the sample's profile at every rank, Domain to Species.
//
// At rank r, the reads of every lineage whose Depth ≥ r are summed under the
// lineage cut at r (Row.Taxon is its rank-r name, Row.Lineage the cut
// lineage); reads of shallower lineages go to that rank's Unclassified row,
// whose Lineage is empty. Fraction is Reads divided by Total, the same
// denominator at every rank, so each rank's fractions sum to 1.
//
// A sum within 1e-6 of a whole number is rounded to it (nearWhole): the
// fractional weights of the species EM add up to whole reads above species.
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
	// Sorted name by name, lineages sharing their first r+1 names are
	// adjacent for every rank r, and shallower lineages never fall inside
	// such a run (their empty name sorts first); each rank is then one pass
	// without maps, and float sums run in a fixed order.
	keys := slices.SortedFunc(maps.Keys(b.reads), compareLineages)
	for _, r := range taxonomy.Ranks() {
		var unclassified float64
		start := len(p.Rows)
		var cur taxonomy.Lineage
		var n float64
		open := false
		flush := func() {
			if open && n != 0 { // Add(l, 0) names a taxon but gives it no reads
				n = nearWhole(n)
				p.Rows = append(p.Rows, Row{Rank: r, Taxon: cur[r], Lineage: cur, Reads: n, Fraction: n / b.total})
			}
		}
		for _, l := range keys {
			v := b.reads[l]
			if l.Depth() < r {
				unclassified += v
				continue
			}
			t := l.Truncate(r)
			if open && t == cur {
				n += v
				continue
			}
			flush()
			cur, n, open = t, v, true
		}
		flush()
		sortRows(p.Rows[start:])
		unclassified = nearWhole(unclassified)
		p.Rows = append(p.Rows, Row{Rank: r, Taxon: Unclassified, Reads: unclassified, Fraction: unclassified / b.total})
	}
	return p
}

// wholeTolerance is how close to a whole number a sum of reads must be to
// be rounded to it (nearWhole).
const wholeTolerance = 1e-6

// nearWhole rounds a sum of reads that lies within wholeTolerance of a
// whole number to it. The species EM gives reads fractional weights that
// add up to whole reads per genus, but float addition leaves sums such as
// 400.99999999999994, which would print so in profile.biom and make a
// count table look like relative abundances to every integer check
// downstream.
func nearWhole(v float64) float64 {
	if r := math.Round(v); math.Abs(v-r) <= wholeTolerance {
		return r
	}
	return v
}

// compareLineages orders lineages name by name, broadest rank first.
func compareLineages(x, y taxonomy.Lineage) int {
	for i := range x {
		if c := strings.Compare(x[i], y[i]); c != 0 {
			return c
		}
	}
	return 0
}

// sortRows orders rows of one rank: descending reads, then taxon name, then
// lineage string, with Unclassified rows last.
func sortRows(rows []Row) {
	slices.SortFunc(rows, compareRows) // a total order: rows of a rank have distinct lineages
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
