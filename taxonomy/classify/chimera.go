package classify

import (
	"math"

	"github.com/zonula/zonula/taxonomy"
)

// chimeraGain is the least summed identity gain, over the two halves, of a
// two-parent explanation over the best single reference for a read to be
// called a chimera. Read errors lower a half's identity to both parents
// alike, so the gain does not shrink with the error rate and the threshold
// is not raised with it: on simulated reads (scripts/bench-classify.sh) no
// read from one gene reached 0.03 at 0.4 %, 3 % or 7.5 % error, while 0.02
// flagged 0.2 % of them.
const chimeraGain = 0.03

// mixedGain is the least summed half gain (as chimeraGain) for which a read
// that is not called a chimera is still not given a genus: its call stops
// at the lowest common ancestor of its halves' parents, and it stays out of
// the community EM. Chimeras of genera 97–98 % alike (Escherichia and
// Klebsiella) often gain less than 0.03 (scripts/bench-community.sh: 40 of
// 150 in an Enterobacteriaceae bloom) and were given a genus by the EM;
// at 0.01, 0–2 of 3,000 reads of one gene from the same communities, and
// 1.3 % of reads of species absent from the database, lose their genus, and
// reads of genera absent from the database (which sit between genera)
// 4–5 %.
const mixedGain = 0.01

// chimeraCuts are the points, as shares of the read, at which halfGain
// tries the breakpoint between its two parents. PCR chimeras join their
// parents anywhere, and a cut far from the true breakpoint puts both
// parents into one part, which hides the gain: in the bloom of
// scripts/bench-community.sh (breakpoints at 30–70 %), trying three cuts
// instead of the midpoint alone lowered the chimeras given a genus from
// 0.120/0.053 to 0.107/0.020 (two draws, HiFi-like) and from 0.107/0.073 to
// 0.080/0.060 (R9.4-like), genus recall and precision unchanged on every
// community.
var chimeraCuts = [...]float64{1.0 / 3, 1.0 / 2, 2.0 / 3}

// halfGain returns how much better read is explained by two parents from
// different genera, L before a breakpoint and R after it, than by the single
// best reference top, at the best of the chimeraCuts:
//
//	gain = max over cuts k of 2·(Δ_L(k) + Δ_R(k)) / n,
//
// Δ_L(k) the edits top needs on read[:k] beyond those L needs, Δ_R(k)
// likewise for R on read[k:], n the read's length: at the midpoint, the
// summed identity gain over the two halves. It is 0 when L and R are of one
// genus (or name none) and for reads shorter than 600 bases.
func (w *Worker) halfGain(read []byte, top, l, r candidate) float64 {
	c := w.c
	if len(read) < 600 || l.ref == r.ref || l.hits == 0 || r.hits == 0 {
		return 0
	}
	gl, gr := c.refs[l.ref].Lineage.Name(taxonomy.Genus), c.refs[r.ref].Lineage.Name(taxonomy.Genus)
	if gl == "" || gr == "" || gl == gr {
		return 0
	}
	edits := func(part []byte, ref uint32) int {
		w.al.setPattern(part)
		return w.al.distance(c.refs[ref].Seq)
	}
	gain := math.Inf(-1)
	for _, f := range chimeraCuts {
		k := int(f * float64(len(read)))
		saved := edits(read[:k], top.ref) - edits(read[:k], l.ref) + edits(read[k:], top.ref) - edits(read[k:], r.ref)
		gain = max(gain, 2*float64(saved)/float64(len(read)))
	}
	return gain
}
