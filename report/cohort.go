package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/report/plots"
)

// CohortInput is what a cohort report is built from.
type CohortInput struct {
	Provenance Provenance
	Result     *cohort.Result
	// GroupsFile names the groups file as the user gave it.
	GroupsFile string
}

// cohortTopGenera is how many genera the composition bars name; the rest
// are stacked as "other".
const cohortTopGenera = 10

// maxDifferentialRows is how many genera the differential table shows
// (differential.tsv has all).
const maxDifferentialRows = 25

// metricNames are the report's names of cohort.Options.Metric values.
var metricNames = map[string]string{
	cohort.BrayCurtis: "Bray–Curtis dissimilarity of genus shares",
	cohort.Jaccard:    "Jaccard distance of genus presence",
	cohort.Aitchison:  "Aitchison distance (Euclidean distance of CLR-transformed genus counts)",
}

// BuildCohort turns a cohort analysis into a report: composition of every
// sample, PCoA and PERMANOVA, alpha diversity by group, the differential
// abundance test, and the methods and their limits.
func BuildCohort(in CohortInput, kb *knowledge.Knowledge) (*Document, error) {
	r := in.Result
	if r == nil || kb == nil {
		return nil, fmt.Errorf("report: cohort report needs a result and the knowledge base")
	}
	doc := &Document{
		Title:      "Cohort microbiome report",
		Sample:     fmt.Sprintf("%d samples in %d groups", len(r.Samples), len(r.GroupNames)),
		Provenance: in.Provenance,
	}
	if !r.Grouped {
		doc.Sample = fmt.Sprintf("%d samples, no groups given", len(r.Samples))
	}
	c := cohortBuilder{in: in, r: r, kb: kb}
	for _, step := range []func() (Section, error){c.summary, c.composition, c.beta, c.alpha, c.differential, c.limitations} {
		s, err := step()
		if err != nil {
			return nil, err
		}
		doc.Sections = append(doc.Sections, s)
		if s.ID == "differential" {
			if pw, ok := c.pairwise(); ok {
				doc.Sections = append(doc.Sections, pw)
			}
		}
	}
	return finishDocument(doc, kb)
}

// finishDocument adds the reference section, resolves every cited key and
// checks the wording, as Build does for a sample report.
func finishDocument(doc *Document, kb *knowledge.Knowledge) (*Document, error) {
	doc.Sections = append(doc.Sections, Section{ID: "references", Title: "References"})
	b := &builder{kb: kb, cited: map[string]bool{}}
	if err := b.resolveReferences(doc); err != nil {
		return nil, err
	}
	if err := checkWording(doc); err != nil {
		return nil, err
	}
	return doc, nil
}

type cohortBuilder struct {
	in CohortInput
	r  *cohort.Result
	kb *knowledge.Knowledge
}

func (c *cohortBuilder) groupList() string {
	var parts []string
	for i, g := range c.r.GroupNames {
		parts = append(parts, fmt.Sprintf("%s (%d)", g, c.r.GroupSizes[i]))
	}
	return strings.Join(parts, ", ")
}

func (c *cohortBuilder) permanovaText() string {
	r := c.r
	if r.Permanova == nil {
		return "not run: " + r.PermanovaSkipped
	}
	pm := r.Permanova
	s := fmt.Sprintf("pseudo-F = %s, R² = %s", num(pm.F, 2), num(pm.R2, 3))
	if pm.Permutations > 0 {
		s += fmt.Sprintf(", p %s (%d permutations)", pRelation(pm.P), pm.Permutations)
	}
	return s
}

// pRelation is "= 0.022" or "< 0.001", for "p = …" in running text.
func pRelation(p float64) string {
	if v := pValue(p); strings.HasPrefix(v, "<") || v == "not defined" {
		return v
	}
	return "= " + pValue(p)
}

