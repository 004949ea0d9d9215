package metrics

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// Conventions shared by every alpha metric in this file:
//
//   - counts holds one sample's counts, one value per taxon, in any order.
//     Zero counts are allowed and ignored: they add no taxon and no read.
//   - Invalid input — a negative, NaN or ±Inf count — makes every metric return
//     NaN; CheckCounts says which value is at fault. Nothing panics.
//   - An empty sample (no counts, or all zero) gives 0 for Observed, Chao1 and
//     ACE and NaN for the metrics that divide by the total (Shannon, Simpson,
//     InverseSimpson, Pielou, GoodsCoverage), as scikit-bio 0.5.8 does. vegan
//     2.6 gives Shannon 0 and Simpson 1 for an empty row (its rowSums drop the
//     NaN terms); zonula does not, because "no reads" is not "no diversity".
//   - Proportions are p_i = c_i / N with N = Σ_j c_j. Logarithms are natural
//     unless a function says otherwise.
//   - The reference values in testdata/refvalues.json (scikit-bio and vegan,
//     made by scripts/refvalues.sh) are matched to 1e-9 relative by the tests.

// rareThreshold is the largest count ACE treats as rare (Chao & Lee 1992;
// the default of scikit-bio ace() and vegan estimateR).
const rareThreshold = 10

// CheckCounts returns nil when every count is finite and ≥ 0, else an error
// naming the first offending index and value. An empty slice is valid.
func CheckCounts(counts []float64) error {
	for i, c := range counts {
		switch {
		case math.IsNaN(c):
			return fmt.Errorf("metrics: count %d is NaN", i)
		case math.IsInf(c, 0):
			return fmt.Errorf("metrics: count %d is %v", i, c)
		case c < 0:
			return fmt.Errorf("metrics: count %d is negative (%g)", i, c)
		}
	}
	return nil
}

// valid reports whether CheckCounts accepts counts.
func valid(counts []float64) bool { return CheckCounts(counts) == nil }

// integral reports whether every count is a whole number.
func integral(counts []float64) bool {
	for _, c := range counts {
		if c != math.Trunc(c) {
			return false
		}
	}
	return true
}

// WholeTolerance is how far from a whole number a count may be and still
// count as one (WholeCounts): sums of shares times a total, such as
// 400.99999999999994, carry rounding errors of a few ulps.
const WholeTolerance = 1e-6

// WholeCounts returns counts with every value rounded to the nearest whole
// number, and true, when each lies within WholeTolerance of one; counts
// that are fractions (relative abundances, expected reads) give false.
// Rounding before an integral test keeps float noise from turning read
// counts into "relative" data.
func WholeCounts(counts []float64) ([]float64, bool) {
	out := make([]float64, len(counts))
	for i, c := range counts {
		r := math.Round(c)
		if math.IsNaN(c) || math.Abs(c-r) > WholeTolerance {
			return nil, false
		}
		out[i] = r
	}
	return out, true
}

// total returns N = Σ c_i; counts must be valid.
func total(counts []float64) float64 {
	if len(counts) == 0 {
		return 0
	}
	return floats.Sum(counts)
}

// Observed returns S_obs, the number of taxa with a count > 0 (scikit-bio
// observed_otus, vegan specnumber). Fractional counts such as 0.3 count as
// present. Empty sample: 0. Invalid counts: NaN.
func Observed(counts []float64) float64 {
	if !valid(counts) {
		return math.NaN()
	}
	n := 0
	for _, c := range counts {
		if c > 0 {
			n++
		}
	}
	return float64(n)
}

// proportions returns c_i / N for the nonzero counts, and N.
func proportions(counts []float64) ([]float64, float64) {
	n := total(counts)
	p := make([]float64, 0, len(counts))
	for _, c := range counts {
		if c > 0 {
			p = append(p, c/n)
		}
	}
	return p, n
}

// Shannon returns the Shannon (1948) index in natural log,
//
//	H' = −Σ_i p_i ln p_i,  p_i = c_i / N,
//
// as vegan diversity(x, "shannon") and scikit-bio shannon(x, base=np.e).
// Beware: scikit-bio 0.5.8 (Debian bookworm) defaults shannon() to base 2;
// refvalues.json records both. Zero counts add nothing (0 ln 0 = 0); no pseudocount. One taxon
// gives 0. Empty sample: NaN (vegan gives 0). Invalid counts: NaN.
func Shannon(counts []float64) float64 {
	if !valid(counts) {
		return math.NaN()
	}
	p, n := proportions(counts)
	if n == 0 {
		return math.NaN()
	}
	return stat.Entropy(p) // −Σ p ln p over p > 0
}

