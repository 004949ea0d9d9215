package cohort

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
)

// Default filters of the differential test (Options.MinPrevalence,
// Options.MinShare): a genus is tested when at least 10 % of the samples
// have a read of it and its mean share is at least 0.01 %, the usual
// prevalence and abundance filters before ALDEx2, ANCOM-BC or MaAsLin2.
const (
	DefaultMinPrevalence = 0.10
	DefaultMinShare      = 1e-4
	// minBlocks is the fewest subjects with samples in every group that a
	// paired or blocked test is run on.
	minBlocks = 3
)

// Reasons a genus is set aside before the differential test.
const (
	ReasonPrevalence = "low prevalence"
	ReasonShare      = "low mean share"
)

// SetAside is a genus left out of the differential test, and why.
type SetAside struct {
	Taxon      string
	Prevalence float64 // share of the compared samples with ≥ 1 read
	MeanShare  float64 // mean share of classified genus reads
	Reasons    []string
}

// Differential is the differential-abundance analysis of a cohort (see
// metrics.DifferentialAbundance), on the genera that pass the filters.
type Differential struct {
	Groups []string // compared groups, sorted; effects are first minus second
	// Design is "independent" (one unit per sample), "subject means"
	// (repeated samples of one subject in one group averaged, subjects
	// compared), "paired" or "blocked" (within-subject comparisons); Note
	// says in a sentence how samples became units and who was left out.
	Design, Note string
	Units        []int // units (samples or subjects) per group
	TTest        string
	RankTest     string
	Instances    int
	Seed         uint64
	// Genera is the number of genera seen in the compared samples; SetAside
	// those not tested (sorted by name); Rows the tested ones, sorted by
	// q-value (t-test, or the rank test for more than two groups), then
	// p-value, then name.
	Genera   int
	SetAside []SetAside
	Rows     []Difference
}

// Difference is one genus's result.
type Difference struct {
	metrics.DATaxon
	// Share is the mean share of classified genus reads in each group's
	// samples (0–1); Present counts each group's samples with ≥ 1 read.
	Share   []float64
	Present []int
}

// Key returns the value the rows are ordered by: the t-test's expected q
// for two groups, the rank test's for more.
func (d *Difference) Key() float64 {
	if len(d.Share) == 2 {
		return d.TQ
	}
	return d.RankQ
}

// filterGenera applies the prevalence and mean-share filters to the genus
// counts of the compared samples (rows of m, props their proportions) and
// returns the kept columns and the genera set aside. A genus absent from
// all of them is neither.
func filterGenera(m *metrics.CountMatrix, props [][]float64, rows []int, minPrev, minShare float64) (keep []int, aside []SetAside) {
	n := float64(len(rows))
	for j, taxon := range m.Taxa {
		var present, share float64
		for _, i := range rows {
			if m.Counts[i][j] >= 1 {
				present++
			}
			share += props[i][j]
		}
		prev, mean := present/n, share/n
		if share == 0 {
			continue // not in these samples at all: not a genus of this comparison
		}
		var why []string
		if prev < minPrev {
			why = append(why, ReasonPrevalence)
		}
		if mean < minShare {
			why = append(why, ReasonShare)
		}
		if why != nil {
			aside = append(aside, SetAside{Taxon: taxon, Prevalence: prev, MeanShare: mean, Reasons: why})
			continue
		}
		keep = append(keep, j)
	}
	return keep, aside
}

// design turns the compared samples (indices into r.Samples, with r's
// groups and subjects) into units of a metrics.DADesign, or says why no
// valid design exists. Samples without a subject are subjects of their own.
func (r *Result) design(rows []int, groups []string) (metrics.DADesign, *Differential, string) {
	d := metrics.DADesign{Groups: groups}
	out := &Differential{Groups: groups, Design: "independent"}
	type key struct{ subject, group string }
	units := map[key][]int{}
	var order []key
	subjectGroups := map[string][]string{}
	hasSubjects := false
	for _, i := range rows {
		s := r.Subjects[i]
		if s != "" {
			hasSubjects = true
		} else {
			s = "\x00" + r.Samples[i] // its own subject
		}
		kk := key{s, r.Groups[i]}
		if _, ok := units[kk]; !ok {
			order = append(order, kk)
			subjectGroups[s] = append(subjectGroups[s], r.Groups[i])
		}
		units[kk] = append(units[kk], i)
	}
	crossed, repeated := 0, 0
	for _, gs := range subjectGroups {
		if len(gs) > 1 {
			crossed++
		}
	}
	for _, u := range units {
		if len(u) > 1 {
			repeated++
		}
	}
	out.Units = make([]int, len(groups))
	if crossed == 0 {
		for _, kk := range order {
			g := slices.Index(groups, kk.group)
			d.Units = append(d.Units, metrics.DAUnit{Samples: units[kk], Group: g})
			out.Units[g]++
		}
		switch {
		case repeated > 0:
			out.Design = "subject means"
			out.Note = fmt.Sprintf("The %d samples come from %d subjects, each in one group; the %d subjects with several samples count once, with the mean of their samples' log-ratios, so that repeated samples of one person are not counted as independent.", len(rows), len(subjectGroups), repeated)
		case hasSubjects:
			out.Note = "Each subject has one sample, so samples are compared as independent."
		default:
			out.Note = "No subject column was given: every sample is taken to come from a different person."
		}
		for g, n := range out.Units {
			if n < 2 {
				return d, nil, fmt.Sprintf("group %q has %d %s; each group needs at least two", groups[g], n, unitWord(out.Design, n))
			}
		}
		return d, out, ""
	}
	// Subjects sampled in more than one group: compare within subjects.
	d.Blocked = true
	out.Design = "paired"
	if len(groups) > 2 {
		out.Design = "blocked"
	}
	var complete, partial []string
	for _, s := range slices.Sorted(mapKeys(subjectGroups)) {
		if len(subjectGroups[s]) == len(groups) {
			complete = append(complete, s)
		} else {
			partial = append(partial, strings.TrimPrefix(s, "\x00"))
		}
	}
	if len(complete) < minBlocks {
		return d, nil, fmt.Sprintf("%d subjects have samples in more than one group, so the samples are not independent, but only %d %s samples in every group; a paired test needs at least %d such subjects", crossed, len(complete), map[bool]string{true: "has", false: "have"}[len(complete) == 1], minBlocks)
	}
	for b, s := range complete {
		for g, name := range groups {
			d.Units = append(d.Units, metrics.DAUnit{Samples: units[key{s, name}], Group: g, Block: b})
			out.Units[g]++
		}
	}
	out.Note = fmt.Sprintf("%d subjects have samples in every group, so each genus is compared within subjects (%s).", len(complete), map[bool]string{true: "paired", false: "blocked by subject"}[len(groups) == 2])
	if repeated > 0 {
		out.Note += " Several samples of one subject in one group count once, with their mean log-ratio."
	}
	if len(partial) > 0 {
		out.Note += fmt.Sprintf(" Left out of this test: %s without samples in every group (%s).", plural(len(partial), "subject"), listNames(partial, 8))
	}
	return d, out, ""
}

