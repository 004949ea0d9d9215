package cohort

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/floats"

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
	// Seed of the PERMANOVA permutations and of the differential test's
	// Monte Carlo instances.
	Seed uint64
	// Pseudocount added to counts before CLR (Aitchison distance); 0 means
	// metrics.DefaultPseudocount.
	Pseudocount float64
	// MinPrevalence and MinShare filter the genera of the differential
	// test: a genus is tested when at least MinPrevalence of the compared
	// samples have ≥ 1 read of it and its mean share of classified genus
	// reads is at least MinShare (fractions; 0 turns a filter off).
	MinPrevalence, MinShare float64
	// Instances is the number of Monte Carlo instances of the differential
	// test (0: metrics.DefaultMCRounds).
	Instances int
	// RequireAllGroups makes a groups file that leaves out an input sample,
	// or names a sample that is not an input, an error instead of a note.
	RequireAllGroups bool
	// Threads for the differential test (≤ 0: GOMAXPROCS).
	Threads int
}

// DefaultOptions are Bray–Curtis, 999 permutations, seed 1, pseudocount 1,
// and genera in ≥ 10 % of samples with a mean share ≥ 0.01 % tested over
// 128 instances.
func DefaultOptions() Options {
	return Options{Metric: BrayCurtis, Permutations: 999, Seed: 1, Pseudocount: metrics.DefaultPseudocount,
		MinPrevalence: DefaultMinPrevalence, MinShare: DefaultMinShare, Instances: metrics.DefaultMCRounds}
}

// Result is everything a cohort report states, for the samples in input order.
type Result struct {
	Options Options
	Samples []string // sample names
	Sources []string // the file each sample was read from
	Groups  []string // group of each sample (Ungrouped when no groups were given)
	// Subjects holds each sample's subject from the groups file ("" when
	// not given): samples of one subject are not independent.
	Subjects []string
	// Grouped is false when no groups file was given: the report describes
	// the samples and runs no test between groups.
	Grouped bool
	// GroupNames are the distinct groups in sorted order, with their sizes.
	GroupNames []string
	GroupSizes []int
	// LeftOut names the input samples the groups file does not list,
	// Unlisted the groups-file samples that are not among the inputs, and
	// Empty the samples without reads classified to a genus: all three are
	// left out of every statistic.
	LeftOut, Unlisted, Empty []string
	// Genus holds genus read counts (classified genera only, names sorted).
	Genus *metrics.CountMatrix
	// FeatureLevel is true when no sample has a read classified to a genus
	// but every one is a table with features (an OTU, ASV or genus table
	// without lineages): Genus then holds the tables' own features, compared
	// as they are, and the report says so.
	FeatureLevel bool
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
	// PermanovaNote says how subjects were handled: permutations within
	// subjects sampled in several groups, or a caveat for repeated samples
	// of one subject in one group; empty without subjects.
	Permanova                       *metrics.PermanovaResult
	PermanovaSkipped, PermanovaNote string
	PermanovaWithinSubjects         bool // permutations were restricted to within subjects

	// Differential is the differential-abundance test between the groups;
	// nil when not run, and DifferentialSkipped says why.
	Differential        *Differential
	DifferentialSkipped string
}

// Ungrouped is the group of every sample when no groups were given.
const Ungrouped = "all samples"

// Analyze matches samples to groups and computes the cohort statistics.
// groups may be nil: then composition, distances, PCoA and alpha diversity
// are computed and the tests between groups are skipped with a reason. A
// sample the groups file does not list is left out (Result.LeftOut), and a
// listed sample that is not an input noted (Result.Unlisted), unless
// opt.RequireAllGroups makes either an error naming the file and line or
// the sample's source. A sample without reads classified to a genus is left
// out (Result.Empty), as no distance to it is defined. At least two samples
// must remain. PERMANOVA is skipped, with a reason, when there are fewer
// than two groups or every group has one sample; the differential test as
// Result.differential says.
func Analyze(samples []Sample, groups *Groups, opt Options) (*Result, error) {
	if opt.Metric == "" {
		opt.Metric = BrayCurtis
	}
	if opt.Pseudocount == 0 {
		opt.Pseudocount = metrics.DefaultPseudocount
	}
	if opt.Permutations < 0 || opt.MinPrevalence < 0 || opt.MinPrevalence > 1 || opt.MinShare < 0 || opt.MinShare > 1 {
		return nil, fmt.Errorf("cohort: options out of range: %d permutations, prevalence %v, share %v", opt.Permutations, opt.MinPrevalence, opt.MinShare)
	}
	r := &Result{Options: opt, Grouped: groups != nil}
	kept, err := r.match(samples, groups)
	if err != nil {
		return nil, err
	}
	r.FeatureLevel = len(kept) > 0 && !slices.ContainsFunc(kept, func(s Sample) bool {
		return genusReads(s.Profile) > 0 || len(s.Profile.Features) == 0
	})
	reads := genusReads
	if r.FeatureLevel {
		reads = featureReads
	}
	var nonEmpty []Sample
	for _, s := range kept {
		if reads(s.Profile) > 0 {
			nonEmpty = append(nonEmpty, s)
		} else {
			r.Empty = append(r.Empty, s.Name)
		}
	}
	if len(nonEmpty) < 2 {
		return nil, r.tooFew(samples, kept)
	}
	r.keep(nonEmpty, groups)
	r.Genus, r.Unclassified = genusMatrix(nonEmpty, r.FeatureLevel)
	r.Depth = math.MaxInt
	for _, row := range r.Genus.Counts {
		r.Depth = min(r.Depth, int(math.Floor(floats.Sum(row))))
		r.Alpha = append(r.Alpha, metrics.AlphaOf(row, taxonomy.Genus.String()))
	}
	for _, row := range r.Genus.Counts {
		r.Expected = append(r.Expected, metrics.ExpectedRichness(row, r.Depth))
	}
	if r.Distances, err = distances(r.Genus, opt); err != nil {
		return nil, err
	}
	if r.Ordination, err = metrics.PCoA(r.Distances); err != nil {
		return nil, fmt.Errorf("cohort: PCoA: %w", err)
	}
	switch {
	case !r.Grouped:
		r.PermanovaSkipped = "no groups were given; give a groups file (--groups) to compare groups"
	case len(r.GroupNames) < 2:
		r.PermanovaSkipped = fmt.Sprintf("all %d samples are in one group (%s); PERMANOVA needs at least two groups", len(r.Samples), r.GroupNames[0])
	case len(r.GroupNames) == len(r.Samples):
		r.PermanovaSkipped = "every group has one sample; PERMANOVA needs a group with at least two samples"
	default:
		strata := r.permanovaStrata()
		if r.Permanova, err = metrics.PermanovaWithin(r.Distances, r.Groups, strata, opt.Permutations, opt.Seed); err != nil {
			return nil, fmt.Errorf("cohort: PERMANOVA: %w", err)
		}
	}
	if err := r.differential(nonEmpty); err != nil {
		return nil, err
	}
	return r, nil
}

