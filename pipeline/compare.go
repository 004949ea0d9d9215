package pipeline

import (
	"context"
	"fmt"
	"slices"

	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/knowledge"
)

// CompareConfig is a before/after comparison of one person's two samples.
type CompareConfig struct {
	// Before and After are each a zonula sample output directory or a
	// one-sample table (abundance.tsv or BIOM).
	Before, After string
	Seed          uint64 // of the read-sampling simulation
	// Metadata is what the person reported: warning signs, age and lab
	// results put the see-a-clinician box first, as in the sample report.
	Metadata report.Metadata
	ReportOutput
}

// CompareResult is a finished comparison and the files written.
type CompareResult struct {
	Before, After cohort.Sample
	*cohort.Comparison
	Files []string // in OutDir
}

// CompareFile is the comparison's numbers, written beside its report.
const CompareFile = "compare.json"

// Compare loads the two samples, compares them at genus rank
// (cohort.Compare: Bray–Curtis beside read-sampling noise, diversity) and
// writes compare.json and the before/after report into cfg.OutDir, committed
// together.
func Compare(ctx context.Context, cfg CompareConfig) (*CompareResult, error) {
	started := clock(cfg.Now)().UTC()
	before, err := loadOneSample(cfg.Before)
	if err != nil {
		return nil, err
	}
	after, err := loadOneSample(cfg.After)
	if err != nil {
		return nil, err
	}
	c, err := cohort.Compare(before.Profile, after.Profile, cfg.Seed)
	if err != nil {
		return nil, &InputError{Path: before.Source + ", " + after.Source, Err: err}
	}
	var dbs []string
	for _, s := range []cohort.Sample{before, after} {
		if s.Database != "" && !slices.Contains(dbs, s.Database) {
			dbs = append(dbs, s.Database)
		}
	}
	slices.Sort(dbs)
	prov, err := cfg.provenance(started, []string{cfg.Before, cfg.After}, []string{before.Source, after.Source}, dbs)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	files, err := safefile.WriteAll(cfg.OutDir, "", func(stage *safefile.Stage) error {
		if err := writeJSON(stage, CompareFile, compareRecordOf(before, after, c, cfg.Seed)); err != nil {
			return err
		}
		return cfg.render(stage, func(kb *knowledge.Knowledge) (*report.Document, error) {
			defs := kb.IndexDefs()
			return report.BuildCompare(report.CompareInput{Provenance: prov, Comparison: c, Metadata: cfg.Metadata,
				Before: report.CompareSample{Name: before.Name, Source: before.Source, Profile: before.Profile, Measures: metrics.MeasureSample(before.Profile, defs, nil, nil)},
				After:  report.CompareSample{Name: after.Name, Source: after.Source, Profile: after.Profile, Measures: metrics.MeasureSample(after.Profile, defs, nil, nil)}}, kb)
		})
	})
	if err != nil {
		return nil, err
	}
	return &CompareResult{Before: before, After: after, Comparison: c, Files: files}, nil
}

// loadOneSample reads the single sample of a sample directory or table.
func loadOneSample(path string) (cohort.Sample, error) {
	s, err := cohort.Load([]string{path}, nil)
	if err != nil {
		return cohort.Sample{}, err
	}
	if len(s) != 1 {
		return cohort.Sample{}, &InputError{Path: path, Err: fmt.Errorf("%d samples, want one (a sample directory or a one-sample table)", len(s))}
	}
	return s[0], nil
}

// compareRecord is compare.json: the two samples' names, the Bray–Curtis
// dissimilarity of their genus shares beside the mean and 95th percentile
// of what read sampling alone gives at their depths, the expected genera at
// the smaller depth, both samples' alpha diversity, and how the sampling
// was simulated. Undefined values are null.
type compareRecord struct {
	Before          string        `json:"before"`
	After           string        `json:"after"`
	BrayCurtis      *float64      `json:"bray_curtis"`
	NoiseMean       *float64      `json:"bray_curtis_sampling_mean"`
	Noise95         *float64      `json:"bray_curtis_sampling_95"`
	Depth           int           `json:"depth"`
	ExpectedBefore  *float64      `json:"expected_genera_before"`
	ExpectedAfter   *float64      `json:"expected_genera_after"`
	AlphaBefore     metrics.Alpha `json:"alpha_before"`
	AlphaAfter      metrics.Alpha `json:"alpha_after"`
	Seed            uint64        `json:"seed"`
	SamplingDraws   int           `json:"sampling_draws"`
	SamplingMethods string        `json:"sampling_method"`
}

func compareRecordOf(before, after cohort.Sample, c *cohort.Comparison, seed uint64) compareRecord {
	return compareRecord{
		Before: before.Name, After: after.Name,
		BrayCurtis: metrics.FiniteOrNil(c.BrayCurtis), NoiseMean: metrics.FiniteOrNil(c.NoiseMean), Noise95: metrics.FiniteOrNil(c.Noise95),
		Depth: c.Depth, ExpectedBefore: metrics.FiniteOrNil(c.ExpectedBefore), ExpectedAfter: metrics.FiniteOrNil(c.ExpectedAfter),
		AlphaBefore: c.AlphaBefore, AlphaAfter: c.AlphaAfter, Seed: seed, SamplingDraws: cohort.NoiseDraws,
		SamplingMethods: "pairs of multinomial samples at both depths from the pooled genus shares; Bray–Curtis of each pair",
	}
}
