package cohort

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
)

// Metric names accepted by Options.Metric.
const (
	BrayCurtis = "braycurtis"
	Jaccard    = "jaccard"
	Aitchison  = "aitchison"
)

// Metrics returns the accepted metric names.
func Metrics() []string { return []string{BrayCurtis, Jaccard, Aitchison} }

// Options controls Analyze.
type Options struct {
	// Metric is the beta-diversity measure: BrayCurtis (on genus
	// proportions), Jaccard (genus presence) or Aitchison (CLR of genus
	// counts with Pseudocount). Empty means BrayCurtis.
	Metric string
	// Permutations for PERMANOVA (0 computes F and R² without a p-value).
	Permutations int
	// Seed of the PERMANOVA permutations.
	Seed uint64
	// Pseudocount added to counts before CLR (Aitchison distance and the
	// differential test); 0 means metrics.DefaultPseudocount.
	Pseudocount float64
}

// DefaultOptions are Bray–Curtis, 999 permutations, seed 1, pseudocount 1.
func DefaultOptions() Options {
	return Options{Metric: BrayCurtis, Permutations: 999, Seed: 1, Pseudocount: metrics.DefaultPseudocount}
}

// Result is everything a cohort report states, for the samples in input order.
type Result struct {
	Options Options
	Samples []string // sample names
	Sources []string // the file each sample was read from
	Groups  []string // group of each sample
	// GroupNames are the distinct groups in sorted order, with their sizes.
	GroupNames []string
	GroupSizes []int
	// Genus holds genus read counts (classified genera only, names sorted).
	Genus *metrics.CountMatrix
	// Unclassified is each sample's share of reads not classified to a genus.
	Unclassified []float64
	// Databases lists the distinct reference databases named by the
	// samples' run.json files, sorted; empty for tables.
	Databases []string

	// Alpha is each sample's alpha diversity at genus rank.
	Alpha []metrics.Alpha
	// Depth is the smallest genus read total of any sample, and Expected each
	// sample's expected genus richness at that depth (Hurlbert 1971), which
	// removes the effect of unequal depth on richness.
	Depth    int
	Expected []float64

	Distances  *metrics.DistanceMatrix
	Ordination *metrics.Ordination

	// Permanova is nil when the test was not run; PermanovaSkipped says why.
	Permanova        *metrics.PermanovaResult
	PermanovaSkipped string

	// Differential is the CLR + Welch test between GroupA and GroupB, sorted
	// by q, then p, then genus (undefined values last); nil when not run, and
	// DifferentialSkipped says why.
	Differential        []Difference
	DifferentialSkipped string
	GroupA, GroupB      string
}

// Difference is one genus of the differential-abundance test.
type Difference struct {
	metrics.WelchResult
	// ShareA and ShareB are the mean share of classified genus reads in each
	// group (0–1); PresentA and PresentB count the samples with the genus.
	ShareA, ShareB     float64
	PresentA, PresentB int
}

