package classify

import "math/bits"

// nucCode maps a byte to 0..3 for A, C, G, T (either case; U as T) and 4 for
// anything else (N and other IUPAC codes), which matches nothing.
var nucCode = func() (t [256]byte) {
	for i := range t {
		t[i] = 4
	}
	for _, p := range []struct {
		c byte
		v byte
	}{{'A', 0}, {'C', 1}, {'G', 2}, {'T', 3}, {'U', 3}} {
		t[p.c] = p.v
		t[p.c+'a'-'A'] = p.v
	}
	return t
}()

// aligner computes semi-global edit distances of one pattern (the read)
// against many texts (references) with Myers' bit-vector algorithm in its
// multi-word form (Myers 1999; Hyyrö 2003). It keeps its buffers between
// calls and is not safe for concurrent use.
type aligner struct {
	m      int         // pattern length
	blocks int         // 64-row blocks covering the pattern
	peq    [5][]uint64 // peq[c][b]: bit i set where pattern row 64b+i equals c
	pv, mv []uint64
	score  []int
}

// setPattern prepares the aligner for pattern p (upper- or lower-case bases).
func (a *aligner) setPattern(p []byte) {
	a.m = len(p)
	a.blocks = (len(p) + 63) / 64
	for c := range a.peq {
		a.peq[c] = grow(a.peq[c], a.blocks)
		clear(a.peq[c])
	}
	for i, ch := range p {
		c := nucCode[ch]
		if c < 4 {
			a.peq[c][i/64] |= 1 << (i % 64)
		}
	}
	// Rows below the pattern's end, padding the last block, match anything,
	// so they never raise the block's bottom score above the pattern's.
	if r := len(p) % 64; r != 0 {
		for c := range 4 {
			a.peq[c][a.blocks-1] |= ^uint64(0) << r
		}
	}
	a.pv = grow(a.pv, a.blocks)
	a.mv = grow(a.mv, a.blocks)
	if cap(a.score) < a.blocks {
		a.score = make([]int, a.blocks)
	}
	a.score = a.score[:a.blocks]
}

func grow(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n)
	}
	return s[:n]
}

// distance returns the semi-global edit distance between the pattern and
// text t: the fewest substitutions, insertions and deletions that turn the
// whole pattern into some substring of t (text ends are free). The text is
// ASCII like the pattern (either case, U as T); an ambiguous text base
// (anything but A, C, G, T or U) matches any pattern base, while an ambiguous
// pattern base matches nothing, so unknown read bases count against the read.
// An empty pattern gives 0.
func (a *aligner) distance(t []byte) int { return a.distanceWithin(t, a.m) }

// distanceWithin is distance for callers that only care about distances up
// to k: it returns the distance when it is at most k, and some value above k
// otherwise. Blocks of rows whose scores all exceed k are not computed
// (Ukkonen's cut-off, as in Hyyrö 2003 and edlib), which for a close match
// skips most of the matrix below the diagonal.
func (a *aligner) distanceWithin(t []byte, k int) int {
	if a.m == 0 {
		return 0
	}
	k = min(max(k, 0), a.m)
	// Blocks beyond lastBlock hold only scores above k.
	lastBlock := min((k+1+63)/64, a.blocks) - 1
	for b := 0; b <= lastBlock; b++ {
		a.pv[b] = ^uint64(0)
		a.mv[b] = 0
		a.score[b] = (b + 1) * 64
	}
	last := a.blocks - 1
	// Rows of the last block below the pattern's end, whose deltas are
	// subtracted to read the score at row m.
	tail := uint64(0)
	if r := a.m % 64; r != 0 {
		tail = ^uint64(0) << r
	}
	best := k + 1
	if a.m <= k && lastBlock == last {
		best = a.m // before any text: every pattern base unmatched
	}
	// Rows too far above the diagonal are dropped as well: a cell (i, j)
	// lies on an alignment of cost at most k only if the m−i pattern bases
	// left fit into the n−j text bases left with at most k insertions, that
	// is i ≥ j − (n − m) − k. Blocks wholly above that row are not computed
	// again; the block below them then sees a rising top row (hin = +1),
	// which only overstates cells whose best path leaves the band, so
	// distances up to k stay exact.
	firstBlock := 0
	slack := len(t) - a.m + k
	for j, ch := range t {
		c := nucCode[ch]
		for firstBlock < lastBlock && 64*(firstBlock+1) < j+1-slack {
			firstBlock++
		}
		hin := 0 // row 0 is all zeros: text start is free
		if firstBlock > 0 {
			hin = 1
		}
		for b := firstBlock; b <= lastBlock; b++ {
			hin = a.step(b, c, hin)
			a.score[b] += hin
		}
		// Ukkonen: extend by one block when the last one can still pass a
		// score of at most k downwards, else drop blocks that cannot reach k.
		if lastBlock < last && a.score[lastBlock]-hin <= k && (hin < 0 || a.eq(lastBlock+1, c)&1 != 0) {
			lastBlock++
			a.pv[lastBlock] = ^uint64(0)
			a.mv[lastBlock] = 0
			prev := a.score[lastBlock-1] - hin
			a.score[lastBlock] = prev + 64 + a.step(lastBlock, c, hin)
		} else {
			// Block 0 always stays: row 0 is free, so its rows can drop
			// back under k at any column.
			for lastBlock > firstBlock && a.score[lastBlock] >= k+64 {
				lastBlock--
			}
		}
		if lastBlock == last {
			s := a.score[last] - bits.OnesCount64(a.pv[last]&tail) + bits.OnesCount64(a.mv[last]&tail)
			if s < best {
				best = s
			}
		}
	}
	return best
}

// eq returns the match mask of pattern block b for text base c.
func (a *aligner) eq(b int, c byte) uint64 {
	if c < 4 {
		return a.peq[c][b]
	}
	return ^uint64(0) // an ambiguous reference base matches any read base
}

// step advances block b by one text base c, given the horizontal delta hin
// entering its top row, and returns the delta leaving its bottom row
// (Myers 1999, in Hyyrö's formulation).
func (a *aligner) step(b int, c byte, hin int) int {
	const high = uint64(1) << 63
	pv, mv := a.pv[b], a.mv[b]
	eq := a.eq(b, c)
	xv := eq | mv
	if hin < 0 {
		eq |= 1
	}
	xh := (((eq & pv) + pv) ^ pv) | eq
	ph := mv | ^(xh | pv)
	mh := pv & xh
	hout := 0
	if ph&high != 0 {
		hout = 1
	} else if mh&high != 0 {
		hout = -1
	}
	ph <<= 1
	mh <<= 1
	if hin < 0 {
		mh |= 1
	} else if hin > 0 {
		ph |= 1
	}
	a.pv[b] = mh | ^(xv | ph)
	a.mv[b] = ph & xv
	return hout
}
