package metrics

import (
	"fmt"
	"math"
	"slices"

	"github.com/zonula/zonula/pipeline/tables"
)

// RichnessDepth is the subsample size, in reads named to a genus, at which
// the "richness" reference value is taken: Hurlbert's expected number of
// genera (ExpectedRichness), so that read depth does not bias comparisons
// with a reference set. It is below the genus-named reads of every sample of
// the embedded reference set (smallest: 221).
const RichnessDepth = 200

// ReferenceValues returns the values findings compare with a reference set,
// computed on the genus basis (Composition.GenusBasis: shares of the reads
// named to a genus), the only level a genus-table reference set has:
// "shannon" and "simpson" of the genus counts, "richness" (expected genera in
// RichnessDepth genus-named reads; missing when the sample has fewer or
// fractional counts), every measure of defs that can be computed at genus
// level, and the share of every barrier-related taxon of defs ("taxon:T-07").
// Measures defined by species (M. gnavus; the GMHI-like index needs a
// catalogue and is left out) are taken from the whole composition when it
// has a species level. A reference set made by the same function is
// compared like with like.
func ReferenceValues(c *Composition, defs IndexDefs) map[string]float64 {
	g := c.GenusBasis()
	out := map[string]float64{}
	put := func(k string, v float64) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out[k] = v
		}
	}
	counts := g.GenusCounts()
	put("shannon", Shannon(counts))
	put("simpson", Simpson(counts))
	put("richness", ExpectedRichness(counts, RichnessDepth))
	for _, d := range slices.Concat(defs.Measures, defs.Taxa) {
		if _, done := out[d.ID]; done {
			continue
		}
		basis := &g
		if d.Up.Species != nil || d.Down.Species != nil {
			basis = c // species are not on the genus basis: shares of all reads
		}
		if v := d.Compute(basis, nil); v.Computed {
			put(d.ID, v.Value)
		}
	}
	return out
}

// MinReferenceSamples is the smallest cohort accepted as a reference set: a
// percentile among fewer samples moves in steps of more than 10.
const MinReferenceSamples = 10

// ReferenceFromProfiles makes a reference set from a cohort of profiles (a
// user's own healthy group, say), each reduced to its ReferenceValues under
// defs; matched says the cohort was made by the same pipeline as the samples
// to be placed in it (ReferenceMeta.Matched).
func ReferenceFromProfiles(name, source string, profiles []*tables.Profile, defs IndexDefs, matched bool) (*ReferenceSet, error) {
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
		rows[i] = ReferenceValues(&c, defs)
	}
	return NewReferenceSet(ReferenceMeta{Name: name, Source: source, Matched: matched}, names, rows)
}

// ReferenceDescription says which reference set a sample's percentiles are
// in, as a report names it.
type ReferenceDescription struct {
	Name   string   // with its size, as ReferenceSet.Name: "… (n = 61)"
	Source string   // where its data come from and how its values were made
	Note   string   // why positions in it are rough, "" when nothing is known against it
	Refs   []string // knowledge-base reference keys of its sources; nil when none
	// Matched says the set is method-matched: its percentiles decide
	// findings (ReferenceSet.Matched).
	Matched bool
	// Frame is the Frame of the findings its percentiles raise
	// (ReferenceFrame of its name without the size).
	Frame string
}

// Description describes the set for a report.
func (r *ReferenceSet) Description() ReferenceDescription {
	return ReferenceDescription{Name: r.Name(), Source: r.Source(), Note: r.Note(), Refs: r.Refs(),
		Matched: r.Matched(), Frame: ReferenceFrame(r.meta.Name)}
}
