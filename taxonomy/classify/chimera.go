package classify

import "github.com/zonula/zonula/taxonomy"

// chimeraGain is the least summed identity gain, over the two halves, of a
// two-parent explanation over the best single reference for a read to be
// called a chimera. Read errors lower a half's identity to both parents
// alike, so the gain does not shrink with the error rate and the threshold
// is not raised with it: on simulated reads (scripts/bench-classify.sh) no
// read from one gene reached 0.03 at 0.4 %, 3 % or 7.5 % error, while 0.02
// flagged 0.2 % of them.
const chimeraGain = 0.03

// isChimera tests whether read is better explained by two parents from
// different genera, L for its left half and R for its right, than by the
// single best reference top. Reads shorter than 600 bases are not tested.
func (w *Worker) isChimera(read []byte, top, l, r candidate) bool {
	c := w.c
	if len(read) < 600 || l.ref == r.ref || l.hits == 0 || r.hits == 0 {
		return false
	}
	gl, gr := c.refs[l.ref].Lineage.Name(taxonomy.Genus), c.refs[r.ref].Lineage.Name(taxonomy.Genus)
	if gl == "" || gr == "" || gl == gr {
		return false
	}
	half := len(read) / 2
	identity := func(part []byte, ref uint32) float64 {
		w.al.setPattern(part)
		return 1 - float64(w.al.distance(c.refs[ref].Seq))/float64(len(part))
	}
	gainL := identity(read[:half], l.ref) - identity(read[:half], top.ref)
	gainR := identity(read[half:], r.ref) - identity(read[half:], top.ref)
	return gainL+gainR >= chimeraGain
}
