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

// halfGain returns how much better read is explained by two parents from
// different genera, L for its left half and R for its right, than by the
// single best reference top: the summed identity gain over the two halves;
// 0 when L and R are of one genus (or name none) and for reads shorter than
// 600 bases.
func (w *Worker) halfGain(read []byte, top, l, r candidate) float64 {
	c := w.c
	if len(read) < 600 || l.ref == r.ref || l.hits == 0 || r.hits == 0 {
		return 0
	}
	gl, gr := c.refs[l.ref].Lineage.Name(taxonomy.Genus), c.refs[r.ref].Lineage.Name(taxonomy.Genus)
	if gl == "" || gr == "" || gl == gr {
		return 0
	}
	half := len(read) / 2
	identity := func(part []byte, ref uint32) float64 {
		w.al.setPattern(part)
		return 1 - float64(w.al.distance(c.refs[ref].Seq))/float64(len(part))
	}
	gainL := identity(read[:half], l.ref) - identity(read[:half], top.ref)
	gainR := identity(read[half:], r.ref) - identity(read[half:], top.ref)
	return gainL + gainR
}
