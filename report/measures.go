package report

import (
	"fmt"
	"math"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
)

// RichnessDepth is the subsample size, in reads named to a genus, at which
// the "richness" metric is taken: Hurlbert's expected number of genera
// (metrics.ExpectedRichness), so that read depth does not bias comparisons
// with a reference set. It is below the genus-named reads of every sample of
// the embedded reference set (smallest: 221).
const RichnessDepth = 200

// CompositionOf turns a profile into the composition indices are computed
// from: its named taxa at every rank, shares of all reads counted at a rank.
func CompositionOf(p *tables.Profile) metrics.Composition {
	var taxa []metrics.TaxonReads
	var reads float64
	deepest := taxonomy.NoRank
	for _, row := range p.Rows {
		if row.Rank == taxonomy.Genus {
			reads += row.Reads // unclassified included
		}
		if row.Rank > deepest {
			deepest = row.Rank
		}
		if row.Taxon != tables.Unclassified && row.Reads > 0 {
			taxa = append(taxa, metrics.TaxonReads{Rank: row.Rank, Lineage: row.Lineage, Reads: row.Reads})
		}
	}
	if deepest < taxonomy.Genus {
		// A table cut above genus: count the reads at its deepest rank.
		for _, row := range p.AtRank(deepest) {
			reads += row.Reads
		}
	}
	return metrics.NewComposition(reads, deepest, taxa)
}

// Indices computes the indices of the knowledge base's measures (IDX-01
// GMHI-like, IDX-02 MDI-g, IDX-04 butyrate producers, the Pseudomonadota,
// Enterobacteriaceae, mucus-layer, sulfide-producer and oral-type shares), in
// its order, each with its drivers and, when cat is given, its coverage.
func Indices(c *metrics.Composition, kb *knowledge.Knowledge, cat *metrics.Catalogue) []metrics.IndexValue {
	var out []metrics.IndexValue
	for _, m := range kb.Measures {
		if d, ok := kb.IndexDef(m.Metric); ok {
			out = append(out, d.Compute(c, cat))
		}
	}
	return out
}

// ReferenceValues returns the values findings compare with a reference set,
// computed on the genus basis (metrics.Composition.GenusBasis: shares of the
// reads named to a genus), the only level a genus-table reference set has:
// "shannon" and "simpson" of the genus counts, "richness" (expected genera in
// RichnessDepth genus-named reads; missing when the sample has fewer or
// fractional counts), every measure of the knowledge base that can be
// computed at genus level, and the share of every barrier-related taxon
// ("taxon:T-07"). Measures defined by species (M. gnavus; the GMHI-like index
// needs a catalogue and is left out) are taken from the whole composition
// when it has a species level. A reference set made by the same function is
// compared like with like.
func ReferenceValues(c *metrics.Composition, kb *knowledge.Knowledge) map[string]float64 {
	g := c.GenusBasis()
	out := map[string]float64{}
	put := func(k string, v float64) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out[k] = v
		}
	}
	counts := g.GenusCounts()
	put("shannon", metrics.Shannon(counts))
	put("simpson", metrics.Simpson(counts))
	put("richness", metrics.ExpectedRichness(counts, RichnessDepth))
	keys := []string{}
	for _, m := range kb.Measures {
		keys = append(keys, m.Metric)
	}
	for _, t := range kb.Taxa {
		keys = append(keys, "taxon:"+t.ID)
	}
	for _, k := range keys {
		if _, done := out[k]; done {
			continue
		}
		d, ok := kb.IndexDef(k)
		if !ok {
			continue
		}
		basis := &g
		if d.Up.Species != nil || d.Down.Species != nil {
			basis = c // species are not on the genus basis: shares of all reads
		}
		if v := d.Compute(basis, nil); v.Computed {
			put(k, v.Value)
		}
	}
	return out
}

// MinReferenceSamples is the smallest cohort accepted as a reference set: a
// percentile among fewer samples moves in steps of more than 10.
const MinReferenceSamples = 10

// ReferenceFromProfiles makes a reference set from a cohort of profiles (a
// user's own healthy group, say), each reduced to ReferenceValues.
func ReferenceFromProfiles(name, source string, profiles []*tables.Profile, kb *knowledge.Knowledge) (*metrics.ReferenceSet, error) {
	if len(profiles) < MinReferenceSamples {
		return nil, fmt.Errorf("a reference set needs at least %d samples, got %d", MinReferenceSamples, len(profiles))
	}
	names := make([]string, len(profiles))
	rows := make([]map[string]float64, len(profiles))
	for i, p := range profiles {
		c := CompositionOf(p)
		names[i] = p.Sample
		if names[i] == "" {
			names[i] = fmt.Sprintf("sample %d", i+1)
		}
		rows[i] = ReferenceValues(&c, kb)
	}
	return metrics.NewReferenceSet(metrics.ReferenceMeta{Name: name, Source: source}, names, rows)
}
