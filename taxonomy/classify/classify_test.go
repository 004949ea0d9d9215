package classify

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/dna"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// revComp returns the reverse complement of seq in a new slice.
func revComp(seq []byte) []byte {
	s := bytes.Clone(seq)
	dna.ReverseComplement(s)
	return s
}

// TestComplementCodes checks that the classifier, which reads bases
// through nucCode only, sees dna's complements as A, C, G, T (U) mapped to
// their partners and every other byte as ambiguous (code 4): the N its own
// reverse complement wrote before dna had one.
func TestComplementCodes(t *testing.T) {
	for b := range 256 {
		want := byte(4)
		if c := nucCode[b]; c < 4 {
			want = 3 - c
		}
		if got := nucCode[dna.ComplementBase(byte(b))]; got != want {
			t.Errorf("byte %q: complement has code %d, want %d", byte(b), got, want)
		}
	}
}

var (
	defaultOnce sync.Once
	defaultDB   *refdb.DB
	defaultClf  *Classifier
)

func embedded(t testing.TB) (*refdb.DB, *Classifier) {
	t.Helper()
	defaultOnce.Do(func() {
		db, err := refdb.Default()
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(db, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		defaultDB, defaultClf = db, c
	})
	return defaultDB, defaultClf
}

func refByGenus(db *refdb.DB, genus string) refdb.Reference {
	for _, r := range db.Refs {
		if r.Lineage[taxonomy.Genus] == genus && r.Lineage[taxonomy.Species] != "" {
			return r
		}
	}
	panic("no reference of genus " + genus)
}

func TestExactReferenceBothStrands(t *testing.T) {
	db, c := embedded(t)
	w := c.NewWorker()
	for _, g := range []string{"Faecalibacterium", "Bacteroides", "Akkermansia", "Escherichia", "Bifidobacterium"} {
		ref := refByGenus(db, g)
		for _, rev := range []bool{false, true} {
			seq := ref.Seq
			if rev {
				seq = revComp(seq)
			}
			a := w.Classify(seq, nil)
			if a.Status != Classified || a.Lineage[taxonomy.Genus] != g || a.Reverse != rev {
				t.Errorf("%s (reverse %v): got %v %s reverse=%v", g, rev, a.Status, a.Lineage, a.Reverse)
			}
			if a.Identity != 1 || a.Reference == "" {
				t.Errorf("%s: identity %.4f to %q, want 1 to itself or an identical copy", g, a.Identity, a.Reference)
			}
		}
	}
}

func TestJunkIsUnclassified(t *testing.T) {
	_, c := embedded(t)
	w := c.NewWorker()
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 50 {
		seq := make([]byte, 1500)
		for j := range seq {
			seq[j] = "ACGT"[rng.IntN(4)]
		}
		if a := w.Classify(seq, nil); a.Status != Unclassified || a.Rank != taxonomy.NoRank {
			t.Fatalf("random sequence %d classified as %s (identity %.3f)", i, a.Lineage, a.Identity)
		}
	}
	for _, s := range []string{"", "ACGT", strings.Repeat("N", 1500), strings.Repeat("A", 1500)} {
		if a := w.Classify([]byte(s), nil); a.Status != Unclassified {
			t.Errorf("%.10q… classified as %s", s, a.Lineage)
		}
	}
}

// TestNovelGenusNotGivenWrongGenus removes every reference of a genus and
// checks its reads stop above genus instead of being forced into a neighbour.
func TestNovelGenusNotGivenWrongGenus(t *testing.T) {
	db, _ := embedded(t)
	for _, g := range []string{"Faecalibacterium", "Akkermansia", "Collinsella"} {
		var rest []refdb.Reference
		var held []refdb.Reference
		for _, r := range db.Refs {
			if r.Lineage[taxonomy.Genus] == g {
				held = append(held, r)
			} else {
				rest = append(rest, r)
			}
		}
		c, err := New(&refdb.DB{Refs: rest}, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		w := c.NewWorker()
		for _, r := range held {
			a := w.Classify(r.Seq, nil)
			if a.Rank >= taxonomy.Genus {
				t.Errorf("%s held out: read %s given genus %s at identity %.3f", g, r.ID, a.Lineage[taxonomy.Genus], a.Identity)
			}
		}
	}
}

func TestErrorRate(t *testing.T) {
	if got := ErrorRate([]byte("++++")); got != 0.1 { // Q10
		t.Errorf("ErrorRate(Q10) = %v, want 0.1", got)
	}
	if got := ErrorRate(nil); got != 0 {
		t.Errorf("ErrorRate(nil) = %v", got)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	db, _ := embedded(t)
	o := DefaultOptions()
	o.K = 20
	if _, err := New(db, o); err == nil {
		t.Error("k = 20 accepted")
	}
	if _, err := New(&refdb.DB{}, DefaultOptions()); err == nil {
		t.Error("empty database accepted")
	}
}

// BenchmarkClassify classifies reads drawn from embedded references with
// HiFi-like (0.4 %), R10-like (3 %) and R9.4-like (7.5 %) error, a third
// each substitutions, deletions and insertions, on one core; reads/s is per
// core (two workers share an index, so a 2-core run does about twice that,
// less the reading and QC).
func BenchmarkClassify(b *testing.B) {
	db, c := embedded(b)
	for _, p := range []struct {
		name string
		rate float64
	}{{"hifi", 0.004}, {"ont-r10", 0.03}, {"ont-r9", 0.075}} {
		b.Run(p.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(5, 6))
			var reads [][]byte
			for i := range 200 {
				ref := db.Refs[(i*7919)%len(db.Refs)]
				reads = append(reads, appendMutated(nil, rng, ref.Seq, p.rate/3, 2*p.rate/3, p.rate))
			}
			w := c.NewWorker()
			n := 0
			for b.Loop() {
				w.Classify(reads[n%len(reads)], nil)
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "reads/s")
		})
	}
}

func TestChimeraFlagged(t *testing.T) {
	db, c := embedded(t)
	w := c.NewWorker()
	pairs := [][2]string{{"Bacteroides", "Faecalibacterium"}, {"Escherichia", "Bifidobacterium"}, {"Akkermansia", "Prevotella"}}
	for _, p := range pairs {
		a, b := refByGenus(db, p[0]), refByGenus(db, p[1])
		for _, cut := range []float64{0.35, 0.5, 0.65} {
			ca, cb := int(cut*float64(len(a.Seq))), int(cut*float64(len(b.Seq)))
			seq := append(append([]byte{}, a.Seq[:ca]...), b.Seq[cb:]...)
			got := w.Classify(seq, nil)
			if got.Status != Chimera || got.Rank != taxonomy.NoRank {
				t.Errorf("%s|%s chimera cut at %.2f: status %v, lineage %s", p[0], p[1], cut, got.Status, got.Lineage)
			}
		}
		// Either parent alone is not a chimera.
		if got := w.Classify(a.Seq, nil); got.Status != Classified {
			t.Errorf("parent %s: status %v", p[0], got.Status)
		}
	}
}

// TestOrientationInCrowdedDatabase orients noisy reads against a database
// whose references hold nearly every possible k-mer, as a database of
// hundreds of thousands of genes does: there a k-mer being present says
// nothing, and only how many references hold it tells the strands apart.
func TestOrientationInCrowdedDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 30-million-k-mer index")
	}
	db, _ := embedded(t)
	rng := rand.New(rand.NewPCG(11, 12))
	refs := slices.Clone(db.Refs[:400])
	// 2,000 random 15-kb sequences: 3·10⁷ k-mers over 4^11 ≈ 4.2·10⁶,
	// so all but about 0.1 % of k-mers occur somewhere.
	noise := taxonomy.Lineage{"Bacteria", "Noise"}
	for i := range 2000 {
		seq := make([]byte, 15000)
		for j := range seq {
			seq[j] = "ACGT"[rng.IntN(4)]
		}
		refs = append(refs, refdb.Reference{ID: fmt.Sprintf("noise%d", i), Lineage: noise, Seq: seq})
	}
	c, err := New(&refdb.DB{Refs: refs}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	w := c.NewWorker()
	wrong := 0
	for i := range 40 {
		ref := refs[i*10]
		read := slices.Clone(ref.Seq)
		for j := range read { // 7.5 % substitutions
			if rng.Float64() < 0.075 {
				read[j] = "ACGT"[rng.IntN(4)]
			}
		}
		rev := i%2 == 1
		if rev {
			read = revComp(read)
		}
		if a := w.Classify(read, nil); a.Reverse != rev || a.Lineage.Name(taxonomy.Phylum) != ref.Lineage.Name(taxonomy.Phylum) {
			wrong++
			t.Logf("read from %s (reverse %v): reverse=%v, lineage %s", ref.ID, rev, a.Reverse, a.Lineage)
		}
	}
	if wrong > 0 {
		t.Errorf("%d of 40 reads misoriented or misplaced", wrong)
	}
}

