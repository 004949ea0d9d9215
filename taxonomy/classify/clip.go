package classify

import "slices"

// A read end that reaches past the ends of the best-supported reference is
// clipped before alignment when it does so by at least minClip bases, by
// at most maxClip bases a side: adapters, barcodes or primers left on a
// read, or the part of a full-length read beyond a shorter reference's
// ends, would otherwise count as errors against every reference (80 bases
// of adapter on each end of a 1,500-base read cost 10 % identity, and a
// genus). maxClip matches the primer search's window, so that a read that
// is mostly not 16S is still aligned nearly whole and stays unclassified.
const (
	minClip = 20
	maxClip = 150
)

// clipEnds returns read without the ends that reach past the references
// refs: the first k-mer of read that one of refs holds, at read position p
// and position q of that reference, shows p − q read bases before the
// reference starts; the last one likewise at the other end. A shared k-mer
// anchors only when another within anchorConfirm bases sits at the same
// offset (±2 for indels), so a chance match in an adapter does not. Bases
// the reference covers are kept however they differ, so divergence still
// counts against the read. Anchors are sought within maxClip + minClip
// bases of each end, so a longer unanchored end is kept whole (such a read
// is mostly not 16S). Only sampled k-mers anchor, for a sampled index.
func (c *Classifier) clipEnds(read []byte, refs ...uint32) []byte {
	k := c.opts.K
	lo, hi := 0, len(read)
	if p, q, _, ok := c.anchor(read, refs, false); ok {
		if over := p - q; over >= minClip {
			lo = min(over, maxClip)
		}
	}
	if p, q, r, ok := c.anchor(read, refs, true); ok && p >= lo {
		readAfter, refAfter := len(read)-(p+k), len(c.refs[r].Seq)-(q+k)
		if over := readAfter - refAfter; over >= minClip {
			hi = len(read) - min(over, maxClip)
		}
	}
	return read[lo:hi]
}

// anchorConfirm is how far past an anchoring k-mer clipEnds looks for a
// second one at the same offset.
const anchorConfirm = 16

// anchor returns the first (or, with last, the final) read position p,
// within maxClip+minClip bases of that end, whose k-mer one of refs, r,
// holds at a position q confirmed by a second k-mer (see clipEnds).
func (c *Classifier) anchor(read []byte, refs []uint32, last bool) (p, q int, r uint32, ok bool) {
	k := c.opts.K
	for i := 0; i <= maxClip+minClip && i+k <= len(read); i++ {
		p = i
		if last {
			p = len(read) - k - i
		}
		x, valid := kmerAt(read, p, k)
		if !valid || !c.index.sampled(x) {
			continue
		}
		post := c.index.lookup(x)
		for _, r := range refs {
			if _, found := slices.BinarySearch(post, r); !found {
				continue
			}
			if q := c.occurrence(read, p, x, c.refs[r].Seq, last); q >= 0 {
				return p, q, r, true
			}
		}
	}
	return 0, 0, 0, false
}

// occurrence returns the first position of k-mer x in seq that a second
// k-mer confirms as the place of read's k-mer at p (see confirmed), or −1.
func (c *Classifier) occurrence(read []byte, p int, x uint32, seq []byte, last bool) int {
	at := -1
	eachKmer(seq, c.opts.K, func(y uint32, pos int) {
		if at < 0 && y == x && c.confirmed(read, p, seq, pos, last) {
			at = pos
		}
	})
	return at
}

// confirmed reports whether a read k-mer within anchorConfirm bases of p,
// inwards (after p, or before it with last), matches seq at the same
// offset q − p, give or take 2.
func (c *Classifier) confirmed(read []byte, p int, seq []byte, q int, last bool) bool {
	k := c.opts.K
	for i := 1; i <= anchorConfirm; i++ {
		d := i
		if last {
			d = -i
		}
		if p+d < 0 || p+d+k > len(read) {
			return false
		}
		y, valid := kmerAt(read, p+d, k)
		if !valid {
			continue
		}
		for s := -2; s <= 2; s++ {
			if q2 := q + d + s; q2 >= 0 && q2+k <= len(seq) {
				if z, _ := kmerAt(seq, q2, k); z == y {
					return true
				}
			}
		}
	}
	return false
}

// kmerAt returns the k-mer of seq at pos as eachKmer packs it, and false
// when it spans a base other than A, C, G or T.
func kmerAt(seq []byte, pos, k int) (uint32, bool) {
	var x uint32
	for _, ch := range seq[pos : pos+k] {
		c := nucCode[ch]
		if c > 3 {
			return 0, false
		}
		x = x<<2 | uint32(c)
	}
	return x, true
}
