package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/report/plots"
	"github.com/zonula/zonula/taxonomy"
)

// CompareSample is one of the two samples of a before/after comparison.
type CompareSample struct {
	Name    string
	Source  string // where it was read from, as the user named it
	Profile *tables.Profile
	// Measures are the indices and taxon shares of Profile, as its sample
	// report states them (metrics.MeasureSample; no catalogue or reference
	// set is needed).
	Measures *metrics.SampleMeasures
}

// CompareInput is what a before/after report is built from.
type CompareInput struct {
	Provenance    Provenance
	Before, After CompareSample
	// Comparison is cohort.Compare of the two profiles: diversity, the
	// Bray–Curtis dissimilarity and its read-sampling baseline.
	Comparison *cohort.Comparison
	// Metadata is what the person reported, for the see-a-clinician box
	// (warning signs, age rules, calprotectin), as in the sample report;
	// may be empty.
	Metadata Metadata
}

// rankReads is the number of reads counted at genus rank, unclassified
// included.
func rankReads(p *tables.Profile) float64 {
	var n float64
	for _, r := range p.AtRank(taxonomy.Genus) {
		n += r.Reads
	}
	return n
}

// sum is Σ v_i, added in order.
func sum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}

// BuildCompare turns two samples of one person into a before/after report:
// change in diversity, Bray–Curtis between them against what read sampling
// alone gives, the barrier-related taxa and the indices of the knowledge
// base, and what is (and is not) known about normal variation over time.
func BuildCompare(in CompareInput, kb *knowledge.Knowledge) (*Document, error) {
	if in.Before.Profile == nil || in.After.Profile == nil || in.Before.Measures == nil || in.After.Measures == nil || in.Comparison == nil || kb == nil {
		return nil, fmt.Errorf("report: a comparison needs two measured profiles, their comparison and the knowledge base")
	}
	c := in.Comparison
	doc := &Document{
		Title:      "Before/after comparison",
		Sample:     in.Before.Name + " → " + in.After.Name,
		Provenance: in.Provenance,
	}
	lab, _ := kb.Lab("LAB-01")
	if a := safetyAlert(in.Metadata.safety(lab)); a != nil {
		doc.Alerts = append(doc.Alerts, a)
	}
	cb := compareBuilder{in: in, c: c, kb: kb,
		before: newBuilder(Input{Profile: in.Before.Profile, Alpha: c.AlphaBefore, Measures: in.Before.Measures}, kb),
		after:  newBuilder(Input{Profile: in.After.Profile, Alpha: c.AlphaAfter, Measures: in.After.Measures}, kb)}
	for _, step := range []func() (Section, error){cb.summary, cb.diversity, cb.taxa, cb.indices, cb.variation, cb.limitations} {
		s, err := step()
		if err != nil {
			return nil, err
		}
		doc.Sections = append(doc.Sections, s)
	}
	return finishDocument(doc, kb)
}

type compareBuilder struct {
	in            CompareInput
	c             *cohort.Comparison
	kb            *knowledge.Knowledge
	before, after *builder
}

// beyondNoise says whether a change in a share is larger than twice its
// read-sampling standard error, √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂).
func beyondNoise(p1, n1, p2, n2 float64) bool {
	se := math.Sqrt(p1*(1-p1)/n1 + p2*(1-p2)/n2)
	return math.Abs(p2-p1) > 2*se
}

func points(d float64) string {
	if math.Abs(d) < 0.0005 {
		return "0.0 points"
	}
	return fmt.Sprintf("%+.1f points", 100*d)
}

func (cb *compareBuilder) noiseText() string {
	c := cb.c
	verdict := "within"
	if c.BrayCurtis > c.Noise95 {
		verdict = "larger than"
	}
	return fmt.Sprintf("Bray–Curtis dissimilarity of genus shares between the two samples: %s (0 = identical, 1 = no genus in common). Two samples of one unchanged community sequenced at these depths would differ by about %s from read sampling alone (95 %% of simulated pairs below %s), so this difference is %s what read counting alone explains.",
		num(c.BrayCurtis, 3), num(c.NoiseMean, 3), num(c.Noise95, 3), verdict)
}

