package classify

import (
	"sync"

	"github.com/zonula/zonula/taxonomy/refdb"
)

// kmerIndex maps k-mers (k ≤ 13, 2 bits a base) to the references that
// contain them, as one compressed-sparse-row table: the references holding
// k-mer x are refs[start[x]:start[x+1]], in increasing order, each once.
//
// A large database indexes a hashed sample of the k-mers only (see
// sampleBits), the same sample for references and reads, so that shared
// k-mer counts shrink in proportion and still rank candidates.
type kmerIndex struct {
	k     int
	start []uint32 // 4^k + 1 offsets
	refs  []uint32
	// sampleBits is b in the sampling rule: k-mer x is indexed when the top
	// b bits of its multiplicative hash x·2654435761 (mod 2³²) are zero, so
	// one k-mer in 2^b is kept. 0 indexes every k-mer.
	sampleBits uint
}

// maxIndexPostings bounds the (k-mer, reference) pairs of an index: 2²⁷
// pairs take 512 MB. A database whose sequences hold more k-mers than that
// (about 90,000 full-length genes) is sampled down to it; the embedded
// database, about 7.5 million pairs, is indexed whole.
const maxIndexPostings = 1 << 27

// sampleBitsFor returns the sampling exponent b (see kmerIndex) that brings
// an upper bound of refs' (k-mer, reference) pairs, Σ (|seq| − k + 1), to at
// most maxIndexPostings.
func sampleBitsFor(refs []refdb.Reference, k int) uint {
	var pairs int64
	for _, r := range refs {
		pairs += int64(max(0, len(r.Seq)-k+1))
	}
	var b uint
	for pairs>>b > maxIndexPostings {
		b++
	}
	return b
}

// sampled reports whether k-mer x is in the index's sample.
func (ix *kmerIndex) sampled(x uint32) bool {
	return ix.sampleBits == 0 || (x*2654435761)>>(32-ix.sampleBits) == 0
}

// newKmerIndex indexes the references' k-mers on their forward strand,
// sampled as sampleBitsFor says, with up to threads goroutines.
func newKmerIndex(refs []refdb.Reference, k, threads int) *kmerIndex {
	// A part of fewer than parallelPart references is not worth the 4^k
	// cursors a part beyond the first costs (16 MB at k = 11): the embedded
	// database (5,181 references) is built in 2 parts on 2 cores, 0.18 s
	// instead of 0.34 s, for about 20 MB more at the peak.
	const parallelPart = 2048
	parts := max(1, min(threads, len(refs)/parallelPart))
	return buildKmerIndex(refs, k, sampleBitsFor(refs, k), parts)
}

// buildKmerIndex indexes the sampled k-mers (see kmerIndex) of refs.
// K-mers spanning a non-ACGT base are skipped. The references are split
// into parts contiguous ranges, each counted and then filled by its own
// goroutine into its own slots, so the postings come out in reference order
// whatever the number of parts.
func buildKmerIndex(refs []refdb.Reference, k int, sampleBits uint, parts int) *kmerIndex {
	n := 1 << (2 * k)
	ix := &kmerIndex{k: k, start: make([]uint32, n+1), sampleBits: sampleBits}
	bounds := make([]int, parts+1)
	for p := range bounds {
		bounds[p] = p * len(refs) / parts
	}
	// cursor[p][x] first counts part p's pairs with k-mer x, then becomes
	// the end of their slots, and is counted down as they are filled from
	// the part's last reference to its first. The first part's cursors are
	// start itself, which so ends as the offset of each k-mer's first slot.
	cursor := make([][]uint32, parts)
	cursor[0] = ix.start[:n]
	parallel(parts, func(p int) {
		if p > 0 {
			cursor[p] = make([]uint32, n)
		}
		ix.eachPair(refs, bounds[p], bounds[p+1], func(x uint32, _ int) { cursor[p][x]++ })
	})
	var total uint32
	for x := range n {
		for p := range parts {
			total += cursor[p][x]
			cursor[p][x] = total
		}
	}
	ix.start[n] = total
	ix.refs = make([]uint32, total)
	parallel(parts, func(p int) {
		end := cursor[p]
		ix.eachPair(refs, bounds[p], bounds[p+1], func(x uint32, r int) {
			end[x]--
			ix.refs[end[x]] = uint32(r)
		})
	})
	return ix
}

// eachPair calls fn once for every distinct sampled k-mer x of each
// reference refs[lo:hi], with the reference's index r, from the last
// reference to the first.
func (ix *kmerIndex) eachPair(refs []refdb.Reference, lo, hi int, fn func(x uint32, r int)) {
	// seen marks the k-mers of the current reference (one bit each, small
	// enough to stay in cache); they are unmarked before the next one.
	seen := make([]uint64, (len(ix.start)+63)/64)
	var marked []uint32
	for r := hi - 1; r >= lo; r-- {
		eachKmer(refs[r].Seq, ix.k, func(x uint32, _ int) {
			if bit := uint64(1) << (x % 64); ix.sampled(x) && seen[x/64]&bit == 0 {
				seen[x/64] |= bit
				marked = append(marked, x)
				fn(x, r)
			}
		})
		for _, x := range marked {
			seen[x/64] = 0
		}
		marked = marked[:0]
	}
}

// parallel runs fn(0), …, fn(n−1) on n goroutines and waits for them.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { fn(i) })
	}
	wg.Wait()
}

// lookup returns the references that contain k-mer x.
func (ix *kmerIndex) lookup(x uint32) []uint32 {
	return ix.refs[ix.start[x]:ix.start[x+1]]
}

// eachKmer calls fn with every k-mer of seq that has only A, C, G and T, as
// a 2-bit packed value, with the position of its first base.
func eachKmer(seq []byte, k int, fn func(x uint32, pos int)) {
	mask := uint32(1)<<(2*k) - 1
	var x uint32
	valid := 0
	for i, ch := range seq {
		c := nucCode[ch]
		if c > 3 {
			valid = 0
			continue
		}
		x = (x<<2 | uint32(c)) & mask
		valid++
		if valid >= k {
			fn(x, i-k+1)
		}
	}
}
