package report

import (
	"fmt"
	"math"

	"github.com/zonula/zonula/pipeline/metrics"
)

// diversity is the "Diversity" section: alpha diversity at genus level with
// percentiles, the reference set, the percentile gauges and the rarefaction
// curve.
func (b *builder) diversity(_ []*Finding) (Section, error) {
	a := b.in.Alpha
	rich := b.referenceValue("richness")
	rows := [][]string{
		{"Genera observed", num(a.Observed, 0), "", "How many different genera were found; depends on read depth."},
		{fmt.Sprintf("Expected genera in %d reads (rarefied richness)", metrics.RichnessDepth), num(rich, 1), b.percentileText("richness"), fmt.Sprintf("How many genera a random subsample of %d genus-named reads would hold on average (Hurlbert), so that read depth does not bias the comparison.", metrics.RichnessDepth)},
		{"Chao1 (estimated genera)", num(a.Chao1, 1), "", "Observed genera plus an estimate of those missed, from how many were seen once or twice."},
		{"Shannon (natural log)", num(a.Shannon, 3), b.percentileText("shannon"), "Combines how many genera there are and how evenly reads spread across them."},
		{"Simpson (1 − D)", num(a.Simpson, 3), b.percentileText("simpson"), "Chance that two reads drawn at random come from different genera."},
		{"Inverse Simpson", num(a.InverseSimpson, 2), "", "The number of equally common genera that would give the same Simpson value."},
		{"Pielou evenness", num(a.Pielou, 3), "", "Shannon divided by its maximum for this many genera (1 = perfectly even)."},
	}
	blocks := []Block{
		&Table{Caption: "Alpha diversity at genus level", Header: []string{"Measure", "Value", "Percentile", "What it means"}, Rows: rows, Numeric: []bool{false, true, true, false}},
		&Paragraph{Text: "No diversity value has a clinical cut-off: most disease comparisons find no difference in diversity, and values shift with read depth, laboratory method, database and the taxonomic level counted.", Refs: []string{"R-MA19", "R-POR25"}},
		b.referenceParagraph(),
	}
	if g := b.percentileGauges(); g != nil {
		blocks = append(blocks, g)
	}
	blocks = append(blocks, b.rarefaction())
	return Section{ID: "diversity", Title: "Diversity", Blocks: blocks}, nil
}

// referenceValue is the sample's genus-basis value of metric (NaN if none).
func (b *builder) referenceValue(metric string) float64 {
	if v, ok := b.in.Measures.ReferenceValues[metric]; ok {
		return v
	}
	return math.NaN()
}

// percentileText is the sample's percentile of metric in the reference set,
// or "–" when there is none.
func (b *builder) percentileText(metric string) string {
	if p, ok := b.placed(metric); ok {
		return fmt.Sprintf("%.0f", p)
	}
	return "–"
}

// referenceParagraph names the reference set percentiles come from.
func (b *builder) referenceParagraph() Block {
	ref := b.reference()
	if ref == nil {
		return &Paragraph{Text: "No reference set was given, so no percentiles are shown.", Refs: []string{"R-POR25"}}
	}
	text := fmt.Sprintf("Percentiles place this sample among %s: 50 is the middle of that group, 10 means 1 in 10 of its samples had a lower value. They describe a position in that group, not a normal range.", ref.Name)
	refs := []string{"R-POR25"}
	if ref.Source != "" {
		text += " Reference set: " + ref.Source
	}
	refs = append(refs, ref.Refs...)
	text += " Shares and diversity are compared among reads named to a genus, as the reference set holds genus counts only."
	if ref.Matched {
		text += " The set was made by the same pipeline, so findings are judged against its percentiles."
	} else {
		text += " The set was made by another method, so these positions are context only: findings are judged against robust bounds instead, values beyond what healthy adults showed in independent studies (see each finding)."
	}
	return &Paragraph{Text: text, Refs: refs}
}
