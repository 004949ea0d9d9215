package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/htmlout"
	"github.com/zonula/zonula/report/pdfout"
	"github.com/zonula/zonula/taxonomy"
)

// finish turns a sample's profile in res into its outputs: genus alpha
// diversity, indices and percentiles, abundance.tsv, profile.biom,
// metrics.json, qc.json (for reads only), the report, and run.json last; all
// are written into stage and then moved into cfg.OutDir. table is nil for a
// run from reads and describes the imported table otherwise.
func finish(stage string, cfg Config, res *Result, prov report.Provenance, table *report.TableSource, prog Progress) error {
	prog.Stage("metrics")
	genus := res.Profile.AtRank(taxonomy.Genus)
	counts := make([]float64, 0, len(genus))
	for _, row := range genus {
		if row.Taxon != tables.Unclassified {
			counts = append(counts, row.Reads)
		}
	}
	res.Alpha = metrics.AlphaOf(counts, taxonomy.Genus.String())
	if table != nil && table.Relative {
		// Relative abundances carry no singletons or doubletons.
		res.Alpha.Chao1, res.Alpha.ACE, res.Alpha.GoodsCoverage = math.NaN(), math.NaN(), math.NaN()
	}
	kb, ref, m, err := measureSample(cfg, res)
	if err != nil {
		return err
	}
	prov.Finished = cfg.Now().UTC()
	if err := writeTables(stage, cfg, res, prov, ref, table == nil); err != nil {
		return err
	}
	if table == nil && !cfg.NoMultiQC {
		if _, err := qc.WriteMultiQCFiles(stage, cfg.Sample, res.QC, res.Classification.AssignedAt[taxonomy.Genus]); err != nil {
			return fmt.Errorf("MultiQC files: %w", err)
		}
	}
	if cfg.HTML || cfg.PDF {
		prog.Stage("report")
		doc, err := report.Build(report.Input{
			Sample: cfg.Sample, Provenance: prov, Profile: res.Profile, Alpha: res.Alpha,
			QC: res.QC, Classification: res.Classification, Metadata: cfg.Metadata,
			Measures: m, Table: table,
		}, kb)
		if err != nil {
			return fmt.Errorf("building report: %w", err)
		}
		if cfg.HTML {
			if err := safefile.Write(filepath.Join(stage, "report.html"), func(w io.Writer) error { return htmlout.Render(w, doc) }); err != nil {
				return fmt.Errorf("report.html: %w", err)
			}
		}
		if cfg.PDF {
			opts := pdfout.Options{PageSize: cfg.PageSize}
			if err := safefile.Write(filepath.Join(stage, "report.pdf"), func(w io.Writer) error { return pdfout.Render(w, doc, opts) }); err != nil {
				return fmt.Errorf("report.pdf: %w", err)
			}
		}
	}
	// run.json last: its presence says the outputs beside it are complete.
	prov.Finished = cfg.Now().UTC()
	if err := writeJSON(filepath.Join(stage, "run.json"), runRecord{Sample: cfg.Sample, Provenance: prov}); err != nil {
		return err
	}
	entries, err := os.ReadDir(stage)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(stage, e.Name()), filepath.Join(cfg.OutDir, e.Name())); err != nil {
			return fmt.Errorf("moving %s into place: %w", e.Name(), err)
		}
		res.Files = append(res.Files, e.Name())
	}
	return nil
}

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
		in, err := hashFile(path)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, in)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	stage, err := os.MkdirTemp(cfg.OutDir, ".zonula-partial-")
	if err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	defer os.RemoveAll(stage)
	db := report.Database{Name: "not used by zonula: the table's own (" + table.Path + ")"}
	if cfg.DB != nil {
		db = DatabaseOf(cfg.DB, cfg.DBName)
	}
	prov := report.Provenance{
		Program: "zonula", Version: cfg.Version, Commit: cfg.Commit, Database: db,
		Options: cfg.Options, Inputs: inputs, Started: started.UTC(),
	}
	res := &Result{Sample: cfg.Sample, Profile: p}
	if err := finish(stage, cfg, res, prov, &table, NoProgress{}); err != nil {
		return nil, err
	}
	return res, nil
}

// hashFile returns a file's size and sha256 for run.json.
func hashFile(path string) (report.InputFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return report.InputFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return report.InputFile{}, fmt.Errorf("%s: %w", path, err)
	}
	return report.InputFile{Path: path, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