// TestUnnamedGenusAbstains builds a database in which a near copy of a
// Faecalibacterium gene is filed, as SILVA files its "uncultured" genera,
// under the family only: a read from the named gene keeps its genus (the
// unnamed copy abstains), and a read from the unnamed copy gets no genus.
func TestUnnamedGenusAbstains(t *testing.T) {
	db, _ := embedded(t)
	named := refByGenus(db, "Faecalibacterium")
	rng := rand.New(rand.NewPCG(13, 14))
	unnamed := refdb.Reference{ID: "uncultured1", Lineage: named.Lineage.Truncate(taxonomy.Family),
		Seq: appendMutated(nil, rng, named.Seq, 0.002, 0.002, 0.002)}
	refs := append(slices.Clone(db.Refs), unnamed)
	c, err := New(&refdb.DB{Refs: refs, Header: db.Header}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	w := c.NewWorker()
	if a := w.Classify(named.Seq, nil); a.Lineage.Name(taxonomy.Genus) != "Faecalibacterium" {
		t.Errorf("read of the named gene: %s (best %s at %.4f)", a.Lineage, a.Reference, a.Identity)
	}
	if a := w.Classify(unnamed.Seq, nil); a.Reference != unnamed.ID || a.Rank != taxonomy.Family {
		t.Errorf("read of the unnamed gene: %s at rank %v (best %s)", a.Lineage, a.Rank, a.Reference)
	}
}

func TestConsensus(t *testing.T) {
	g := taxonomy.Lineage{"Bacteria", "Firmicutes", "Clostridia", "Clostridiales", "Ruminococcaceae", "Faecalibacterium", "Faecalibacterium prausnitzii"}
	other := g
	other[taxonomy.Genus], other[taxonomy.Species] = "Subdoligranulum", ""
	for _, c := range []struct {
		name string
		ls   []taxonomy.Lineage
		want taxonomy.Rank
	}{
		{"alone", []taxonomy.Lineage{g}, taxonomy.Species},
		{"family only abstains at genus", []taxonomy.Lineage{g, g.Truncate(taxonomy.Family)}, taxonomy.Genus},
		{"other genus disagrees", []taxonomy.Lineage{g, other}, taxonomy.Family},
		{"no lineage abstains", []taxonomy.Lineage{g, {}}, taxonomy.Genus},
	} {
		if got := consensus(g, c.ls); got != g.Truncate(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, g.Truncate(c.want))
		}
	}
	if got := consensus(g.Truncate(taxonomy.Family), []taxonomy.Lineage{g}); got != g.Truncate(taxonomy.Family) {
		t.Errorf("unnamed best took its neighbour's genus: %v", got)
	}
}

