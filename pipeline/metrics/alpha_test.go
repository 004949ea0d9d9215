package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

// The values below are closed-form (worked by hand from the formula in each
// function's doc comment); the tool-made values are in refvalues_test.go.

func TestInvalidCountsGiveNaN(t *testing.T) {
	for _, counts := range [][]float64{
		{1, -1, 3},
		{1, math.NaN()},
		{math.Inf(1), 2},
		{math.Inf(-1)},
	} {
		if err := CheckCounts(counts); err == nil {
			t.Errorf("CheckCounts(%v) = nil", counts)
		}
		for name, fn := range alphaFuncs {
			if got := fn(counts); !math.IsNaN(got) {
				t.Errorf("%s(%v) = %v, want NaN", name, counts, got)
			}
		}
		a := AlphaOf(counts, "genus")
		if a.Rank != "genus" || !math.IsNaN(a.Reads) || !math.IsNaN(a.Observed) {
			t.Errorf("AlphaOf(%v) = %+v", counts, a)
		}
		for name, fn := range betaFuncs {
			ok := make([]float64, len(counts))
			if _, err := fn(counts, ok); err == nil {
				t.Errorf("%s(%v, %v) gave no error", name, counts, ok)
			}
			if _, err := fn(ok, counts); err == nil || !strings.Contains(err.Error(), "second sample") {
				t.Errorf("%s(%v, %v) error %v, want one naming the second sample", name, ok, counts, err)
			}
		}
	}
	if err := CheckCounts([]float64{0, 2, -3}); err == nil || !strings.Contains(err.Error(), "count 2") {
		t.Errorf("CheckCounts names the index: %v", err)
	}
}

func TestEmptySample(t *testing.T) {
	for _, counts := range [][]float64{nil, {}, {0, 0}} {
		want := map[string]float64{
			"observed": 0, "chao1": 0, "chao1_classic": 0, "ace": 0,
			"shannon": math.NaN(), "shannon_base2": math.NaN(), "shannon_base10": math.NaN(),
			"simpson": math.NaN(), "inverse_simpson": math.NaN(), "pielou": math.NaN(),
			"goods_coverage": math.NaN(),
		}
		for name, fn := range alphaFuncs {
			w, ok := want[name]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			if got := fn(counts); !same(got, w) {
				t.Errorf("%s(%v) = %v, want %v", name, counts, got, w)
			}
		}
		if a := AlphaOf(counts, "genus"); a.Reads != 0 {
			t.Errorf("AlphaOf(%v).Reads = %v", counts, a.Reads)
		}
	}
}

func TestFractionalCounts(t *testing.T) {
	// EM at species rank gives fractional counts: proportion-based metrics are
	// defined, singleton-based estimators are not.
	counts := []float64{2.5, 0.5, 1, 4}
	// p = 0.3125, 0.0625, 0.125, 0.5; Σp² = 0.09765625+0.00390625+0.015625+0.25.
	d := 0.3671875
	checks := []struct {
		name string
		got  float64
		want float64
	}{
		{"observed", Observed(counts), 4},
		{"simpson", Simpson(counts), 1 - d},
		{"inverse_simpson", InverseSimpson(counts), 1 / d},
		{"shannon", Shannon(counts), -(0.3125*math.Log(0.3125) + 0.0625*math.Log(0.0625) + 0.125*math.Log(0.125) + 0.5*math.Log(0.5))},
		{"chao1", Chao1(counts), math.NaN()},
		{"chao1_classic", Chao1Classic(counts), math.NaN()},
		{"ace", ACE(counts), math.NaN()},
		{"goods_coverage", GoodsCoverage(counts), math.NaN()},
	}
	for _, c := range checks {
		if !same(c.got, c.want) {
			t.Errorf("%s(%v) = %v, want %v", c.name, counts, c.got, c.want)
		}
	}
}

