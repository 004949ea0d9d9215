package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/pipeline/metrics"
)

// maxPairwiseGenera is how many genera (in the differential table's order)
// the pairwise-effects table of more than two groups shows.
const maxPairwiseGenera = 10

// sharePct formats a mean share with two significant digits, so that the
// rare genera a differential table lists stay distinguishable:
// "0.034 %", "2.5 %", "31 %".
func sharePct(f float64) string {
	switch {
	case math.IsNaN(f):
		return "not defined"
	case f == 0:
		return "0\u00a0%"
	}
	v := 100 * f
	prec := max(0, 1-int(math.Floor(math.Log10(v))))
	return strconv.FormatFloat(v, 'f', prec, 64) + "\u00a0%"
}

// interval formats an effect's 95 % interval: "[0.85, 2.41]".
func interval(e metrics.PairEffect) string {
	if math.IsNaN(e.Low) || math.IsNaN(e.High) {
		return "not defined"
	}
	return "[" + signed(e.Low) + ", " + signed(e.High) + "]"
}

// capitalize returns s with its first letter upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// differential is the section on genera that differ between the groups.
func (c *cohortBuilder) differential() (Section, error) {
	r := c.r
	sec := Section{ID: "differential", Title: "Genera that differ between groups"}
	d := r.Differential
	if d == nil {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: "The differential-abundance test was not run: " + r.DifferentialSkipped + "."})
		return sec, nil
	}
	sec.Blocks = append(sec.Blocks, &Paragraph{Text: c.methodText(), Refs: []string{"R-GLO17"}},
		&Paragraph{Text: d.Note + " " + c.filterText()})
	if len(d.Groups) == 2 {
		sec.Blocks = append(sec.Blocks, c.twoGroupTable())
	} else {
		sec.Blocks = append(sec.Blocks, c.manyGroupTable())
	}
	sec.Blocks = append(sec.Blocks, &Callout{Level: Notice, Title: "Limits of this test", Items: c.limitItems(), Refs: []string{"R-GLO17", "R-POR25"}})
	return sec, nil
}

// methodText says how the genera were compared.
func (c *cohortBuilder) methodText() string {
	d := c.r.Differential
	tests := "the " + d.TTest + " and the " + d.RankTest
	if d.TTest == "" {
		tests = "the " + d.RankTest
	}
	return fmt.Sprintf("Genera were compared as ALDEx2 does (Fernandes and colleagues, 2014). Each sample's genus counts gave %d Monte Carlo instances of its composition, drawn from a Dirichlet distribution with 0.5 added to every count (seed %d), so that a genus not seen in a sample gets a small share that varies between instances instead of one constant pseudocount, and a genus seen in a few samples does not look like a near-constant. Each instance was turned into centred log-ratios in base 2 (each genus relative to the sample's typical genus). In every instance %s compared the groups' values, and Benjamini–Hochberg q-values were computed over the %d genera tested; the tables give the means over the instances (expected p and q). An effect is a difference in mean log-ratio in log2 units (1 means twice as much relative to the other genera) with its 95 %% confidence interval, averaged over the instances.",
		d.Instances, d.Seed, tests, len(d.Rows))
}

// filterText says which genera were set aside before testing, and why.
func (c *cohortBuilder) filterText() string {
	r, d := c.r, c.r.Differential
	head := fmt.Sprintf("Of the %d genera seen in these samples, %d were tested.", d.Genera, len(d.Rows))
	if len(d.SetAside) == 0 {
		return head + " None was set aside by the filters (present in at least " + pctPlain(r.Options.MinPrevalence) + " of samples, mean share at least " + pctPlain(r.Options.MinShare) + ")."
	}
	var names []string
	for _, a := range d.SetAside[:min(6, len(d.SetAside))] {
		names = append(names, a.Taxon)
	}
	more := ""
	if len(d.SetAside) > len(names) {
		more = fmt.Sprintf(" and %d more", len(d.SetAside)-len(names))
	}
	return fmt.Sprintf("%s %d were set aside before testing (%s%s; genera-set-aside.tsv lists them): %d present (at least one read) in fewer than %s of the samples, %d with a mean share below %s (a genus can fail both). Genera this rare give unreliable tests, and leaving them out keeps them from diluting the multiple-testing correction.",
		head, len(d.SetAside), strings.Join(names, ", "), more, d.AsideFor(cohort.ReasonPrevalence), pctPlain(r.Options.MinPrevalence), d.AsideFor(cohort.ReasonShare), pctPlain(r.Options.MinShare))
}

// pctPlain formats a fraction as a percentage with the digits it needs:
// 0.1 → "10 %", 1e-4 → "0.01 %".
func pctPlain(f float64) string {
	return strconv.FormatFloat(100*f, 'f', -1, 64) + "\u00a0%"
}

// rowsShown returns the differential rows the report's table shows and its
// caption's suffix.
func (c *cohortBuilder) rowsShown() ([]cohort.Difference, string) {
	rows := c.r.Differential.Rows
	if len(rows) > maxDifferentialRows {
		return rows[:maxDifferentialRows], fmt.Sprintf(" (first %d of %d genera; differential.tsv lists all)", maxDifferentialRows, len(rows))
	}
	return rows, ""
}

