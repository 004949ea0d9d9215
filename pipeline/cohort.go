package pipeline

import (
	"context"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/knowledge"
)

// CohortConfig is a cohort analysis: the samples, their groups, the
// analysis options, and where and how its outputs are written.
type CohortConfig struct {
	// Inputs are zonula abundance tables (abundance.tsv, BIOM 1.0), sample
	// output directories, or directories of them (a batch output).
	Inputs []string
	// GroupsFile assigns samples to groups and, optionally, subjects
	// (cohort.ReadGroups); GroupColumn and SubjectColumn name its columns
	// when it is a table with a header. Empty: no groups, unless Groups is
	// set instead (as Batch does from its samplesheet).
	GroupsFile, GroupColumn, SubjectColumn string
	Groups                                 *cohort.Groups
	// Read are the import options for the tables among Inputs (format,
	// orientation, taxonomy file, mothur label; cohort.TableReaderWith).
	Read     tables.ReadOptions
	Analysis cohort.Options
	ReportOutput
}

// ReportOutput says where and how a command over tables and sample
// directories (cohort, compare) writes: its directory, the report formats,
// and what its provenance records.
type ReportOutput struct {
	OutDir          string
	HTML, PDF       bool // write report.html, report.pdf
	PageSize        string
	Version, Commit string
	Options         []report.Option // as the user gave them, for provenance
	Now             func() time.Time
}

// CohortResult is a finished cohort analysis and the files written.
type CohortResult struct {
	*cohort.Result
	Files []string // in OutDir
}

// Cohort loads the samples and their groups, analyses them (cohort.Analyze:
// composition, distances, PCoA, alpha diversity and, with groups,
// PERMANOVA and differential genera) and writes the cohort tables and
// report into cfg.OutDir, all committed together (safefile.Stage). Problems
// with an input name it (*cohort.InputError, *cohort.ParseError,
// *tables.ParseError, *InputError).
func Cohort(ctx context.Context, cfg CohortConfig) (*CohortResult, error) {
	started := clock(cfg.Now)().UTC()
	samples, err := cohort.Load(cfg.Inputs, cohort.TableReaderWith(cfg.Read))
	if err != nil {
		return nil, err
	}
	groups, paths := cfg.Groups, slices.Clone(cfg.Inputs)
	if cfg.GroupsFile != "" {
		if groups, err = readGroupsFile(cfg.GroupsFile, cfg.GroupColumn, cfg.SubjectColumn); err != nil {
			return nil, err
		}
		paths = append(paths, cfg.GroupsFile)
	}
	res, err := cohort.Analyze(samples, groups, cfg.Analysis)
	if err != nil {
		return nil, err
	}
	var sources []string
	for _, s := range samples {
		sources = append(sources, s.Source)
	}
	prov, err := cfg.provenance(started, paths, sources, res.Databases)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	files, err := safefile.WriteAll(cfg.OutDir, "", func(stage *safefile.Stage) error {
		if err := res.WriteTables(stage); err != nil {
			return err
		}
		return cfg.render(stage, func(kb *knowledge.Knowledge) (*report.Document, error) {
			return report.BuildCohort(report.CohortInput{Provenance: prov, Result: res, GroupsFile: cfg.groupsSource()}, kb)
		})
	})
	if err != nil {
		return nil, err
	}
	return &CohortResult{Result: res, Files: files}, nil
}

// groupsSource names where the groups came from, for the report.
func (cfg CohortConfig) groupsSource() string {
	switch {
	case cfg.GroupsFile != "":
		return cfg.GroupsFile
	case cfg.Groups != nil:
		return cfg.Groups.File
	}
	return ""
}

// readGroupsFile reads a cohort's groups file.
func readGroupsFile(path, column, subjectColumn string) (*cohort.Groups, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &InputError{Path: path, Err: err}
	}
	defer f.Close()
	return cohort.ReadGroups(f, path, column, subjectColumn)
}

// provenance describes a run over tables and sample directories (cohort,
// compare): the inputs as given with their checksums (HashInputs, with the
// files read from directories in sources), the reference databases their
// run.json files name, the options, and the times.
func (o ReportOutput) provenance(started time.Time, paths, sources, databases []string) (report.Provenance, error) {
	p := report.Provenance{Program: "zonula", Version: o.Version, Commit: o.Commit, Options: o.Options, Started: started}
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
	p.Finished = clock(o.Now)().UTC()
	return p, nil
}

// render builds a document with the knowledge base and stages it as
// report.html and report.pdf, as asked; nothing when neither is.
func (o ReportOutput) render(stage *safefile.Stage, build func(*knowledge.Knowledge) (*report.Document, error)) error {
	if !o.HTML && !o.PDF {
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
	return renderReport(stage, doc, o.HTML, o.PDF, o.PageSize)
}

// clock returns now, or time.Now when nil.
func clock(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}
