package classify

import (
	"slices"

	"github.com/zonula/zonula/taxonomy"
)

// assign gives a the rank-wise assignment Classify describes, from the
// aligned candidates cands and the best of them, top: the consensus of the
// references within δ of the best identity (tieWindow), narrowed at genus
// by those within minGenusMargin (tiedConsensus), cut to the deepest rank
// whose floor the identity reaches (supportedRank), with the tied species
// and the confidence.
func (c *Classifier) assign(a *Assignment, cands []candidate, top candidate) {
	delta := tieWindow(a.ErrorRate, top.identity)
	var ties []taxonomy.Lineage
	for _, cd := range cands {
		if cd.identity >= top.identity-delta {
			ties = append(ties, c.refs[cd.ref].Lineage)
		}
	}
	lca := c.tiedConsensus(cands, top, ties, delta)
	rank, below := c.supportedRank(lca, top.identity, a.ErrorRate)
	a.BelowFloor = below
	if rank == taxonomy.NoRank {
		return
	}
	a.Status = Classified
	a.Rank = rank
	a.Lineage = lca.Truncate(rank)
	if rank >= taxonomy.Genus && top.identity >= c.opts.Floors[taxonomy.Species]-floorErrorFactor*a.ErrorRate {
		a.Species = tiedSpecies(ties)
	}
	a.Confidence = c.confidence(cands, top.identity-2*delta, rank, a.Lineage.Name(rank))
}

// tiedConsensus returns the consensus of top's lineage with ties, the
// lineages of the references within delta of its identity. A genus is
// named only when every reference within minGenusMargin of the best that
// names a genus names the same; otherwise the lineage stops at what those
// references share.
func (c *Classifier) tiedConsensus(cands []candidate, top candidate, ties []taxonomy.Lineage, delta float64) taxonomy.Lineage {
	topLineage := c.refs[top.ref].Lineage
	lca := consensus(topLineage, ties)
	if margin := max(delta, minGenusMargin); margin > delta && lca.Depth() >= taxonomy.Genus {
		near := ties
		for _, cd := range cands {
			if cd.identity < top.identity-delta && cd.identity >= top.identity-margin {
				near = append(near, c.refs[cd.ref].Lineage)
			}
		}
		if wide := consensus(topLineage, near); wide.Depth() < taxonomy.Genus {
			lca = wide
		}
	}
	return lca
}

// supportedRank returns the deepest rank, from the domain down to lca's
// depth, whose identity floor (floor, lowered by floorErrorFactor·e) the
// identity reaches, or NoRank; and below, the broadest rank whose floor it
// misses, ranks deeper than lca's at their fixed floors, or NoRank.
func (c *Classifier) supportedRank(lca taxonomy.Lineage, identity, e float64) (rank, below taxonomy.Rank) {
	rank = taxonomy.NoRank
	for r := taxonomy.Domain; r <= lca.Depth(); r++ {
		if identity < c.floor(r, lca)-floorErrorFactor*e {
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

// confidence returns the share of cands with identity at least from that
// name taxon at rank, among those that name a taxon there: as in
// consensus, a reference that names none abstains, except at species.
func (c *Classifier) confidence(cands []candidate, from float64, rank taxonomy.Rank, taxon string) float64 {
	support, agree := 0, 0
	for _, cd := range cands {
		if name := c.refs[cd.ref].Lineage.Name(rank); cd.identity >= from && (name != "" || rank == taxonomy.Species) {
			support++
			if name == taxon {
				agree++
			}
		}
	}
	return float64(agree) / float64(support)
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

// tiedSpecies returns the sorted distinct species of the tied lineages, or
// nil when any of them names no species.
func tiedSpecies(ties []taxonomy.Lineage) []string {
	var out []string
	for _, l := range ties {
		sp := l[taxonomy.Species]
		if sp == "" {
			return nil
		}
		if !slices.Contains(out, sp) {
			out = append(out, sp)
		}
	}
	slices.Sort(out)
	return out
}
