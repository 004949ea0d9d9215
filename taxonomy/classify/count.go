package classify

import (
	"cmp"
	"slices"

	"github.com/zonula/zonula/taxonomy/dna"
)

// candidate is a reference a read shares informative k-mers with, and,
// once aligned, the read's identity to it.
type candidate struct {
	ref      uint32
	hits     uint32 // informative k-mers shared with the read
	left     uint32 // of which in the read's left half
	identity float64
	edits    int32 // edit distance behind identity
}

func (c candidate) right() uint32 { return c.hits - c.left }

// readKmer is one k-mer of a read looked up in the index: n references hold
// it; left says it lies in the read's left half.
type readKmer struct {
	x    uint32
	n    uint32
	left bool
}

// maxCountPostings bounds the postings one read's candidate count walks.
// When its k-mers' posting lists are longer in all, the rarest k-mers are
// counted first, up to the bound: in a database holding thousands of near
// copies of a gene (SILVA), k-mers shared by whole genera cost most of the
// time and rank candidates least. 2¹⁸ is above any read's total on the
// embedded database (at most about 720 k-mers × 323, its posting cap), so
// there nothing is left out.
const maxCountPostings = 1 << 18

// In a database of largeDatabase references or more, a read's count walks
// at most largeCountPostings postings, rarest k-mers first: on 500,000
// synthetic genes (scripts/bench-bigdb.sh) the rarest 2¹⁶ left 1,981 of
// 2,000 R10-like reads with a genus against 1,985 with 2¹⁸, and halved
// the CPU time per read. The embedded database keeps maxCountPostings,
// which it never reaches.
const (
	largeDatabase      = 50_000
	largeCountPostings = 1 << 16
)

// strandSupport scores how well seq, as given, matches the indexed (sense)
// strand: the number of references holding each of its k-mers, capped at
// maxPosting, summed over every orientStride-th k-mer. Weighting by
// references rather than counting k-mers present matters for large
// databases, where almost every k-mer occurs in some reference: a read's
// own k-mers occur in many, those of its other strand in few.
func (c *Classifier) strandSupport(seq []byte) int {
	n := 0
	eachKmer(seq, c.opts.K, func(x uint32, pos int) {
		if pos%c.orientStride == 0 {
			n += min(int(c.index.start[x+1]-c.index.start[x]), c.maxPosting)
		}
	})
	return n
}

// Strides through a read's k-mers for a whole (unsampled) index:
// orientation looks at every orientStride-th k-mer (a 16S read has hundreds
// either way), candidate counting at every countStride-th, which halves the
// index walks while overlapping k-mers still cover every base.
const (
	orientStride = 4
	countStride  = 2
)

// orient returns seq or its reverse complement, whichever the index
// supports more (strandSupport; seq on a tie), and whether it is the
// reverse complement, held in w's buffer until the next read. The
// classifier reads bases only through nucCode, where every byte but A, C,
// G, T and U is ambiguous, so the complement's IUPAC codes (R for Y, …)
// weigh as the N they stand for.
func (w *Worker) orient(seq []byte) ([]byte, bool) {
	w.rc = append(w.rc[:0], seq...)
	dna.ReverseComplement(w.rc)
	if w.c.strandSupport(w.rc) > w.c.strandSupport(seq) {
		return w.rc, true
	}
	return seq, false
}

