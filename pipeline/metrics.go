package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/floats"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
)

// FeatureLevel, given as MetricsOptions.Rank, asks for metrics over an
// imported table's own features (OTUs, ASVs) rather than over taxa at a rank.
const FeatureLevel = taxonomy.NoRank

// MatrixOf builds the samples × taxa count matrix of profiles at rank r
// (tables.CountsAt: taxa sorted by name, unclassified rows left out). With
// FeatureLevel the columns are the tables' own feature ids instead, in
// first-seen order; a profile built from reads has none and is an error.
func MatrixOf(ps []*tables.Profile, r taxonomy.Rank) (*metrics.CountMatrix, error) {
	m := &metrics.CountMatrix{}
	for _, p := range ps {
		m.Samples = append(m.Samples, p.Sample)
	}
	if r != FeatureLevel {
		m.Taxa, m.Counts = tables.CountsAt(ps, r)
		return m, m.Validate()
	}
	col := map[string]int{}
	for _, p := range ps {
		if p.Features == nil {
			return nil, fmt.Errorf("sample %s has no table features (it was profiled from reads); give a rank", p.Sample)
		}
		for _, f := range p.Features {
			if _, ok := col[f.ID]; !ok {
				col[f.ID] = len(m.Taxa)
				m.Taxa = append(m.Taxa, f.ID)
			}
		}
	}
	for _, p := range ps {
		row := make([]float64, len(m.Taxa))
		for _, f := range p.Features {
			row[col[f.ID]] += f.Reads
		}
		m.Counts = append(m.Counts, row)
	}
	return m, m.Validate()
}

// MetricsOptions tune ComputeMetrics.
type MetricsOptions struct {
	Rank taxonomy.Rank // taxa at this rank, or FeatureLevel
	// RankIsDefault says Rank was not asked for: when no sample has a read
	// at Rank (a table of OTUs or ASVs without lineages), the metrics are
	// computed over the tables' own features instead, with a note; when it
	// is false, that is an error naming --rank feature.
	RankIsDefault bool
	// Tree, when set, adds Faith's PD and allows the UniFrac metrics; its
	// tips are matched to the columns (taxon names or feature ids).
	Tree *metrics.Tree
	// Rarefy, when > 0, subsamples every sample to this many reads without
	// replacement (seeded by Seed) before any metric, drops samples with
	// fewer reads, and reports the Hurlbert expected richness at that depth.
	Rarefy int
	Seed   uint64
	// Beta lists the between-sample metrics to compute (BetaNames); none
	// when empty or when fewer than two samples remain.
	Beta    []string
	Threads int // ≤ 0: all cores
	// LogBase is the logarithm base of Shannon's index: 2 (bits, scikit-bio
	// 0.5.8's and QIIME 2's default), math.E (nats, vegan's; also when 0)
	// or 10.
	LogBase float64
}

// LogBases returns the Shannon logarithm bases MetricsOptions.LogBase takes,
// by the names the command line uses.
func LogBases() map[string]float64 { return map[string]float64{"2": 2, "e": math.E, "10": 10} }

// logBaseName is the name of a base in LogBases ("e" for any other).
func logBaseName(b float64) string {
	for name, v := range LogBases() {
		if v == b {
			return name
		}
	}
	return "e"
}

// BetaNames returns the between-sample metrics MetricsOptions.Beta accepts.
func BetaNames() []string {
	return []string{"braycurtis", "jaccard", "aitchison", "unweighted-unifrac", "weighted-unifrac"}
}

// SampleMetrics are one sample's alpha-diversity values.
type SampleMetrics struct {
	Sample string        `json:"sample"`
	Alpha  metrics.Alpha `json:"alpha"` // Shannon in MetricsReport.LogBase
	// Chao1Classic is the classic Chao1 estimate (metrics.Chao1Classic),
	// beside the bias-corrected Alpha.Chao1; null for relative abundances.
	Chao1Classic *float64 `json:"chao1_classic"`
	// FaithPD is Faith's phylogenetic diversity (with a tree), else null.
	FaithPD *float64 `json:"faith_pd"`
	// ExpectedRichness is Hurlbert's E[S] at MetricsOptions.Rarefy reads
	// (on the counts before subsampling), else null.
	ExpectedRichness *float64 `json:"expected_richness"`
}

