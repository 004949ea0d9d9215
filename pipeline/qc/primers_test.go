package qc

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/seqio"
)

func randomSeq(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = "ACGT"[r.IntN(4)]
	}
	return string(b)
}

func revComp(s string) string {
	b := []byte(complementIUPAC(s))
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// naiveBest is the textbook semi-global edit-distance DP with IUPAC
// matching, to check the bit-parallel search against.
func naiveBest(pat, text string) (int, int) {
	m := len(pat)
	prev := make([]int, m+1)
	for i := range prev {
		prev[i] = i
	}
	best, end := m, 0
	for j := 1; j <= len(text); j++ {
		cur := make([]int, m+1)
		for i := 1; i <= m; i++ {
			rm, pm := iupacMask[text[j-1]], iupacMask[pat[i-1]]
			cost := 1
			if rm != 0 && rm&(rm-1) == 0 && rm&pm != 0 {
				cost = 0
			}
			cur[i] = min(prev[i-1]+cost, prev[i]+1, cur[i-1]+1)
		}
		if cur[m] < best {
			best, end = cur[m], j
		}
		prev = cur
	}
	return best, end
}

func TestBitParallelMatchesDP(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		pat := Primer27F().Seq
		if r.IntN(2) == 0 {
			pat = Primer1492RDegenerate().Seq[:1+r.IntN(len(Primer1492RDegenerate().Seq))]
		}
		text := randomSeq(r, r.IntN(60))
		if r.IntN(2) == 0 { // plant a mutated copy
			p := []byte(strings.NewReplacer("M", "A", "R", "G", "Y", "C").Replace(pat))
			for range r.IntN(4) {
				p[r.IntN(len(p))] = "ACGTN"[r.IntN(5)]
			}
			text += string(p) + randomSeq(r, r.IntN(20))
		}
		cp, err := compile(pat)
		if err != nil {
			t.Fatal(err)
		}
		ge, gend := cp.bestEnd([]byte(text))
		we, wend := naiveBest(pat, text)
		if ge != we || gend != wend {
			t.Fatalf("pattern %s text %s: bit-parallel (%d, %d), DP (%d, %d)", pat, text, ge, gend, we, wend)
		}
	}
}

func TestFindPrimers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pf, err := NewPrimerFinder(DefaultPrimerOptions())
	if err != nil {
		t.Fatal(err)
	}
	gene := randomSeq(r, 1400)
	fwd := "AGAGTTTGATCCTGGCTCAG" // 27F with M = C
	rev := revComp(Primer1492R().Seq)
	adapterL, adapterR := randomSeq(r, 60), randomSeq(r, 45)
	read := adapterL + fwd + gene + rev + adapterR
	start, end := len(adapterL)+len(fwd), len(adapterL)+len(fwd)+len(gene)

	m := pf.Find([]byte(read))
	if m.Forward != "27F" || m.Reverse != "1492R" || m.Antisense || m.Start != start || m.End != end || m.ForwardEdits != 0 || m.ReverseEdits != 0 {
		t.Errorf("sense read: %+v, want 27F/1492R span [%d,%d)", m, start, end)
	}
	if m.Trimmed(len(read)) != len(read)-len(gene) {
		t.Errorf("trimmed %d", m.Trimmed(len(read)))
	}

	// The same read reverse-complemented: primers found antisense, and the
	// trimmed span is the reverse complement of the gene.
	anti := revComp(read)
	m = pf.Find([]byte(anti))
	if !m.Antisense || m.Forward != "27F" || m.Reverse != "1492R" || anti[m.Start:m.End] != revComp(gene) {
		t.Errorf("antisense read: %+v", m)
	}

	// Up to 3 edits are tolerated; more are not.
	mutate := func(p string, subs int, ins, del bool) string {
		b := []byte(p)
		for i := range subs {
			k := 1 + 4*i
			b[k] = map[byte]byte{'A': 'C', 'C': 'G', 'G': 'T', 'T': 'A'}[b[k]]
		}
		s := string(b)
		if ins {
			s = s[:10] + "T" + s[10:]
		}
		if del {
			s = s[:15] + s[16:]
		}
		return s
	}
	for _, c := range []struct {
		name  string
		f     string
		found bool
	}{
		{"1 substitution", mutate(fwd, 1, false, false), true},
		{"1 sub + insertion + deletion", mutate(fwd, 1, true, true), true},
		{"3 substitutions", mutate(fwd, 3, false, false), true},
		{"5 substitutions", mutate(fwd, 5, false, false), false},
	} {
		rd := adapterL + c.f + gene + rev + adapterR
		m := pf.Find([]byte(rd))
		if (m.Forward == "27F") != c.found || m.Reverse != "1492R" {
			t.Errorf("%s: %+v, forward found %v", c.name, m, c.found)
		}
		if c.found && m.ForwardEdits > 3 {
			t.Errorf("%s: %d edits", c.name, m.ForwardEdits)
		}
		if !c.found && (m.Start != 0 || m.End != len(rd)-len(rev)-len(adapterR)) {
			t.Errorf("%s: only the reverse primer should trim: %+v", c.name, m)
		}
	}

	// No primers at all: whole read, Pair -1.
	m = pf.Find([]byte(gene))
	if m.Found() != 0 || m.Pair != -1 || m.Start != 0 || m.End != len(gene) {
		t.Errorf("no primers: %+v", m)
	}
	// Short reads do not panic and yield a valid span.
	for n := range 50 {
		m := pf.Find([]byte(read[:n]))
		if m.Start < 0 || m.Start > m.End || m.End > n {
			t.Fatalf("length %d: span [%d,%d)", n, m.Start, m.End)
		}
	}
}

