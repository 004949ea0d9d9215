package metrics

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestPermanovaWithin checks the restricted permutations against the exact
// restricted p-value, found by enumerating all 2⁷ within-subject swaps of a
// crossed design (7 subjects, each sampled once in groups a and b): subjects
// differ a lot, the groups a little, so the unrestricted test, mixing
// subjects, loses the group effect that the within-subject test finds.
func TestPermanovaWithin(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	const subjects = 7
	var ids, groups, strata []string
	var pts [][2]float64
	for s := range subjects {
		cx, cy := rng.NormFloat64()*5, rng.NormFloat64()*5
		for g, shift := range []float64{0, 0.8} {
			ids = append(ids, "s"+strconv.Itoa(s)+"g"+strconv.Itoa(g))
			groups = append(groups, string(rune('a'+g)))
			strata = append(strata, "subject"+strconv.Itoa(s))
			pts = append(pts, [2]float64{cx + shift + 0.2*rng.NormFloat64(), cy + 0.2*rng.NormFloat64()})
		}
	}
	n := len(pts)
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = make([]float64, n)
		for j := range rows[i] {
			rows[i][j] = math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1])
		}
	}
	d, err := NewDistanceMatrix(ids, rows)
	if err != nil {
		t.Fatal(err)
	}
	obs, err := Permanova(d, groups, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Exact: every subset of subjects whose labels are swapped.
	hits := 0
	for mask := range 1 << subjects {
		perm := make([]string, n)
		copy(perm, groups)
		for s := range subjects {
			if mask&(1<<s) != 0 {
				perm[2*s], perm[2*s+1] = perm[2*s+1], perm[2*s]
			}
		}
		r, err := Permanova(d, perm, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if r.F >= obs.F-1e-12*obs.F {
			hits++
		}
	}
	exact := float64(hits) / (1 << subjects)
	const perms = 9999
	within, err := PermanovaWithin(d, groups, strata, perms, 1)
	if err != nil {
		t.Fatal(err)
	}
	if within.F != obs.F || within.R2 != obs.R2 {
		t.Errorf("F %v R² %v, unrestricted %v %v", within.F, within.R2, obs.F, obs.R2)
	}
	if se := math.Sqrt(exact * (1 - exact) / perms); math.Abs(within.P-exact) > 4*se+1.0/perms {
		t.Errorf("restricted p %v, exact %v (± %v)", within.P, exact, se)
	}
	free, err := Permanova(d, groups, perms, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !(exact < 0.05 && free.P > 0.2) {
		t.Errorf("exact restricted p %v, unrestricted p %v: the design no longer shows the difference", exact, free.P)
	}
	if _, err := PermanovaWithin(d, groups, strata[:3], 9, 1); err == nil {
		t.Error("short strata accepted")
	}
}
