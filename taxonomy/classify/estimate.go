package classify

import (
	"encoding/binary"
	"math"
	"slices"

	"github.com/zonula/zonula/taxonomy"
)

// EM settings. The iteration stops when the shares change by less than
// emTolerance in all (L1), after at most emMaxRounds rounds. At that
// point groups holding fewer reads than emPruneReads (emPruneFewReads in
// samples of at most 1,000 reads) are dropped, as Emu does (Curry et al.
// 2022: 10 reads, or 1 in small samples), and the iteration resumes:
// a taxon seen only through ties with a well-supported one otherwise keeps
// a sliver that the EM removes only slowly.
const (
	emTolerance     = 1e-7
	emMaxRounds     = 5000
	emPruneReads    = 10
	emPruneFewReads = 1
)

// Estimate runs the community EM (Curry et al. 2022, Emu, over zonula's
// candidates and floors) on the reads added. Units that every read weighs
// alike (the same extra edits wherever one is reached, and never one
// without the other) are merged into a group first, named as groupLineage
// says: no read can split them. Then, with π_g the share of group g
// (uniform at the start) and L_cg = exp(−λ_c·extra_cg) for a read of class
// c (the fewest extra edits among g's units; see Evidence),
//
//	π_g ← Σ_c n_c · π_g·L_cg / Σ_k π_k·L_ck  /  Σ_c n_c,
//
// over the classes c (n_c reads each), until the shares settle; groups
// with too few reads are then dropped (see emPruneReads) and the
// iteration resumes. Groups, classes and sums are taken in a fixed order,
// so the result is the same on every run.
func (m *Community) Estimate() *Abundance {
	a := &Abundance{m: m}
	a.groupUnits()
	n := len(a.pi)
	if n == 0 {
		return a
	}
	// Per class: its groups (the fewest extra edits of their units) as
	// weights L_cg.
	cstart := []int32{0}
	var cgroup []int32
	var cweight []float64
	for c := range m.count {
		from := len(cgroup)
		for j := m.start[c]; j < m.start[c+1]; j++ {
			g, w := a.group[m.unit[j]], math.Exp(-m.lambda[c]*float64(m.extra[j]))
			if k := slices.Index(cgroup[from:], g); k >= 0 {
				cweight[from+k] = max(cweight[from+k], w)
				continue
			}
			cgroup, cweight = append(cgroup, g), append(cweight, w)
		}
		cstart = append(cstart, int32(len(cgroup)))
	}
	for g := range a.pi {
		a.pi[g] = 1 / float64(n)
	}
	var total float64
	for _, c := range m.count {
		total += c
	}
	prune := float64(emPruneReads)
	if total <= 1000 {
		prune = emPruneFewReads
	}
	next := make([]float64, n)
	for range emMaxRounds {
		clear(next)
		var reads float64
		for c, cnt := range m.count {
			var z float64
			for j := cstart[c]; j < cstart[c+1]; j++ {
				z += a.pi[cgroup[j]] * cweight[j]
			}
			if z == 0 {
				continue // every group it reaches was pruned
			}
			reads += cnt
			for j := cstart[c]; j < cstart[c+1]; j++ {
				next[cgroup[j]] += cnt * a.pi[cgroup[j]] * cweight[j] / z
			}
		}
		var change float64
		for g := range a.pi {
			v := next[g] / reads
			change += math.Abs(v - a.pi[g])
			a.pi[g] = v
		}
		a.Reads = reads
		if change >= emTolerance {
			continue
		}
		pruned := false
		for g, v := range a.pi {
			if v > 0 && v*reads < prune {
				a.pi[g], pruned = 0, true
			}
		}
		if !pruned {
			break
		}
	}
	return a
}

// groupUnits merges the units that every class weighs alike into groups
// and sets a.group, a.lineages and a.pi's length. Groups are numbered in
// the order of their first unit.
func (a *Abundance) groupUnits() {
	m := a.m
	nu := len(m.c.units.lineages)
	// Each unit's signature: the (class, extra) pairs it appears in, in
	// class order.
	sig := make(map[uint32][]byte)
	for c := range m.count {
		for j := m.start[c]; j < m.start[c+1]; j++ {
			u := m.unit[j]
			b := binary.AppendUvarint(sig[u], uint64(c))
			sig[u] = binary.AppendUvarint(b, uint64(m.extra[j]))
		}
	}
	a.group = make([]int32, nu)
	bySig := map[string]int32{}
	var members [][]taxonomy.Lineage
	for u := range uint32(nu) { // unit order
		a.group[u] = -1
		s, ok := sig[u]
		if !ok {
			continue
		}
		g, seen := bySig[string(s)]
		if !seen {
			g = int32(len(members))
			bySig[string(s)] = g
			members = append(members, nil)
		}
		a.group[u] = g
		members[g] = append(members[g], m.c.units.lineages[u])
	}
	for _, ls := range members {
		a.lineages = append(a.lineages, groupLineage(ls))
	}
	a.pi = make([]float64, len(a.lineages))
}