// pValue formats a p- or q-value with three decimals, "< 0.001" below that.
func pValue(p float64) string {
	switch {
	case math.IsNaN(p):
		return "not defined"
	case p < 0.001:
		return "< 0.001"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

func (c *cohortBuilder) summary() (Section, error) {
	r := c.r
	pairs := [][2]string{{"Samples", strconv.Itoa(len(r.Samples))}}
	if r.Grouped {
		pairs = append(pairs, [2]string{"Groups", c.groupList()}, [2]string{"Groups file", c.in.GroupsFile})
	} else {
		pairs = append(pairs, [2]string{"Groups", "none given: the samples are described, and no test between groups was run"})
	}
	pairs = append(pairs, c.leftOut()...)
	if r.FeatureLevel {
		pairs = append(pairs, [2]string{"Level", featureLevelText(len(r.Genus.Taxa))})
	}
	pairs = append(pairs, [2]string{"Compared on", metricNames[r.Options.Metric]}, [2]string{"PERMANOVA", c.permanovaText()})
	if d := r.Differential; d != nil {
		n := 0
		for i := range d.Rows {
			if d.Rows[i].Key() < 0.05 {
				n++
			}
		}
		top := d.Rows[0]
		pairs = append(pairs, [2]string{"Genera with q < 0.05", fmt.Sprintf("%d of %d tested (%d set aside as rare); lowest q: %s (q %s)", n, len(d.Rows), len(d.SetAside), top.Taxon, pRelation(top.Key()))})
	} else {
		pairs = append(pairs, [2]string{"Differential abundance", "not run: " + r.DifferentialSkipped})
	}
	if len(r.Databases) > 0 {
		pairs = append(pairs, [2]string{"Reference database(s)", strings.Join(r.Databases, "; ")})
	}
	intro := fmt.Sprintf("This report compares %d gut microbiome profiles in %d groups at genus level: how the samples are composed, how far apart they are, whether the groups differ as a whole (PERMANOVA), how diverse each sample is, and which genera differ in share between the groups.", len(r.Samples), len(r.GroupNames))
	if !r.Grouped {
		intro = fmt.Sprintf("This report describes %d gut microbiome profiles at genus level: how the samples are composed, how far apart they are and how diverse each sample is. No groups were given, so no test between groups was run.", len(r.Samples))
	}
	blocks := []Block{
		&Paragraph{Text: intro},
		&KeyValues{Pairs: pairs},
		&Callout{Level: Notice, Title: "Group differences are associations",
			Text: "Differences between groups of samples show that the groups differ, not why. Shares are relative (compositional): one genus rising lowers the share of all others. Small groups give imprecise answers, and many genera tested at once make some small p-values happen by chance; q-values correct for that. This report is not a diagnosis.",
			Refs: []string{"R-GLO17", "R-POR25"}},
	}
	return Section{ID: "summary", Title: "Cohort at a glance", Blocks: blocks}, nil
}

// order returns the sample indices sorted by group, then input order.
func (c *cohortBuilder) order() []int {
	idx := make([]int, len(c.r.Samples))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return strings.Compare(c.r.Groups[a], c.r.Groups[b])
	})
	return idx
}

