package report

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/report/plots"
)

// rarefactionPoints is about how many depths the rarefaction curve is drawn at.
const rarefactionPoints = 25

// shortName is a measure's name without its parenthesised detail, for a
// figure's axis ("Oral-type genera (Fusobacterium, …)" → "Oral-type genera").
func shortName(s string) string {
	i := strings.Index(s, " (")
	if i < 0 {
		return s
	}
	if strings.HasSuffix(s, ") share") {
		return s[:i] + " share" // "Pseudomonadota (Proteobacteria) share"
	}
	return s[:i]
}

// percentileGauges is the figure of the sample's percentiles for the
// diversity measures and the knowledge base's measures that have one, or
// nil when none has. The caption names the reference set and, when the set
// was made by another method, says the positions are descriptive only; the
// alt text lists every number.
func (b *builder) percentileGauges() Block {
	type item struct{ metric, name string }
	items := []item{
		{"richness", fmt.Sprintf("Expected genera in %d reads", metrics.RichnessDepth)},
		{"shannon", "Shannon diversity"},
		{"simpson", "Simpson diversity"},
	}
	for _, m := range b.kb.Measures {
		items = append(items, item{m.Metric, shortName(m.Name)})
	}
	var pos []plots.Position
	var alt []string
	for _, it := range items {
		if it.metric != "richness" && it.metric != "shannon" && it.metric != "simpson" && !b.measure(it.metric).ok {
			continue // not computed for this sample: no position to show
		}
		p, ok := b.placed(it.metric)
		if !ok || math.IsNaN(p) {
			continue
		}
		pos = append(pos, plots.Position{Name: it.name, Percentile: p})
		alt = append(alt, fmt.Sprintf("%s: percentile %.0f", it.name, p))
	}
	if len(pos) == 0 {
		return nil
	}
	plt, err := plots.PercentileGauges(pos)
	if err != nil {
		return nil // positions are checked above; a figure is not worth failing the report
	}
	caption := fmt.Sprintf("Where this sample falls among %s, measure by measure: the dot is the sample, the darker middle of each bar holds the middle half of the reference set.", b.reference().Name)
	if b.contextOnly() {
		note := b.referenceNote()
		if note == "" {
			note = "the set was made by another method."
		}
		caption += " These positions are descriptive only: " + note
	} else {
		caption += " A position describes this sample within that group; it is not a normal range."
	}
	h := vg.Length(len(pos))*0.75*vg.Centimeter + 2.2*vg.Centimeter
	return figure("percentiles", caption, "Percentile gauges. "+strings.Join(alt, "; ")+".", plt, h)
}

// rarefaction is the rarefaction-curve figure: the sample's expected number
// of genera (Hurlbert E[S_n], metrics.RarefactionCurve) at about
// rarefactionPoints depths n from 0 to its genus-named read count N,
// n_k = round(k·N/(rarefactionPoints−1)). It is a sentence instead when the
// counts are relative or fractional, or too few to draw.
func (b *builder) rarefaction() Block {
	g := b.in.Measures.Composition.GenusBasis()
	counts, integral := metrics.WholeCounts(g.GenusCounts()) // float noise is not a fraction
	var total float64
	for _, c := range counts {
		total += c
	}
	switch {
	case (b.in.Table != nil && b.in.Table.Relative) || !integral:
		return &Paragraph{Text: "No rarefaction curve is drawn: the profile holds relative abundances rather than read counts, and a curve needs whole reads."}
	case total < 2 || len(counts) == 0:
		return &Paragraph{Text: "No rarefaction curve is drawn: too few reads were named to a genus."}
	}
	n := int(total)
	var depths []int
	for k := range rarefactionPoints {
		d := int(math.Round(float64(k) * total / float64(rarefactionPoints-1)))
		if len(depths) == 0 || d > depths[len(depths)-1] {
			depths = append(depths, d)
		}
	}
	exp := metrics.RarefactionCurve(counts, depths)
	plt, err := plots.Rarefaction(depths, exp, "Expected genera")
	if err != nil {
		return &Paragraph{Text: "No rarefaction curve is drawn: " + err.Error() + "."}
	}
	last := len(depths) - 1
	gain := exp[last] - exp[last-1]
	alt := fmt.Sprintf("Rarefaction curve: expected genera rise from %.1f at %d reads to %.0f at all %d genus-named reads; the last %d reads add %.1f genera.",
		exp[1], depths[1], exp[last], n, depths[last]-depths[last-1], gain)
	caption := fmt.Sprintf("Rarefaction curve: how many genera a random subsample of this sample's %d genus-named reads would hold on average (Hurlbert's expected richness). A curve still rising at its end means more reads would have found more genera; a flat end means the sequencing depth caught most of them.", n)
	return figure("rarefaction", caption, alt, plt, 7*vg.Centimeter)
}
