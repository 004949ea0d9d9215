package qc

import (
	"maps"
	"math"

	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/taxonomy/classify"
)

// Flag thresholds used when the matching Options field is zero.
const (
	// LowComplexityEntropy flags reads whose 3-mer entropy is below 4.5
	// bits. Real 16S reads score 5.7–5.95 of the 6-bit maximum; a pure
	// dinucleotide repeat scores 1, a homopolymer 0, a read half 16S and half
	// repeat about 4.
	LowComplexityEntropy = 4.5
	// LongHomopolymerLength flags reads with a run of one base longer than
	// 12. Bacterial 16S genes have no run longer than 8 or so; longer runs
	// are basecalling artefacts or not 16S.
	LongHomopolymerLength = 12
)

// ExpectedErrors returns a read's expected number of errors, Σ 10^(−q/10)
// over its Phred+33 qualities (Edgar & Flyvbjerg 2015). Nil qualities give 0.
func ExpectedErrors(qual []byte) float64 {
	return classify.ErrorRate(qual) * float64(len(qual))
}

// LongestHomopolymer returns the length of the longest run of one base in
// seq; runs of N (unknown bases) are not counted.
func LongestHomopolymer(seq []byte) int {
	best, run := 0, 0
	for i, c := range seq {
		if i > 0 && c == seq[i-1] {
			run++
		} else {
			run = 1
		}
		if c != 'N' && run > best {
			best = run
		}
	}
	return best
}

var baseCode = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	t['A'], t['C'], t['G'], t['T'] = 0, 1, 2, 3
	t['a'], t['c'], t['g'], t['t'] = 0, 1, 2, 3
	return t
}()

// KmerEntropy returns the Shannon entropy, in bits, of the distribution of
// the 3-mers of seq (overlapping, those with a base other than A, C, G, T
// skipped): 0 for a homopolymer, 6 when all 64 3-mers are equally common.
// It measures the whole read, so it flags reads that are mostly low
// complexity, not a short repeat inside a good read. Reads with no 3-mer
// give 0.
func KmerEntropy(seq []byte) float64 {
	var counts [64]int32
	total := 0
	code, valid := 0, 0
	for _, c := range seq {
		b := baseCode[c]
		if b < 0 {
			valid = 0
			continue
		}
		code = (code<<2 | int(b)) & 63
		valid++
		if valid >= 3 {
			counts[code]++
			total++
		}
	}
	if total == 0 {
		return 0
	}
	var h float64
	t := float64(total)
	for _, n := range counts {
		if n > 0 {
			p := float64(n) / t
			h -= p * math.Log2(p)
		}
	}
	return h
}

// checkMore applies the filters added after the length and quality ones.
func checkMore(rec *seqio.Record, o Options) (bool, string) {
	if len(rec.Qual) > 0 && (o.MaxExpectedErrors > 0 || o.MaxExpectedErrorsPerKb > 0) {
		ee := ExpectedErrors(rec.Qual)
		if o.MaxExpectedErrors > 0 && ee > o.MaxExpectedErrors ||
			o.MaxExpectedErrorsPerKb > 0 && ee*1000/float64(len(rec.Qual)) > o.MaxExpectedErrorsPerKb {
			return false, ReasonExpectedErrors
		}
	}
	if o.MinKmerEntropy > 0 && KmerEntropy(rec.Seq) < o.MinKmerEntropy {
		return false, ReasonLowComplexity
	}
	if o.MaxHomopolymer > 0 && LongestHomopolymer(rec.Seq) > o.MaxHomopolymer {
		return false, ReasonLongHomopolymer
	}
	return true, ""
}

// Result is what Inspect learned about one read.
type Result struct {
	OK     bool   `json:"ok"`
	Reason string `json:"reason,omitempty"` // filter reason when !OK
	// Length before primer trimming.
	InputLength        int     `json:"input_length"`
	ExpectedErrors     float64 `json:"expected_errors"` // of the trimmed read; 0 without qualities
	KmerEntropy        float64 `json:"kmer_entropy"`
	LongestHomopolymer int     `json:"longest_homopolymer"`
	LowComplexity      bool    `json:"low_complexity"`
	LongHomopolymer    bool    `json:"long_homopolymer"`
	// Primers is set when Inspect was given a PrimerFinder.
	Primers *PrimerMatch `json:"primers,omitempty"`
}