// permanovaStrata returns the strata of PERMANOVA's permutations: each
// sample's subject (or the sample itself when it has none) when some
// subject was sampled in more than one group, so that labels are shuffled
// within subjects (vegan adonis2's strata); else nil. It sets
// PermanovaNote.
func (r *Result) permanovaStrata() []string {
	groupsOf, samplesOf := map[string][]string{}, map[string]int{}
	for i, s := range r.Subjects {
		if s != "" {
			if !slices.Contains(groupsOf[s], r.Groups[i]) {
				groupsOf[s] = append(groupsOf[s], r.Groups[i])
			}
			samplesOf[s]++
		}
	}
	crossed, repeated := 0, 0
	for s, gs := range groupsOf {
		if len(gs) > 1 {
			crossed++
		} else if samplesOf[s] > 1 {
			repeated++
		}
	}
	switch {
	case crossed > 0:
		strata := make([]string, len(r.Samples))
		for i, s := range r.Subjects {
			strata[i] = "subject " + s
			if s == "" {
				strata[i] = "sample " + r.Samples[i]
			}
		}
		r.PermanovaNote = fmt.Sprintf("%d subjects were sampled in more than one group, so group labels were permuted only among each subject's samples (as vegan's adonis2 with strata = subject)", crossed)
		r.PermanovaWithinSubjects = true
		return strata
	case repeated > 0:
		r.PermanovaNote = fmt.Sprintf("%d subjects have several samples in one group; PERMANOVA counts those samples as independent, so its p-value may be too small", repeated)
	}
	return nil
}

// tooFew explains why fewer than two samples are left to compare.
func (r *Result) tooFew(samples, kept []Sample) error {
	msg := fmt.Sprintf("cohort: want at least 2 samples with reads classified to a genus; %d read", len(samples))
	if len(r.LeftOut) > 0 {
		msg += fmt.Sprintf(", %d not in the groups file", len(r.LeftOut))
	}
	if len(r.Empty) > 0 {
		msg += fmt.Sprintf(", %d without genus reads (%s)", len(r.Empty), listNames(r.Empty, 5))
	}
	if len(kept) > 0 && len(r.Empty) > 0 {
		return &InputError{Path: kept[0].Source, Err: errors.New(msg)}
	}
	return errors.New(msg)
}

// genusReads returns the reads of a profile classified to a genus.
func genusReads(p *tables.Profile) float64 {
	var n float64
	for _, row := range p.AtRank(taxonomy.Genus) {
		if row.Taxon != tables.Unclassified {
			n += row.Reads
		}
	}
	return n
}

// featureReads returns the reads of an imported table's features.
func featureReads(p *tables.Profile) float64 {
	var n float64
	for _, f := range p.Features {
		n += f.Reads
	}
	return n
}

// genusMatrix returns the samples' genus read counts (unclassified left out,
// genera sorted by name) and each sample's unclassified share at genus rank;
// with features, the tables' own features (sorted by id, nothing
// unclassified) instead.
func genusMatrix(samples []Sample, features bool) (*metrics.CountMatrix, []float64) {
	if features {
		m := &metrics.CountMatrix{}
		col := map[string]int{}
		for _, s := range samples {
			m.Samples = append(m.Samples, s.Name)
			for _, f := range s.Profile.Features {
				if _, ok := col[f.ID]; !ok {
					col[f.ID] = 0
					m.Taxa = append(m.Taxa, f.ID)
				}
			}
		}
		slices.Sort(m.Taxa)
		for j, id := range m.Taxa {
			col[id] = j
		}
		for _, s := range samples {
			row := make([]float64, len(m.Taxa))
			for _, f := range s.Profile.Features {
				row[col[f.ID]] += f.Reads
			}
			m.Counts = append(m.Counts, row)
		}
		return m, make([]float64, len(samples))
	}
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
