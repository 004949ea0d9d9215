package classify

import (
	"maps"
	"slices"

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

// floorErrorFactor scales the read's estimated error rate e before it is
// subtracted from an identity floor: an alignment of a read to its own
// source gene loses about e plus the alignment's own slack, and 1.2e kept
// held-out recall highest for the same share of absent genera given one in
// scripts/bench-classify.sh at 0.4 %, 3 % and 7.5 % error.
const floorErrorFactor = 1.2

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

// minGenusMargin is the least lead, in identity, the best reference's genus
// must have over every other genus for the read to be given a genus. On
// held-out type strains at 0.4 % error (scripts/bench-classify.sh) a lead
// below 0.0075 picked the wrong genus about a quarter of the time; at
// Nanopore error rates the tie window is wider than this anyway.
const minGenusMargin = 0.0075

// tieWindow returns δ, how far below the best identity I a reference may
// fall and still tie with it, for a read of error rate e:
//
//	δ = min(0.02, max(e, 1−I)/4).
//
// Read errors lower the identity to every reference alike, so differences
// between references stay informative at high error: on simulated reads a
// genus ahead of every other by 0.015 was right as often at 7.5 % error as
// at 0.4 %, hence the cap.
func tieWindow(e, identity float64) float64 {
	return min(0.02, max(e, 1-identity)/4)
}
