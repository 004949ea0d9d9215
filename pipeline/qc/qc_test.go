package qc

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/seqio"
)

// rec returns a read of n seeded random bases (3-mer entropy near the 6-bit
// maximum, so the default low-complexity filter keeps it) with quality q.
func rec(n int, q byte) *seqio.Record {
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	seq := make([]byte, n)
	for i := range seq {
		seq[i] = "ACGT"[rng.IntN(4)]
	}
	r := &seqio.Record{ID: "r", Seq: seq}
	if q != 0 {
		r.Qual = []byte(strings.Repeat(string(q), n))
	}
	return r
}

func TestCheck(t *testing.T) {
	o := Options{MinLength: 1000, MaxLength: 1800, MinMeanQ: 20}
	for _, c := range []struct {
		r      *seqio.Record
		ok     bool
		reason string
	}{
		{rec(0, 'I'), false, ReasonEmpty},
		{rec(999, 'I'), false, ReasonTooShort},
		{rec(1000, 'I'), true, ""},
		{rec(1800, 'I'), true, ""},
		{rec(1801, 'I'), false, ReasonTooLong},
		{rec(1500, '+'), false, ReasonLowQuality}, // Q10
		{rec(1500, 0), true, ""},                  // FASTA: no quality filter
	} {
		ok, reason := Check(c.r, o)
		if ok != c.ok || reason != c.reason {
			t.Errorf("Check(len %d) = %v %q, want %v %q", len(c.r.Seq), ok, reason, c.ok, c.reason)
		}
	}
}

func TestMeanQuality(t *testing.T) {
	// Q40 and Q10 bases: mean error (1e-4 + 1e-1)/2 = 0.05005 → Q13.006, not Q25.
	got := MeanQuality([]byte{'I', '+'})
	want := -10 * math.Log10(0.05005)
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("MeanQuality = %v, want %v", got, want)
	}
	if MeanQuality(nil) != 0 {
		t.Error("MeanQuality(nil) != 0")
	}
}

func TestCollector(t *testing.T) {
	o := DefaultOptions()
	c := NewCollector(o)
	for _, n := range []int{1500, 1500, 1400, 900, 2000, 0} {
		r := rec(n, 'I')
		ok, reason := Check(r, o)
		c.Add(r, ok, reason, n == 1400)
	}
	s := c.Summary()
	if s.InputReads != 6 || s.PassedReads != 3 || s.InputBases != 7300 || s.ReverseStrand != 1 {
		t.Errorf("counts %+v", s)
	}
	if s.Filtered[ReasonTooShort] != 1 || s.Filtered[ReasonTooLong] != 1 || s.Filtered[ReasonEmpty] != 1 || s.Filtered[ReasonLowQuality] != 0 {
		t.Errorf("filtered %v", s.Filtered)
	}
	// Sorted lengths 2000, 1500, 1500, ...: 2000+1500 = 3500 < 3650, +1500 = 5000 ≥ 3650.
	if s.N50 != 1500 {
		t.Errorf("N50 = %d, want 1500", s.N50)
	}
	if math.Abs(s.MeanQuality-40) > 1e-9 || !s.HasQualities {
		t.Errorf("mean quality %v", s.MeanQuality)
	}
	var total int64
	for _, b := range s.LengthHist {
		total += b.Count
	}
	if total != 6 || s.LengthHist[30].Count != 2 || s.LengthHist[40].Count != 1 {
		t.Errorf("length histogram total %d, bin 1500 %d, bin 2000 %d", total, s.LengthHist[30].Count, s.LengthHist[40].Count)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Errorf("summary does not encode as JSON: %v", err)
	}
}

func TestDefaultOptionsFilterLowComplexity(t *testing.T) {
	o := DefaultOptions()
	// A dinucleotide repeat has 3-mer entropy 1 bit; a random read about 6.
	rep := &seqio.Record{Seq: []byte(strings.Repeat("AC", 700))}
	if ok, reason := Check(rep, o); ok || reason != ReasonLowComplexity {
		t.Errorf("AC repeat: %v %q, want %s", ok, reason, ReasonLowComplexity)
	}
	if ok, reason := Check(rec(1400, 'I'), o); !ok {
		t.Errorf("random read filtered: %s", reason)
	}
	o.MinKmerEntropy = 0
	if ok, _ := Check(rep, o); !ok {
		t.Error("entropy filter off still filters")
	}
}

