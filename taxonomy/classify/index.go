package classify

import (
	"github.com/zonula/zonula/taxonomy/refdb"
)

// kmerIndex maps every k-mer (k ≤ 13, 2 bits a base) to the references that
// contain it, as one compressed-sparse-row table: the references holding
// k-mer x are refs[start[x]:start[x+1]], in increasing order, each once.
type kmerIndex struct {
	k     int
	mask  uint32
	start []uint32 // 4^k + 1 offsets
	refs  []uint32
}

// newKmerIndex indexes the references' k-mers on their forward strand.
// K-mers spanning a non-ACGT base are skipped.
func newKmerIndex(refs []refdb.Reference, k int) *kmerIndex {
	n := 1 << (2 * k)
	ix := &kmerIndex{k: k, mask: uint32(n - 1), start: make([]uint32, n+1)}
	// Pass 1 counts distinct (k-mer, reference) pairs; pass 2 fills them.
	// last[x] remembers the last reference that added k-mer x, which
	// deduplicates within a reference because references are visited in order.
	last := make([]int32, n)
	for i := range last {
		last[i] = -1
	}
	forEach := func(fn func(x uint32, r int)) {
		for r, ref := range refs {
			eachKmer(ref.Seq, k, func(x uint32, _ int) {
				if last[x] != int32(r) {
					last[x] = int32(r)
					fn(x, r)
				}
			})
		}
	}
	forEach(func(x uint32, _ int) { ix.start[x+1]++ })
	for x := 1; x <= n; x++ {
		ix.start[x] += ix.start[x-1]
	}
	ix.refs = make([]uint32, ix.start[n])
	fill := make([]uint32, n)
	copy(fill, ix.start[:n])
	for i := range last {
		last[i] = -1
	}
	forEach(func(x uint32, r int) {
		ix.refs[fill[x]] = uint32(r)
		fill[x]++
	})
	return ix
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

// reverseComplement writes the reverse complement of seq into dst (grown as
// needed) and returns it. Non-ACGT bytes become N.
func reverseComplement(dst, seq []byte) []byte {
	if cap(dst) < len(seq) {
		dst = make([]byte, len(seq))
	}
	dst = dst[:len(seq)]
	for i, ch := range seq {
		var c byte
		switch nucCode[ch] {
		case 0:
			c = 'T'
		case 1:
			c = 'G'
		case 2:
			c = 'C'
		case 3:
			c = 'A'
		default:
			c = 'N'
		}
		dst[len(seq)-1-i] = c
	}
	return dst
}
