package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/profile"
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
)

// writeSampleOutputs turns a sample's profile in res into its outputs:
// genus alpha diversity, indices and percentiles, abundance.tsv,
// profile.biom, metrics.json, qc.json and the MultiQC files (for reads
// only), the report, and run.json; all are staged and then committed into
// cfg.OutDir, run.json last. table is nil for a run from reads and
// describes the imported table otherwise. Cancelled (ctx) before the
// commit, it commits nothing and returns ctx's error.
func writeSampleOutputs(ctx context.Context, stage *safefile.Stage, cfg Config, res *Result, prov report.Provenance, table *report.TableSource, prog Progress) error {
	prog.Stage("metrics")
	res.Alpha = genusAlpha(res.Profile, table != nil && table.Relative)
	kb, ref, m, err := measureSample(cfg, res)
	if err != nil {
		return err
	}
	prov.Finished = cfg.Now().UTC()
	if err := writeTables(stage, cfg, res, prov, ref, m, kb, table == nil); err != nil {
		return err
	}
	if table == nil && !cfg.NoMultiQC {
		if _, err := qc.WriteMultiQCFiles(stage.Dir(), cfg.Sample, res.QC, res.Classification.AssignedAt[taxonomy.Genus]); err != nil {
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
		if err := renderReport(stage, doc, cfg.HTML, cfg.PDF, cfg.PageSize); err != nil {
			return err
		}
	}
	// run.json last: its presence says the outputs beside it are complete.
	prov.Finished = cfg.Now().UTC()
	if err := writeJSON(stage, "run.json", runRecord{Sample: cfg.Sample, Provenance: prov}); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	res.Files, err = stage.Commit("run.json")
	return err
}

// genusAlpha is the alpha diversity of a profile's named genera. Relative
// abundances carry no singletons or doubletons, so their Chao1, ACE and
// Good's coverage are NaN.
func genusAlpha(p *tables.Profile, relative bool) metrics.Alpha {
	genus := p.AtRank(taxonomy.Genus)
	counts := make([]float64, 0, len(genus))
	for _, row := range genus {
		if row.Taxon != tables.Unclassified {
			counts = append(counts, row.Reads)
		}
	}
	if whole, ok := metrics.WholeCounts(counts); ok {
		counts = whole // sums of EM weights or another tool's float noise: whole reads
	}
	a := metrics.AlphaOf(counts, taxonomy.Genus.String())
	if relative {
		a.Chao1, a.ACE, a.GoodsCoverage = math.NaN(), math.NaN(), math.NaN()
	}
	return a
}

// writeTables stages abundance.tsv, profile.biom, metrics.json (with the
// findings of m and the guidance the report shows, report.GuidanceIDs) and,
// with withQC, qc.json.
func writeTables(stage *safefile.Stage, cfg Config, res *Result, prov report.Provenance, ref *metrics.ReferenceSet, m *metrics.SampleMeasures, kb *knowledge.Knowledge, withQC bool) error {
	if err := writeProfileFiles(stage, res.Profile, cfg.Version, cfg.BIOMFormat); err != nil {
		return err
	}
	rec := metricsRecord{Sample: cfg.Sample, Version: cfg.Version, Database: prov.Database, Alpha: map[string]metrics.Alpha{"genus": res.Alpha},
		Indices: res.Indices, Percentiles: percentilesRecord{Reference: ref.Name(), N: ref.N(), Source: ref.Source(), Matched: ref.Matched(),
			Basis: "shares of reads named to a genus (species-defined measures: of all reads)", Values: res.Percentiles},
		Frame:    frameRecord{Reference: ref.Name(), Matched: ref.Matched(), BoundsVersion: m.BoundsVersion},
		Findings: m.Findings, Guidance: report.GuidanceIDs(m, cfg.Metadata, kb)}
	if rec.Findings == nil {
		rec.Findings = []metrics.Finding{}
	}
	if err := writeJSON(stage, "metrics.json", rec); err != nil {
		return err
	}
	if !withQC {
		return nil
	}
	q := qcRecord{Sample: cfg.Sample, Version: cfg.Version, Database: prov.Database, Options: cfg.QC, Primers: cfg.Primers, Summary: res.QC,
		Orientation: res.Orientation, Classification: res.Classification,
		Duplicates: duplicates{IDs: res.DuplicateIDs, Checked: res.DuplicatesChecked},
		Ambiguous:  ambiguousRecord{Reads: res.AmbiguousReads, Bases: res.AmbiguousBases}}
	return writeJSON(stage, "qc.json", q)
}

// runRecord is the content of run.json.
type runRecord struct {
	Sample string `json:"sample"`
	report.Provenance
}

// metricsRecord is the content of a sample's metrics.json.
type metricsRecord struct {
	Sample   string                   `json:"sample"`
	Version  string                   `json:"zonula_version"`
	Database report.Database          `json:"database"`
	Alpha    map[string]metrics.Alpha `json:"alpha"`
	Indices  []metrics.IndexValue     `json:"indices"`
	// Percentiles of the sample's values in the reference set.
	Percentiles percentilesRecord `json:"percentiles"`
	// Frame says what findings were judged against (science.md RULE-05).
	Frame frameRecord `json:"findings_frame"`
	// Findings are the findings raised, ranked (metrics.RankFindings): id,
	// level, key, measure, value, frame, bound, grade, guidance.
	Findings []metrics.Finding `json:"findings"`
	// Guidance are the G- IDs the report shows, in its order.
	Guidance []string `json:"guidance"`
}

// frameRecord is the "findings_frame" object of metrics.json: the
// reference set and whether it is method-matched (its percentiles then
// decide findings), and the version of the robust bounds that decide them
// otherwise.
type frameRecord struct {
	Reference     string `json:"reference_set"`
	Matched       bool   `json:"reference_method_matched"`
	BoundsVersion string `json:"robust_bounds_version"`
}

// percentilesRecord is the "percentiles" object of metrics.json.
type percentilesRecord struct {
	Reference string             `json:"reference_set"`
	N         int                `json:"n"`
	Source    string             `json:"source"`
	Matched   bool               `json:"method_matched"` // made by the same pipeline: decides findings
	Basis     string             `json:"basis"`          // what shares are of
	Values    map[string]float64 `json:"values"`         // metric → percentile (0–100)
}

// qcRecord is the content of qc.json.
type qcRecord struct {
	Sample         string              `json:"sample"`
	Version        string              `json:"zonula_version"`
	Database       report.Database     `json:"database"`
	Options        qc.Options          `json:"options"`
	Primers        *qc.PrimerOptions   `json:"primer_search"` // null when primers were not searched
	Summary        qc.Summary          `json:"reads"`
	Orientation    profile.Orientation `json:"orientation"`
	Classification classify.Summary    `json:"classification"`
	Duplicates     duplicates          `json:"duplicate_read_ids"`
	Ambiguous      ambiguousRecord     `json:"ambiguous_bases"`
}

type ambiguousRecord struct {
	Reads int64 `json:"reads"` // reads with at least one IUPAC ambiguity code
	Bases int64 `json:"bases"`
}

type duplicates struct {
	IDs     int64 `json:"repeated"` // reads whose id repeats an earlier one
	Checked int64 `json:"checked"`  // reads whose ids were checked (the first million)
}

// writeJSON stages v as the indented JSON file name.
func writeJSON(stage *safefile.Stage, name string, v any) error {
	data, err := marshalJSON(v)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return stage.WriteFile(name, data)
}

// marshalJSON is v as zonula writes every JSON file: two-space indent, a
// final newline, HTML characters escaped as encoding/json does.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteProfileFiles writes a sample's profile into dir as abundance.tsv
// (every rank) and profile.biom (genus table, BIOM 1.0 JSON or 2.1 HDF5 as
// format says), committed together; version is zonula's, recorded in the
// BIOM file.
func WriteProfileFiles(dir string, p *tables.Profile, version string, format tables.BIOMFormat) error {
	_, err := safefile.WriteAll(dir, "", func(stage *safefile.Stage) error {
		return writeProfileFiles(stage, p, version, format)
	})
	return err
}

// writeProfileFiles stages abundance.tsv and profile.biom.
func writeProfileFiles(stage *safefile.Stage, p *tables.Profile, version string, format tables.BIOMFormat) error {
	if err := stage.Write("abundance.tsv", func(w io.Writer) error {
		return tables.WriteTSV(w, p)
	}); err != nil {
		return err
	}
	return stage.Write("profile.biom", func(w io.Writer) error {
		return tables.WriteBIOM(w, p, taxonomy.Genus, tables.BIOMMeta{GeneratedBy: "zonula " + version, Date: biomDate(), Format: format})
	})
}

// biomDate is the date written into profile.biom. BIOM requires one, but a
// run time would make the table differ on every re-run, so zonula writes the
// Unix epoch; the real run time is in run.json.
func biomDate() time.Time { return time.Unix(0, 0).UTC() }
