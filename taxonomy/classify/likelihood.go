package classify

import (
	"math"
	"slices"

	"github.com/zonula/zonula/taxonomy"
)

// Evidence is what one read says about the units it aligned to: the
// per-edit weight λ of its likelihood and, per unit, how many edits more
// than its best reference the unit's best reference costs.
//
// The likelihood is the per-base error model Emu uses (Curry et al. 2022,
// Nat Methods 19:845), with one error class: every aligned read base is
// wrong, by substitution, insertion or deletion as the alignment has them,
// with probability ε, the read's error rate from its qualities (or the
// sample's estimate for reads without), so a read of m bases at edit
// distance d from reference j has
//
//	log L(r | j) = d·log ε + (m − d)·log(1 − ε) = −λ₀·d + m·log(1 − ε),
//	λ₀ = log((1 − ε)/ε),
//
// and, as the last term is the same for every reference, only
// λ₀·(d_j − d_best) matters. Edits beyond what the read's errors explain
// (δ = max(0, d_best − ε·m), the read's divergence from the database)
// are differences between the read's source and the references, and
// differences between references then say less about which one the source
// belongs with (HiFi-like reads of held-out type strains whose best genus
// led the next by 6–10 edits: right for 33 of 49 at 20–40 edits of
// divergence, 32 of 89 beyond); so the weight is tempered by the
// divergence:
//
//	λ = λ₀ / (1 + δ/κ),  κ = divergenceScale,
//
// rounded to 1/16 (so that reads share EM classes). ε is held to
// 0.001–0.25.
type Evidence struct {
	Lambda float64 // λ, per edit
	Best   int32   // edits to the best reference
	Length int     // read bases aligned
	// Units holds, per unit the read reaches (sorted by unit), its extra
	// edits over Best. For a read that enters the EM (InEM) these are the
	// units whose floor the read's identity to them reaches; for others,
	// every unit aligned exactly.
	Units []UnitEdits
	// InEM says the read's best reference clears its unit's floor (the
	// genus floor, lowered by the read's error rate): the read then takes
	// part in the community EM.
	InEM bool
	// Rival is, for a read in the EM, the unit of another genus than its
	// best reference's that comes nearest (fewest extra edits) among those
	// Units leaves out for missing their floors, and RivalGap how many
	// edits the read lies beyond that unit's floor: at least 1, as the read
	// misses it; 0 when there is no rival (the zero Evidence has none).
	// Such a genus takes no share of the read, but a read nearly as close
	// to it as to its own, and near its floor, lies between genera:
	// Decide's genus margin counts it (nearestOtherGenus).
	Rival    UnitEdits
	RivalGap int32
}

// UnitEdits is one unit of a read's Evidence.
type UnitEdits struct {
	Unit  uint32
	Extra int32 // edits over the read's best
}

// divergenceScale is κ in Evidence's tempering λ₀/(1 + δ/κ), in edits.
// Chosen on reads of held-out type strains (scripts/bench-classify.sh's
// split, 0.4 %, 3 % and 7.5 % error, qualities matching the errors): from
// no tempering to κ = 5, genus precision rose 1.1–1.8 points for 0.5–2.2
// points of recall; κ = 2 gained 1 more point for 2–3 more of recall. On
// the Enterobacteriaceae bloom of scripts/bench-community.sh, κ = 5 raised
// precision from 0.90 to 0.93 at equal recall.
const divergenceScale = 5

// lambdaOf returns λ for a read of m aligned bases, error rate e and best
// edit distance best (see Evidence).
func lambdaOf(e float64, best int32, m int) float64 {
	eps := min(max(e, 0.001), maxErrorRate)
	div := max(0, float64(best)-eps*float64(m))
	l := math.Log((1-eps)/eps) / (1 + div/divergenceScale)
	return math.Round(l*16) / 16
}

// evidence returns the Evidence of a read of m aligned bases at error rate
// e, from its exact candidates (best first): the best edits per unit, and
// whether it enters the EM. units is reused.
func (c *Classifier) evidence(cands []Candidate, m int, e float64, buf []UnitEdits) Evidence {
	ev := Evidence{Best: cands[0].Edits, Length: m, Units: buf[:0]}
	ev.Lambda = lambdaOf(e, ev.Best, m)
	adj := floorErrorFactor * e
	ev.InEM = identityOf(ev.Best, m) >= c.units.floor[c.units.of[cands[0].Ref]]-adj
	genus := c.refs[cands[0].Ref].Lineage[taxonomy.Genus]
	for _, cd := range cands {
		u := c.units.of[cd.Ref]
		if ev.InEM && identityOf(cd.Edits, m) < c.units.floor[u]-adj {
			if g := c.units.lineages[u][taxonomy.Genus]; ev.RivalGap == 0 && g != "" && g != genus {
				// Candidates come best first: the first is nearest. The
				// read misses the floor, so the gap is at least 1.
				ev.Rival = UnitEdits{Unit: u, Extra: cd.Edits - ev.Best}
				ev.RivalGap = max(1, cd.Edits-int32((1-(c.units.floor[u]-adj))*float64(m)))
			}
			continue
		}
		i, found := slices.BinarySearchFunc(ev.Units, u, func(x UnitEdits, u uint32) int { return int(x.Unit) - int(u) })
		if !found {
			ev.Units = slices.Insert(ev.Units, i, UnitEdits{Unit: u, Extra: cd.Edits - ev.Best})
		} // candidates come best first: the first of a unit is its best
	}
	return ev
}

// identityOf returns 1 − d/m, 0 for m = 0.
func identityOf(d int32, m int) float64 {
	if m == 0 {
		return 0
	}
	return max(0, 1-float64(d)/float64(m))
}