func TestShannonBase(t *testing.T) {
	counts := []float64{5, 5, 5, 5}
	if got := ShannonBase(counts, 2); !same(got, 2) { // log2 4
		t.Errorf("ShannonBase(even4, 2) = %v, want 2", got)
	}
	if got := ShannonBase(counts, math.E); !same(got, math.Log(4)) {
		t.Errorf("ShannonBase(even4, e) = %v, want ln 4", got)
	}
	for _, b := range []float64{0, -2, 1, math.NaN(), math.Inf(1)} {
		if got := ShannonBase(counts, b); !math.IsNaN(got) {
			t.Errorf("ShannonBase(even4, %v) = %v, want NaN", b, got)
		}
	}
}

func TestClosedForms(t *testing.T) {
	for _, c := range []struct {
		name   string
		got    float64
		want   float64
		source string
	}{
		{"Chao1 F1=3 F2=0", Chao1([]float64{10, 5, 3, 1, 1, 1}), 6 + 3*2/2.0, "S + F1(F1−1)/(2(F2+1))"},
		{"Chao1 F1=1", Chao1([]float64{1, 7, 9}), 3, "F1 ≤ 1 adds nothing"},
		{"Goods all singletons", GoodsCoverage([]float64{1, 1, 1}), 0, "1 − 3/3"},
		{"Goods", GoodsCoverage([]float64{1, 1, 8}), 0.8, "1 − 2/10"},
		{"Pielou even", Pielou([]float64{3, 3, 3}), 1, "ln 3 / ln 3"},
		{"InverseSimpson even", InverseSimpson([]float64{2, 2, 2, 2, 2}), 5, "S equal taxa"},
		{"ACE abundant only", ACE([]float64{11, 12}), 2, "S_abund"},
	} {
		if !same(c.got, c.want) {
			t.Errorf("%s = %v, want %v (%s)", c.name, c.got, c.want, c.source)
		}
	}
}

func TestBetaErrors(t *testing.T) {
	for name, fn := range betaFuncs {
		if _, err := fn([]float64{1, 2}, []float64{1}); err == nil || !strings.Contains(err.Error(), "2 and 1 taxa") {
			t.Errorf("%s with unequal lengths: %v", name, err)
		}
		if got, err := fn(nil, nil); err != nil || !math.IsNaN(got) {
			t.Errorf("%s(nil, nil) = %v, %v; want NaN", name, got, err)
		}
	}
}

func TestAlphaJSON(t *testing.T) {
	a := AlphaOf([]float64{42}, "genus") // Pielou undefined, ACE = 1
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	want := `{"rank":"genus","reads":42,"observed":1,"shannon":0,"simpson":0,"chao1":1,"inverse_simpson":1,"pielou":null,"ace":1,"goods_coverage":1}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
	var back Alpha
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(back.Pielou) || back.Reads != 42 || back.ACE != 1 || back.Rank != "genus" {
		t.Errorf("round trip: %+v", back)
	}
	// Inside a map, as metrics.json holds it.
	if _, err := json.Marshal(map[string]Alpha{"genus": AlphaOf(nil, "genus")}); err != nil {
		t.Errorf("Marshal of an empty sample's Alpha: %v", err)
	}
}

func ExampleAlphaOf() {
	// Genus read counts of a small sample; unclassified reads left out.
	a := AlphaOf([]float64{120, 80, 45, 30, 2, 1, 1}, "genus")
	// Values agree with scikit-bio 0.5.8 (shannon with base=e).
	fmt.Printf("observed %.0f, Shannon %.4f, Simpson %.4f, Chao1 %.2f, Good's %.4f\n",
		a.Observed, a.Shannon, a.Simpson, a.Chao1, a.GoodsCoverage)
	// Output:
	// observed 7, Shannon 1.3309, Simpson 0.6951, Chao1 7.50, Good's 0.9928
}

func ExampleBrayCurtis() {
	a := []float64{10, 0, 3, 7, 1}
	b := []float64{2, 5, 3, 0, 1}
	d, err := BrayCurtis(a, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f\n", d) // (8 + 5 + 0 + 7 + 0) / (21 + 11)
	// Output: 0.625
}
