package metrics

import (
	"math"

	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
)

// IndexDefs are the definitions a knowledge base hands metrics
// (knowledge.Knowledge.IndexDefs): the indices and taxon shares
// MeasureSample computes, and the findings rules and robust bounds it
// applies to them.
type IndexDefs struct {
	// Measures are the knowledge base's measures in its order (IDX-01
	// GMHI-like, IDX-02 MDI-g, IDX-04 butyrate producers, the Pseudomonadota,
	// Enterobacteriaceae, mucus-layer, sulfide-producer and oral-type
	// shares): the indices of metrics.json and of the report's indices table.
	Measures []IndexDef
	// Taxa are the shares of the barrier-related taxa, "taxon:T-07", in the
	// knowledge base's order; a taxon that is also a measure has the
	// measure's definition.
	Taxa []IndexDef
	// Findings are the findings rules (science.md §5, §5a) in the
	// knowledge base's order; none raises no finding.
	Findings []FindingRule
	// Bounds are the robust bounds (RB-) the rules name.
	Bounds *BoundSet
}

// SampleMeasures is everything measured of one sample that its report and
// metrics.json state, computed once by MeasureSample so that the two cannot
// disagree.
type SampleMeasures struct {
	// Composition is the sample's profile as indices are computed from it
	// (CompositionOf): named taxa at every rank, shares of all reads counted
	// at a rank.
	Composition Composition
	// Indices are the values of IndexDefs.Measures, in their order, each
	// with its drivers and, when a catalogue was given, its coverage.
	Indices []IndexValue
	// TaxonShares are the values of IndexDefs.Taxa, in their order: each
	// barrier-related taxon's share of all reads counted at a rank.
	TaxonShares []IndexValue
	// ReferenceValues are the sample's values on the genus basis, as a
	// reference set holds them (ReferenceValues).
	ReferenceValues map[string]float64
	// Percentiles are where the ReferenceValues fall (0–100) in the
	// reference set, for each metric the set holds; nil when no set was
	// given.
	Percentiles map[string]float64
	// Reference describes the reference set of Percentiles; nil when none
	// was given.
	Reference *ReferenceDescription
	// CommunityType is the sample's community type (IDX-06, CommunityTypeOf).
	CommunityType CommunityType
	// GenusReads are the reads named to a genus.
	GenusReads float64
	// RarefiedGenera is the expected number of genera in
	// RarefiedGeneraDepth genus-named reads, or in all of them when there
	// are fewer but at least MinRarefiedGeneraReads (Hurlbert,
	// ExpectedRichness); NaN with fewer reads or counts that are not whole
	// (relative abundances). Robust bound RB-09 tests it.
	RarefiedGenera float64
	// GroupShannon is Shannon's H′ (natural log) over the sample's
	// genus-level groups: each named genus, and the reads named to a rank
	// above genus but not below it as one group per lineage (the
	// Ruminococcaceae not named to a genus, say), and the reads named to
	// no rank as one group (GroupShannonOf). It is how a genus-level table
	// of another tool holds a sample, unnamed rows included, and how the
	// robust bound on diversity (RB-08) was measured in healthy adults.
	GroupShannon float64
	// Findings are the findings raised (science.md §5, §5a), ranked
	// (RankFindings); nil when IndexDefs gave no rules.
	Findings []Finding
	// Matched says the reference set is method-matched, so that its
	// percentiles decide findings (ReferenceSet.Matched); without one the
	// robust bounds do.
	Matched bool
	// BoundsVersion is the version of the robust bounds applied, "" when
	// none were given.
	BoundsVersion string
}

// CommunityTypeMetric is the metric name of the community type (IDX-06), a
// categorical measure.
const CommunityTypeMetric = "IDX-06"

// RarefiedGeneraMetric names SampleMeasures.RarefiedGenera for findings
// rules and bounds.
const RarefiedGeneraMetric = "rarefied-genera"

// GroupShannonMetric names SampleMeasures.GroupShannon for findings rules
// and bounds.
const GroupShannonMetric = "shannon-groups"

// RarefiedGeneraDepth and MinRarefiedGeneraReads are the depth at which
// RarefiedGenera is taken and the fewest genus-named reads it is taken at
// (science.md §5a RB-09: 10,000 reads, or the sample's depth if ≥ 5,000).
const (
	RarefiedGeneraDepth    = 10000
	MinRarefiedGeneraReads = 5000
)

