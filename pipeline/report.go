package pipeline

import (
	"context"
	"errors"
	"time"

	"github.com/zonula/zonula/pipeline/profile"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
)

// ReportProfile writes a sample's outputs from a profile imported from an
// abundance table (zonula report): abundance.tsv, profile.biom,
// metrics.json, the report and run.json, as Run writes them from reads, but
// no reads.tsv.gz or qc.json. cfg.Inputs names the table file (hashed into
// run.json); cfg.DB may be nil, in which case the indices' database
// coverage is unknown. Outputs appear in cfg.OutDir only when all are
// complete.
func ReportProfile(ctx context.Context, cfg Config, p *tables.Profile, table report.TableSource) (*Result, error) {
	if p == nil {
		return nil, errors.New("no profile")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sample == "" {
		cfg.Sample = p.Sample
	}
	started := cfg.Now()
	var inputs []report.InputFile
	for _, path := range cfg.Inputs {
		in, err := HashFile(path)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, in)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stage, err := safefile.NewStage(cfg.OutDir)
	if err != nil {
		return nil, err
	}
	defer stage.Discard()
	db := report.Database{Name: "not used by zonula: the table's own (" + table.Path + ")"}
	if cfg.DB != nil {
		db = DatabaseOf(cfg.DB, cfg.DBName)
	}
	prov := report.Provenance{
		Program: "zonula", Version: cfg.Version, Commit: cfg.Commit, Database: db,
		Options: cfg.Options, Inputs: inputs, Started: started.UTC(),
	}
	res := &Result{Sample: cfg.Sample, Result: profile.Result{Profile: p}}
	if err := writeSampleOutputs(stage, cfg, res, prov, &table, NoProgress{}); err != nil {
		return nil, err
	}
	return res, nil
}
