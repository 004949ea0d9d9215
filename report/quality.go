package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report/plots"
	"github.com/zonula/zonula/taxonomy"
)

// namedShare is the share of the profile's reads (or abundance) named at
// rank r.
func (b *builder) namedShare(r taxonomy.Rank) float64 {
	var named, all float64
	for _, row := range b.in.Profile.AtRank(r) {
		all += row.Reads
		if row.Taxon != tables.Unclassified {
			named += row.Reads
		}
	}
	return ratio(named, all)
}

// tableQuality is the quality section of a report made from an imported
// table: what zonula can and cannot know about how it was made.
func (b *builder) tableQuality(t *TableSource) Section {
	var total float64
	for _, row := range b.in.Profile.AtRank(taxonomy.Domain) {
		total += row.Reads
	}
	kv := &KeyValues{Pairs: [][2]string{
		{"Source", fmt.Sprintf("%s (%s)", t.Path, t.Format)},
		{"Share named to a genus", pct(b.namedShare(taxonomy.Genus))},
	}}
	if t.Relative {
		kv.Pairs = append(kv.Pairs, [2]string{"Values", "relative abundances (read counts not given): richness estimates that need counts are not shown"})
	} else {
		kv.Pairs = append(kv.Pairs, [2]string{"Reads in the table", thousands(int64(math.Round(total)))})
	}
	blocks := []Block{&Paragraph{Text: "This report was made from an abundance table produced by another tool, so zonula has not seen the reads: their number, length, quality, the share left unclassified and the database used to name them are those of that tool and are not checked here. Read the composition with that tool's database and settings in mind."}, kv}
	if !t.Relative && total < MinReliableReads {
		blocks = append(blocks, &Callout{Level: Notice, Title: "Few reads",
			Text: fmt.Sprintf("The table holds %.0f reads, fewer than %d: shares and diversity are imprecise.", total, MinReliableReads)})
	}
	return Section{ID: "quality", Title: "Sequencing quality", Blocks: blocks}
}

// quality is the "Sequencing quality" section: reads in and out of quality
// control, primers, classification, depth warnings and the length histogram.
func (b *builder) quality(_ []*Finding) (Section, error) {
	if t := b.in.Table; t != nil {
		return b.tableQuality(t), nil
	}
	q, c := b.in.QC, b.in.Classification
	kv := &KeyValues{Pairs: [][2]string{
		{"Reads sequenced", fmt.Sprintf("%s (%s bases)", thousands(q.InputReads), thousands(q.InputBases))},
		{"Reads passing quality control", fmt.Sprintf("%s (%s)", thousands(q.PassedReads), pct(ratio(float64(q.PassedReads), float64(q.InputReads))))},
		{"Length window", fmt.Sprintf("%d–%d bases", q.MinLength, q.MaxLength)},
		{"Mean read length / N50", fmt.Sprintf("%s / %s bases", thousands(int64(math.Round(q.MeanLength))), thousands(q.N50))},
	}}
	if q.HasQualities {
		kv.Pairs = append(kv.Pairs, [2]string{"Mean read quality", fmt.Sprintf("Q%.1f", q.MeanQuality)})
	} else {
		kv.Pairs = append(kv.Pairs, [2]string{"Mean read quality", "not available (FASTA input)"})
	}
	if f := q.Reads; f != nil && q.HasQualities {
		kv.Pairs = append(kv.Pairs, [2]string{"Expected errors per 1,000 bases (mean)", fmt.Sprintf("%.1f", f.MeanExpectedErrorsPerKb)})
	}
	if p := q.Primers; p != nil && p.Searched > 0 {
		kv.Pairs = append(kv.Pairs,
			[2]string{"Reads with a 16S primer found", fmt.Sprintf("%s (%s; both primers in %s)", thousands(p.Both+p.ForwardOnly+p.ReverseOnly), pct(p.FoundShare), pct(ratio(float64(p.Both), float64(p.Searched))))},
			[2]string{"Primer and adapter bases trimmed", fmt.Sprintf("%s from %s reads", thousands(p.TrimmedBases), thousands(p.Trimmed))})
	}
	if f := q.Reads; f != nil {
		kv.Pairs = append(kv.Pairs,
			[2]string{"Low-complexity reads (repeats, not 16S)", fmt.Sprintf("%s (%s)", thousands(f.LowComplexity), pct(ratio(float64(f.LowComplexity), float64(f.Inspected))))},
			[2]string{"Reads with a run of one base longer than 12", fmt.Sprintf("%s (%s)", thousands(f.LongHomopolymer), pct(ratio(float64(f.LongHomopolymer), float64(f.Inspected))))})
	}
	kv.Pairs = append(kv.Pairs,
		[2]string{"Reads reverse-complemented to the 16S strand", pct(ratio(float64(q.ReverseStrand), float64(q.PassedReads)))},
		[2]string{"Reads matching no reference well enough (unclassified)", fmt.Sprintf("%s (%s)", thousands(c.Unclassified), pct(ratio(float64(c.Unclassified), float64(c.Reads))))},
		[2]string{"Likely chimeras (two-parent reads), left out", fmt.Sprintf("%s (%s)", thousands(c.Chimeras), pct(ratio(float64(c.Chimeras), float64(c.Reads))))},
		[2]string{"Mean identity to the best reference", fmt.Sprintf("%.1f %%", 100*c.MeanIdentity)},
		[2]string{"Reads with ends past the reference genes, clipped (adapters, barcodes or primers left on)", fmt.Sprintf("%s (%s)", thousands(c.ClippedReads), pct(ratio(float64(c.ClippedReads), float64(c.Reads))))},
	)
	reasons := slices.Sorted(func(yield func(string) bool) {
		for r := range q.Filtered {
			if !yield(r) {
				return
			}
		}
	})
	rows := [][]string{}
	for _, r := range reasons {
		rows = append(rows, []string{strings.ReplaceAll(r, "_", " "), thousands(q.Filtered[r])})
	}
	blocks := []Block{kv}
	blocks = append(blocks, b.depthWarnings()...)
	blocks = append(blocks, &Table{Caption: "Reads removed by quality control, by reason", Header: []string{"Reason", "Reads"}, Rows: rows, Numeric: []bool{false, true}})
	if p, err := plots.LengthHistogram(q.LengthHist); err == nil {
		caption := "Read-length distribution of all reads before filtering."
		if p := q.Primers; p != nil && p.Trimmed > 0 {
			caption = "Read-length distribution of all reads before filtering, after primer trimming."
		}
		blocks = append(blocks, figure("read-lengths", caption,
			fmt.Sprintf("Histogram of read lengths; N50 %d bases, mean %.0f bases.", q.N50, q.MeanLength), p, 7*vg.Centimeter))
	}
	return Section{ID: "quality", Title: "Sequencing quality", Blocks: blocks}, nil
}

