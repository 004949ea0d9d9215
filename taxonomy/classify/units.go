package classify

import (
	"slices"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// units groups the references into what the community EM estimates an
// abundance for: one unit per distinct lineage, so a species (or, for
// references that name none, their genus or the deepest rank they name)
// with all its reference genes. Units are numbered in lineage order.
type units struct {
	of       []uint32           // per reference: its unit
	lineages []taxonomy.Lineage // per unit
	// floor is each unit's EM floor before the error adjustment: the
	// genus floor of its genus (GenusFloor), or, for a unit that names no
	// genus, the Yarza floor of the deepest rank it names.
	floor []float64
}

func newUnits(refs []refdb.Reference) units {
	keys := make([]string, len(refs))
	for i, r := range refs {
		keys[i] = r.Lineage.String()
	}
	distinct := slices.Clone(keys)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	u := units{of: make([]uint32, len(refs)), lineages: make([]taxonomy.Lineage, len(distinct))}
	for i, k := range keys {
		j, _ := slices.BinarySearch(distinct, k)
		u.of[i] = uint32(j)
		u.lineages[j] = refs[i].Lineage
	}
	return u
}

// setFloors fills u.floor from the classifier's floors.
func (u *units) setFloors(c *Classifier) {
	u.floor = make([]float64, len(u.lineages))
	for i, l := range u.lineages {
		if g := l.Name(taxonomy.Genus); g != "" {
			u.floor[i] = c.GenusFloor(g)
		} else {
			u.floor[i] = c.opts.Floors[min(l.Depth(), taxonomy.Family)]
		}
	}
}

// Units returns the number of units the community EM works on (one per
// distinct reference lineage).
func (c *Classifier) Units() int { return len(c.units.lineages) }

// UnitLineage returns the lineage of unit u.
func (c *Classifier) UnitLineage(u uint32) taxonomy.Lineage { return c.units.lineages[u] }

// RefID returns the id of reference i.
func (c *Classifier) RefID(i uint32) string { return c.refs[i].ID }