func (c *cohortBuilder) composition() (Section, error) {
	r := c.r
	n := len(r.Samples)
	props := make([][]float64, n)
	for i := range props {
		props[i] = cohort.Proportions(r.Genus, i)
	}
	// Top genera by mean share of classified reads.
	mean := map[string]float64{}
	for j, t := range r.Genus.Taxa {
		for i := range props {
			mean[t] += props[i][j] / float64(n)
		}
	}
	top := sorted(mean)
	top = top[:min(cohortTopGenera, len(top))]
	col := map[string]int{}
	for j, t := range r.Genus.Taxa {
		col[t] = j
	}
	order := c.order()
	names := make([]string, n)
	for k, i := range order {
		names[k] = r.Samples[i]
	}
	taxa := slices.Clone(top)
	shares := make([][]float64, 0, len(top)+2)
	for _, t := range top {
		row := make([]float64, n)
		for k, i := range order {
			row[k] = 100 * props[i][col[t]] * (1 - r.Unclassified[i])
		}
		shares = append(shares, row)
	}
	others := len(r.Genus.Taxa) - len(top)
	if others > 0 {
		row := make([]float64, n)
		for k, i := range order {
			sum := 1.0
			for _, t := range top {
				sum -= props[i][col[t]]
			}
			row[k] = 100 * max(0, sum) * (1 - r.Unclassified[i])
		}
		taxa = append(taxa, fmt.Sprintf("other (%d genera)", others))
		shares = append(shares, row)
	}
	if slices.Max(r.Unclassified) > 0 {
		row := make([]float64, n)
		for k, i := range order {
			row[k] = 100 * r.Unclassified[i]
		}
		taxa = append(taxa, "unclassified")
		shares = append(shares, row)
	}
	p, err := plots.StackedShares(names, taxa, shares)
	if err != nil {
		return Section{}, err
	}
	h := 11 * vg.Centimeter
	fig := figure("cohort-composition", fmt.Sprintf("Genus composition of every sample, ordered by group (%d most common genera named)", len(top)),
		fmt.Sprintf("Stacked bars, one per sample, of the shares of %s%s.", strings.Join(top, ", "), map[bool]string{true: ", other genera and unclassified reads", false: ""}[others > 0 || slices.Max(r.Unclassified) > 0]), p, h)

	header := []string{"Sample", "Group", "Genus reads", "Unclassified"}
	numeric := []bool{false, false, true, true}
	for _, t := range top[:min(3, len(top))] {
		header = append(header, t)
		numeric = append(numeric, true)
	}
	var rows [][]string
	for _, i := range order {
		row := []string{r.Samples[i], r.Groups[i], num(r.Alpha[i].Reads, 0), pct(r.Unclassified[i])}
		for _, t := range top[:min(3, len(top))] {
			row = append(row, pct(props[i][col[t]]*(1-r.Unclassified[i])))
		}
		rows = append(rows, row)
	}
	table := &Table{Caption: "Shares of all reads of the most common genera per sample", Header: header, Rows: rows, Numeric: numeric, ScreenOnly: n > 60}
	return Section{ID: "composition", Title: "Composition of every sample", Blocks: []Block{
		fig, table,
		&Paragraph{Text: "Shares are of all reads at genus rank, so the bars of a sample add up to 100 %; a genus's share says nothing about how many bacteria of it there are.", Refs: []string{"R-GLO17", "R-VAN17"}},
	}}, nil
}

// distinctSplits returns the number of distinct ways to split n samples
// into groups of the given sizes, counting splits that only swap the labels
// of equally large groups once: n! / (Π n_g! · Π m_s!), m_s being the number
// of groups of size s. PERMANOVA's F is the same for such swaps, so 1 over
// this number is about the smallest p-value a permutation test can give.
func distinctSplits(sizes []int) float64 {
	lg := func(k int) float64 { v, _ := math.Lgamma(float64(k) + 1); return v }
	n := 0
	same := map[int]int{}
	for _, s := range sizes {
		n += s
		same[s]++
	}
	l := lg(n)
	for _, s := range sizes {
		l -= lg(s)
	}
	for _, m := range same {
		l -= lg(m)
	}
	return math.Round(math.Exp(l))
}