// TestEstimateErrorRate estimates the error rate of reads without
// qualities from reads of embedded genes with 7.5 % errors (a third each
// substitutions, deletions and insertions; an alignment loses a little less
// identity than that), and declines with too few reads.
func TestEstimateErrorRate(t *testing.T) {
	db, c := embedded(t)
	rng := rand.New(rand.NewPCG(15, 16))
	var reads [][]byte
	for i := range 100 {
		reads = append(reads, appendMutated(nil, rng, db.Refs[i*37].Seq, 0.025, 0.05, 0.075))
	}
	w := c.NewWorker()
	// Floors are lowered by 1.2e, which should come near the identity lost.
	if e := w.EstimateErrorRate(reads); 1.2*e < 0.05 || 1.2*e > 0.08 {
		t.Errorf("estimate %.4f (floors lowered by %.4f) for reads with 7.5 %% errors", e, 1.2*e)
	}
	if e := w.EstimateErrorRate(reads[:5]); e != 0 {
		t.Errorf("estimate %.4f from 5 reads, want 0", e)
	}
	// Without it most of these reads fall below their genus floors.
	e := w.EstimateErrorRate(reads)
	atZero, atEstimate := 0, 0
	for _, r := range reads {
		if w.ClassifyAt(r, 0).Rank >= taxonomy.Genus {
			atZero++
		}
		if w.ClassifyAt(r, e).Rank >= taxonomy.Genus {
			atEstimate++
		}
	}
	t.Logf("reads given a genus: %d at e = 0, %d at e = %.4f", atZero, atEstimate, e)
	if atEstimate < 90 || atZero > 60 {
		t.Errorf("reads given a genus: %d of 100 at e = 0, %d at the estimate %.4f", atZero, atEstimate, e)
	}
}

