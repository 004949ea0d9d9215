package classify

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// TieSet is a group of reads whose best references tie across the same
// species (one genus), with how many reads share it.
type TieSet struct {
	Species []string // sorted, distinct
	Reads   float64
}

// SpeciesAbundance estimates reads per species from reads that tie across
// species, by expectation–maximisation as Emu does (Curry et al. 2022): each
// read's unit weight is shared among its tied species in proportion to their
// current abundance, and abundances are re-estimated from those shares until
// they change by less than 1e-10 of the total (at most 1,000 rounds). A read
// whose tie set holds one species goes to it alone.
//
// Species that 16S cannot tell apart here, because every tie set that holds
// one holds the other, are merged first and reported as one group named
// "A / B" (sorted names): the data give no way to split them. Groups whose
// estimate falls below 1e-6 of the reads are dropped and their share goes to
// the others. The result is deterministic and its values sum to the reads.
func SpeciesAbundance(sets []TieSet) map[string]float64 {
	// Signature of each species: the tie sets it appears in.
	sig := map[string][]int{}
	for i, s := range sets {
		for _, sp := range s.Species {
			sig[sp] = append(sig[sp], i)
		}
	}
	group := map[string]string{} // species → group name
	bySig := map[string][]string{}
	for _, sp := range slices.Sorted(maps.Keys(sig)) {
		key := joinInts(sig[sp]) // tie-set indices, in increasing order
		bySig[key] = append(bySig[key], sp)
	}
	for _, members := range bySig {
		name := strings.Join(members, " / ")
		for _, sp := range members {
			group[sp] = name
		}
	}
	// Tie sets over groups.
	type gset struct {
		groups []string
		reads  float64
	}
	var gs []gset
	var total float64
	for _, s := range sets {
		var g []string
		for _, sp := range s.Species {
			if !slices.Contains(g, group[sp]) {
				g = append(g, group[sp])
			}
		}
		slices.Sort(g)
		gs = append(gs, gset{g, s.Reads})
		total += s.Reads
	}
	names := slices.Sorted(func(yield func(string) bool) {
		seen := map[string]bool{}
		for _, n := range group {
			if !seen[n] {
				seen[n] = true
				if !yield(n) {
					return
				}
			}
		}
	})
	pi := make(map[string]float64, len(names))
	for _, n := range names {
		pi[n] = 1 / float64(len(names))
	}
	next := make(map[string]float64, len(names))
	for range 1000 {
		clear(next)
		for _, s := range gs {
			var z float64
			for _, g := range s.groups {
				z += pi[g]
			}
			if z == 0 {
				continue
			}
			for _, g := range s.groups {
				next[g] += s.reads * pi[g] / z
			}
		}
		var change float64
		for _, n := range names {
			v := next[n] / total
			if v < 1e-6 {
				v = 0
			}
			change += math.Abs(v - pi[n])
			pi[n] = v
		}
		if change < 1e-10 {
			break
		}
	}
	out := map[string]float64{}
	for _, s := range gs {
		var z float64
		for _, g := range s.groups {
			z += pi[g]
		}
		for _, g := range s.groups {
			share := 1 / float64(len(s.groups)) // every group dropped: share evenly
			if z > 0 {
				share = pi[g] / z
			}
			if share > 0 {
				out[g] += s.reads * share
			}
		}
	}
	return out
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ",")
}