func (c *cohortBuilder) beta() (Section, error) {
	r := c.r
	o := r.Ordination
	var pts []plots.Point
	for i := range r.Samples {
		x, y := o.Coordinates[i][0], 0.0
		if len(o.Coordinates[i]) > 1 {
			y = o.Coordinates[i][1]
		}
		pts = append(pts, plots.Point{X: x, Y: y, Group: slices.Index(r.GroupNames, r.Groups[i])})
	}
	axis := func(k int) string {
		if k >= len(o.ProportionExplained) {
			return fmt.Sprintf("PC%d", k+1)
		}
		return fmt.Sprintf("PC%d (%.1f %%)", k+1, 100*o.ProportionExplained[k])
	}
	p, err := plots.Ordination(pts, r.GroupNames, axis(0), axis(1))
	if err != nil {
		return Section{}, err
	}
	metric := metricNames[r.Options.Metric]
	fig := figure("cohort-pcoa", "Principal coordinates of the "+metric+", coloured by group",
		fmt.Sprintf("Scatter plot of %d samples on the first two principal coordinates, %s and %s, one colour and symbol per group: %s.", len(r.Samples), axis(0), axis(1), c.groupList()), p, 10*vg.Centimeter)
	blocks := []Block{
		&Paragraph{Text: fmt.Sprintf("Each pair of samples was compared with the %s (0 = identical; see the methods). Principal coordinate analysis (PCoA) places the samples so that their distances on the first axes match these values as well as possible: samples close together have similar genus profiles. The axes show %s and %s of the variation.", metric, pct(o.ProportionExplained[0]), pct(o.ProportionExplained[min(1, len(o.ProportionExplained)-1)]))},
		fig,
	}
	if pm := r.Permanova; pm != nil {
		blocks = append(blocks, &Table{Caption: "PERMANOVA: do the groups differ as a whole?",
			Header:  []string{"Distance", "Samples", "Groups", "Pseudo-F", "R²", "p", "Permutations", "Seed"},
			Numeric: []bool{false, true, true, true, true, true, true, true},
			Rows: [][]string{{r.Options.Metric, strconv.Itoa(pm.Samples), strconv.Itoa(pm.Groups), num(pm.F, 3), num(pm.R2, 3),
				pValue(pm.P), strconv.Itoa(pm.Permutations), strconv.FormatUint(r.Options.Seed, 10)}}})
		text := fmt.Sprintf("PERMANOVA (Anderson 2001) asks whether samples are closer to others of their own group than to the rest: R² = %s means the grouping accounts for %s of the variation in distances. The p-value compares the pseudo-F with that of %d random relabellings of the samples (seed %d, so the same data always give the same p); its precision is about ± %s. PERMANOVA also responds when groups differ in spread rather than position, so look at the plot as well.",
			num(pm.R2, 3), pct(pm.R2), pm.Permutations, r.Options.Seed, num(math.Sqrt(max(pm.P*(1-pm.P), 1e-12)/float64(max(pm.Permutations, 1))), 3))
		if splits := distinctSplits(r.GroupSizes); splits < float64(pm.Permutations) && !r.PermanovaWithinSubjects {
			text += fmt.Sprintf(" With these group sizes there are only %.0f distinct ways to split the samples, so no p-value below about %s is possible, however different the groups.", splits, num(1/splits, 3))
		}
		if r.PermanovaNote != "" {
			text += " " + capitalize(r.PermanovaNote) + "."
		}
		if slices.Min(r.GroupSizes) < 3 {
			text += " At least one group has fewer than three samples: the test has little power and its result is fragile."
		}
		blocks = append(blocks, &Paragraph{Text: text})
	} else {
		blocks = append(blocks, &Paragraph{Text: "PERMANOVA was not run: " + r.PermanovaSkipped + "."})
	}
	return Section{ID: "beta", Title: "Differences between samples (beta diversity)", Blocks: blocks}, nil
}