// Value returns the sample's value of a metric as findings rules and
// bounds name it: an index or taxon share (share of all reads counted at a
// rank), "shannon" (genus level, natural log), RarefiedGeneraMetric, or
// another reference value ("richness", "simpson"); false when the sample
// has none (not computed, or categorical).
func (m *SampleMeasures) Value(metric string) (float64, bool) {
	if v, ok := m.Index(metric); ok {
		return v.Value, v.Computed
	}
	switch metric {
	case RarefiedGeneraMetric:
		return m.RarefiedGenera, !math.IsNaN(m.RarefiedGenera)
	case GroupShannonMetric:
		return m.GroupShannon, !math.IsNaN(m.GroupShannon)
	}
	v, ok := m.ReferenceValues[metric]
	return v, ok
}

// Index returns the value of the index or taxon share with the given ID (a
// measure's metric, or "taxon:T-07"), measures first; false when it is
// neither.
func (m *SampleMeasures) Index(id string) (IndexValue, bool) {
	for _, list := range [][]IndexValue{m.Indices, m.TaxonShares} {
		for _, v := range list {
			if v.ID == id {
				return v, true
			}
		}
	}
	return IndexValue{}, false
}

// MeasureSample measures profile p: its composition, the indices and taxon
// shares of defs (with coverage in cat, which may be nil when the database
// is not known), its reference values, its percentiles in ref (nil for
// none), its community type, and the findings the rules of defs raise —
// against ref's percentiles when ref is method-matched, else against the
// robust bounds of defs.
func MeasureSample(p *tables.Profile, defs IndexDefs, cat *Catalogue, ref *ReferenceSet) *SampleMeasures {
	m := &SampleMeasures{Composition: CompositionOf(p)}
	c := &m.Composition
	for _, d := range defs.Measures {
		m.Indices = append(m.Indices, d.Compute(c, cat))
	}
	for _, d := range defs.Taxa {
		m.TaxonShares = append(m.TaxonShares, d.Compute(c, cat))
	}
	m.ReferenceValues = ReferenceValues(c, defs)
	if ref != nil {
		m.Percentiles = map[string]float64{}
		for k, v := range m.ReferenceValues {
			if p, ok := ref.Percentile(k, v); ok {
				m.Percentiles[k] = p
			}
		}
		d := ref.Description()
		m.Reference = &d
	}
	m.CommunityType = CommunityTypeOf(c)
	g := c.GenusBasis()
	counts := g.GenusCounts()
	m.GenusReads = total(counts)
	m.RarefiedGenera = math.NaN()
	if whole, ok := WholeCounts(counts); ok && m.GenusReads >= MinRarefiedGeneraReads {
		m.RarefiedGenera = ExpectedRichness(whole, min(RarefiedGeneraDepth, int(math.Round(m.GenusReads))))
	}
	m.GroupShannon = Shannon(GroupCounts(c))
	if defs.Bounds != nil {
		m.BoundsVersion = defs.Bounds.Version
	}
	m.Matched = ref != nil && ref.Matched()
	if len(defs.Findings) > 0 {
		m.Findings = raiseFindings(m, defs, ref)
	}
	return m
}

// GroupCounts returns the reads of a composition's genus-level groups, as
// SampleMeasures.GroupShannon counts them: every named genus; for every
// named taxon above genus, its reads less those of its named children one
// rank down (the reads named to it and no further), when positive; and the
// reads named to no rank (all reads less those named at the broadest rank
// any taxon has). Groups come in lineage order, rank by rank.
func GroupCounts(c *Composition) []float64 {
	children := map[string]float64{}
	for r := taxonomy.Phylum; r <= taxonomy.Genus; r++ {
		for _, t := range c.At(r) {
			children[t.Lineage.Truncate(r-1).String()] += t.Reads
		}
	}
	var out []float64
	named, top := 0.0, false // reads named at the broadest rank any taxon has
	for r := taxonomy.Domain; r <= taxonomy.Genus; r++ {
		rows := c.At(r)
		for _, t := range rows {
			own := t.Reads
			if r < taxonomy.Genus {
				own -= children[t.Lineage.String()]
			}
			if !top {
				named += t.Reads
			}
			if own > 1e-9*max(1, t.Reads) {
				out = append(out, own)
			}
		}
		top = top || len(rows) > 0
	}
	if u := c.Reads - named; u > 1e-9*max(1, c.Reads) {
		out = append(out, u)
	}
	return out
}

// CompositionOf turns a profile into the composition indices are computed
// from: its named taxa at every rank, shares of all reads counted at a rank.
func CompositionOf(p *tables.Profile) Composition {
	var taxa []TaxonReads
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
			taxa = append(taxa, TaxonReads{Rank: row.Rank, Lineage: row.Lineage, Reads: row.Reads})
		}
	}
	if deepest < taxonomy.Genus {
		// A table cut above genus: count the reads at its deepest rank.
		for _, row := range p.AtRank(deepest) {
			reads += row.Reads
		}
	}
	return NewComposition(reads, deepest, taxa)
}
