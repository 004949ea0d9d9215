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
// whole pattern into some substring of t (text ends are free). Text bases are
// given as nucCode values; an ambiguous text base (code 4) matches any
// pattern base, while an ambiguous pattern base matches nothing, so unknown
// read bases count against the read. An empty pattern gives 0.
func (a *aligner) distance(t []byte) int {
	if a.m == 0 {
		return 0
	}
	for b := range a.blocks {
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
	best := a.m
	const high = uint64(1) << 63
	for _, c := range t {
		var hin int // row 0 is all zeros: text start is free
		for b := 0; b < a.blocks; b++ {
			pv, mv := a.pv[b], a.mv[b]
			eq := ^uint64(0) // an ambiguous reference base matches any read base
			if c < 4 {
				eq = a.peq[c][b]
			}
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
			a.score[b] += hout
			hin = hout
		}
		s := a.score[last] - bits.OnesCount64(a.pv[last]&tail) + bits.OnesCount64(a.mv[last]&tail)
		if s < best {
			best = s
		}
	}
	return best
}
