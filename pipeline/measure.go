package pipeline

import (
	"fmt"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// measureSample measures the sample's profile (metrics.MeasureSample): its
// health indices with their coverage in cfg.DB, and its percentiles in the
// reference set (cfg.Reference or the embedded one). It records the indices
// and percentiles metrics.json states in res, and returns what the report
// needs: the knowledge base, the reference set and the measures.
func measureSample(cfg Config, res *Result) (*knowledge.Knowledge, *metrics.ReferenceSet, *metrics.SampleMeasures, error) {
	kb, err := knowledge.Load()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("knowledge base: %w", err)
	}
	ref := cfg.Reference
	if ref == nil {
		if ref, err = metrics.EmbeddedReferenceSet(); err != nil {
			return nil, nil, nil, fmt.Errorf("embedded reference set: %w", err)
		}
	}
	cat := cfg.Catalogue // nil: coverage unknown (a table without its database)
	if cat == nil && cfg.DB != nil {
		cat = catalogueOf(cfg.DB)
	}
	m := metrics.MeasureSample(res.Profile, kb.IndexDefs(), cat, ref)
	res.Indices, res.Percentiles = m.Indices, m.Percentiles
	return kb, ref, m, nil
}

// catalogueOf returns the genus catalogue of db's references, against
// which index coverage is counted (metrics.NewCatalogue).
func catalogueOf(db *refdb.DB) *metrics.Catalogue {
	lineages := make([]taxonomy.Lineage, len(db.Refs))
	for i, r := range db.Refs {
		lineages[i] = r.Lineage
	}
	return metrics.NewCatalogue(lineages)
}
