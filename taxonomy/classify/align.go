package classify

import "github.com/zonula/zonula/taxonomy"

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
	cands[0].identity = max(0, 1-float64(d)/m)
	cut := minSupport(max(e, 1-cands[0].identity)) * float64(cands[0].hits)
	best, n := 0, 1
	for i := 1; i < len(cands) && float64(cands[i].hits) >= cut; i++ {
		// Only identities within 2δ of the best matter (ties and
		// confidence); anything further is computed only as "too far".
		top := cands[best].identity
		window := top - max(2*tieWindow(e, top), minGenusMargin)
		d := w.al.distanceWithin(c.refs[cands[i].ref].Seq, int((1-window)*m)+1)
		cands[i].identity = max(0, 1-float64(d)/m)
		if cands[i].identity > top {
			best = i
		}
		n = i + 1
	}
	return cands[:n], best
}