func (c *cohortBuilder) alpha() (Section, error) {
	r := c.r
	values := make([][]float64, len(r.GroupNames))
	byGroup := make([][]int, len(r.GroupNames))
	for i, g := range r.Groups {
		k := slices.Index(r.GroupNames, g)
		values[k] = append(values[k], r.Alpha[i].Shannon)
		byGroup[k] = append(byGroup[k], i)
	}
	p, err := plots.GroupStrip(r.GroupNames, values, "Shannon diversity (genus, ln)")
	if err != nil {
		return Section{}, err
	}
	fig := figure("cohort-alpha", "Shannon diversity of each sample by group; the grey bar marks the group median",
		fmt.Sprintf("Strip plot of the Shannon diversity at genus level of every sample in each group: %s.", c.groupList()), p, 8*vg.Centimeter)
	var rows [][]string
	for k, g := range r.GroupNames {
		var sh, obs, exp []float64
		for _, i := range byGroup[k] {
			sh = append(sh, r.Alpha[i].Shannon)
			obs = append(obs, r.Alpha[i].Observed)
			exp = append(exp, r.Expected[i])
		}
		rows = append(rows, []string{g, strconv.Itoa(len(byGroup[k])), spread(sh, 2), spread(obs, 0), spread(exp, 1)})
	}
	var sampleRows [][]string
	for _, i := range c.order() {
		a := r.Alpha[i]
		sampleRows = append(sampleRows, []string{r.Samples[i], r.Groups[i], num(a.Reads, 0), num(a.Observed, 0), num(a.Shannon, 3), num(a.Simpson, 3), num(r.Expected[i], 1)})
	}
	return Section{ID: "alpha", Title: "Diversity within samples (alpha diversity) by group", Blocks: []Block{
		fig,
		&Table{Caption: "Alpha diversity by group: median (lowest–highest)",
			Header:  []string{"Group", "Samples", "Shannon", "Genera observed", fmt.Sprintf("Expected genera at %d reads", r.Depth)},
			Numeric: []bool{false, true, true, true, true}, Rows: rows},
		&Table{Caption: "Alpha diversity of each sample (genus level)",
			Header:  []string{"Sample", "Group", "Genus reads", "Genera observed", "Shannon", "Simpson (1 − D)", fmt.Sprintf("Expected genera at %d reads", r.Depth)},
			Numeric: []bool{false, false, true, true, true, true, true}, Rows: sampleRows, ScreenOnly: len(r.Samples) > 60},
		&Paragraph{Text: fmt.Sprintf("Shannon diversity (natural log) combines how many genera there are and how evenly reads spread over them. The number of genera observed grows with the number of reads, so samples are also compared at equal depth: the expected number of genera in a random subsample of %d reads, the smallest sample's genus read count (Hurlbert's rarefaction). No diversity value has a clinical cut-off; differences between groups here are not tested for significance.", r.Depth), Refs: []string{"R-MA19"}},
	}}, nil
}

// spread formats the median and range of v: "2.31 (1.95–2.60)".
func spread(v []float64, prec int) string {
	var f []float64
	for _, x := range v {
		if !math.IsNaN(x) {
			f = append(f, x)
		}
	}
	if len(f) == 0 {
		return "not defined"
	}
	slices.Sort(f)
	m := f[len(f)/2]
	if len(f)%2 == 0 {
		m = (f[len(f)/2-1] + f[len(f)/2]) / 2
	}
	if len(f) == 1 {
		return num(m, prec)
	}
	return fmt.Sprintf("%s (%s–%s)", num(m, prec), num(f[0], prec), num(f[len(f)-1], prec))
}

// featureLevelText says that a cohort of tables without lineages was
// compared on the tables' own features.
func featureLevelText(n int) string {
	return fmt.Sprintf("the tables' own %d features: no sample has reads classified to a genus and the tables give no lineages, so their rows (genera, OTUs or ASVs, as the tables name them) are compared as they are; give lineages (for example --taxonomy with zonula profile) for genus level", n)
}