// countCandidates finds the references worth aligning read to. It counts
// the informative k-mers (readKmers) each reference shares with read, in
// total and in the read's left half, and returns the references with at
// least half the best count (the rest cannot come near the best identity),
// most shared first, then by index, at most MaxCandidates of them; and the
// references best supported by the read's left and right halves, l and r.
// ok is false when the read is not 16S-like: its best count is below 4 or
// below MinKmerShare of its sampled k-mers. cands is w's buffer, valid until
// the next read.
func (w *Worker) countCandidates(read []byte) (cands []candidate, l, r candidate, ok bool) {
	c := w.c
	nk := w.readKmers(read)
	w.tally()
	var topHits uint32
	for _, ref := range w.touched {
		topHits = max(topHits, uint32(w.counts[ref]&countMask))
	}
	// One pass over the references counted: the candidates, the best of
	// either half (more shared k-mers in all breaking ties, the first
	// counted after that), and the counts cleared for the next read.
	w.cands = w.cands[:0]
	for _, ref := range w.touched {
		n := w.counts[ref]
		cd := candidate{ref: ref, hits: uint32(n & countMask), left: uint32(n>>countBits) & countMask}
		if cd.left > l.left || (cd.left == l.left && cd.hits > l.hits) {
			l = cd
		}
		if cd.right() > r.right() || (cd.right() == r.right() && cd.hits > r.hits) {
			r = cd
		}
		if 2*cd.hits >= topHits {
			w.cands = append(w.cands, cd)
		}
	}
	w.touched = w.touched[:0]
	if len(w.cands) == 0 || float64(topHits) < max(4, c.opts.MinKmerShare*float64(nk)) {
		return nil, l, r, false
	}
	slices.SortFunc(w.cands, func(x, y candidate) int {
		return cmp.Or(cmp.Compare(y.hits, x.hits), cmp.Compare(x.ref, y.ref))
	})
	return w.cands[:min(len(w.cands), c.opts.MaxCandidates)], l, r, true
}

// readKmers gathers into w.kmers the read's informative k-mers: every
// countStride-th k-mer in the index's sample that at most maxPosting
// references hold, with its posting length and whether it lies in the
// read's left half. When their postings exceed maxCountPostings in all, the
// rarest are kept, up to that bound. It returns the number of sampled
// k-mers looked at, informative or not.
func (w *Worker) readKmers(read []byte) int {
	c := w.c
	k := c.opts.K
	nk := 0
	half := len(read) / 2
	w.kmers = w.kmers[:0]
	postings := 0
	eachKmer(read, k, func(x uint32, pos int) {
		if pos%c.countStride != 0 || !c.index.sampled(x) {
			return
		}
		nk++
		n := int(c.index.start[x+1] - c.index.start[x])
		if n == 0 || n > c.maxPosting {
			return
		}
		if len(w.kmers) < countMask {
			w.kmers = append(w.kmers, readKmer{x: x, left: pos+k <= half, n: uint32(n)})
			postings += n
		}
	})
	if postings > c.countBudget {
		slices.SortStableFunc(w.kmers, func(a, b readKmer) int { return cmp.Compare(a.n, b.n) })
		sum := 0
		for i, km := range w.kmers {
			if sum += int(km.n); sum > c.countBudget {
				w.kmers = w.kmers[:max(i, 1)]
				break
			}
		}
	}
	return nk
}

// A Worker's count for an indexed reference packs, from the low bits, the
// k-mers it shares with the read (countBits), those of them in the read's
// left half (countBits) and the read's stamp (the rest): a count whose stamp
// is not the current read's is 0, so counts need no clearing between reads.
// readKmers keeps at most countMask k-mers, so no count overflows.
const (
	countBits  = 20
	countMask  = 1<<countBits - 1
	stampShift = 2 * countBits
)

// tally walks the postings of w.kmers: each reference holding a k-mer
// gains one in w.counts, in total and, for a k-mer of the read's left
// half, in the left count. A reference is listed in w.touched when it
// shares a second k-mer: one shared k-mer, which most references a read
// touches share with it by chance, can make neither a candidate (those
// share at least half the best count, and a read sharing fewer than 4 is
// not aligned) nor, but for reads without one, the best of either half.
func (w *Worker) tally() {
	w.stamp++
	if w.stamp == 1<<(64-stampShift) { // wrapped: clear the old stamps
		clear(w.counts)
		w.stamp = 1
	}
	stamp := w.stamp << stampShift
	for _, km := range w.kmers {
		inc := uint64(1)
		if km.left {
			inc |= 1 << countBits
		}
		for _, r := range w.c.index.lookup(km.x) {
			n := w.counts[r]
			if n < stamp { // counted for an earlier read: 0 for this one
				n = stamp
			}
			n += inc
			w.counts[r] = n
			if n&countMask == 2 {
				w.touched = append(w.touched, r)
			}
		}
	}
}
