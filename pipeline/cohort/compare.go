package cohort

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
)

// NoiseDraws is how many simulated pairs of samples estimate the Bray–Curtis
// dissimilarity that read sampling alone gives.
const NoiseDraws = 200

// Comparison holds the numbers a before/after report states.
type Comparison struct {
	Genera             []string  // union of both samples' genera, sorted
	Before, After      []float64 // genus reads, in Genera order
	AlphaBefore        metrics.Alpha
	AlphaAfter         metrics.Alpha
	Depth              int     // the smaller genus read total
	ExpectedBefore     float64 // expected genera at Depth (Hurlbert)
	ExpectedAfter      float64
	BrayCurtis         float64 // on genus shares
	NoiseMean, Noise95 float64 // Bray–Curtis of two samples of one composition at these depths
	Seed               uint64  // the seed of the read-sampling simulation
}

// Compare computes the comparison of two profiles at genus rank: alpha
// diversity of each, expected richness at the smaller depth, Bray–Curtis
// dissimilarity of genus shares, and the Bray–Curtis that read sampling
// alone would give: NoiseDraws pairs of multinomial samples of the two
// depths drawn from the pooled genus shares (seeded, so deterministic), of
// which the mean and 95th percentile are kept.
func Compare(before, after *tables.Profile, seed uint64) (*Comparison, error) {
	cb, ca := genusCounts(before), genusCounts(after)
	c := &Comparison{Seed: seed}
	for g := range cb {
		c.Genera = append(c.Genera, g)
	}
	for g := range ca {
		if _, ok := cb[g]; !ok {
			c.Genera = append(c.Genera, g)
		}
	}
	slices.Sort(c.Genera)
	var nb, na float64
	for _, g := range c.Genera {
		c.Before = append(c.Before, cb[g])
		c.After = append(c.After, ca[g])
		nb += cb[g]
		na += ca[g]
	}
	if nb <= 0 || na <= 0 {
		// The message keeps the words zonula compare has always printed.
		return nil, fmt.Errorf("report: a sample without reads classified to a genus cannot be compared")
	}
	c.AlphaBefore = metrics.AlphaOf(c.Before, taxonomy.Genus.String())
	c.AlphaAfter = metrics.AlphaOf(c.After, taxonomy.Genus.String())
	c.Depth = int(math.Floor(min(nb, na)))
	c.ExpectedBefore = metrics.ExpectedRichness(c.Before, c.Depth)
	c.ExpectedAfter = metrics.ExpectedRichness(c.After, c.Depth)
	pb, pa := c.Shares()
	var err error
	if c.BrayCurtis, err = metrics.BrayCurtis(pb, pa); err != nil {
		return nil, err
	}
	if c.NoiseMean, c.Noise95, err = samplingNoise(c.Before, c.After, nb, na, seed); err != nil {
		return nil, err
	}
	return c, nil
}

// Shares returns the genus shares of each sample's classified reads, in
// Genera order: p_i = n_i / Σ_j n_j.
func (c *Comparison) Shares() (before, after []float64) {
	return scale(c.Before, 1/sum(c.Before)), scale(c.After, 1/sum(c.After))
}

// samplingNoise draws NoiseDraws pairs of multinomial samples of nb and na
// reads (rounded) from the pooled genus shares of before and after, and
// returns the mean and the 95th percentile of their Bray–Curtis
// dissimilarity.
func samplingNoise(before, after []float64, nb, na float64, seed uint64) (mean, p95 float64, err error) {
	pooled := make([]float64, len(before))
	for i := range pooled {
		pooled[i] = (before[i] + after[i]) / (nb + na)
	}
	src := rand.NewPCG(seed, 2)
	var sims []float64
	for range NoiseDraws {
		x, y := multinomial(pooled, math.Round(nb), src), multinomial(pooled, math.Round(na), src)
		d, err := metrics.BrayCurtis(scale(x, 1/sum(x)), scale(y, 1/sum(y)))
		if err != nil {
			return 0, 0, err
		}
		sims = append(sims, d)
	}
	slices.Sort(sims)
	return sum(sims) / float64(len(sims)), sims[int(math.Ceil(0.95*float64(len(sims))))-1], nil
}

// multinomial draws n reads over categories with probabilities p, by
// conditional binomials (each category from the reads left).
func multinomial(p []float64, n float64, src rand.Source) []float64 {
	out := make([]float64, len(p))
	left, rest := n, 1.0
	for i, pi := range p {
		if left <= 0 || rest <= 0 {
			break
		}
		q := min(1, max(0, pi/rest))
		if i == len(p)-1 || q == 1 {
			out[i] = left
		} else if q > 0 {
			out[i] = distuv.Binomial{N: left, P: q, Src: src}.Rand()
		}
		left -= out[i]
		rest -= pi
	}
	return out
}

// genusCounts sums the reads of each named genus of p.
func genusCounts(p *tables.Profile) map[string]float64 {
	m := map[string]float64{}
	for _, r := range p.AtRank(taxonomy.Genus) {
		if r.Taxon != tables.Unclassified {
			m[r.Taxon] += r.Reads
		}
	}
	return m
}

func scale(v []float64, f float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x * f
	}
	return out
}

func sum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}
