package pipeline

import (
	"context"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/knowledge"
)

// CohortConfig is a cohort analysis: the samples, their groups, the
// analysis options, and where and how its outputs are written.
type CohortConfig struct {
	// Inputs are zonula abundance tables (abundance.tsv, BIOM 1.0), sample
	// output directories, or directories of them (a batch output).
	Inputs []string
	// GroupsFile assigns each sample to a group (cohort.ReadGroups);
	// GroupColumn names its group column when it is a table with a header.
	GroupsFile, GroupColumn string
	Analysis                cohort.Options
	OutDir                  string
	HTML, PDF               bool // write report.html, report.pdf
	PageSize                string
	Version, Commit         string
	Options                 []report.Option // as the user gave them, for provenance
	Now                     func() time.Time
}

// CohortResult is a finished cohort analysis and the files written.
type CohortResult struct {
	*cohort.Result
	Files []string // in OutDir
}

// Cohort loads the samples and their groups, analyses them (cohort.Analyze:
// composition, distances, PCoA, PERMANOVA, alpha diversity, differential
// genera) and writes the cohort tables and report into cfg.OutDir, all
// committed together (safefile.Stage). Problems with an input name it
// (*cohort.InputError, *cohort.ParseError, *tables.ParseError, *InputError).
func Cohort(ctx context.Context, cfg CohortConfig) (*CohortResult, error) {
	now := clock(cfg.Now)
	started := now().UTC()
	samples, err := cohort.Load(cfg.Inputs, nil)
	if err != nil {
		return nil, err
	}
	groups, err := readGroupsFile(cfg.GroupsFile, cfg.GroupColumn)
	if err != nil {
		return nil, err
	}
	res, err := cohort.Analyze(samples, groups, cfg.Analysis)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stage, err := safefile.NewStage(cfg.OutDir)
	if err != nil {
		return nil, err
	}
	defer stage.Discard()
	if err := res.WriteTables(stage); err != nil {
		return nil, err
	}
	var sources []string
	for _, s := range samples {
		sources = append(sources, s.Source)
	}
	prov, err := tableProvenance(cfg.Version, cfg.Commit, cfg.Options, started, append(slices.Clone(cfg.Inputs), cfg.GroupsFile), sources, res.Databases)
	if err != nil {
		return nil, err
	}
	prov.Finished = now().UTC()
	if err := renderWith(stage, cfg.HTML, cfg.PDF, cfg.PageSize, func(kb *knowledge.Knowledge) (*report.Document, error) {
		return report.BuildCohort(report.CohortInput{Provenance: prov, Result: res, GroupsFile: cfg.GroupsFile}, kb)
	}); err != nil {
		return nil, err
	}
	files, err := stage.Commit("")
	if err != nil {
		return nil, err
	}
	return &CohortResult{Result: res, Files: files}, nil
}

// readGroupsFile reads a cohort's groups file.
func readGroupsFile(path, column string) (*cohort.Groups, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &InputError{Path: path, Err: err}
	}
	defer f.Close()
	return cohort.ReadGroups(f, path, column)
}

// tableProvenance describes a run over tables and sample directories
// (cohort, compare): the inputs as given with their checksums (HashInputs,
// with the files read from directories in sources), the reference
// databases their run.json files name, and the options.
func tableProvenance(version, commit string, opts []report.Option, started time.Time, paths, sources, databases []string) (report.Provenance, error) {
	p := report.Provenance{Program: "zonula", Version: version, Commit: commit, Options: opts, Started: started}
	switch len(databases) {
	case 0:
		p.Database.Name = "not recorded (tables without run.json)"
	case 1:
		p.Database.Name = databases[0]
	default:
		p.Database.Name = "several: " + strings.Join(databases, "; ")
	}
	inputs, err := HashInputs(paths, sources)
	if err != nil {
		return p, err
	}
	p.Inputs = inputs
	return p, nil
}

// renderWith builds a document with the knowledge base and stages it as
// report.html and report.pdf, as asked; nothing when neither is.
func renderWith(stage *safefile.Stage, html, pdf bool, pageSize string, build func(*knowledge.Knowledge) (*report.Document, error)) error {
	if !html && !pdf {
		return nil
	}
	kb, err := knowledge.Load()
	if err != nil {
		return err
	}
	doc, err := build(kb)
	if err != nil {
		return err
	}
	return renderReport(stage, doc, html, pdf, pageSize)
}

// clock returns now, or time.Now when nil.
func clock(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}