// Analyze matches samples to groups and computes the cohort statistics.
// Every sample must have a group and every group entry a sample (errors name
// the groups file line or the sample's source). A sample without reads
// classified to a genus is an error, as no distance to it is defined.
// PERMANOVA is skipped, with a reason, when there are fewer than two groups
// or every group has one sample; the differential test when there are not
// exactly two groups of at least two samples each.
func Analyze(samples []Sample, groups *Groups, opt Options) (*Result, error) {
	if opt.Metric == "" {
		opt.Metric = BrayCurtis
	}
	if opt.Pseudocount == 0 {
		opt.Pseudocount = metrics.DefaultPseudocount
	}
	if opt.Permutations < 0 {
		return nil, fmt.Errorf("cohort: %d permutations, want ≥ 0", opt.Permutations)
	}
	if len(samples) < 2 {
		return nil, errors.New("cohort: want at least 2 samples")
	}
	r := &Result{Options: opt}
	byName := map[string]GroupEntry{}
	for _, e := range groups.Entries {
		byName[e.Sample] = e
	}
	have := map[string]bool{}
	for _, s := range samples {
		have[s.Name] = true
		e, ok := byName[s.Name]
		if !ok {
			return nil, &InputError{Path: s.Source, Err: fmt.Errorf("sample %q has no group in %s", s.Name, groups.File)}
		}
		r.Samples = append(r.Samples, s.Name)
		r.Sources = append(r.Sources, s.Source)
		r.Groups = append(r.Groups, e.Group)
		if s.Database != "" && !slices.Contains(r.Databases, s.Database) {
			r.Databases = append(r.Databases, s.Database)
		}
	}
	slices.Sort(r.Databases)
	for _, e := range groups.Entries {
		if !have[e.Sample] {
			return nil, &ParseError{File: groups.File, Line: e.Line, Err: fmt.Errorf("sample %q is not among the inputs (%d samples read)", e.Sample, len(samples))}
		}
	}
	sizes := map[string]int{}
	for _, g := range r.Groups {
		sizes[g]++
	}
	r.GroupNames = slices.Sorted(func(yield func(string) bool) {
		for g := range sizes {
			if !yield(g) {
				return
			}
		}
	})
	for _, g := range r.GroupNames {
		r.GroupSizes = append(r.GroupSizes, sizes[g])
	}

	r.Genus, r.Unclassified = genusMatrix(samples)
	r.Depth = math.MaxInt
	for i, row := range r.Genus.Counts {
		var n float64
		for _, c := range row {
			n += c
		}
		if n <= 0 {
			return nil, &InputError{Path: samples[i].Source, Err: fmt.Errorf("sample %q has no reads classified to a genus; no distance to it is defined", samples[i].Name)}
		}
		r.Depth = min(r.Depth, int(math.Floor(n)))
		r.Alpha = append(r.Alpha, metrics.AlphaOf(row, taxonomy.Genus.String()))
	}
	for _, row := range r.Genus.Counts {
		r.Expected = append(r.Expected, metrics.ExpectedRichness(row, r.Depth))
	}

	var err error
	if r.Distances, err = distances(r.Genus, opt); err != nil {
		return nil, err
	}
	if r.Ordination, err = metrics.PCoA(r.Distances); err != nil {
		return nil, fmt.Errorf("cohort: PCoA: %w", err)
	}
	switch {
	case len(r.GroupNames) < 2:
		r.PermanovaSkipped = fmt.Sprintf("all %d samples are in one group (%s); PERMANOVA needs at least two groups", len(r.Samples), r.GroupNames[0])
	case len(r.GroupNames) == len(r.Samples):
		r.PermanovaSkipped = "every group has one sample; PERMANOVA needs a group with at least two samples"
	default:
		if r.Permanova, err = metrics.Permanova(r.Distances, r.Groups, opt.Permutations, opt.Seed); err != nil {
			return nil, fmt.Errorf("cohort: PERMANOVA: %w", err)
		}
	}
	switch {
	case len(r.GroupNames) != 2:
		r.DifferentialSkipped = fmt.Sprintf("the test compares two groups and this cohort has %d; give a groups file with two groups to run it", len(r.GroupNames))
	case slices.Min(r.GroupSizes) < 2:
		r.DifferentialSkipped = fmt.Sprintf("group %q has one sample; each group needs at least two", r.GroupNames[slices.Index(r.GroupSizes, slices.Min(r.GroupSizes))])
	default:
		if err := r.differential(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// genusMatrix returns the samples' genus read counts (unclassified left out,
// genera sorted by name) and each sample's unclassified share at genus rank.
func genusMatrix(samples []Sample) (*metrics.CountMatrix, []float64) {
	ps := make([]*tables.Profile, len(samples))
	m := &metrics.CountMatrix{}
	unclassified := make([]float64, len(samples))
	for i, s := range samples {
		ps[i] = s.Profile
		m.Samples = append(m.Samples, s.Name)
		var all, uncl float64
		for _, r := range s.Profile.AtRank(taxonomy.Genus) {
			all += r.Reads
			if r.Taxon == tables.Unclassified {
				uncl += r.Reads
			}
		}
		if all > 0 {
			unclassified[i] = uncl / all
		}
	}
	m.Taxa, m.Counts = tables.CountsAt(ps, taxonomy.Genus)
	return m, unclassified
}

// Proportions returns row i of m divided by its sum (all zeros for an empty
// row).
func Proportions(m *metrics.CountMatrix, i int) []float64 {
	row := m.Counts[i]
	var n float64
	for _, c := range row {
		n += c
	}
	p := make([]float64, len(row))
	if n > 0 {
		for j, c := range row {
			p[j] = c / n
		}
	}
	return p
}

// distances computes the chosen metric: Bray–Curtis on proportions (so depth
// does not count), Jaccard on presence, Aitchison on counts.
func distances(m *metrics.CountMatrix, opt Options) (*metrics.DistanceMatrix, error) {
	in := m
	var metric metrics.Metric
	switch opt.Metric {
	case BrayCurtis:
		in = &metrics.CountMatrix{Samples: m.Samples, Taxa: m.Taxa}
		for i := range m.Counts {
			in.Counts = append(in.Counts, Proportions(m, i))
		}
		metric = metrics.BrayCurtisMetric()
	case Jaccard:
		metric = metrics.JaccardMetric()
	case Aitchison:
		metric = metrics.AitchisonMetric(opt.Pseudocount)
	default:
		return nil, fmt.Errorf("cohort: unknown metric %q (want %s)", opt.Metric, strings.Join(Metrics(), ", "))
	}
	d, err := metrics.Distances(in, metric, 1)
	if err != nil {
		return nil, fmt.Errorf("cohort: %s distances: %w", opt.Metric, err)
	}
	return d, nil
}

// differential runs metrics.DifferentialAbundance on the genus counts and
// adds each genus's mean share and prevalence per group.
func (r *Result) differential() error {
	r.GroupA, r.GroupB = r.GroupNames[0], r.GroupNames[1]
	res, err := metrics.DifferentialAbundance(r.Genus, r.Groups, r.Options.Pseudocount)
	if err != nil {
		return fmt.Errorf("cohort: differential abundance: %w", err)
	}
	props := make([][]float64, len(r.Samples))
	for i := range props {
		props[i] = Proportions(r.Genus, i)
	}
	for j, w := range res {
		d := Difference{WelchResult: w}
		for i, g := range r.Groups {
			p := props[i][j]
			if g == r.GroupA {
				d.ShareA += p
				if p > 0 {
					d.PresentA++
				}
			} else {
				d.ShareB += p
				if p > 0 {
					d.PresentB++
				}
			}
		}
		d.ShareA /= float64(r.GroupSizes[0])
		d.ShareB /= float64(r.GroupSizes[1])
		r.Differential = append(r.Differential, d)
	}
	slices.SortStableFunc(r.Differential, func(a, b Difference) int {
		return cmp.Or(cmpNaNLast(a.Q, b.Q), cmpNaNLast(a.P, b.P), strings.Compare(a.Taxon, b.Taxon))
	})
	return nil
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
