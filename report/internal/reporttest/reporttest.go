// Package reporttest builds realistic report inputs and documents for the
// report packages' tests.
package reporttest

import (
	"testing"

	"time"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
)

// Genus is one genus of a hand-made profile.
type Genus struct {
	Phylum, Class, Order, Family, Genus string
	Reads                               float64
}

// GutGenera returns a plausible adult stool profile (reads per genus).
func GutGenera() []Genus {
	return []Genus{
		{"Bacteroidetes", "Bacteroidia", "Bacteroidales", "Bacteroidaceae", "Bacteroides", 450},
		{"Firmicutes", "Clostridia", "Clostridiales", "Ruminococcaceae", "Faecalibacterium", 200},
		{"Firmicutes", "Clostridia", "Clostridiales", "Lachnospiraceae", "Roseburia", 80},
		{"Actinobacteria", "Actinobacteria", "Bifidobacteriales", "Bifidobacteriaceae", "Bifidobacterium", 90},
		{"Proteobacteria", "Gammaproteobacteria", "Enterobacteriales", "Enterobacteriaceae", "Escherichia", 40},
		{"Verrucomicrobia", "Verrucomicrobiae", "Verrucomicrobiales", "Verrucomicrobiaceae", "Akkermansia", 30},
		{"Firmicutes", "Bacilli", "Lactobacillales", "Lactobacillaceae", "Lactobacillus", 10},
	}
}

// Bloom is an Enterobacteriaceae bloom after antibiotics: Escherichia and
// Klebsiella at 70 % of the genus-named reads, butyrate producers at 0.2 %,
// Enterococcus at 4 %, eight genera in all.
func Bloom() []Genus {
	return []Genus{
		{"Proteobacteria", "Gammaproteobacteria", "Enterobacteriales", "Enterobacteriaceae", "Escherichia", 1200},
		{"Proteobacteria", "Gammaproteobacteria", "Enterobacteriales", "Enterobacteriaceae", "Klebsiella", 200},
		{"Bacteroidetes", "Bacteroidia", "Bacteroidales", "Bacteroidaceae", "Bacteroides", 380},
		{"Firmicutes", "Bacilli", "Lactobacillales", "Enterococcaceae", "Enterococcus", 80},
		{"Firmicutes", "Bacilli", "Lactobacillales", "Streptococcaceae", "Streptococcus", 60},
		{"Firmicutes", "Negativicutes", "Selenomonadales", "Veillonellaceae", "Veillonella", 50},
		{"Firmicutes", "Clostridia", "Clostridiales", "Lachnospiraceae", "Blautia", 24},
		{"Firmicutes", "Clostridia", "Clostridiales", "Ruminococcaceae", "Faecalibacterium", 4},
	}
}

// Input returns a report input for the genera given, with sample name sample.
func Input(sample string, genera []Genus) report.Input {
	b := tables.NewBuilder(sample)
	var counts []float64
	var total float64
	for _, g := range genera {
		l := taxonomy.Lineage{"Bacteria", g.Phylum, g.Class, g.Order, g.Family, g.Genus}
		b.Add(l, g.Reads)
		counts = append(counts, g.Reads)
		total += g.Reads
	}
	b.Add(taxonomy.Lineage{}, 20)
	n := int64(total) + 20
	q := qc.NewCollector(qc.DefaultOptions()).Summary()
	q.InputReads, q.PassedReads, q.InputBases = n+5, n, (n+5)*1480
	q.MinLength, q.MaxLength, q.MeanLength, q.N50 = 1000, 1800, 1480, 1490
	q.HasQualities, q.MeanQuality = true, 31.2
	q.Filtered["too_short"] = 5
	for i := range q.LengthHist {
		if q.LengthHist[i].Lo == 1450 {
			q.LengthHist[i].Count = n
		}
	}
	c := classify.Summary{Reads: n, Classified: int64(total), Unclassified: 20, Floors: classify.YarzaFloors(), MeanIdentity: 0.991}
	for r := range c.AssignedAt {
		if r <= int(taxonomy.Genus) {
			c.AssignedAt[r] = int64(total)
		}
	}
	when := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	p := b.Profile()
	return report.Input{
		Sample: sample,
		Provenance: report.Provenance{Program: "zonula", Version: "test",
			Database: report.Database{Name: "embedded (rrna16s-gold)", Version: "20101212+dfsg1-5", Sequences: 5181, SHA256: "0e8c375eea9296c91b428fa9dc55acde8055894186770bc7e650f3f552abd575"},
			Options:  []report.Option{{Name: "min-length", Value: "1000"}},
			Started:  when, Finished: when.Add(2 * time.Second)},
		Profile:        p,
		Measures:       Measure(p, nil, nil),
		Alpha:          metrics.AlphaOf(counts, "genus"),
		QC:             q,
		Classification: c,
	}
}

// Placed returns in with its sample placed in the embedded reference set,
// as zonula run places a sample, so that the report has percentiles.
func Placed(tb testing.TB, in report.Input) report.Input {
	tb.Helper()
	ref, err := metrics.EmbeddedReferenceSet()
	if err != nil {
		tb.Fatal(err)
	}
	in.Measures = Measure(in.Profile, nil, ref)
	return in
}

// Measure measures p as zonula run does (metrics.MeasureSample with the
// embedded knowledge base's definitions), with catalogue cat and reference
// set ref, either of which may be nil. It panics if the embedded knowledge
// base does not load, which its own tests report.
func Measure(p *tables.Profile, cat *metrics.Catalogue, ref *metrics.ReferenceSet) *metrics.SampleMeasures {
	kb, err := knowledge.Load()
	if err != nil {
		panic(err)
	}
	return metrics.MeasureSample(p, kb.IndexDefs(), cat, ref)
}

// BenchInput is a demo-like report input for benchmarks: the GutGenera
// profile placed in the embedded reference set.
func BenchInput(tb testing.TB) report.Input {
	tb.Helper()
	return Placed(tb, Input("bench", GutGenera()))
}
