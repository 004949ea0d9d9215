package cohort

import (
	"math"
	"testing"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
)

func profileOf(t *testing.T, name string, reads map[string]float64) *tables.Profile {
	t.Helper()
	b := tables.NewBuilder(name)
	for g, n := range reads {
		if err := b.Add(taxonomy.Lineage{"Bacteria", "Bacillota", "Clostridia", "Eubacteriales", "Oscillospiraceae", g}, n); err != nil {
			t.Fatal(err)
		}
	}
	return b.Profile()
}

func TestCompareNumbers(t *testing.T) {
	a := profileOf(t, "a", map[string]float64{"Faecalibacterium": 600, "Ruminococcus": 300, "Roseburia": 100})
	b := profileOf(t, "b", map[string]float64{"Faecalibacterium": 100, "Ruminococcus": 300, "Butyricicoccus": 100})
	c, err := Compare(a, b, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Shares a = (0, .1, .6, .3), b = (.2, 0, .2, .6) over Butyricicoccus,
	// Roseburia, Faecalibacterium, Ruminococcus: Σ|x−y| = .2+.1+.4+.3 = 1,
	// Σ(x+y) = 2, so Bray–Curtis 0.5.
	if math.Abs(c.BrayCurtis-0.5) > 1e-12 || c.Depth != 500 || c.AlphaBefore.Observed != 3 || c.AlphaAfter.Observed != 3 {
		t.Errorf("comparison %+v", c)
	}
	if want := metrics.Shannon([]float64{100, 300, 100}); c.AlphaAfter.Shannon != want {
		t.Errorf("Shannon after %v, want %v", c.AlphaAfter.Shannon, want)
	}
	if !(c.NoiseMean > 0 && c.NoiseMean <= c.Noise95 && c.Noise95 < c.BrayCurtis) {
		t.Errorf("read-sampling baseline mean %v, 95 %% %v, observed %v", c.NoiseMean, c.Noise95, c.BrayCurtis)
	}
	again, _ := Compare(a, b, 1)
	if again.NoiseMean != c.NoiseMean || again.Noise95 != c.Noise95 {
		t.Error("same seed, different baseline")
	}
	// A sample compared with itself differs by 0; its baseline shrinks with
	// depth (about 1/√n).
	same, _ := Compare(a, a, 1)
	big := profileOf(t, "big", map[string]float64{"Faecalibacterium": 60000, "Ruminococcus": 30000, "Roseburia": 10000})
	deep, _ := Compare(big, big, 1)
	if same.BrayCurtis != 0 || !(deep.NoiseMean < same.NoiseMean/5) {
		t.Errorf("self comparison %v; baseline at 1,000 reads %v, at 100,000 reads %v", same.BrayCurtis, same.NoiseMean, deep.NoiseMean)
	}
	empty := profileOf(t, "e", map[string]float64{})
	if _, err := Compare(a, empty, 1); err == nil {
		t.Error("empty sample accepted")
	}
}
