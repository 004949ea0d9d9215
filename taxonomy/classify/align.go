package classify

import (
	"cmp"
	"slices"

	"github.com/zonula/zonula/taxonomy"
)

// minSupport is the least share of the best candidate's k-mer support that
// a candidate needs to be aligned, for a read whose error rate or divergence
// from the database is e. Measured on simulated reads from the embedded
// database (0.4 %, 3 % and 7.5 % error), every reference that ended within δ
// of the best identity had at least 0.90, 0.79 and 0.68 of the top support;
// 0.75 − 2.5e stays 0.12–0.16 below those, and never goes under 0.5.
func minSupport(e float64) float64 {
	return max(0.5, 0.75-2.5*e)
}

// alignCandidates sets the read's identity, 1 − d/n for edit distance d
// over read length n, to the best-supported candidate of cands (sorted by
// k-mer support, most first), then to each next one while its support is
// at least minSupport of the first's: only those can come within a near
// tie. It returns cands cut to those aligned and the index of the best
// identity among them (the earliest of equals). Identities too low to
// matter are not exact, only known to be too low.
func (w *Worker) alignCandidates(read []byte, cands []candidate, e float64) ([]candidate, int) {
	c := w.c
	w.al.setPattern(read)
	m := float64(len(read))
	// Below the domain floor nothing is assigned, so larger distances need
	// not be exact.
	// Most reads lie within 10 % (plus their errors) of their best
	// candidate, and the bit-vector aligner's cost grows with the distance
	// bound, so that bound is tried first and the domain-floor bound only
	// when the read is further away.
	worst := int((1-(c.opts.Floors[taxonomy.Domain]-floorErrorFactor*e))*m) + 1
	near := min(worst, int((1-(0.90-floorErrorFactor*e))*m)+1)
	d := w.al.distanceWithin(c.refs[cands[0].ref].Seq, near)
	if d > near {
		d = w.al.distanceWithin(c.refs[cands[0].ref].Seq, worst)
	}
	cands[0].identity, cands[0].edits = max(0, 1-float64(d)/m), int32(d)
	cut := minSupport(max(e, 1-cands[0].identity)) * float64(cands[0].hits)
	best, n := 0, 1
	for i := 1; i < len(cands) && float64(cands[i].hits) >= cut; i++ {
		// Only identities within 2δ of the best matter (ties and
		// confidence); anything further is computed only as "too far".
		top := cands[best].identity
		window := top - alignWindow(e, top)
		d := w.al.distanceWithin(c.refs[cands[i].ref].Seq, int((1-window)*m)+1)
		cands[i].identity, cands[i].edits = max(0, 1-float64(d)/m), int32(d)
		if cands[i].identity > top {
			best = i
		}
		n = i + 1
	}
	return cands[:n], best
}

// exactCandidates appends to out the candidates whose edit distance
// alignCandidates computed exactly (within its window of the best, top),
// best first (then by reference index).
func exactCandidates(out []Candidate, cands []candidate, top candidate, e float64) []Candidate {
	window := top.identity - alignWindow(e, top.identity)
	for _, cd := range cands {
		if cd.identity >= window {
			out = append(out, Candidate{Ref: cd.ref, Edits: cd.edits})
		}
	}
	slices.SortFunc(out, func(x, y Candidate) int { return cmp.Or(cmp.Compare(x.Edits, y.Edits), cmp.Compare(x.Ref, y.Ref)) })
	return out
}

// alignWindow returns how far below the best identity I a candidate's
// identity is computed exactly, for a read of error rate e:
//
//	max(0.0075, 2·min(0.02, max(e, 1−I)/4)).
//
// Candidates further away weigh exp(−λ·extra) ≤ e⁻¹⁰ or less against the
// best in a read's likelihood (Evidence), so their distance need only be
// known to be large. Read errors lower the identity to every reference
// alike, so the window grows with the error rate only up to 0.04.
func alignWindow(e, identity float64) float64 {
	return max(0.0075, 2*min(0.02, max(e, 1-identity)/4))
}
