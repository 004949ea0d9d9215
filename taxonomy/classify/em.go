package classify

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// Community gathers the Evidence of a sample's reads that enter the EM
// (Evidence.InEM) and estimates the units' abundances from them
// (Estimate). Reads with the same evidence (λ and extra edits per unit;
// λ does not matter for a read that reaches one unit) form one class, so
// memory grows with the distinct evidence, not with the reads. Not safe
// for concurrent use.
type Community struct {
	c      *Classifier
	index  map[string]int32
	key    []byte
	count  []float64 // reads per class
	lambda []float64
	start  []int32 // class i's units are unit[start[i]:start[i+1]]
	unit   []uint32
	extra  []int32
}

// NewCommunity returns an empty Community over c's units.
func (c *Classifier) NewCommunity() *Community {
	return &Community{c: c, index: map[string]int32{}, start: []int32{0}}
}

// Add counts one read's evidence and returns its class, for Abundance's
// Hypotheses. ev must be InEM and hold at least one unit.
func (m *Community) Add(ev *Evidence) int32 {
	lambda := ev.Lambda
	if len(ev.Units) == 1 {
		lambda = 0 // weighs nothing against nothing: one class per unit
	}
	m.key = binary.AppendUvarint(m.key[:0], math.Float64bits(lambda))
	for _, u := range ev.Units {
		m.key = binary.AppendUvarint(m.key, uint64(u.Unit))
		m.key = binary.AppendUvarint(m.key, uint64(u.Extra))
	}
	if i, ok := m.index[string(m.key)]; ok {
		m.count[i]++
		return i
	}
	i := int32(len(m.count))
	m.index[string(m.key)] = i
	m.count = append(m.count, 1)
	m.lambda = append(m.lambda, lambda)
	for _, u := range ev.Units {
		m.unit = append(m.unit, u.Unit)
		m.extra = append(m.extra, u.Extra)
	}
	m.start = append(m.start, int32(len(m.unit)))
	return i
}

// Classes returns the number of distinct evidence classes added.
func (m *Community) Classes() int { return len(m.count) }

// Abundance is the outcome of the community EM: the groups of units the
// data cannot tell apart and each group's share.
type Abundance struct {
	m        *Community
	group    []int32            // per unit: its group, −1 when no read reached it
	lineages []taxonomy.Lineage // per group
	pi       []float64          // per group: share of the EM's reads; 0 when pruned
	// Reads is the number of reads the shares are of: those whose
	// classes keep a group with a share above 0.
	Reads float64
	seen  []int32 // Hypotheses' groups so far
}

// Groups returns the number of groups.
func (a *Abundance) Groups() int { return len(a.pi) }

// Group returns group g's lineage and its estimated reads (share × Reads).
func (a *Abundance) Group(g int) (taxonomy.Lineage, float64) {
	return a.lineages[g], a.pi[g] * a.Reads
}

// Hypotheses returns, for a read of the given class, one hypothesis per
// group it reaches (the fewest extra edits of the group's units) with the
// group's share as prior, appended to dst.
func (a *Abundance) Hypotheses(class int32, dst []Hypothesis) []Hypothesis {
	m := a.m
	dst, a.seen = dst[:0], a.seen[:0]
	for j := m.start[class]; j < m.start[class+1]; j++ {
		g := a.group[m.unit[j]]
		if k := slices.Index(a.seen, g); k >= 0 {
			dst[k].Extra = min(dst[k].Extra, m.extra[j])
			continue
		}
		a.seen = append(a.seen, g)
		dst = append(dst, Hypothesis{Lineage: a.lineages[g], Extra: m.extra[j], Prior: a.pi[g]})
	}
	return dst
}

// groupName joins distinct names with " / ", sorted.
func groupName(names []string) string {
	slices.Sort(names)
	return strings.Join(slices.Compact(names), " / ")
}

// groupLineage is the lineage of a group of units: the ranks they share,
// and at the first rank where they differ, if it is genus or species,
// their names joined ("Escherichia coli / Escherichia fergusonii");
// differing above genus, the group stops at what they share.
func groupLineage(ls []taxonomy.Lineage) taxonomy.Lineage {
	out := ls[0]
	for r := taxonomy.Domain; r < taxonomy.NumRanks; r++ {
		names := []string{}
		for _, l := range ls {
			names = append(names, l[r])
		}
		if slices.Contains(names, "") && slices.ContainsFunc(names, func(s string) bool { return s != "" }) {
			return out.Truncate(r - 1)
		}
		if n := groupName(names); strings.Contains(n, " / ") {
			if r < taxonomy.Genus {
				return out.Truncate(r - 1)
			}
			out[r] = n
			return out.Truncate(r)
		}
	}
	return out
}

// Lambda returns the per-edit weight λ of the reads of class (Evidence).
func (a *Abundance) Lambda(class int32) float64 { return a.m.lambda[class] }