func TestReverseComplement(t *testing.T) {
	r := &seqio.Record{Seq: []byte("ACGTRYKMBDHVNU"), Qual: []byte("ABCDEFGHIJKLMN")}
	ReverseComplement(r)
	if string(r.Seq) != "ANBDHVKMRYACGT" || string(r.Qual) != "NMLKJIHGFEDCBA" {
		t.Errorf("got %s %s", r.Seq, r.Qual)
	}
	ReverseComplement(r) // U comes back as T
	if string(r.Seq) != "ACGTRYKMBDHVNT" {
		t.Errorf("twice: %s", r.Seq)
	}
	odd := &seqio.Record{Seq: []byte("AAC")}
	ReverseComplement(odd)
	if string(odd.Seq) != "GTT" {
		t.Errorf("odd length: %s", odd.Seq)
	}
}

func benchRead() *seqio.Record {
	rng := rand.New(rand.NewPCG(3, 4))
	r := rec(1500, 0)
	r.Qual = make([]byte, len(r.Seq))
	for i := range r.Qual {
		r.Qual[i] = byte('!' + 10 + rng.IntN(30))
	}
	return r
}

func BenchmarkMeanQuality(b *testing.B) {
	r := benchRead()
	b.SetBytes(int64(len(r.Qual)))
	for b.Loop() {
		MeanQuality(r.Qual)
	}
}

func BenchmarkKmerEntropy(b *testing.B) {
	r := benchRead()
	b.SetBytes(int64(len(r.Seq)))
	for b.Loop() {
		KmerEntropy(r.Seq)
	}
}

// kmerEntropyRef is KmerEntropy written plainly: −Σ p log2 p over the
// counted 3-mers.
func kmerEntropyRef(seq []byte) float64 {
	counts := map[string]int{}
	total := 0
	for i := 0; i+3 <= len(seq); i++ {
		k := strings.ToUpper(string(seq[i : i+3]))
		if strings.Trim(k, "ACGT") != "" {
			continue
		}
		counts[k]++
		total++
	}
	h := 0.0
	for _, n := range counts {
		p := float64(n) / float64(total)
		h -= p * math.Log2(p)
	}
	return h
}

func TestKmerEntropyMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 300 {
		n := rng.IntN(200)
		alphabet := "ACGT"
		switch i % 3 {
		case 1:
			alphabet = "ACGTNacgt"
		case 2:
			alphabet = "AC"
		}
		seq := make([]byte, n)
		for j := range seq {
			seq[j] = alphabet[rng.IntN(len(alphabet))]
		}
		if got, want := KmerEntropy(seq), kmerEntropyRef(seq); math.Abs(got-want) > 1e-9 {
			t.Fatalf("%s: KmerEntropy %v, reference %v", seq, got, want)
		}
	}
}

func TestErrorSumMatchesPlainSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 100 {
		q := make([]byte, rng.IntN(50))
		want := 0.0
		for j := range q {
			q[j] = byte('!' + rng.IntN(60))
			want += math.Pow(10, -float64(q[j]-'!')/10)
		}
		if got := ExpectedErrors(q); math.Abs(got-want) > 1e-12*max(1, want) {
			t.Fatalf("ExpectedErrors %v, plain sum %v", got, want)
		}
	}
}

func TestLongestHomopolymerMatchesReference(t *testing.T) {
	ref := func(seq []byte) int { // runs of one base, N runs skipped
		best := 0
		for i := 0; i < len(seq); {
			j := i
			for j < len(seq) && seq[j] == seq[i] {
				j++
			}
			if seq[i] != 'N' {
				best = max(best, j-i)
			}
			i = j
		}
		return best
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range 500 {
		alphabet := []string{"ACGT", "AN", "A", "NNNA"}[i%4]
		seq := make([]byte, rng.IntN(40))
		for j := range seq {
			seq[j] = alphabet[rng.IntN(len(alphabet))]
		}
		if got, want := LongestHomopolymer(seq), ref(seq); got != want {
			t.Fatalf("%s: %d, want %d", seq, got, want)
		}
	}
}