func (cb *compareBuilder) summary() (Section, error) {
	c := cb.c
	in := cb.in
	pairs := [][2]string{
		{"Before", fmt.Sprintf("%s (%s)", in.Before.Name, in.Before.Source)},
		{"After", fmt.Sprintf("%s (%s)", in.After.Name, in.After.Source)},
		{"Bray–Curtis (genus shares)", fmt.Sprintf("%s; read sampling alone: about %s (95 %% below %s)", num(c.BrayCurtis, 3), num(c.NoiseMean, 3), num(c.Noise95, 3))},
		{"Shannon diversity", fmt.Sprintf("%s → %s (%s)", num(c.AlphaBefore.Shannon, 2), num(c.AlphaAfter.Shannon, 2), signed(c.AlphaAfter.Shannon-c.AlphaBefore.Shannon))},
		{"Genera observed", fmt.Sprintf("%s → %s", num(c.AlphaBefore.Observed, 0), num(c.AlphaAfter.Observed, 0))},
		{fmt.Sprintf("Expected genera at %d reads", c.Depth), fmt.Sprintf("%s → %s", num(c.ExpectedBefore, 1), num(c.ExpectedAfter, 1))},
	}
	return Section{ID: "summary", Title: "Comparison at a glance", Blocks: []Block{
		&Paragraph{Text: fmt.Sprintf("This report compares two gut microbiome samples, %q (before) and %q (after), at genus level: how different they are, how diversity changed, and how the barrier-related bacteria and indices of the sample report moved.", in.Before.Name, in.After.Name)},
		&KeyValues{Pairs: pairs},
		&Callout{Level: Notice, Title: "Changes are shares, and one sample is a snapshot",
			Text: "A change in a genus's share can come from other genera changing; the community also shifts from day to day with diet. A change between two samples does not show what brought it about. This report is not a diagnosis.",
			Refs: []string{"R-GLO17", "R-DAV14", "R-POR25"}},
		safetyBox(),
	}}, nil
}

func (cb *compareBuilder) diversity() (Section, error) {
	c := cb.c
	rows := [][]string{
		{"Genus reads", num(c.AlphaBefore.Reads, 0), num(c.AlphaAfter.Reads, 0), signed0(c.AlphaAfter.Reads - c.AlphaBefore.Reads)},
		{"Shannon (ln)", num(c.AlphaBefore.Shannon, 3), num(c.AlphaAfter.Shannon, 3), signed(c.AlphaAfter.Shannon - c.AlphaBefore.Shannon)},
		{"Simpson (1 − D)", num(c.AlphaBefore.Simpson, 3), num(c.AlphaAfter.Simpson, 3), signed(c.AlphaAfter.Simpson - c.AlphaBefore.Simpson)},
		{"Genera observed", num(c.AlphaBefore.Observed, 0), num(c.AlphaAfter.Observed, 0), signed0(c.AlphaAfter.Observed - c.AlphaBefore.Observed)},
		{fmt.Sprintf("Expected genera at %d reads", c.Depth), num(c.ExpectedBefore, 1), num(c.ExpectedAfter, 1), signed(c.ExpectedAfter - c.ExpectedBefore)},
	}
	// Top genera of both samples, paired.
	sb, sa := c.Shares()
	order := make([]int, len(c.Genera))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return -cmpFloat(max(sb[a], sa[a]), max(sb[b], sa[b]))
	})
	order = order[:min(12, len(order))]
	var names []string
	var vb, va []float64
	for _, i := range order {
		names = append(names, c.Genera[i])
		vb = append(vb, 100*sb[i])
		va = append(va, 100*sa[i])
	}
	taxa, stacked := names, transpose2(vb, va)
	if ob, oa := max(0, 100-sum(vb)), max(0, 100-sum(va)); ob > 1e-9 || oa > 1e-9 {
		taxa = append(slices.Clone(names), "other genera")
		stacked = append(stacked, []float64{ob, oa})
	}
	p, err := plots.StackedShares([]string{cb.in.Before.Name, cb.in.After.Name}, taxa, stacked)
	if err != nil {
		return Section{}, err
	}
	fig := figure("compare-composition", "Genus shares of classified reads, before and after",
		fmt.Sprintf("Two stacked bars, before and after, of the shares of %s and other genera.", strings.Join(names, ", ")), p, 10*vg.Centimeter)
	return Section{ID: "diversity", Title: "Composition and diversity", Blocks: []Block{
		&Paragraph{Text: cb.noiseText()},
		fig,
		&Table{Caption: "Diversity at genus level", Header: []string{"Measure", "Before", "After", "Change"},
			Numeric: []bool{false, true, true, true}, Rows: rows},
		&Paragraph{Text: "The number of genera seen grows with the number of reads, so the expected number at the smaller sample's depth (Hurlbert's rarefaction) compares the two fairly. No diversity value has a clinical cut-off.", Refs: []string{"R-MA19"}},
	}}, nil
}

