package classify

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/zonula/zonula/taxonomy/refdb"
)

// TestBuildKmerIndex checks the index against a map built the obvious way,
// whole and sampled, in one part and split into several.
func TestBuildKmerIndex(t *testing.T) {
	const k = 8
	rng := rand.New(rand.NewPCG(3, 4))
	refs := make([]refdb.Reference, 500)
	for i := range refs {
		seq := make([]byte, 60+rng.IntN(80))
		for j := range seq {
			seq[j] = "ACGTN"[min(4, rng.IntN(41)/10)] // an N now and then
		}
		refs[i] = refdb.Reference{ID: fmt.Sprint(i), Seq: seq}
	}
	for _, bits := range []uint{0, 2} {
		want := map[uint32][]uint32{}
		probe := &kmerIndex{sampleBits: bits}
		for r, ref := range refs {
			eachKmer(ref.Seq, k, func(x uint32, _ int) {
				if probe.sampled(x) && !slices.Contains(want[x], uint32(r)) {
					want[x] = append(want[x], uint32(r))
				}
			})
		}
		for _, parts := range []int{1, 3} {
			ix := buildKmerIndex(refs, k, bits, parts)
			pairs := 0
			for x := range uint32(1 << (2 * k)) {
				got := ix.lookup(x)
				pairs += len(got)
				if !slices.Equal(got, want[x]) {
					t.Fatalf("bits %d, %d parts: k-mer %d holds %v, want %v", bits, parts, x, got, want[x])
				}
			}
			if pairs == 0 {
				t.Fatalf("bits %d: empty index", bits)
			}
		}
	}
}

func TestSampleBitsFor(t *testing.T) {
	if _, c := embedded(t); c.KmerSampling() != 1 {
		t.Errorf("embedded database indexed with sampling 1 in %d", c.KmerSampling())
	}
	small := []refdb.Reference{{Seq: make([]byte, 1500)}}
	if b := sampleBitsFor(small, 11); b != 0 {
		t.Errorf("one gene sampled with %d bits", b)
	}
	// 200,000 genes of 1,500 bases hold about 3·10⁸ k-mer pairs: sampling
	// one in 4 brings them under 2²⁷.
	big := make([]refdb.Reference, 200_000)
	for i := range big {
		big[i].Seq = small[0].Seq
	}
	if b := sampleBitsFor(big, 11); b != 2 {
		t.Errorf("200,000 genes sampled with %d bits, want 2", b)
	}
}
