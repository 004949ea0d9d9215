package pipeline

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/report"
)

// BatchCohortDir is the subdirectory of a batch's output directory that
// holds the cohort report of its samples (a reserved sample name).
const BatchCohortDir = "cohort"

// writeBatchCohort writes the cohort report (Cohort, default analysis) of
// the samples done or up to date into DIR/cohort/, grouped by the
// samplesheet's group column (and paired by its subject column) when any
// sample has a group; samples without a group are then left out and named,
// as are failed samples the sheet groups. It records the result, or why
// there is none, in res: a cohort problem never fails the batch, whose
// per-sample outputs are complete.
func writeBatchCohort(ctx context.Context, cfg BatchConfig, res *BatchResult) {
	if ctx.Err() != nil {
		res.CohortSkipped = "the batch was interrupted"
		return
	}
	var inputs []string
	for _, o := range res.Samples {
		if o.Status == SampleDone || o.Status == SampleSkipped {
			inputs = append(inputs, filepath.Join(cfg.OutDir, o.Sample))
		}
	}
	if len(inputs) < 2 {
		res.CohortSkipped = fmt.Sprintf("%d sample(s) finished; a cohort report needs two or more", len(inputs))
		return
	}
	var groups *cohort.Groups
	for _, s := range cfg.Sheet.Samples {
		if s.Group == "" {
			continue
		}
		if groups == nil {
			groups = &cohort.Groups{File: cfg.Sheet.Source + " (group column)"}
		}
		groups.Entries = append(groups.Entries, cohort.GroupEntry{Sample: s.Name, Group: s.Group, Subject: s.Subject, Line: s.Line})
	}
	opt := cohort.DefaultOptions()
	opt.Threads = cfg.Threads
	run := cfg.Run
	r, err := Cohort(ctx, CohortConfig{
		Inputs: inputs, Groups: groups, Analysis: opt,
		ReportOutput: ReportOutput{OutDir: filepath.Join(cfg.OutDir, BatchCohortDir), HTML: run.HTML, PDF: run.PDF, PageSize: run.PageSize,
			Version: run.Version, Commit: run.Commit, Now: run.Now,
			Options: []report.Option{{Name: "samplesheet", Value: cfg.Sheet.Source}, {Name: "groups", Value: "samplesheet group column"}}},
	})
	if err != nil {
		res.CohortSkipped = err.Error()
		return
	}
	res.Cohort = r
}