// TestClipEnds clips what reaches past a reference's ends (adapters,
// barcodes, a longer gene) but keeps read bases the reference covers, however
// much they differ from it.
func TestClipEnds(t *testing.T) {
	db, c := embedded(t)
	rng := rand.New(rand.NewPCG(17, 18))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ACGT"[rng.IntN(4)]
		}
		return b
	}
	ref := refByGenus(db, "Akkermansia")
	var r uint32
	for i := range db.Refs {
		if db.Refs[i].ID == ref.ID {
			r = uint32(i)
		}
	}
	gene := ref.Seq
	flanked := slices.Concat(random(80), gene, random(90))
	if got := c.clipEnds(flanked, r); !bytes.Equal(got, gene) {
		t.Errorf("flanked read clipped to %d bases (from %d), want the %d-base gene", len(got), len(flanked), len(gene))
	}
	// A read whose first 60 bases differ from the gene it spans is kept whole.
	diverged := slices.Concat(random(60), gene[60:])
	if got := c.clipEnds(diverged, r); len(got) != len(diverged) {
		t.Errorf("diverged read clipped to %d of %d bases", len(got), len(diverged))
	}
	// A read inside the gene, and flanks too short to matter, are kept.
	for _, read := range [][]byte{gene[100 : len(gene)-100], slices.Concat(random(12), gene, random(15))} {
		if got := c.clipEnds(read, r); len(got) != len(read) {
			t.Errorf("read of %d bases clipped to %d", len(read), len(got))
		}
	}
	// A flank of 160 bases loses maxClip of them; one of 400, where no
	// anchor is within reach, is not clipped at all.
	for _, c2 := range []struct{ flank, want int }{{160, len(gene) + 160 - maxClip}, {400, len(gene) + 400}} {
		read := slices.Concat(random(c2.flank), gene)
		if got := c.clipEnds(read, r); len(got) != c2.want {
			t.Errorf("%d-base flank: %d of %d bases kept, want %d", c2.flank, len(got), len(read), c2.want)
		}
	}
	// End to end: a flanked read gets the genus the bare gene gets.
	w := c.NewWorker()
	if a := w.Classify(flanked, nil); a.Lineage.Name(taxonomy.Genus) != "Akkermansia" || a.Clipped != 170 {
		t.Errorf("flanked read: %s at identity %.4f, %d bases clipped (want 170)", a.Lineage, a.Identity, a.Clipped)
	}
	if a := w.Classify(gene, nil); a.Clipped != 0 {
		t.Errorf("bare gene: %d bases clipped", a.Clipped)
	}
}

// TestSpeciesFloorRules checks when a species can be named at all: a
// species held by one gene and far from its congeners (Akkermansia
// muciniphila) can at HiFi error; a lone gene with a sister within
// loneSisterRadius (Escherichia albertii beside E. coli) cannot; and no
// species can when the read's error spread, 2σ, exceeds maxSpeciesSpread.
func TestSpeciesFloorRules(t *testing.T) {
	db, c := embedded(t)
	lineageOf := func(species string) taxonomy.Lineage {
		for _, r := range db.Refs {
			if r.Lineage[taxonomy.Species] == species {
				return r.Lineage
			}
		}
		t.Fatalf("no reference of %s in the embedded database", species)
		return taxonomy.Lineage{}
	}
	for _, tc := range []struct {
		species string
		genes   int
		e       float64
		named   bool
	}{
		{"Akkermansia muciniphila", 1, 0.004, true},
		{"Escherichia albertii", 1, 0.004, false},
		{"Escherichia coli", 2, 0.004, true},
		{"Escherichia coli", 2, 0.03, false},
		{"Akkermansia muciniphila", 1, 0.03, false},
	} {
		l := lineageOf(tc.species)
		_, genes := c.speciesFacts(l)
		if (genes < 2) != (tc.genes < 2) {
			t.Fatalf("%s: %d genes in the embedded database; the case expects %d", tc.species, genes, tc.genes)
		}
		f := c.speciesFloor(l, tc.e, 1500)
		if named := f <= 1; named != tc.named {
			t.Errorf("%s at error %.3f: floor %.4f, reachable %v, want %v", tc.species, tc.e, f, named, tc.named)
		}
	}
}