// depthWarnings says which of the figures the report shows the read depth
// cannot support: shares and diversity below MinReliableReads reads passing
// QC; genus shares and genus diversity when fewer than MinReliableReads
// reads were named to a genus; richness (genera observed, Chao1) when
// Good's coverage at genus level is below MinGoodsCoverage, i.e. more than
// 1 % of the genus-level reads are genera seen once, so more reads would
// likely show more genera.
func (b *builder) depthWarnings() []Block {
	q, a := b.in.QC, b.in.Alpha
	if q.PassedReads < MinReliableReads {
		return []Block{&Callout{Level: Attention, Title: "Low read depth",
			Text: fmt.Sprintf("Only %d reads passed quality control (fewer than %d). Shares of uncommon bacteria and the diversity figures are imprecise at this depth; a repeat sequencing run is advisable before acting on them.", q.PassedReads, MinReliableReads)}}
	}
	var out []Block
	if g := b.in.Classification.AssignedAt[taxonomy.Genus]; g < MinReliableReads {
		out = append(out, &Callout{Level: Attention, Title: "Few reads named to a genus",
			Text: fmt.Sprintf("%d reads passed quality control but only %d were named to a genus (fewer than %d). Genus shares, the diversity figures and the indices are computed from those reads and are imprecise; a 1\u00a0%% genus is about %.0f reads here.", q.PassedReads, g, MinReliableReads, float64(g)/100)})
	}
	if c := a.GoodsCoverage; !math.IsNaN(c) && c < MinGoodsCoverage {
		out = append(out, &Callout{Level: Notice, Title: "Richness may be underestimated",
			Text: fmt.Sprintf("%.1f\u00a0%% of the genus-level reads belong to genera seen only once (Good's coverage %.3f). The number of genera observed and Chao1 would likely rise with deeper sequencing; compare them only between samples of similar depth.", 100*(1-c), c)})
	}
	return out
}

// MinGoodsCoverage is the genus-level Good's coverage below which the report
// warns that richness figures depend on depth (a zonula convention: more
// than 1 in 100 reads from a genus seen once).
const MinGoodsCoverage = 0.99