func signed0(v float64) string {
	if math.IsNaN(v) {
		return "not defined"
	}
	return fmt.Sprintf("%+.0f", v)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// transpose2 turns two per-sample lists into per-taxon pairs.
func transpose2(a, b []float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = []float64{a[i], b[i]}
	}
	return out
}

func (cb *compareBuilder) taxa() (Section, error) {
	// Taxon shares are of all reads at genus rank, unclassified included.
	nb, na := rankReads(cb.in.Before.Profile), rankReads(cb.in.After.Profile)
	var rows [][]string
	var refs, absent []string
	for _, t := range cb.kb.Taxa {
		mb, ma := cb.before.measure("taxon:"+t.ID), cb.after.measure("taxon:"+t.ID)
		if !mb.ok || !ma.ok {
			continue
		}
		b, a := mb.value, ma.value
		if b == 0 && a == 0 {
			absent = append(absent, t.Name)
			continue
		}
		note := "within read-sampling noise"
		if beyondNoise(b, nb, a, na) {
			note = "beyond read-sampling noise"
		}
		rows = append(rows, []string{t.Name, pct(b), pct(a), points(a-b) + "; " + note, t.Grade})
		refs = append(refs, t.Refs...)
	}
	blocks := []Block{
		&Paragraph{Text: "The bacteria the sample report follows for their links with the gut barrier, as shares of all reads. A change is marked beyond read-sampling noise when it is more than twice the standard error that counting this many reads gives; that says the change is unlikely to be a counting accident, not that it matters for health, since day-to-day variation of the community itself is larger and not measured here."},
		&Table{Caption: "Barrier-related taxa before and after (change in percentage points of all reads)",
			Header: []string{"Taxon", "Before", "After", "Change", "Evidence grade of its role"}, Numeric: []bool{false, true, true, false, false}, Rows: rows},
		&Paragraph{Text: "What each taxon is associated with, and how sure anyone can be, is set out in each sample's report; the grades and sources are those of zonula's knowledge base.", Refs: dedupe(refs)},
	}
	if len(absent) > 0 {
		blocks = append(blocks, &Paragraph{Text: "Not detected in either sample: " + strings.Join(absent, "; ") + "."})
	}
	return Section{ID: "taxa", Title: "Barrier-related bacteria", Blocks: blocks}, nil
}

