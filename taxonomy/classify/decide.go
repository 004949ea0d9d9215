package classify

import (
	"cmp"
	"math"
	"slices"

	"github.com/zonula/zonula/taxonomy"
)

// Hypothesis is one explanation of a read that a call weighs: a unit, or a
// group of units the data cannot tell apart (Abundance), its extra edits
// over the read's best reference, and its prior weight (the unit's
// abundance after the community EM; equal weights for a read judged alone).
type Hypothesis struct {
	Lineage taxonomy.Lineage
	Extra   int32
	Prior   float64
}

// Call is the outcome of weighing a read's hypotheses (Classifier.Decide).
type Call struct {
	Lineage    taxonomy.Lineage // cut at Rank
	Rank       taxonomy.Rank    // NoRank when no rank is supported
	Confidence float64          // posterior of the called taxon
	BelowFloor taxonomy.Rank    // as Assignment.BelowFloor
	// Identity is the read's identity to the best reference of the
	// hypotheses the call rests on.
	Identity float64
	// Top is the index of the most probable hypothesis, whose lineage the
	// call's is a part of; −1 when there were none.
	Top int
}

// Decider weighs hypotheses for one goroutine; it reuses its buffers.
type Decider struct {
	c     *Classifier
	post  []float64
	order []int
	ls    []taxonomy.Lineage
}

// NewDecider returns a Decider for this classifier.
func (c *Classifier) NewDecider() *Decider { return &Decider{c: c} }

// Posterior returns the posteriors of the last Decide's hypotheses, in
// their order; valid until the next call.
func (d *Decider) Posterior() []float64 { return d.post }

// Decide calls a read from its hypotheses hs, given its Evidence ev (for
// λ, the best edits and the length), its error rate e and the confidence
// level. Each hypothesis's posterior is
//
//	P(h | r) = w_h·exp(−λ·extra_h) / Σ_k w_k·exp(−λ·extra_k),
//
// w the priors (taken as equal when they sum to 0). The hypotheses are
// ranked by posterior (then by lineage), and the fewest from the top whose
// posteriors sum to at least level are kept: the call is their consensus
// (the lowest common ancestor, in which a lineage that names no taxon at a
// rank abstains there; see consensus), cut to the deepest rank whose floor
// the read's identity to the best of them reaches (supportedRank). A genus
// is thus named only when the posterior of that genus is at least level;
// otherwise the call is the lowest common ancestor of the genera needed to
// reach it. Nor is a genus named when another genus comes within the
// divergence margin (divergenceMargin): the call is then the common
// ancestor of the two. Confidence is the posterior of the called taxon:
// the summed posteriors of the hypotheses whose lineage names it.
func (d *Decider) Decide(hs []Hypothesis, ev *Evidence, e, level float64) Call {
	call := Call{Rank: taxonomy.NoRank, BelowFloor: taxonomy.NoRank, Top: -1}
	if len(hs) == 0 {
		return call
	}
	d.weigh(hs, ev.Lambda)
	call.Top = d.order[0]
	post := d.post
	var mass float64
	n := 0
	extra := hs[d.order[0]].Extra
	for _, i := range d.order {
		mass += post[i]
		extra = min(extra, hs[i].Extra)
		n++
		if mass >= level-1e-12 {
			break
		}
	}
	lca := hs[d.order[0]].Lineage
	if n > 1 {
		d.ls = d.ls[:0]
		for _, i := range d.order[1:n] {
			d.ls = append(d.ls, hs[i].Lineage)
		}
		lca = consensus(lca, d.ls)
	}
	if lca.Depth() >= taxonomy.Genus {
		if next, ok := d.nearestOtherGenus(hs, lca, ev, e); ok {
			lca = consensus(lca, []taxonomy.Lineage{next})
		}
	}
	call.Identity = identityOf(ev.Best+extra, ev.Length)
	call.Rank, call.BelowFloor = d.c.supportedRank(lca, call.Identity, e, ev.Length)
	if call.Rank == taxonomy.NoRank {
		return call
	}
	call.Lineage = lca.Truncate(call.Rank)
	for i, h := range hs {
		if h.Lineage.Truncate(call.Rank) == call.Lineage {
			call.Confidence += post[i]
		}
	}
	call.Confidence = min(call.Confidence, 1)
	return call
}