// ShannonBase returns Shannon's H' in logarithm base b: H'_b = H'_e / ln b,
// so base 2 gives bits (scikit-bio 0.5.8's default) and base 10 gives the
// decimal form. Edge cases are Shannon's; b must be finite, > 0 and ≠ 1, else
// the result is NaN.
func ShannonBase(counts []float64, b float64) float64 {
	if !(b > 0) || b == 1 || math.IsInf(b, 0) {
		return math.NaN()
	}
	return Shannon(counts) / math.Log(b)
}

// sumSquares returns D = Σ p_i² (Simpson's 1949 dominance, the probability
// that two reads drawn with replacement belong to the same taxon) and N.
func sumSquares(counts []float64) (float64, float64) {
	p, n := proportions(counts)
	return floats.Dot(p, p), n
}

// Simpson returns the Gini–Simpson index 1 − D with D = Σ p_i², p_i = c_i / N
// (vegan diversity(x, "simpson"); scikit-bio simpson). It is the probability
// that two reads drawn with replacement come from different taxa; 0 for one
// taxon, 1 − 1/S for S equally abundant taxa. Draws are with replacement (no
// N/(N−1) correction). Empty sample: NaN (vegan gives 1). Invalid counts: NaN.
func Simpson(counts []float64) float64 {
	if !valid(counts) {
		return math.NaN()
	}
	d, n := sumSquares(counts)
	if n == 0 {
		return math.NaN()
	}
	return 1 - d
}

// InverseSimpson returns 1 / D with D = Σ p_i² (vegan diversity(x,
// "invsimpson"); scikit-bio enspie, the effective number of species), the
// Hill number of order 2. One taxon gives 1; S equally abundant taxa give S.
// Empty sample: NaN (vegan gives Inf). Invalid counts: NaN.
func InverseSimpson(counts []float64) float64 {
	if !valid(counts) {
		return math.NaN()
	}
	d, n := sumSquares(counts)
	if n == 0 {
		return math.NaN()
	}
	return 1 / d
}

// Pielou returns Pielou's (1966) evenness J' = H' / ln S_obs, with H' the
// natural-log Shannon index and S_obs the observed taxa (scikit-bio pielou_e;
// in vegan diversity(x) / log(specnumber(x))). It lies in [0, 1]; 1 when all
// taxa are equally abundant. One taxon (0/0) or an empty sample: NaN, as both
// references give. Invalid counts: NaN.
func Pielou(counts []float64) float64 {
	s := Observed(counts)
	if !(s > 1) {
		return math.NaN()
	}
	return Shannon(counts) / math.Log(s)
}

// freqCounts returns F_k, the number of taxa with a count of exactly k, for
// k = 1..maxK, together with S_obs and N. counts must be valid and integral.
func freqCounts(counts []float64, maxK int) (f []float64, sObs, n float64) {
	f = make([]float64, maxK+1)
	for _, c := range counts {
		if c <= 0 {
			continue
		}
		sObs++
		n += c
		if c <= float64(maxK) {
			f[int(c)]++
		}
	}
	return f, sObs, n
}

// Chao1 returns the bias-corrected Chao1 richness estimate (Chao 1987; Chao
// 2005, the form of EstimateS and scikit-bio):
//
//	S_chao1 = S_obs + F1 (F1 − 1) / (2 (F2 + 1)),
//
// with F1 the singletons (taxa with a count of exactly 1) and F2 the
// doubletons. It is defined whatever F2 (no doubletons gives S_obs +
// F1(F1−1)/2) and equals S_obs when F1 ≤ 1.
//
// scikit-bio 0.5.8 chao1(x) (bias_corrected=True, its default) uses exactly
// this form, and so does vegan 2.6-4 estimateR()["S.chao1"]: its code keeps a
// small-sample factor SSC for the second term but sets it to 1, not to the
// (N−1)/N of Chao's 2005 form (and of EstimateS). zonula agrees with both
// references and omits the factor. The classic form is Chao1Classic.
//
// Counts must be whole numbers (reads); fractional counts (for example from EM
// at species rank) have no singletons to speak of and give NaN, as vegan
// refuses them and scikit-bio cannot cast them. Empty sample: 0. Invalid
// counts: NaN.
func Chao1(counts []float64) float64 {
	if !valid(counts) || !integral(counts) {
		return math.NaN()
	}
	f, sObs, _ := freqCounts(counts, 2)
	f1, f2 := f[1], f[2]
	return sObs + f1*(f1-1)/(2*(f2+1))
}

