package classify

import (
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// YarzaFloors returns the identity floors per rank from Yarza et al. 2014 (Nat Rev
// Microbiol 12:635): the median sequence identity at which two 16S genes
// still belong to the same taxon. Domain has no published value; 0.65 is
// zonula's choice, low enough for any 16S gene.
func YarzaFloors() [taxonomy.NumRanks]float64 {
	return [taxonomy.NumRanks]float64{
		taxonomy.Domain:  0.650,
		taxonomy.Phylum:  0.750,
		taxonomy.Class:   0.785,
		taxonomy.Order:   0.820,
		taxonomy.Family:  0.865,
		taxonomy.Genus:   0.945,
		taxonomy.Species: 0.987,
	}
}

// Genus floors derived from a database's cohesion values (GenusCohesion,
// see genusFloorsOf) are clamped to [minGenusFloor, maxGenusFloor], so that
// neither a misplaced reference nor a very tight genus sets an implausible
// bound, and a genus of one reference, whose spread the database cannot
// show, gets singletonGenusFloor. zonula's choices, measured with
// scripts/bench-classify.sh (held-out sequences and absent genera).
const (
	minGenusFloor       = 0.90
	maxGenusFloor       = 0.97
	singletonGenusFloor = 0.965
)

// cohesionPriorWeight is n₀ in genusFloorsOf: how many references' worth
// of weight the database's median cohesion has in a genus's floor. A genus
// of two references has one pair to show its spread, and one unusually
// distant (or close) pair would otherwise set its floor alone. 1 raised
// held-out genus recall and lowered the share of absent genera given a
// genus at once, at all three error rates, in scripts/bench-classify.sh's
// per-read data (0.5 and 2 did about as well; 4 cost recall).
const cohesionPriorWeight = 1

// genusFloorsOf returns each cohesive genus's floor: its cohesion c shrunk
// towards the median m of all the genera's cohesions by the number n of
// its references,
//
//	floor(g) = (n·c + n₀·m) / (n + n₀),  n₀ = cohesionPriorWeight,
//
// clamped to [minGenusFloor, maxGenusFloor]. Nil when cohesion is empty.
func genusFloorsOf(refs []refdb.Reference, cohesion map[string]float64) map[string]float64 {
	if len(cohesion) == 0 {
		return nil
	}
	members := map[string]int{}
	for _, r := range refs {
		if g := r.Lineage.Name(taxonomy.Genus); g != "" {
			members[g]++
		}
	}
	values := slices.Sorted(maps.Values(cohesion))
	median := values[len(values)/2]
	if len(values)%2 == 0 {
		median = (values[len(values)/2-1] + median) / 2
	}
	floors := make(map[string]float64, len(cohesion))
	for g, v := range cohesion {
		n := float64(members[g])
		floors[g] = min(max((n*v+cohesionPriorWeight*median)/(n+cohesionPriorWeight), minGenusFloor), maxGenusFloor)
	}
	return floors
}

// floorErrorFactor scales the read's error rate e before it is subtracted
// from an identity floor: an alignment of a read to its own source gene
// loses about e. It was 1.2, fitted on `zonula simulate` reads whose
// qualities understate their errors by about a quarter; on reads whose
// qualities match their errors (scripts/bench-community.sh), 1.2 gave
// reads of genera absent from the database a genus 2–8 times as often as
// 1.0 at Nanopore error (R9.4-like: 31 % against 3 % of a novel genus in
// a healthy community) for no gain in recall.
const floorErrorFactor = 1.0

// GenusFloor returns the identity floor a read must reach, before the
// error adjustment, to be assigned genus g: the Yarza floor when the
// database carries no cohesion values, else the genus's floor from its
// cohesion (genusFloorsOf), or singletonGenusFloor for a genus the
// database holds once.
func (c *Classifier) GenusFloor(g string) float64 {
	if c.genusFloors == nil {
		return c.opts.Floors[taxonomy.Genus]
	}
	v, ok := c.genusFloors[g]
	if !ok {
		return singletonGenusFloor
	}
	return v
}

// GenusFloorRange returns the least and greatest genus floor GenusFloor can
// return for this database.
func (c *Classifier) GenusFloorRange() (lo, hi float64) {
	if c.genusFloors == nil {
		return c.opts.Floors[taxonomy.Genus], c.opts.Floors[taxonomy.Genus]
	}
	return minGenusFloor, maxGenusFloor
}

// floor returns the identity floor at rank r for a read whose near ties
// share lineage lca.
func (c *Classifier) floor(r taxonomy.Rank, lca taxonomy.Lineage) float64 {
	if r == taxonomy.Genus {
		return c.GenusFloor(lca.Name(taxonomy.Genus))
	}
	return c.opts.Floors[r]
}

// Species calls. A read is named to a species only when it lies, beyond
// what its errors explain, clearly nearer that species' genes than half
// way to its nearest sister: with D the least distance (1 − identity)
// between a gene of the species and one of another species of its genus
// in the database (speciesFacts), the species floor is
//
//	1 − e − min(D/2, maxSpeciesSpread) + 2σ,  σ = √(e(1 − e)/m),
//
// σ the spread of a read's error count over m bases, and never below
// Yarza's 98.7 % − e. A species the database holds once is not named
// when another species of its genus lies within loneSisterRadius of that
// gene: one gene cannot show how far the species' genes vary, and in a
// genus that dense a read of a sister the database lacks looks like it
// (the bloom of scripts/bench-community.sh at 0.4 % error, Citrobacter
// freundii left out: 17 of 18 species calls of draw 1 were its reads named
// C. braakii, a single gene 0.1 % from C. freundii's). A lone gene far
// from its congeners (Akkermansia muciniphila in the embedded database) is
// named as any other species. The cap stands for sisters the database lacks:
// reads whose own species was left out of the database
// (scripts/bench-community.sh) lay 0.6–0.9 % beyond their errors from a
// sister (Escherichia albertii from E. boydii, Citrobacter freundii from
// C. braakii, Proteus mirabilis from P. penneri, whose nearest sister in
// the database is further), and Yarza's floor alone named the wrong
// species for a quarter of them; with σ rather than 2σ, reads of the mock
// and post-antibiotic communities at Nanopore error were named to the wrong
// species a third to a half of the time, as their error counts fall short
// of their qualities' by σ or more for one read in six. Where 2σ exceeds
// the cap (Nanopore error: e = 3 % over 1,500 bases gives 2σ = 0.9 %) no
// read is named to species: the floor then sits above 1 − e, and the only
// reads that pass are those whose errors fell short of their qualities' by
// chance, named to whichever sister they happen to lie nearest (Bacillus
// subtilis reads named B. amyloliquefaciens, 17 of 34 species calls in
// the mock at 7.5 % error). 16S cannot tell sisters apart there, and a
// wrong species name costs more than a genus.
func (c *Classifier) speciesFloor(l taxonomy.Lineage, e float64, m int) float64 {
	if m <= 0 {
		return 2 // unreachable
	}
	sigma := math.Sqrt(e * (1 - e) / float64(m))
	if 2*sigma > maxSpeciesSpread {
		return 2 // only reads whose error count fell short of their qualities' would pass
	}
	// Checked after the read's own limits: speciesFacts locks and, the
	// first time, aligns, which Nanopore reads need never wait for.
	sister, genes := c.speciesFacts(l)
	if genes < 2 && sister < loneSisterRadius {
		return 2
	}
	return max(c.opts.Floors[taxonomy.Species]-floorErrorFactor*e, 1-e-min(sister/2, maxSpeciesSpread)+2*sigma)
}

// maxSpeciesSpread caps, in speciesFloor, how far beyond its errors a read
// may lie from a species' genes to be named to it: half the 0.8 % that
// separates many sister species' genes.
const maxSpeciesSpread = 0.004

// loneSisterRadius is how near another species of its genus may lie
// before a species the database holds once is no longer named (twice
// Yarza's 1.3 % species spread, less the cap a read may lie beyond its
// errors).
const loneSisterRadius = 0.02

// sisterRefs bounds the genes of a species speciesFacts looks from.
const sisterRefs = 4

// speciesFacts returns, for the species (or group "A / B" of species) of
// lineage l, D, its distance to its nearest sister: the least distance,
// 1 − d/n (edit distance d, semi-global, over the gene's length n),
// between one of its genes (the first sisterRefs) and a gene of another
// species of its genus among those sharing most k-mers with it (its
// candidates, as a read's), or 1 when none lies within loneSisterRadius
// (beyond 2·maxSpeciesSpread speciesFloor takes the cap anyway); and how
// many genes name it. Computed once per species, when first needed.
func (c *Classifier) speciesFacts(l taxonomy.Lineage) (float64, int) {
	key := l.Truncate(taxonomy.Species).String()
	c.sisters.Lock()
	defer c.sisters.Unlock()
	if f, ok := c.sisters.facts[key]; ok {
		return f.dist, f.genes
	}
	if c.sisters.w == nil {
		c.sisters.w = c.NewWorker()
	}
	w := c.sisters.w
	names := strings.Split(l[taxonomy.Species], " / ")
	d, seen := 1.0, 0
	for _, i := range c.genusRefs[l[taxonomy.Genus]] {
		if !slices.Contains(names, c.refs[i].Lineage[taxonomy.Species]) {
			continue
		}
		if seen++; seen > sisterRefs {
			continue
		}
		seq := c.refs[i].Seq
		cands, _, _, ok := w.countCandidates(seq)
		if !ok {
			continue
		}
		w.al.setPattern(seq)
		n := float64(len(seq))
		for _, cd := range cands {
			other := c.refs[cd.ref].Lineage
			if other[taxonomy.Genus] != l[taxonomy.Genus] || other[taxonomy.Species] == "" || slices.Contains(names, other[taxonomy.Species]) {
				continue
			}
			k := int(min(d, loneSisterRadius) * n) // only nearer sisters matter
			if e := w.al.distanceWithin(c.refs[cd.ref].Seq, k); e <= k {
				d = min(d, float64(e)/n)
			}
		}
	}
	if c.sisters.facts == nil {
		c.sisters.facts = map[string]speciesFact{}
	}
	c.sisters.facts[key] = speciesFact{dist: d, genes: seen}
	return d, seen
}

// speciesFact is what speciesFacts caches for a species.
type speciesFact struct {
	dist  float64
	genes int
}