func TestUserPrimers(t *testing.T) {
	pf, err := NewPrimerFinder(PrimerOptions{Pairs: []PrimerPair{{Forward: Primer{"341F", "CCTACGGGNGGCWGCAG"}, Reverse: Primer{"805R", "GACTACHVGGGTATCTAATCC"}}}})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	mid := randomSeq(r, 420)
	read := "CCTACGGGAGGCAGCAG" + mid + revComp("GACTACAAGGGTATCTAATCC")
	m := pf.Find([]byte(read))
	if m.Forward != "341F" || m.Reverse != "805R" || read[m.Start:m.End] != mid {
		t.Errorf("341F/805R exact (MaxMismatches 0): %+v", m)
	}
	for _, bad := range []PrimerOptions{{}, {Pairs: []PrimerPair{{Forward: Primer{"x", "ACGTXX"}, Reverse: Primer{"y", "ACGT"}}}}, {Pairs: []PrimerPair{{Forward: Primer{"x", ""}, Reverse: Primer{"y", "A"}}}}} {
		if _, err := NewPrimerFinder(bad); err == nil {
			t.Errorf("NewPrimerFinder(%+v): no error", bad)
		}
	}
}

func TestReadStats(t *testing.T) {
	if got := ExpectedErrors([]byte("+5I")); math.Abs(got-(0.1+0.01+0.0001)) > 1e-12 {
		t.Errorf("ExpectedErrors = %v", got)
	}
	if ExpectedErrors(nil) != 0 {
		t.Error("ExpectedErrors(nil) != 0")
	}
	for s, want := range map[string]int{"": 0, "A": 1, "ACGT": 1, "AAACCCCCGT": 5, "ANNNNNNA": 1, "GGGGTTTTTTTTTTTTTTC": 14} {
		if got := LongestHomopolymer([]byte(s)); got != want {
			t.Errorf("LongestHomopolymer(%s) = %d, want %d", s, got, want)
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range []struct {
		seq    string
		lo, hi float64
	}{
		{strings.Repeat("A", 100), 0, 0},
		{strings.Repeat("AC", 100), 1, 1},
		{randomSeq(r, 1500), 5.8, 6},
		{"AC", 0, 0},
		{strings.Repeat("ACGT", 100), 1.999, 2},
	} {
		if got := KmerEntropy([]byte(c.seq)); got < c.lo-1e-9 || got > c.hi+1e-9 {
			t.Errorf("KmerEntropy(%.10s…) = %v, want in [%v, %v]", c.seq, got, c.lo, c.hi)
		}
	}
}

func TestInspectAndSummary(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	pf, _ := NewPrimerFinder(DefaultPrimerOptions())
	gene := randomSeq(r, 1400)
	o := DefaultOptions()
	o.MaxExpectedErrorsPerKb = 20 // 2 % errors
	o.MaxHomopolymer = 12
	o.MinKmerEntropy = LowComplexityEntropy
	o.RequirePrimers = true
	mk := func(seq string, q byte) *seqio.Record {
		return &seqio.Record{ID: "r", Seq: []byte(seq), Qual: []byte(strings.Repeat(string(q), len(seq)))}
	}
	primed := Primer27F().Seq[:11] + "A" + Primer27F().Seq[12:] + gene + revComp(Primer1492R().Seq)
	cases := []struct {
		rec    *seqio.Record
		ok     bool
		reason string
	}{
		{mk(primed, 'I'), true, ""},
		{mk(revComp(primed), 'I'), true, ""},
		{mk(gene, 'I'), false, ReasonNoPrimers},
		{mk(primed, '0'), false, ReasonExpectedErrors}, // Q15: 31.6 errors per kb
		{mk(primed[:700]+strings.Repeat("T", 13)+primed[700:], 'I'), false, ReasonLongHomopolymer},
		{mk(Primer27F().Seq+strings.Repeat("AC", 700)+revComp(Primer1492R().Seq), 'I'), false, ReasonLowComplexity},
		{mk(randomSeq(r, 500), 'I'), false, ReasonTooShort},
	}
	c := NewCollector(o)
	for i, tc := range cases {
		res := Inspect(tc.rec, o, pf)
		if res.OK != tc.ok || res.Reason != tc.reason {
			t.Errorf("case %d: %v %q, want %v %q (%+v)", i, res.OK, res.Reason, tc.ok, tc.reason, res)
		}
		c.AddInspected(tc.rec, res, false)
	}
	if got := cases[0].rec.Seq; string(got) != gene {
		t.Errorf("sense read not trimmed to the gene: length %d", len(got))
	}
	s := c.Summary()
	if s.InputReads != 7 || s.PassedReads != 2 || s.Filtered[ReasonNoPrimers] != 1 || s.Filtered[ReasonLowComplexity] != 1 ||
		s.Filtered[ReasonExpectedErrors] != 1 || s.Filtered[ReasonLongHomopolymer] != 1 || s.Filtered[ReasonTooShort] != 1 {
		t.Errorf("summary counts %+v, filtered %v", s, s.Filtered)
	}
	p := s.Primers
	if p == nil || p.Searched != 7 || p.Both != 5 || p.None != 2 || p.Antisense != 1 || p.ByPrimer["27F"] != 5 ||
		math.Abs(p.FoundShare-5.0/7) > 1e-12 || p.Trimmed != 5 {
		t.Errorf("primer summary %+v", p)
	}
	if f := s.Reads; f == nil || f.Inspected != 7 || f.LowComplexity != 1 || f.LongHomopolymer != 1 || f.MeanExpectedErrors <= 0 {
		t.Errorf("read flags %+v", f)
	}
	// Without Inspect, Summary has no flags or primer counts; filtered lists
	// the length and quality reasons and the default low-complexity one.
	plain := NewCollector(DefaultOptions())
	rec := mk(gene, 'I')
	ok, reason := Check(rec, DefaultOptions())
	plain.Add(rec, ok, reason, false)
	if ps := plain.Summary(); ps.Reads != nil || ps.Primers != nil || len(ps.Filtered) != 5 {
		t.Errorf("plain summary grew: %+v", ps)
	}
}

func BenchmarkInspect(b *testing.B) {
	r := rand.New(rand.NewPCG(11, 12))
	pf, _ := NewPrimerFinder(DefaultPrimerOptions())
	seq := []byte(Primer27F().Seq + randomSeq(r, 1450) + revComp(Primer1492R().Seq))
	qual := []byte(strings.Repeat("I", len(seq)))
	o := DefaultOptions()
	for b.Loop() {
		rec := &seqio.Record{Seq: seq, Qual: qual}
		Inspect(rec, o, pf)
	}
}