// Chao1Classic returns the classic Chao1 richness estimate (Chao 1984),
//
//	S_chao1 = S_obs + F1² / (2 F2),
//
// as scikit-bio 0.5.8 chao1(x, bias_corrected=False) computes it: when
// there are no doubletons (F2 = 0), where the classic form is undefined,
// or no singletons, it falls back to the bias-corrected form of Chao1
// (which then gives S_obs + F1(F1−1)/2, or S_obs). vegan 2.6-4 has only the
// bias-corrected form (estimateR). It is never below Chao1 and tends to it
// as F2 grows. Counts must be whole numbers; fractional or invalid counts
// give NaN; empty sample: 0.
func Chao1Classic(counts []float64) float64 {
	if !valid(counts) || !integral(counts) {
		return math.NaN()
	}
	f, sObs, _ := freqCounts(counts, 2)
	f1, f2 := f[1], f[2]
	if f1 == 0 || f2 == 0 {
		return Chao1(counts)
	}
	return sObs + f1*f1/(2*f2)
}

// ACE returns the abundance-based coverage estimator of richness (Chao & Lee
// 1992; O'Hara 2005) with rare threshold 10: taxa with counts ≤ 10 are rare.
//
//	S_ACE = S_abund + S_rare / C_ace + F1 / C_ace · γ²,
//	C_ace = 1 − F1 / N_rare,
//	γ²    = max(0, S_rare Σ_{k=1..10} k(k−1) F_k / (C_ace N_rare (N_rare − 1)) − 1),
//
// where S_rare and S_abund count the rare and abundant taxa, N_rare the reads
// of the rare taxa, and F_k the taxa with a count of exactly k. This is
// scikit-bio ace(x, rare_threshold=10) and vegan estimateR()["S.ACE"].
//
// Edge cases, where the references part ways:
//   - No rare taxon (every count > 10, or one abundant taxon): S_abund, as
//     scikit-bio returns; vegan 2.6-4 gives NaN (its C_ace = 1 − 0/0).
//   - Empty sample: 0 (no rare taxon, S_abund = 0); scikit-bio 0.5.8 raises
//     IndexError, vegan gives NaN.
//   - Every rare taxon a singleton (C_ace = 0; this includes a single read
//     and an all-singleton sample): undefined, NaN, as vegan gives;
//     scikit-bio raises ValueError and suggests Chao1.
//
// Counts must be whole numbers (see Chao1); fractional or invalid counts give
// NaN.
func ACE(counts []float64) float64 {
	if !valid(counts) || !integral(counts) {
		return math.NaN()
	}
	f, _, _ := freqCounts(counts, rareThreshold)
	var sRare, sAbund, nRare, gammaSum float64
	for _, c := range counts {
		switch {
		case c <= 0:
		case c <= rareThreshold:
			sRare++
			nRare += c
		default:
			sAbund++
		}
	}
	if sRare == 0 {
		return sAbund
	}
	f1 := f[1]
	if f1 == sRare {
		return math.NaN()
	}
	for k := 2; k <= rareThreshold; k++ {
		kf := float64(k)
		gammaSum += kf * (kf - 1) * f[k]
	}
	cACE := 1 - f1/nRare
	gamma := sRare*gammaSum/(cACE*nRare*(nRare-1)) - 1
	if gamma < 0 {
		gamma = 0
	}
	return sAbund + sRare/cACE + f1/cACE*gamma
}

// GoodsCoverage returns Good's (1953) coverage estimate C = 1 − F1 / N, the
// estimated fraction of the community's reads that belong to taxa already
// seen (scikit-bio goods_coverage; vegan has no function for it). F1 counts
// the singletons (taxa with a count of exactly 1). All singletons give 0.
// Empty sample (0/0): NaN. Counts must be whole numbers (see Chao1);
// fractional or invalid counts give NaN.
func GoodsCoverage(counts []float64) float64 {
	if !valid(counts) || !integral(counts) {
		return math.NaN()
	}
	f, _, n := freqCounts(counts, 1)
	if n == 0 {
		return math.NaN()
	}
	return 1 - f[1]/n
}

// AlphaOf computes every alpha metric of one sample at rank (a label such as
// "genus", copied into the result). counts should hold the classified taxa
// only: an "unclassified" bin is not a taxon and would count as one. Reads is
// N = Σ counts. Each field follows its function's conventions, so undefined
// values are NaN; invalid counts give NaN in every field but Rank.
func AlphaOf(counts []float64, rank string) Alpha {
	a := Alpha{
		Rank:           rank,
		Observed:       Observed(counts),
		Shannon:        Shannon(counts),
		Simpson:        Simpson(counts),
		Chao1:          Chao1(counts),
		InverseSimpson: InverseSimpson(counts),
		Pielou:         Pielou(counts),
		ACE:            ACE(counts),
		GoodsCoverage:  GoodsCoverage(counts),
	}
	if valid(counts) {
		a.Reads = total(counts)
	} else {
		a.Reads = math.NaN()
	}
	return a
}