func unitWord(design string, n int) string {
	w := "sample"
	if design == "subject means" {
		w = "subject"
	}
	if n != 1 {
		w += "s"
	}
	return w
}

// listNames joins up to max names, then "and N more".
func listNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// differential runs the differential test on the grouped samples, or sets
// r.DifferentialSkipped.
func (r *Result) differential(samples []Sample) error {
	if !r.Grouped {
		r.DifferentialSkipped = "no groups were given; give a groups file (--groups) to compare groups"
		return nil
	}
	if len(r.GroupNames) < 2 {
		r.DifferentialSkipped = fmt.Sprintf("all samples are in one group (%s); the test compares two or more groups", r.GroupNames[0])
		return nil
	}
	for _, s := range samples {
		if s.Profile.Relative {
			r.DifferentialSkipped = fmt.Sprintf("sample %q holds relative abundances, not read counts; the test models read counts", s.Name)
			return nil
		}
	}
	rows := make([]int, len(r.Samples))
	for i := range rows {
		rows[i] = i
	}
	design, diff, why := r.design(rows, r.GroupNames)
	if why != "" {
		r.DifferentialSkipped = why
		return nil
	}
	props := make([][]float64, len(r.Samples))
	for i := range props {
		props[i] = Proportions(r.Genus, i)
	}
	keep, aside := filterGenera(r.Genus, props, rows, r.Options.MinPrevalence, r.Options.MinShare)
	diff.SetAside, diff.Genera = aside, len(keep)+len(aside)
	if len(keep) < 2 {
		r.DifferentialSkipped = fmt.Sprintf("%d of %d genera pass the filters (present in ≥ %s of samples, mean share ≥ %s); a log-ratio needs at least two", len(keep), diff.Genera, percent(r.Options.MinPrevalence), percent(r.Options.MinShare))
		return nil
	}
	m := &metrics.CountMatrix{Samples: r.Samples, Taxa: make([]string, len(keep)), Counts: make([][]float64, len(r.Samples))}
	for k, j := range keep {
		m.Taxa[k] = r.Genus.Taxa[j]
	}
	for i, row := range r.Genus.Counts {
		m.Counts[i] = make([]float64, len(keep))
		for k, j := range keep {
			m.Counts[i][k] = row[j]
		}
	}
	res, err := metrics.DifferentialAbundance(m, design, metrics.DAOptions{Instances: r.Options.Instances, Seed: r.Options.Seed, Threads: r.Options.Threads})
	if err != nil {
		return fmt.Errorf("cohort: differential abundance: %w", err)
	}
	diff.TTest, diff.RankTest, diff.Instances, diff.Seed = res.TTest, res.RankTest, res.Instances, res.Seed
	for k, tx := range res.Taxa {
		row := Difference{DATaxon: tx, Share: make([]float64, len(r.GroupNames)), Present: make([]int, len(r.GroupNames))}
		for i, g := range r.Groups {
			gi := slices.Index(r.GroupNames, g)
			row.Share[gi] += props[i][keep[k]]
			if r.Genus.Counts[i][keep[k]] >= 1 {
				row.Present[gi]++
			}
		}
		for gi := range row.Share {
			row.Share[gi] /= float64(r.GroupSizes[gi])
		}
		diff.Rows = append(diff.Rows, row)
	}
	slices.SortStableFunc(diff.Rows, func(a, b Difference) int {
		pa, pb := a.TP, b.TP
		if len(r.GroupNames) > 2 {
			pa, pb = a.RankP, b.RankP
		}
		return cmp.Or(cmpNaNLast(a.Key(), b.Key()), cmpNaNLast(pa, pb), cmpNaNLast(a.RankQ, b.RankQ), strings.Compare(a.Taxon, b.Taxon))
	})
	r.Differential = diff
	return nil
}

// percent formats a fraction as a percentage for messages: 0.1 → "10 %".
func percent(f float64) string {
	return fmt.Sprintf("%s %%", Num(100*f))
}

// cmpNaNLast orders numbers ascending with NaN after every number.
func cmpNaNLast(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}

// plural returns "1 subject", "2 subjects".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
