package qc

import (
	"maps"
	"math"
	"slices"

	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/taxonomy/dna"
)

// Options are the read filters.
type Options struct {
	MinLength int     `json:"min_length"`
	MaxLength int     `json:"max_length"`
	MinMeanQ  float64 `json:"min_mean_q"` // 0 turns the quality filter off

	// Further filters, all off at their zero value (see readstats.go).
	// MaxExpectedErrors is the most expected errors Σ 10^(−q/10) a read may
	// carry, an absolute count; MaxExpectedErrorsPerKb is the same per 1,000
	// bases (EE·1000/length), which does not penalise long reads. Both apply
	// only to reads with qualities. EE per kb is 1000·10^(−Q/10) for the
	// read's MeanQuality Q: 10 per kb is Q20, 100 per kb is Q10.
	MaxExpectedErrors      float64 `json:"max_expected_errors,omitempty"`
	MaxExpectedErrorsPerKb float64 `json:"max_expected_errors_per_kb,omitempty"`
	// MinKmerEntropy filters reads whose 3-mer Shannon entropy (bits, 0–6;
	// KmerEntropy) is below it; LowComplexityEntropy is a sensible value.
	MinKmerEntropy float64 `json:"min_kmer_entropy,omitempty"`
	// MaxHomopolymer filters reads whose longest run of one base
	// (LongestHomopolymer) is longer.
	MaxHomopolymer int `json:"max_homopolymer,omitempty"`
	// RequirePrimers filters reads in which Inspect found no primer.
	RequirePrimers bool `json:"require_primers,omitempty"`
	// KeepPrimers makes Inspect search for primers (for orientation and
	// counts) without trimming them off.
	KeepPrimers bool `json:"keep_primers,omitempty"`
}

// DefaultOptions keeps reads of 1,000 to 1,800 bases, the span of a
// full-length 16S gene with or without primers, whatever their quality, and
// filters low-complexity reads (3-mer entropy below LowComplexityEntropy,
// which no real 16S read comes near). Expected-error and homopolymer
// filters are off: the classifier weighs each read's qualities itself, the
// expected errors per kb are the mean quality in other units (see
// Options.MaxExpectedErrorsPerKb), and long homopolymers are counted, not
// filtered, since the length window and the classifier's identity floors
// already reject reads that are not 16S.
func DefaultOptions() Options {
	return Options{MinLength: 1000, MaxLength: 1800, MinKmerEntropy: LowComplexityEntropy}
}

// Filter reasons, as written in reads.tsv.gz and qc.json.
const (
	ReasonEmpty      = "empty"
	ReasonTooShort   = "too_short"
	ReasonTooLong    = "too_long"
	ReasonLowQuality = "low_quality"
	// Reasons of the filters added with Options.MaxExpectedErrors and the
	// fields after it; stable strings like the ones above.
	ReasonExpectedErrors  = "expected_errors"
	ReasonLowComplexity   = "low_complexity"
	ReasonLongHomopolymer = "long_homopolymer"
	ReasonNoPrimers       = "no_primers"
)

// reasons lists every filter reason in the order Check tests them.
var reasons = []string{ReasonEmpty, ReasonTooShort, ReasonTooLong, ReasonLowQuality,
	ReasonExpectedErrors, ReasonLowComplexity, ReasonLongHomopolymer, ReasonNoPrimers}

// Check applies the filters to one read. It returns ok, or the reason the
// read was filtered. Quality is only checked for reads that have qualities.
func Check(rec *seqio.Record, o Options) (ok bool, reason string) {
	n := len(rec.Seq)
	switch {
	case n == 0:
		return false, ReasonEmpty
	case n < o.MinLength:
		return false, ReasonTooShort
	case o.MaxLength > 0 && n > o.MaxLength:
		return false, ReasonTooLong
	case o.MinMeanQ > 0 && len(rec.Qual) > 0 && MeanQuality(rec.Qual) < o.MinMeanQ:
		return false, ReasonLowQuality
	}
	return checkMore(rec, o)
}

// MeanQuality returns a read's mean quality as a Phred score of its mean
// error probability: −10·log10(Σ 10^(−q/10) / n) over Phred+33 values q.
// Averaging probabilities, not scores, keeps a few bad bases from hiding
// behind many good ones. An empty slice gives 0.
func MeanQuality(qual []byte) float64 {
	if len(qual) == 0 {
		return 0
	}
	return -10 * math.Log10(errorSum(qual)/float64(len(qual)))
}

