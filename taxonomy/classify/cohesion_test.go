package classify

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// mutate returns a copy of seq with n substitutions at distinct positions
// chosen from positions[from:from+n].
func mutate(seq []byte, positions []int, from, n int) []byte {
	out := append([]byte(nil), seq...)
	next := map[byte]byte{'A': 'C', 'C': 'G', 'G': 'T', 'T': 'A'}
	for _, p := range positions[from : from+n] {
		out[p] = next[out[p]]
	}
	return out
}

func lineage(genus string) taxonomy.Lineage {
	return taxonomy.Lineage{"Bacteria", "Bacillota", "Clostridia", "Eubacteriales", "Oscillospiraceae", genus}
}

func TestGenusCohesion(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := make([]byte, 1500)
	for i := range base {
		base[i] = "ACGT"[rng.IntN(4)]
	}
	pos := rng.Perm(len(base))
	other := make([]byte, 1500)
	for i := range other {
		other[i] = "ACGT"[rng.IntN(4)]
	}
	refs := []refdb.Reference{
		// Genus A: a0, a1 at 15 substitutions (1 %) from a0, a2 at 75 (5 %)
		// elsewhere: a2's nearest congener is a0 at identity 0.95.
		{ID: "a0", Lineage: lineage("Alpha"), Seq: base},
		{ID: "a1", Lineage: lineage("Alpha"), Seq: mutate(base, pos, 0, 15)},
		{ID: "a2", Lineage: lineage("Alpha"), Seq: mutate(base, pos, 100, 75)},
		// A genus of one reference and a placeholder group have no value.
		{ID: "b0", Lineage: lineage("Beta"), Seq: other},
		{ID: "u0", Lineage: lineage("Oscillospiraceae Incertae Sedis"), Seq: mutate(other, pos, 0, 30)},
		{ID: "u1", Lineage: lineage("Oscillospiraceae Incertae Sedis"), Seq: mutate(other, pos, 200, 300)},
	}
	for _, threads := range []int{1, 2} {
		got := GenusCohesion(refs, threads)
		if len(got) != 1 || math.Abs(got["Alpha"]-0.95) > 1e-9 {
			t.Errorf("threads %d: GenusCohesion = %v, want only Alpha: 0.95", threads, got)
		}
	}
	h := refdb.Header{Name: "test"}
	DeriveHeader(&h, refs)
	if len(h.GenusCohesion) != 1 || math.Abs(h.GenusCohesion["Alpha"]-0.95) > 1e-9 || h.Name != "test" {
		t.Errorf("DeriveHeader gave %+v, want GenusCohesion only Alpha: 0.95", h)
	}
}

func TestGenusFloor(t *testing.T) {
	c := &Classifier{opts: DefaultOptions()}
	if got := c.GenusFloor("Alpha"); got != YarzaFloors()[taxonomy.Genus] {
		t.Errorf("without cohesion values: floor %v, want Yarza's %v", got, YarzaFloors()[taxonomy.Genus])
	}
	var refs []refdb.Reference
	for g, n := range map[string]int{"Loose": 3, "Mid": 2, "Pair": 2, "Tight": 9, "Single": 1} {
		for range n {
			refs = append(refs, refdb.Reference{Lineage: taxonomy.Lineage{"Bacteria", "P", "C", "O", "F", g}})
		}
	}
	// The median cohesion is (0.91 + 0.93)/2 = 0.92; each genus's floor is
	// (n·c + 0.92)/(n + 1), clamped to 0.90–0.97.
	c.genusFloors = genusFloorsOf(refs, map[string]float64{"Loose": 0.75, "Mid": 0.93, "Pair": 0.91, "Tight": 0.995})
	for g, want := range map[string]float64{
		"Loose": minGenusFloor, "Mid": (2*0.93 + 0.92) / 3, "Pair": (2*0.91 + 0.92) / 3, "Tight": maxGenusFloor, "Single": singletonGenusFloor,
	} {
		if got := c.GenusFloor(g); math.Abs(got-want) > 1e-12 {
			t.Errorf("GenusFloor(%s) = %v, want %v", g, got, want)
		}
	}
}

func TestAlignWindow(t *testing.T) {
	for _, tc := range []struct{ e, id, want float64 }{
		{0.004, 0.99, 0.0075}, // 2·0.01/4 = 0.005, below the least window
		{0.004, 0.97, 0.015},  // divergence 3 % dominates: 2·0.03/4
		{0.03, 0.999, 0.015},  // the read's error dominates
		{0.075, 0.90, 0.04},   // capped at 2·0.02
		{0, 1, 0.0075},        // an exact match still looks 0.75 % below
	} {
		if got := alignWindow(tc.e, tc.id); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("alignWindow(%v, %v) = %v, want %v", tc.e, tc.id, got, tc.want)
		}
	}
}
