package metrics

import (
	"fmt"
	"math"
)

// CountMatrix is a samples × taxa table of counts: Counts[i][j] is the count
// (reads, or any non-negative abundance) of taxon Taxa[j] in sample
// Samples[i]. It is the input of every function that compares samples
// (distances, rarefaction of many samples, differential abundance). Sample
// and taxon names must be unique and non-empty; Validate checks the shape.
type CountMatrix struct {
	Samples []string
	Taxa    []string
	Counts  [][]float64
}

// Validate returns nil when the matrix is well formed: one row per sample,
// one value per taxon in every row, unique non-empty names, and every count
// finite and ≥ 0. The error names the sample and taxon at fault.
func (m *CountMatrix) Validate() error {
	if m == nil {
		return fmt.Errorf("metrics: nil count matrix")
	}
	if len(m.Counts) != len(m.Samples) {
		return fmt.Errorf("metrics: %d sample names but %d rows of counts", len(m.Samples), len(m.Counts))
	}
	if err := uniqueNames("sample", m.Samples); err != nil {
		return err
	}
	if err := uniqueNames("taxon", m.Taxa); err != nil {
		return err
	}
	for i, row := range m.Counts {
		if len(row) != len(m.Taxa) {
			return fmt.Errorf("metrics: sample %q has %d counts for %d taxa", m.Samples[i], len(row), len(m.Taxa))
		}
		for j, c := range row {
			if math.IsNaN(c) || math.IsInf(c, 0) || c < 0 {
				return fmt.Errorf("metrics: sample %q, taxon %q: count %g is not finite and ≥ 0", m.Samples[i], m.Taxa[j], c)
			}
		}
	}
	return nil
}

// uniqueNames checks that names are non-empty and distinct.
func uniqueNames(kind string, names []string) error {
	seen := make(map[string]int, len(names))
	for i, s := range names {
		if s == "" {
			return fmt.Errorf("metrics: %s %d has an empty name", kind, i+1)
		}
		if k, dup := seen[s]; dup {
			return fmt.Errorf("metrics: %s %q appears twice (positions %d and %d)", kind, s, k+1, i+1)
		}
		seen[s] = i
	}
	return nil
}

// rowTotals returns N_i = Σ_j Counts[i][j] for every sample.
func (m *CountMatrix) rowTotals() []float64 {
	t := make([]float64, len(m.Counts))
	for i, row := range m.Counts {
		t[i] = total(row)
	}
	return t
}
