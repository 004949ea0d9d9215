package metrics

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// TaxonReads is one named taxon of a sample at one rank.
type TaxonReads struct {
	Rank    taxonomy.Rank
	Lineage taxonomy.Lineage // down to Rank
	Reads   float64
}

// Composition is one sample's named taxa at every rank it was profiled at,
// with the reads they hold. The share of a taxon is its reads over Reads, the
// reads counted at each rank (unclassified reads included, so the named taxa
// of a rank may sum to less than 1). Indices are computed from it.
type Composition struct {
	Reads   float64        // reads counted at each rank, unclassified included
	Deepest taxonomy.Rank  // the deepest rank profiled (Species for reads, often Genus for tables)
	Taxa    []TaxonReads   // named taxa only, any order
	byRank  [][]TaxonReads // Taxa split by rank, filled by index
	indexed bool
}

// NewComposition returns a composition of taxa (named taxa only, each rank
// summing to at most reads) profiled down to deepest. The composition indexes
// taxa by rank once: do not change Taxa afterwards.
func NewComposition(reads float64, deepest taxonomy.Rank, taxa []TaxonReads) Composition {
	c := Composition{Reads: reads, Deepest: deepest, Taxa: taxa}
	c.index()
	return c
}

func (c *Composition) index() {
	if c.indexed {
		return
	}
	c.byRank = make([][]TaxonReads, taxonomy.NumRanks)
	for _, t := range c.Taxa {
		if t.Rank >= 0 && t.Rank < taxonomy.NumRanks && t.Reads > 0 {
			c.byRank[t.Rank] = append(c.byRank[t.Rank], t)
		}
	}
	for _, rows := range c.byRank {
		slices.SortFunc(rows, func(a, b TaxonReads) int {
			return cmp.Compare(a.Lineage.String(), b.Lineage.String())
		})
	}
	c.indexed = true
}

// At returns the named taxa of rank r, ordered by lineage.
func (c *Composition) At(r taxonomy.Rank) []TaxonReads {
	c.index()
	if r < 0 || r >= taxonomy.NumRanks {
		return nil
	}
	return c.byRank[r]
}

// share is reads / c.Reads, 0 for an empty composition.
func (c *Composition) share(reads float64) float64 {
	if c.Reads <= 0 {
		return 0
	}
	return reads / c.Reads
}

// GenusCounts returns the reads of each named genus, in lineage order: the
// counts alpha diversity at genus level is computed from.
func (c *Composition) GenusCounts() []float64 {
	rows := c.At(taxonomy.Genus)
	out := make([]float64, len(rows))
	for i, t := range rows {
		out[i] = t.Reads
	}
	return out
}

// GenusBasis returns the composition restricted to reads named to a genus:
// Reads becomes the sum of the genus counts, every rank above genus is
// rebuilt from the genus lineages (so each rank sums to 1), and nothing below
// genus is kept (Deepest = Genus). Reference sets made from genus tables are
// compared on this basis, since their unnamed reads differ in share from a
// full-length 16S sample's.
func (c *Composition) GenusBasis() Composition {
	genera := c.At(taxonomy.Genus)
	var reads float64
	above := map[string]*TaxonReads{}
	var taxa []TaxonReads
	for _, g := range genera {
		reads += g.Reads
		taxa = append(taxa, g)
		for r := taxonomy.Domain; r < taxonomy.Genus; r++ {
			if g.Lineage.Name(r) == "" {
				break
			}
			l := g.Lineage.Truncate(r)
			key := l.String()
			if t, ok := above[key]; ok {
				t.Reads += g.Reads
			} else {
				above[key] = &TaxonReads{Rank: r, Lineage: l, Reads: g.Reads}
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(above)) {
		taxa = append(taxa, *above[k])
	}
	return NewComposition(reads, taxonomy.Genus, taxa)
}

// PhylumOf returns the current name of a lineage's phylum: Bacillota for
// Firmicutes and so on (taxonomy.CurrentPhylum), and Desulfobacterota for the
// old class Deltaproteobacteria (Desulfovibrio, Bilophila), a phylum of its own
// since 2021 although old databases file it under Proteobacteria.
func PhylumOf(l taxonomy.Lineage) string {
	return l.Modernize().Name(taxonomy.Phylum)
}

// SpeciesKey normalises a species name for matching: "[Ruminococcus]
// gnavus", "Ruminococcus_gnavus" and "ruminococcus  gnavus" all give
// "ruminococcus gnavus".
func SpeciesKey(s string) string {
	s = strings.NewReplacer("[", "", "]", "", "_", " ").Replace(s)
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// Catalogue is the set of taxon names a reference database holds at genus
// and species rank (and the current phylum and family names), so that an
// index can say which of its taxa could be detected at all.
type Catalogue struct {
	names [taxonomy.NumRanks]map[string]bool
}

// NewCatalogue records the names of the given lineages (typically every
// reference sequence's lineage). Species names are kept as SpeciesKey.
func NewCatalogue(lineages []taxonomy.Lineage) *Catalogue {
	c := &Catalogue{}
	for r := range c.names {
		c.names[r] = map[string]bool{}
	}
	for _, l := range lineages {
		for r := taxonomy.Domain; r < taxonomy.NumRanks; r++ {
			n := l.Name(r)
			if n == "" {
				break
			}
			switch r {
			case taxonomy.Phylum:
				n = PhylumOf(l)
			case taxonomy.Species:
				n = SpeciesKey(n)
			}
			c.names[r][n] = true
		}
	}
	return c
}

// Has reports whether the catalogue holds a taxon of rank r named name
// (species compared by SpeciesKey, phyla by current name). A nil catalogue
// holds nothing.
func (c *Catalogue) Has(r taxonomy.Rank, name string) bool {
	if c == nil || r < 0 || r >= taxonomy.NumRanks {
		return false
	}
	switch r {
	case taxonomy.Species:
		name = SpeciesKey(name)
	case taxonomy.Phylum:
		name = taxonomy.CurrentPhylum(name)
	}
	return c.names[r][name]
}
