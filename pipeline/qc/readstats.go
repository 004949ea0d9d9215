package qc

import (
	"maps"
	"math"

	"github.com/zonula/zonula/pipeline/seqio"
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
	return errorSum(qual)
}

// LongestHomopolymer returns the length of the longest run of one base in
// seq; runs of N (unknown bases) are not counted.
func LongestHomopolymer(seq []byte) int {
	if len(seq) == 0 {
		return 0
	}
	// Branch-free: whether a base repeats the one before is a coin toss the
	// CPU cannot predict.
	best, run := 0, 1
	if seq[0] != 'N' {
		best = 1
	}
	for i := 1; i < len(seq); i++ {
		c := seq[i]
		same := b2i(c == seq[i-1])
		run = run&-same + 1
		best = max(best, run&-b2i(c != 'N'))
	}
	return best
}

// b2i returns 1 for true and 0 for false (compiled without a branch).
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
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
	if !countPlain3mers(seq, &counts) {
		counts = [64]int32{}
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
			}
		}
	}
	total := 0
	for _, n := range counts {
		total += int(n)
	}
	if total == 0 {
		return 0
	}
	// H = −Σ p log2 p = log2 T − (Σ n log2 n) / T for counts n summing to T.
	var s float64
	for _, n := range counts {
		s += nLog2n(n)
	}
	t := float64(total)
	return max(0, math.Log2(t)-s/t)
}

// nLog2nTable holds n·log2 n for n below its length (a 3-mer of a 1,500-base
// read occurs about 23 times), so KmerEntropy rarely calls math.Log2.
var nLog2nTable = func() (t [1024]float64) {
	for n := 2; n < len(t); n++ {
		t[n] = float64(n) * math.Log2(float64(n))
	}
	return t
}()

// nLog2n returns n·log2 n, 0 for n ≤ 1.
func nLog2n(n int32) float64 {
	if n < int32(len(nLog2nTable)) {
		if n < 0 {
			return 0
		}
		return nLog2nTable[n]
	}
	f := float64(n)
	return f * math.Log2(f)
}

// countPlain3mers counts the 3-mers of seq when it holds only A, C, G and T
// (either case), the common case; it reports false, leaving counts partly
// filled, at the first other byte. Four bases are handled per step, each
// counted in its own table: a 3-mer repeated a few bases later then does not
// wait for its previous count to be stored.
func countPlain3mers(seq []byte, counts *[64]int32) bool {
	if len(seq) < 3 {
		return len(seq) == 0 || (baseCode[seq[0]] >= 0 && baseCode[seq[len(seq)-1]] >= 0)
	}
	var tab [4][64]int32
	p2 := uint(uint8(baseCode[seq[0]]))
	p1 := uint(uint8(baseCode[seq[1]]))
	if p2|p1 > 3 {
		return false
	}
	rest := seq[2:]
	i := 0
	for ; i+4 <= len(rest); i += 4 {
		r := rest[i : i+4 : i+4]
		b0 := uint(uint8(baseCode[r[0]]))
		b1 := uint(uint8(baseCode[r[1]]))
		b2 := uint(uint8(baseCode[r[2]]))
		b3 := uint(uint8(baseCode[r[3]]))
		if b0|b1|b2|b3 > 3 {
			return false
		}
		tab[0][(p2<<4|p1<<2|b0)&63]++
		tab[1][(p1<<4|b0<<2|b1)&63]++
		tab[2][(b0<<4|b1<<2|b2)&63]++
		tab[3][(b1<<4|b2<<2|b3)&63]++
		p2, p1 = b2, b3
	}
	for ; i < len(rest); i++ {
		b := uint(uint8(baseCode[rest[i]]))
		if b > 3 {
			return false
		}
		tab[0][(p2<<4|p1<<2|b)&63]++
		p2, p1 = p1, b
	}
	for k := range counts {
		counts[k] = tab[0][k] + tab[1][k] + tab[2][k] + tab[3][k]
	}
	return true
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
