package classify

import (
	"math"
	"testing"
)

func TestSpeciesAbundance(t *testing.T) {
	// 60 reads unique to A, 20 unique to B, 40 tied A|B: EM gives the tied
	// reads to A and B in proportion 3:1, so A = 90, B = 30 (the fixed point
	// of π_A = (60 + 40 π_A/(π_A+π_B)) / 120).
	got := SpeciesAbundance([]TieSet{
		{Species: []string{"Bacteroides fragilis"}, Reads: 60},
		{Species: []string{"Bacteroides ovatus"}, Reads: 20},
		{Species: []string{"Bacteroides fragilis", "Bacteroides ovatus"}, Reads: 40},
	})
	if math.Abs(got["Bacteroides fragilis"]-90) > 1e-6 || math.Abs(got["Bacteroides ovatus"]-30) > 1e-6 {
		t.Errorf("EM split = %v, want fragilis 90, ovatus 30", got)
	}
	// Species that always tie are reported as one group.
	got = SpeciesAbundance([]TieSet{
		{Species: []string{"Escherichia coli", "Shigella flexneri"}, Reads: 50},
		{Species: []string{"Bacteroides ovatus"}, Reads: 10},
	})
	if got["Escherichia coli / Shigella flexneri"] != 50 || got["Bacteroides ovatus"] != 10 || len(got) != 2 {
		t.Errorf("inseparable species not grouped: %v", got)
	}
	// A species supported only by ties with a dominant one fades out.
	got = SpeciesAbundance([]TieSet{
		{Species: []string{"A a"}, Reads: 100},
		{Species: []string{"A a", "A b"}, Reads: 5},
	})
	var sum float64
	for _, v := range got {
		sum += v
	}
	if math.Abs(sum-105) > 1e-9 || got["A b"] > 1e-3 {
		t.Errorf("EM = %v (sum %v), want nearly all on A a", got, sum)
	}
	if len(SpeciesAbundance(nil)) != 0 {
		t.Error("no tie sets should give no species")
	}
}