// divergenceMargin is γ in Decide's genus margin: a genus is named only
// when every other genus the read reaches costs at least
//
//	γ·(δ + σ)  more edits,  δ = max(0, d_best − ε·m),  σ = √(m·ε(1 − ε)),
//
// δ the edits the read's errors do not explain and σ the spread of its
// error count (ε and m as in Evidence). A read of a species the database
// lacks lies about as far from its own genus as from the next, and the
// community's abundances then pull it to whichever is commoner: in the
// Enterobacteriaceae bloom of scripts/bench-community.sh, Klebsiella
// oxytoca reads 23 edits beyond their errors from Citrobacter and 28 from
// Enterobacter were called Citrobacter at 0.99. On that bloom (one draw) γ
// = 0.5 raised genus precision from 0.93/0.93/0.92 to 1.000/0.999/0.994
// (HiFi/R10/R9.4-like) at recall within 0.005; on held-out type strains
// judged alone, from 0.98 to 0.996 for 3–5 points of recall. Reads that lie
// within their errors of a reference (δ ≈ 0) keep a margin of σ/2, which
// the abundances decide within: the tie of a Klebsiella read with
// Raoultella in a sample without Raoultella goes to Klebsiella.
const divergenceMargin = 0.5

// nearestOtherGenus returns the lineage of the hypothesis of another genus
// than lca's (naming one) that costs the fewest extra edits when it costs
// fewer than divergenceMargin requires over lca's genus; ok is false
// otherwise. The read's Rival, a genus whose floor the read misses, counts
// as such a hypothesis when it also lies within that margin of its floor
// (RivalGap): a read of a genus the database lacks, 4.7 % from Desulfuromusa
// (whose floor is 94.4 %) and 11 edits further from Malonomonas (96.5 %),
// is not named Desulfuromusa; a read 9 % from the nearest Prevotella gene,
// within that wide genus's floor, keeps its genus beside a tighter genus
// of its family whose floor it misses by 5 %.
func (d *Decider) nearestOtherGenus(hs []Hypothesis, lca taxonomy.Lineage, ev *Evidence, e float64) (next taxonomy.Lineage, ok bool) {
	g := lca[taxonomy.Genus]
	own, nearest := int32(math.MaxInt32), int32(math.MaxInt32)
	for _, h := range hs {
		switch name := h.Lineage[taxonomy.Genus]; {
		case name == g:
			own = min(own, h.Extra)
		case name != "" && h.Extra < nearest:
			next, nearest = h.Lineage, h.Extra
		}
	}
	eps := min(max(e, 0.001), maxErrorRate)
	m := float64(ev.Length)
	div := max(0, float64(ev.Best)-eps*m)
	margin := divergenceMargin * (div + math.Sqrt(m*eps*(1-eps)))
	if r := ev.Rival; ev.RivalGap > 0 && r.Extra < nearest && float64(ev.RivalGap) < margin {
		if l := d.c.units.lineages[r.Unit]; l[taxonomy.Genus] != g {
			next, nearest = l, r.Extra
		}
	}
	if nearest == math.MaxInt32 {
		return next, false
	}
	return next, float64(nearest-own) < margin
}

// weigh sets d.post to the hypotheses' posteriors and d.order to their
// indices by decreasing posterior, ties by lineage.
func (d *Decider) weigh(hs []Hypothesis, lambda float64) {
	var total float64
	for _, h := range hs {
		total += h.Prior
	}
	weight := func(h Hypothesis) float64 {
		if total <= 0 {
			return 1
		}
		return h.Prior
	}
	// Exponents are taken from the fewest extra edits among hypotheses
	// of positive weight, so that one of them weighs exp(0) and z > 0.
	least := int32(math.MaxInt32)
	for _, h := range hs {
		if weight(h) > 0 {
			least = min(least, h.Extra)
		}
	}
	d.post = slices.Grow(d.post[:0], len(hs))[:len(hs)]
	d.order = d.order[:0]
	var z float64
	for i, h := range hs {
		d.post[i] = weight(h) * math.Exp(-lambda*float64(h.Extra-least))
		z += d.post[i]
		d.order = append(d.order, i)
	}
	for i := range d.post {
		d.post[i] /= z
	}
	slices.SortFunc(d.order, func(a, b int) int {
		return cmp.Or(cmp.Compare(d.post[b], d.post[a]), compareLineages(hs[a].Lineage, hs[b].Lineage))
	})
}

// compareLineages orders lineages rank by rank, by name.
func compareLineages(a, b taxonomy.Lineage) int {
	for r := range a {
		if c := cmp.Compare(a[r], b[r]); c != 0 {
			return c
		}
	}
	return 0
}
