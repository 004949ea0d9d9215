package classify

import (
	"math/rand/v2"
	"testing"
)

// naiveSemiGlobal is the textbook O(mn) dynamic programme with a free text
// start and end, used as the independent check of the bit-vector aligner.
func naiveSemiGlobal(p, t []byte) int {
	prev := make([]int, len(t)+1) // row 0: all zero
	cur := make([]int, len(t)+1)
	for i := 1; i <= len(p); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if tc := nucCode[t[j-1]]; tc == 4 || (nucCode[p[i-1]] < 4 && nucCode[p[i-1]] == tc) {
				cost = 0
			}
			cur[j] = min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	best := prev[0]
	for _, v := range prev {
		best = min(best, v)
	}
	return best
}

func TestAlignerMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const bases = "ACGTN"
	var a aligner
	for trial := range 400 {
		m := 1 + rng.IntN(200)
		n := rng.IntN(260)
		p := make([]byte, m)
		for i := range p {
			p[i] = bases[rng.IntN(4+trial%2)]
		}
		tx := make([]byte, n)
		for i := range tx {
			tx[i] = bases[rng.IntN(5)]
		}
		// Half the trials embed a mutated copy of p in t.
		if trial%2 == 0 && n > m {
			off := rng.IntN(n - m + 1)
			copy(tx[off:], p)
			for range rng.IntN(5) {
				tx[off+rng.IntN(m)] = bases[rng.IntN(4)]
			}
		}
		a.setPattern(p)
		got, want := a.distance(tx), naiveSemiGlobal(p, tx)
		if got != want {
			t.Fatalf("trial %d (m=%d n=%d): distance %d, naive %d", trial, m, n, got, want)
		}
	}
}

func TestAlignerKnown(t *testing.T) {
	var a aligner
	for _, c := range []struct {
		p, t string
		want int
	}{
		{"ACGT", "TTACGTTT", 0},
		{"ACGT", "TTACTTT", 1},  // deletion of G, or substitution
		{"ACGGT", "AACGTAA", 1}, // one G too many in the pattern
		{"ACGT", "", 4},         // nothing to align against
		{"acgt", "ACGT", 0},     // case does not matter
		{"ANGT", "ACGT", 1},     // N matches nothing
	} {
		a.setPattern([]byte(c.p))
		if got := a.distance([]byte(c.t)); got != c.want {
			t.Errorf("distance(%s, %s) = %d, want %d", c.p, c.t, got, c.want)
		}
	}
}

func TestDistanceWithinMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var a aligner
	for trial := range 600 {
		m := 1 + rng.IntN(300)
		p := make([]byte, m)
		for i := range p {
			p[i] = "ACGT"[rng.IntN(4)]
		}
		// A mutated copy of p inside random flanks.
		tx := make([]byte, 0, m+80)
		for range rng.IntN(40) {
			tx = append(tx, "ACGTN"[rng.IntN(5)])
		}
		tx = appendMutated(tx, rng, p, 0.03, 0.05, 0.07)
		for range rng.IntN(40) {
			tx = append(tx, "ACGT"[rng.IntN(4)])
		}
		a.setPattern(p)
		want := naiveSemiGlobal(p, tx)
		for _, k := range []int{0, want - 1, want, want + 1, want + 70, m} {
			if k < 0 {
				continue
			}
			got := a.distanceWithin(tx, k)
			if (want <= k && got != want) || (want > k && got <= k) {
				t.Fatalf("trial %d (m=%d, k=%d): distanceWithin %d, naive %d", trial, m, k, got, want)
			}
		}
	}
}

// TestDistanceWithinLongReads checks the banded bit-vector distance on
// gene-length sequences, where the band leaves out most blocks.
func TestDistanceWithinLongReads(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var a aligner
	for trial := range 12 {
		m := 1200 + rng.IntN(400)
		p := make([]byte, m)
		for i := range p {
			p[i] = "ACGT"[rng.IntN(4)]
		}
		rate := []float64{0.01, 0.05, 0.12}[trial%3]
		var tx []byte
		for range rng.IntN(100) {
			tx = append(tx, "ACGT"[rng.IntN(4)])
		}
		tx = appendMutated(tx, rng, p, rate/3, 2*rate/3, rate)
		for range rng.IntN(100) {
			tx = append(tx, "ACGT"[rng.IntN(4)])
		}
		a.setPattern(p)
		want := naiveSemiGlobal(p, tx)
		for _, k := range []int{want - 1, want, want + 1, 2 * want, m / 3} {
			got := a.distanceWithin(tx, k)
			if (want <= k && got != want) || (want > k && got <= k) {
				t.Fatalf("trial %d (m=%d, n=%d, k=%d): distanceWithin %d, naive %d", trial, m, len(tx), k, got, want)
			}
		}
	}
}

// appendMutated appends a copy of p to dst with random edits: for each base
// a uniform u gives a substitution when u < sub, a deletion when u < del, an
// insertion after it when u < ins (the thresholds are cumulative).
func appendMutated(dst []byte, rng *rand.Rand, p []byte, sub, del, ins float64) []byte {
	for _, c := range p {
		switch u := rng.Float64(); {
		case u < sub:
			dst = append(dst, "ACGT"[rng.IntN(4)])
		case u < del:
		case u < ins:
			dst = append(dst, c, "ACGT"[rng.IntN(4)])
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