// leftOut lists the samples not in the statistics, for the summary.
func (c *cohortBuilder) leftOut() [][2]string {
	r := c.r
	var out [][2]string
	names := func(v []string) string {
		if len(v) <= 8 {
			return strings.Join(v, ", ")
		}
		return fmt.Sprintf("%s and %d more", strings.Join(v[:8], ", "), len(v)-8)
	}
	if len(r.LeftOut) > 0 {
		out = append(out, [2]string{"Left out: not in the groups file", fmt.Sprintf("%d samples (%s)", len(r.LeftOut), names(r.LeftOut))})
	}
	if len(r.Unlisted) > 0 {
		out = append(out, [2]string{"In the groups file but not among the inputs", fmt.Sprintf("%d samples (%s)", len(r.Unlisted), names(r.Unlisted))})
	}
	if len(r.Empty) > 0 {
		out = append(out, [2]string{"Left out: no reads classified to a genus", fmt.Sprintf("%d samples (%s)", len(r.Empty), names(r.Empty))})
	}
	return out
}

// methodSummary is the differential test's line of the methods list.
func (c *cohortBuilder) methodSummary() string {
	rec := c.r.DifferentialRecord()
	s := fmt.Sprintf("ALDEx2-style: %d Dirichlet Monte Carlo instances (counts + 0.5, seed %d), log2 centred log-ratios", rec.Instances, rec.Seed)
	if rec.Tested {
		s += ", " + strings.TrimPrefix(rec.TTest+" and "+rec.RankTest, " and ")
	}
	s += fmt.Sprintf(", expected p and Benjamini–Hochberg q; genera present in ≥ %s of samples with a mean share ≥ %s", pctPlain(rec.MinPrevalence), pctPlain(rec.MinShare))
	if rec.Tested {
		s += "; design: " + rec.Design
	}
	return s
}

func signed(v float64) string {
	if math.IsNaN(v) {
		return "not defined"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// limitationByID returns the knowledge base's limitation id as a paragraph.
func limitationByID(kb *knowledge.Knowledge, id string) *Paragraph {
	for _, l := range kb.Limitations {
		if l.ID == id {
			return &Paragraph{Text: l.Text, Refs: l.Refs}
		}
	}
	return nil // knowledge tests keep the IDs used here present
}

func (c *cohortBuilder) limitations() (Section, error) {
	r := c.r
	var blocks []Block
	for _, id := range []string{"L-01", "L-02", "L-05", "L-07", "L-08", "L-10"} {
		if p := limitationByID(c.kb, id); p != nil {
			blocks = append(blocks, p)
		}
	}
	db := "not recorded (tables without a run.json)"
	if len(r.Databases) > 0 {
		db = strings.Join(r.Databases, "; ")
		if len(r.Databases) > 1 {
			db += " — samples were classified against different databases, which alone can make them differ"
		}
	}
	blocks = append(blocks, &KeyValues{Pairs: [][2]string{
		{"Level", map[bool]string{false: "genus; reads not classified to a genus are left out of every statistic but the composition bars",
			true: featureLevelText(len(r.Genus.Taxa))}[r.FeatureLevel]},
		{"Distance", metricNames[r.Options.Metric] + map[string]string{
			cohort.BrayCurtis: " (Σ|x−y| / Σ(x+y) on shares, so sequencing depth does not enter)",
			cohort.Jaccard:    " (1 − shared / all genera present)",
			cohort.Aitchison:  fmt.Sprintf(" (pseudocount %s)", num(r.Options.Pseudocount, 1)),
		}[r.Options.Metric]},
		{"Ordination", "principal coordinate analysis (classical scaling), negative eigenvalues set to 0"},
		{"PERMANOVA", fmt.Sprintf("pseudo-F with %d permutations, seed %d, p = (1 + permutations with F* ≥ F) / (1 + permutations)", r.Options.Permutations, r.Options.Seed)},
		{"Differential abundance", c.methodSummary()},
		{"Reference database", db},
		{"Tables", "distances.tsv, pcoa.tsv, permanova.tsv, permanova.json, differential.tsv, differential-pairwise.tsv, genera-set-aside.tsv, differential.json, alpha.tsv in the output directory"},
	}})
	return Section{ID: "limitations", Title: "Limitations and methods", Blocks: blocks}, nil
}
