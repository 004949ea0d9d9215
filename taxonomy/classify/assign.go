package classify

import "github.com/zonula/zonula/taxonomy"

// assign gives a its call as the read alone supports it (Decider.Decide
// with equal priors over the units of its Evidence): what reads.tsv.gz
// holds for reads that stay out of the community EM, and for every read of
// a caller that runs none.
func (w *Worker) assign(a *Assignment) {
	ev := &a.Evidence
	w.hyps = w.hyps[:0]
	for _, u := range ev.Units {
		w.hyps = append(w.hyps, Hypothesis{Lineage: w.c.units.lineages[u.Unit], Extra: u.Extra})
	}
	call := w.decider.Decide(w.hyps, ev, a.ErrorRate, w.c.opts.MinConfidence)
	a.BelowFloor = call.BelowFloor
	if call.Top >= 0 {
		a.Unit = ev.Units[call.Top].Unit
	}
	if call.Rank == taxonomy.NoRank {
		return
	}
	a.Status, a.Rank, a.Lineage, a.Confidence = Classified, call.Rank, call.Lineage, call.Confidence
}

// mixed marks a read whose halves favour references of different genera,
// of lowest common ancestor lca: it stays out of the community EM and its
// call is cut to lca, its confidence the posterior of the taxon cut to.
func (w *Worker) mixed(a *Assignment, lca taxonomy.Lineage) {
	a.Mixed, a.Evidence.InEM = true, false
	if a.Status != Classified || a.Rank <= lca.Depth() {
		return
	}
	a.Rank = min(a.Rank, lca.Depth())
	if a.Rank == taxonomy.NoRank {
		a.Status, a.Lineage, a.Confidence = Unclassified, taxonomy.Lineage{}, 0
		return
	}
	a.Lineage = a.Lineage.Truncate(a.Rank)
	a.Confidence = 0
	for i, u := range a.Evidence.Units {
		if w.c.units.lineages[u.Unit].Truncate(a.Rank) == a.Lineage {
			a.Confidence += w.decider.post[i]
		}
	}
	a.Confidence = min(a.Confidence, 1)
}

// supportedRank returns the deepest rank, from the domain down to lca's
// depth, whose identity floor (floor, lowered by floorErrorFactor·e; at
// species speciesFloor, for a read of m bases) the identity reaches, or
// NoRank; and below, the broadest rank whose floor it misses, ranks deeper
// than lca's at their fixed floors, or NoRank.
func (c *Classifier) supportedRank(lca taxonomy.Lineage, identity, e float64, m int) (rank, below taxonomy.Rank) {
	rank = taxonomy.NoRank
	for r := taxonomy.Domain; r <= lca.Depth(); r++ {
		floor := c.floor(r, lca) - floorErrorFactor*e
		if r == taxonomy.Species {
			floor = max(floor, c.speciesFloor(lca, e, m))
		}
		if identity < floor {
			return rank, r
		}
		rank = r
	}
	for r := lca.Depth() + 1; r < taxonomy.NumRanks; r++ {
		if identity < c.opts.Floors[r]-floorErrorFactor*e {
			return rank, r
		}
	}
	return rank, taxonomy.NoRank
}

// consensus returns the part of the best reference's lineage best that the
// near-tied references' lineages ls agree with: rank by rank from the
// domain down, best's name is kept while every lineage in ls names the same
// taxon or names none at that rank. A lineage that stops above a rank
// abstains there instead of disagreeing: large databases leave ranks unnamed
// where the taxon is unknown (SILVA's "uncultured" genera, which end a
// lineage in zonula), and such a reference says nothing against the genus
// its named neighbours share. The best reference itself must name the rank,
// so a read closest to an unnamed lineage is not given its neighbours'
// name. Species, whose names are missing for most environmental sequences,
// are kept only when every lineage names the same one. For databases whose
// lineages are all complete (the embedded one to genus) this is the lowest
// common ancestor of best and ls.
func consensus(best taxonomy.Lineage, ls []taxonomy.Lineage) taxonomy.Lineage {
	depth := taxonomy.NoRank
	for r := taxonomy.Domain; r < taxonomy.NumRanks && best[r] != ""; r++ {
		for _, l := range ls {
			if l[r] != best[r] && (l[r] != "" || r == taxonomy.Species) {
				return best.Truncate(depth)
			}
		}
		depth = r
	}
	return best.Truncate(depth)
}

// SupportedLineage returns l cut to the deepest rank whose identity floor,
// for a read of m bases at error rate e, identity reaches (as a call is
// cut; see supportedRank); an empty lineage when not even the domain's.
func (c *Classifier) SupportedLineage(l taxonomy.Lineage, identity, e float64, m int) taxonomy.Lineage {
	r, _ := c.supportedRank(l, identity, e, m)
	return l.Truncate(r)
}