func (c *cohortBuilder) twoGroupTable() *Table {
	d := c.r.Differential
	a, b := d.Groups[0], d.Groups[1]
	n := [2]int{}
	for i, g := range c.r.GroupNames {
		if g == a {
			n[0] = c.r.GroupSizes[i]
		} else if g == b {
			n[1] = c.r.GroupSizes[i]
		}
	}
	shown, more := c.rowsShown()
	var rows [][]string
	for _, x := range shown {
		e := x.Effects[0]
		rows = append(rows, []string{x.Taxon, sharePct(x.Share[0]), sharePct(x.Share[1]),
			fmt.Sprintf("%d/%d", x.Present[0], n[0]), fmt.Sprintf("%d/%d", x.Present[1], n[1]),
			signed(e.Diff), interval(e), pValue(x.TQ), pValue(x.RankQ)})
	}
	return &Table{Caption: capitalize(fmt.Sprintf("%s and %s, %s against %s, ordered by the t-test's q-value%s", d.TTest, d.RankTest, a, b, more)),
		Header: []string{"Genus", "Mean share " + a, "Mean share " + b, "Present " + a, "Present " + b,
			"Effect (log2, " + a + " vs " + b + ")", "95 % interval", "q (" + shortTest(d.TTest) + ")", "q (" + shortTest(d.RankTest) + ")"},
		Numeric: []bool{false, true, true, true, true, true, true, true, true}, Rows: rows}
}

// shortTest names a test in a column header.
func shortTest(name string) string {
	return strings.TrimSuffix(strings.TrimPrefix(name, "Wilcoxon "), " test")
}

func (c *cohortBuilder) manyGroupTable() *Table {
	d := c.r.Differential
	shown, more := c.rowsShown()
	header := []string{"Genus"}
	numeric := []bool{false}
	for _, g := range d.Groups {
		header = append(header, "Mean share "+g)
		numeric = append(numeric, true)
	}
	header = append(header, "p", "q")
	numeric = append(numeric, true, true)
	var rows [][]string
	for _, x := range shown {
		row := []string{x.Taxon}
		for g := range d.Groups {
			row = append(row, sharePct(x.Share[g]))
		}
		rows = append(rows, append(row, pValue(x.RankP), pValue(x.RankQ)))
	}
	return &Table{Caption: fmt.Sprintf("%s across %d groups, ordered by q%s", d.RankTest, len(d.Groups), more),
		Header: header, Numeric: numeric, Rows: rows}
}

// pairwise is the section of pairwise effects between more than two groups
// (nil for two groups, whose one effect is in the differential table).
func (c *cohortBuilder) pairwise() (Section, bool) {
	d := c.r.Differential
	if d == nil || len(d.Groups) < 3 {
		return Section{}, false
	}
	var rows [][]string
	shown := d.Rows[:min(maxPairwiseGenera, len(d.Rows))]
	for _, x := range shown {
		for _, e := range x.Effects {
			rows = append(rows, []string{x.Taxon, d.Groups[e.A] + " vs " + d.Groups[e.B], signed(e.Diff), interval(e)})
		}
	}
	kind := "Welch's t-test interval"
	if d.Design == "blocked" {
		kind = "paired t-test interval, within subjects"
	}
	return Section{ID: "differential-pairwise", Title: "Pairwise differences between groups", Blocks: []Block{
		&Paragraph{Text: fmt.Sprintf("For the first %d genera of the table above, the effect between every pair of groups: the difference in mean log-ratio (log2 units) with its 95 %% confidence interval (%s), averaged over the Monte Carlo instances. An interval that does not include 0 suggests the pair differs; these intervals are not adjusted for the number of pairs and genera (differential-pairwise.tsv lists every genus).", len(shown), kind)},
		&Table{Caption: "Pairwise effects (log2) with 95 % intervals", Header: []string{"Genus", "Groups", "Effect (log2)", "95 % interval"},
			Numeric: []bool{false, false, true, true}, Rows: rows},
	}}, true
}

// limitItems are the limits the differential test's callout lists.
func (c *cohortBuilder) limitItems() []string {
	d := c.r.Differential
	var sizes []string
	for g, n := range d.Units {
		sizes = append(sizes, fmt.Sprintf("%d in %s", n, d.Groups[g]))
	}
	unit := "samples"
	if d.Design != "independent" {
		unit = "subjects"
	}
	return []string{
		"Compositional data: a genus can differ in share because other genera changed; log-ratios are relative to each sample's typical genus, not absolute amounts.",
		fmt.Sprintf("Group sizes (%s: %s): small groups give wide intervals, and one unusual %s can decide a result.", unit, strings.Join(sizes, ", "), strings.TrimSuffix(unit, "s")),
		fmt.Sprintf("Multiple testing: %d genera were tested; read q-values, not p-values, and expect about q × (number of genera below that q) false positives.", len(d.Rows)),
		"The Monte Carlo model makes rare genera conservative: a genus missing from many samples gets widely varying log-ratios, so it needs a large and consistent difference to reach a small q.",
		"Association only: a difference between groups does not show that a genus has any effect, or which way an effect would run.",
	}
}