// BetaResult is one between-sample metric over the samples.
type BetaResult struct {
	Metric    string                  `json:"metric"`
	Distances *metrics.DistanceMatrix `json:"-"`
}

// MetricsReport is what ComputeMetrics found.
type MetricsReport struct {
	Level    string   `json:"level"`              // rank name or "feature"
	LogBase  string   `json:"shannon_log_base"`   // "e", "2" or "10"
	Relative bool     `json:"relative"`           // some input held relative abundances
	Rarefied int      `json:"rarefied,omitempty"` // depth subsampled to, 0 when not
	Seed     uint64   `json:"seed,omitempty"`
	Dropped  []string `json:"dropped,omitempty"` // samples below the rarefaction depth
	// Notes say what the user should know about how the tables were read
	// (the mothur label used, metrics over features for want of lineages).
	Notes   []string        `json:"notes,omitempty"`
	Samples []SampleMetrics `json:"samples"`
	Beta    []BetaResult    `json:"-"`
}

// ComputeMetrics computes alpha diversity for every profile and the
// requested beta metrics between them. Count-based estimators (Chao1, ACE,
// Good's coverage, rarefaction) need read counts: for a profile of relative
// abundances they are NaN, and rarefying such profiles is an error.
func ComputeMetrics(ps []*tables.Profile, o MetricsOptions) (*MetricsReport, error) {
	if len(ps) == 0 {
		return nil, errors.New("no samples")
	}
	m, err := MatrixOf(ps, o.Rank)
	if err != nil {
		return nil, err
	}
	var notes []string
	if o.Rank != FeatureLevel && emptyMatrix(m) {
		if m, notes, err = featureFallback(ps, o); err != nil {
			return nil, err
		}
		o.Rank = FeatureLevel
	}
	if o.LogBase == 0 {
		o.LogBase = math.E
	}
	if LogBases()[logBaseName(o.LogBase)] != o.LogBase {
		return nil, fmt.Errorf("log base %v: want 2, e or 10", o.LogBase)
	}
	rep := &MetricsReport{Level: levelName(o.Rank), Notes: notes, LogBase: logBaseName(o.LogBase)}
	relative := make([]bool, len(ps))
	for i, p := range ps {
		relative[i] = p.Relative
		rep.Relative = rep.Relative || p.Relative
	}
	var expected []float64
	if o.Rarefy > 0 {
		if rep.Relative {
			return nil, errors.New("cannot rarefy relative abundances: rarefaction needs read counts")
		}
		rep.Rarefied, rep.Seed = o.Rarefy, o.Seed
		kept := &metrics.CountMatrix{Taxa: m.Taxa}
		for i, row := range m.Counts {
			if floats.Sum(row) < float64(o.Rarefy) {
				rep.Dropped = append(rep.Dropped, m.Samples[i])
				continue
			}
			sub, err := metrics.Rarefy(row, o.Rarefy, o.Seed)
			if err != nil {
				return nil, fmt.Errorf("sample %s: %w", m.Samples[i], err)
			}
			expected = append(expected, metrics.ExpectedRichness(row, o.Rarefy))
			kept.Samples = append(kept.Samples, m.Samples[i])
			kept.Counts = append(kept.Counts, sub)
		}
		m = kept
	}
	var faith []float64
	if o.Tree != nil && len(m.Samples) > 0 {
		if faith, err = metrics.FaithPDs(m, o.Tree); err != nil {
			return nil, err
		}
	}
	byName := map[string]bool{}
	for i, p := range ps {
		byName[p.Sample] = relative[i]
	}
	for i, s := range m.Samples {
		a := metrics.AlphaOf(m.Counts[i], rep.Level)
		if o.LogBase != math.E {
			a.Shannon = metrics.ShannonBase(m.Counts[i], o.LogBase)
		}
		classic := metrics.Chao1Classic(m.Counts[i])
		if byName[s] {
			a.Chao1, a.ACE, a.GoodsCoverage, classic = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		}
		sm := SampleMetrics{Sample: s, Alpha: a, Chao1Classic: metrics.FiniteOrNil(classic)}
		if faith != nil {
			sm.FaithPD = metrics.FiniteOrNil(faith[i])
		}
		if expected != nil {
			sm.ExpectedRichness = metrics.FiniteOrNil(expected[i])
		}
		rep.Samples = append(rep.Samples, sm)
	}
	if len(m.Samples) < 2 {
		return rep, nil
	}
	for _, name := range o.Beta {
		mt, err := betaMetric(name, o.Tree)
		if err != nil {
			return nil, err
		}
		d, err := metrics.Distances(m, mt, o.Threads)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rep.Beta = append(rep.Beta, BetaResult{Metric: name, Distances: d})
	}
	return rep, nil
}

