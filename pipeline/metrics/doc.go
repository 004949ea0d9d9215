// Package metrics computes diversity and imbalance metrics from counts. Each
// function documents its formula, log base and edge cases.
//
// Alpha metrics are pure functions of one sample's counts ([]float64, one
// value per taxon). They never panic on bad input: they return NaN for
// negative, NaN or infinite counts (CheckCounts says why). Logarithms are
// natural unless a function says otherwise.
//
// Sample comparisons work on a CountMatrix (samples × taxa, with names):
// Distances computes a Metric (BrayCurtisMetric, JaccardMetric,
// AitchisonMetric, AitchisonReplacementMetric, WeightedUniFracMetric,
// UnweightedUniFracMetric) for every pair, in parallel and deterministically,
// into a DistanceMatrix, which PCoA and Permanova take. FaithPD and UniFrac
// use a Tree read by ReadNewick. Rarefaction (ExpectedRichness,
// RarefactionCurve, Rarefy) and differential abundance
// (DifferentialAbundance: ALDEx2-style Dirichlet Monte Carlo log-ratios with
// WelchTest, PairedTTest, WilcoxonRankSum, WilcoxonSignedRank,
// KruskalWallis, Friedman and BenjaminiHochberg, each as R's stats package)
// complete the set. Randomness (Rarefy, Permanova, DifferentialAbundance)
// comes from a caller's seed only.
//
// A sample's health indices, taxon shares, reference values, percentiles in
// a ReferenceSet and community type come from one call, MeasureSample,
// driven by the IndexDefs the report's knowledge base hands it, so that
// metrics.json and the report state the same numbers.
//
// Every value is tested against scikit-bio 0.5.8, vegan 2.6-4 and R 4.2.2
// (Debian bookworm) to 1e-9 relative, using testdata/refvalues.json and
// testdata/refvalues_beta.json written by scripts/refvalues.sh. Where the
// references disagree (empty samples, ACE without rare taxa or with only
// singleton rare taxa, Jaccard of two empty samples, rarefying deeper than
// a sample, PERMANOVA ties) the doc comment says which zonula follows and
// the test checks it.
package metrics