func (cb *compareBuilder) indices() (Section, error) {
	type idx struct{ metric, name, grade string }
	list := []idx{
		{"IDX-04", "", ""},
		{"IDX-02", "", ""},
		{"sulfide", "Sulfide producers (Bilophila and Desulfovibrio)", cb.taxon("T-12").Grade},
		{"oral", "Mouth-type genera (Fusobacterium, Veillonella, Haemophilus, Streptococcus, Gemella)", cb.taxon("T-16").Grade},
	}
	var rows [][]string
	var refs []string
	for _, x := range list {
		if ix, ok := cb.kb.Index(x.metric); ok {
			x.name, x.grade = ix.Name, ix.Grade
			refs = append(refs, ix.Refs...)
		}
		b, a := cb.before.measure(x.metric), cb.after.measure(x.metric)
		if !b.ok || !a.ok {
			rows = append(rows, []string{x.name, "not computed", "not computed", "", x.grade})
			continue
		}
		val := func(m measurement) string {
			if m.share {
				return pct(m.value)
			}
			return num(m.value, 2)
		}
		change := signed(a.value - b.value)
		if b.share {
			change = points(a.value - b.value)
		}
		rows = append(rows, []string{x.name, val(b), val(a), change, x.grade})
	}
	refs = append(refs, cb.taxon("T-12").Refs...)
	refs = append(refs, cb.taxon("T-16").Refs...)
	return Section{ID: "indices", Title: "Health indices", Blocks: []Block{
		&Table{Caption: "Indices of the sample report, before and after", Header: []string{"Index", "Before", "After", "Change", "Grade"},
			Numeric: []bool{false, true, true, true, false}, Rows: rows},
		&Paragraph{Text: "These indices are research tools or zonula composites without validated cut-offs; a change in them is a change in shares of reads, not in health.", Refs: dedupe(refs)},
	}}, nil
}

func (cb *compareBuilder) taxon(id string) knowledge.Taxon {
	if t, ok := cb.kb.TaxonByID(id); ok {
		return t
	}
	return knowledge.Taxon{ID: id, Name: id}
}

// variation states what is known about normal change over time. zonula's
// knowledge base (science.md) holds no study giving the size of normal
// day-to-day change in these measures, so the report says so and makes no
// "normal range" claim.
func (cb *compareBuilder) variation() (Section, error) {
	blocks := []Block{
		&Callout{Level: Info, Title: "No normal range for change is claimed",
			Text: "zonula's knowledge base holds no study that gives the usual size of day-to-day change in Bray–Curtis dissimilarity, diversity or these taxa in the same person, so this report does not say whether this change is within normal variation. The read-sampling comparisons above only separate real differences between the two samples from counting noise."},
	}
	if p := limitationByID(cb.kb, "L-07"); p != nil {
		blocks = append(blocks, &Paragraph{Text: "What is known: " + lowerFirstLetter(p.Text), Refs: p.Refs})
	}
	blocks = append(blocks, &Paragraph{Text: "After a short course of antibiotics, the gut communities of healthy adults came back close to where they were within about six weeks, while some species were still missing after six months; a comparison spanning antibiotics should be read with that in mind.", Refs: []string{"R-PAL18"}})
	return Section{ID: "variation", Title: "What counts as a normal change", Blocks: blocks}, nil
}

func lowerFirstLetter(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func (cb *compareBuilder) limitations() (Section, error) {
	var blocks []Block
	for _, id := range []string{"L-01", "L-02", "L-05", "L-06", "L-08", "L-10"} {
		if p := limitationByID(cb.kb, id); p != nil {
			blocks = append(blocks, p)
		}
	}
	blocks = append(blocks, &KeyValues{Pairs: [][2]string{
		{"Level", "genus; reads not classified to a genus are left out"},
		{"Bray–Curtis", "Σ|x−y| / Σ(x+y) on genus shares of classified reads"},
		{"Read-sampling baseline", fmt.Sprintf("%d pairs of samples of %d and %d reads drawn from the pooled genus shares (seed %d); mean and 95th percentile of their Bray–Curtis", cohort.NoiseDraws, int(cb.c.AlphaBefore.Reads), int(cb.c.AlphaAfter.Reads), cb.c.Seed)},
		{"Change beyond read-sampling noise", "|p₂ − p₁| > 2 √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂)"},
		{"Same database", "compare samples classified with the same reference database; a database change alone moves shares"},
	}})
	return Section{ID: "limitations", Title: "Limitations and methods", Blocks: blocks}, nil
}