// emptyMatrix reports whether no sample has a count in m.
func emptyMatrix(m *metrics.CountMatrix) bool {
	for _, row := range m.Counts {
		if floats.Sum(row) > 0 {
			return false
		}
	}
	return true
}

// featureFallback is ComputeMetrics's answer to tables with no read at the
// asked rank: the matrix of the tables' own features, when the rank was the
// default and every profile has features, with a note saying so; otherwise
// an error naming --rank feature.
func featureFallback(ps []*tables.Profile, o MetricsOptions) (*metrics.CountMatrix, []string, error) {
	rank := o.Rank.String()
	for _, p := range ps {
		if p.Features == nil {
			return nil, nil, fmt.Errorf("no sample has reads classified to a %s; choose another --rank", rank)
		}
	}
	if !o.RankIsDefault {
		return nil, nil, fmt.Errorf("no feature of the tables has a lineage down to %s, so every sample would have 0 reads there: use --rank feature for the table's own OTUs/ASVs, or give lineages with --taxonomy", rank)
	}
	m, err := MatrixOf(ps, FeatureLevel)
	if err != nil {
		return nil, nil, err
	}
	note := fmt.Sprintf("no feature of the tables has a lineage down to %s (the default rank): the metrics are over the tables' own %d features (OTUs/ASVs), as --rank feature gives; use --taxonomy for %s-level metrics", rank, len(m.Taxa), rank)
	return m, []string{note}, nil
}

// betaMetric returns the metric called name.
func betaMetric(name string, tree *metrics.Tree) (metrics.Metric, error) {
	switch name {
	case "braycurtis":
		return metrics.BrayCurtisMetric(), nil
	case "jaccard":
		return metrics.JaccardMetric(), nil
	case "aitchison":
		return metrics.AitchisonMetric(metrics.DefaultPseudocount), nil
	case "unweighted-unifrac", "weighted-unifrac":
		if tree == nil {
			return metrics.Metric{}, fmt.Errorf("%s needs a tree (--tree)", name)
		}
		if name == "weighted-unifrac" {
			return metrics.WeightedUniFracMetric(tree, true), nil
		}
		return metrics.UnweightedUniFracMetric(tree), nil
	}
	return metrics.Metric{}, fmt.Errorf("unknown beta metric %q: want one of %v", name, BetaNames())
}

func levelName(r taxonomy.Rank) string {
	if r == FeatureLevel {
		return "feature"
	}
	return r.String()
}

// alphaColumns are the columns of WriteAlphaTSV after "sample".
var alphaColumns = []string{"reads", "observed", "shannon", "simpson", "inverse_simpson", "pielou", "chao1", "chao1_classic", "ace", "goods_coverage", "faith_pd", "expected_richness"}