// errorSum returns Σ 10^(−q/10) over Phred+33 qualities (dna.PhredError). Four partial sums
// run in parallel (the add latency, not the loads, bounds a single sum), so
// the result may differ from a left-to-right sum in the last bits.
func errorSum(qual []byte) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(qual); i += 4 {
		q := qual[i : i+4 : i+4]
		s0 += dna.PhredError(q[0])
		s1 += dna.PhredError(q[1])
		s2 += dna.PhredError(q[2])
		s3 += dna.PhredError(q[3])
	}
	for ; i < len(qual); i++ {
		s0 += dna.PhredError(qual[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// Histogram layouts: lengths in 50-base bins from 0 to 3,000 plus one
// overflow bin; mean qualities in 1-unit bins from 0 to 60.
const (
	lengthBin  = 50
	lengthBins = 60
	qualBins   = 60
)

// Collector accumulates a Summary one read at a time. It is not safe for
// concurrent use.
type Collector struct {
	opts     Options
	s        Summary
	lengths  map[int]int64 // reads per exact length, for N50; bounded by distinct lengths
	longest  int
	lenHist  [lengthBins + 1]int64
	qualHist [qualBins]int64
	qualSum  float64
	qualN    int64 // reads with qualities
	more     readTotals
}

// NewCollector returns a Collector that records the options in use.
func NewCollector(o Options) *Collector {
	return &Collector{opts: o, lengths: map[int]int64{}, s: Summary{Filtered: map[string]int64{}, MinLength: o.MinLength, MaxLength: o.MaxLength}}
}

// Add counts one read: whether it passed (else why not) and whether it was
// reverse-complemented to the 16S sense strand.
func (c *Collector) Add(rec *seqio.Record, ok bool, reason string, reverse bool) {
	n := len(rec.Seq)
	c.s.InputReads++
	c.s.InputBases += int64(n)
	c.lengths[n]++
	c.longest = max(c.longest, n)
	c.lenHist[min(n/lengthBin, lengthBins)]++
	if len(rec.Qual) > 0 {
		q := MeanQuality(rec.Qual)
		c.s.HasQualities = true
		c.qualSum += q
		c.qualN++
		c.qualHist[min(int(q), qualBins-1)]++
	}
	if !ok {
		c.s.Filtered[reason]++
		return
	}
	c.s.PassedReads++
	if reverse {
		c.s.ReverseStrand++
	}
}

// Summary returns the run's summary. Mean length, N50 and mean quality are
// over all input reads, before filtering (mean quality over the reads that
// have qualities, as the mean of their MeanQuality); N50 is the length L such that
// reads of length ≥ L hold at least half the bases.
func (c *Collector) Summary() Summary {
	s := c.s
	s.Filtered = map[string]int64{}
	for _, r := range reasons[:4] {
		s.Filtered[r] = c.s.Filtered[r]
	}
	o := c.opts
	enabled := map[string]bool{
		ReasonExpectedErrors:  o.MaxExpectedErrors > 0 || o.MaxExpectedErrorsPerKb > 0,
		ReasonLowComplexity:   o.MinKmerEntropy > 0,
		ReasonLongHomopolymer: o.MaxHomopolymer > 0,
		ReasonNoPrimers:       o.RequirePrimers,
	}
	for _, r := range reasons[4:] { // newer reasons appear when their filter is on or used
		if n := c.s.Filtered[r]; n > 0 || enabled[r] {
			s.Filtered[r] = n
		}
	}
	c.finishStats(&s)
	if s.InputReads > 0 {
		s.MeanLength = float64(s.InputBases) / float64(s.InputReads)
	}
	if c.qualN > 0 {
		s.MeanQuality = c.qualSum / float64(c.qualN)
	}
	if s.PassedReads > 0 {
		s.ReverseShare = float64(s.ReverseStrand) / float64(s.PassedReads)
	}
	var acc int64
	for _, l := range slices.Backward(slices.Sorted(maps.Keys(c.lengths))) {
		acc += int64(l) * c.lengths[l]
		if 2*acc >= s.InputBases {
			s.N50 = l
			break
		}
	}
	s.LengthHist = make([]Bin, 0, lengthBins+1)
	for i, n := range c.lenHist {
		hi := float64((i + 1) * lengthBin)
		if i == lengthBins { // overflow bin: up to the longest read
			hi = float64(max(c.longest+1, (i+1)*lengthBin))
		}
		s.LengthHist = append(s.LengthHist, Bin{Lo: float64(i * lengthBin), Hi: hi, Count: n})
	}
	if s.HasQualities {
		s.QualityHist = make([]Bin, 0, qualBins)
		for i, n := range c.qualHist {
			s.QualityHist = append(s.QualityHist, Bin{Lo: float64(i), Hi: float64(i + 1), Count: n})
		}
	}
	return s
}