// Inspect measures and filters one read. With a non-nil PrimerFinder it
// first finds the primers and, unless o.KeepPrimers, trims rec in place to
// the span between them (re-slicing Seq and Qual; antisense reads are not
// reverse-complemented, see PrimerMatch.Antisense and ReverseComplement). It then applies Check to the trimmed read and,
// with o.RequirePrimers, filters reads with no primer found (ReasonNoPrimers,
// tested after the length and quality filters). Flags use o.MinKmerEntropy
// and o.MaxHomopolymer when set, else LowComplexityEntropy and
// LongHomopolymerLength.
func Inspect(rec *seqio.Record, o Options, pf *PrimerFinder) Result {
	res := Result{InputLength: len(rec.Seq)}
	if pf != nil {
		m := pf.Find(rec.Seq)
		if !o.KeepPrimers {
			m.Apply(rec)
		}
		res.Primers = &m
	}
	res.ExpectedErrors = ExpectedErrors(rec.Qual)
	res.KmerEntropy = KmerEntropy(rec.Seq)
	res.LongestHomopolymer = LongestHomopolymer(rec.Seq)
	minH := o.MinKmerEntropy
	if minH <= 0 {
		minH = LowComplexityEntropy
	}
	maxHP := o.MaxHomopolymer
	if maxHP <= 0 {
		maxHP = LongHomopolymerLength
	}
	res.LowComplexity = len(rec.Seq) > 0 && res.KmerEntropy < minH
	res.LongHomopolymer = res.LongestHomopolymer > maxHP
	res.OK, res.Reason = Check(rec, o)
	if res.OK && o.RequirePrimers && pf != nil && res.Primers.Found() == 0 {
		res.OK, res.Reason = false, ReasonNoPrimers
	}
	return res
}

// readTotals are the Collector's counts for AddInspected.
type readTotals struct {
	flags   ReadFlags
	eeSum   float64
	eeReads int64
	eeBases int64
	primers *PrimerSummary
}

// AddInspected counts one read that went through Inspect: everything Add
// counts, for rec as trimmed (so InputBases, lengths and N50 exclude the
// primers; PrimerSummary.TrimmedBases holds what was cut), plus the read flags and primer outcomes that
// Summary reports in Reads and Primers.
func (c *Collector) AddInspected(rec *seqio.Record, res Result, reverse bool) {
	c.Add(rec, res.OK, res.Reason, reverse)
	t := &c.more
	t.flags.Inspected++
	if res.LowComplexity {
		t.flags.LowComplexity++
	}
	if res.LongHomopolymer {
		t.flags.LongHomopolymer++
	}
	if len(rec.Qual) > 0 {
		t.eeSum += res.ExpectedErrors
		t.eeReads++
		t.eeBases += int64(len(rec.Qual))
	}
	if m := res.Primers; m != nil {
		if t.primers == nil {
			t.primers = &PrimerSummary{ByPrimer: map[string]int64{}}
		}
		p := t.primers
		p.Searched++
		switch {
		case m.Forward != "" && m.Reverse != "":
			p.Both++
		case m.Forward != "":
			p.ForwardOnly++
		case m.Reverse != "":
			p.ReverseOnly++
		default:
			p.None++
		}
		if m.Found() > 0 && m.Antisense {
			p.Antisense++
		}
		for _, name := range []string{m.Forward, m.Reverse} {
			if name != "" {
				p.ByPrimer[name]++
			}
		}
		if trimmed := res.InputLength - len(rec.Seq); trimmed > 0 {
			p.Trimmed++
			p.TrimmedBases += int64(trimmed)
		}
	}
}

func (c *Collector) finishStats(s *Summary) {
	t := &c.more
	if t.flags.Inspected > 0 {
		f := t.flags
		if t.eeReads > 0 {
			f.MeanExpectedErrors = t.eeSum / float64(t.eeReads)
			f.MeanExpectedErrorsPerKb = t.eeSum * 1000 / float64(t.eeBases)
		}
		s.Reads = &f
	}
	if t.primers != nil {
		p := *t.primers
		p.ByPrimer = maps.Clone(p.ByPrimer)
		p.FoundShare = float64(p.Both+p.ForwardOnly+p.ReverseOnly) / float64(p.Searched)
		p.TrimmedShare = float64(p.Trimmed) / float64(p.Searched)
		s.Primers = &p
	}
}