// WriteAlphaTSV writes one line per sample: sample, then alphaColumns
// (shannon in r.LogBase); undefined values are "NA". Numbers are written in the shortest form that
// reads back to the same float64, so the bytes depend only on the values.
func (r *MetricsReport) WriteAlphaTSV(w io.Writer) error {
	b := []byte("sample")
	for _, c := range alphaColumns {
		b = append(b, '\t')
		b = append(b, c...)
	}
	b = append(b, '\n')
	for _, s := range r.Samples {
		b = append(b, s.Sample...)
		a := s.Alpha
		for _, v := range []float64{a.Reads, a.Observed, a.Shannon, a.Simpson, a.InverseSimpson, a.Pielou, a.Chao1, orNaN(s.Chao1Classic), a.ACE, a.GoodsCoverage, orNaN(s.FaithPD), orNaN(s.ExpectedRichness)} {
			b = append(b, '\t')
			b = appendValue(b, v)
		}
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}

// WriteDistanceTSV writes a distance matrix as a square TSV with the sample
// ids as the first row and column (the layout of QIIME 2's and skbio's
// distance-matrix files); undefined distances are "NA".
func WriteDistanceTSV(w io.Writer, d *metrics.DistanceMatrix) error {
	ids := d.IDs()
	var b []byte
	for _, id := range ids {
		b = append(b, '\t')
		b = append(b, id...)
	}
	b = append(b, '\n')
	for i, id := range ids {
		b = append(b, id...)
		for j := range ids {
			b = append(b, '\t')
			b = appendValue(b, d.At(i, j))
		}
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}

// metricsDoc is the JSON form of a MetricsReport.
type metricsDoc struct {
	*MetricsReport
	Program string     `json:"program"`
	Version string     `json:"version"`
	Inputs  []string   `json:"inputs"`
	Beta    []betaJSON `json:"beta,omitempty"`
}

type betaJSON struct {
	Metric    string       `json:"metric"`
	Samples   []string     `json:"samples"`
	Distances [][]*float64 `json:"distances"`
}

// WriteJSON writes the report as one JSON document naming the zonula
// version and the inputs; undefined values are null.
func (r *MetricsReport) WriteJSON(w io.Writer, version string, inputs []string) error {
	doc := metricsDoc{MetricsReport: r, Program: "zonula", Version: version, Inputs: inputs}
	for _, b := range r.Beta {
		ids := b.Distances.IDs()
		bj := betaJSON{Metric: b.Metric, Samples: ids}
		for i := range ids {
			row := make([]*float64, len(ids))
			for j := range ids {
				row[j] = metrics.FiniteOrNil(b.Distances.At(i, j))
			}
			bj.Distances = append(bj.Distances, row)
		}
		doc.Beta = append(doc.Beta, bj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func appendValue(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "NA"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// MetricsConfig asks for the diversity metrics of abundance tables (zonula
// metrics).
type MetricsConfig struct {
	Tables []string
	Read   tables.ReadOptions
	// TreeFile, when set, is a Newick file whose tips are the features
	// (Faith's PD, UniFrac); it fills Options.Tree.
	TreeFile string
	Options  MetricsOptions
}

// Metrics reads the tables (and tree) and computes their metrics
// (ComputeMetrics). Problems with the tables, the tree or the counts name
// the input (exit status 3).
func Metrics(ctx context.Context, cfg MetricsConfig) (*MetricsReport, error) {
	o := cfg.Options
	if cfg.TreeFile != "" {
		t, err := readTree(cfg.TreeFile)
		if err != nil {
			return nil, err
		}
		o.Tree = t
	}
	ps, err := readTables(cfg.Tables, cfg.Read)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep, err := ComputeMetrics(ps, o)
	if err != nil {
		return nil, &InputError{Path: strings.Join(cfg.Tables, ", "), Err: err}
	}
	rep.Notes = append(mothurNotes(cfg.Tables, ps, cfg.Read), rep.Notes...)
	return rep, nil
}

// mothurNotes says which label of each mothur .shared input with several
// labels was read.
func mothurNotes(paths []string, ps []*tables.Profile, o tables.ReadOptions) []string {
	if !slices.ContainsFunc(ps, func(p *tables.Profile) bool { return p.Format == tables.FormatMothur }) {
		return nil
	}
	var notes []string
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		label, labels, err := tables.MothurLabel(data, o)
		if err != nil || len(labels) < 2 {
			continue
		}
		notes = append(notes, fmt.Sprintf("%s: mothur label %s of %d (%s); --label picks another", path, label, len(labels), strings.Join(labels, ", ")))
	}
	return notes
}

// readTree reads a Newick tree file.
func readTree(path string) (*metrics.Tree, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &InputError{Path: path, Err: err}
	}
	defer f.Close()
	return metrics.ReadNewick(f, path)
}

// WriteDir commits the report into dir: alpha.tsv, one distance matrix per
// beta metric (distance-METRIC.tsv) and metrics.json naming version and the
// inputs.
func (r *MetricsReport) WriteDir(dir, version string, inputs []string) ([]string, error) {
	return safefile.WriteAll(dir, "", func(stage *safefile.Stage) error {
		if err := stage.Write("alpha.tsv", r.WriteAlphaTSV); err != nil {
			return err
		}
		for _, b := range r.Beta {
			if err := stage.Write("distance-"+b.Metric+".tsv", func(w io.Writer) error { return WriteDistanceTSV(w, b.Distances) }); err != nil {
				return err
			}
		}
		return stage.Write("metrics.json", func(w io.Writer) error { return r.WriteJSON(w, version, inputs) })
	})
}
