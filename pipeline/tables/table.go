package tables

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/zonula/zonula/taxonomy"
)

// cell is one non-zero count of a sample.
type cell struct {
	feature int
	value   float64
}

// table is an imported table before it becomes profiles.
type table struct {
	samples     []string
	sampleLine  []int // line naming each sample, 0 if none
	features    []string
	featureLine []int // line of each feature, 0 if none
	lineages    []taxonomy.Lineage
	cols        [][]cell // per sample, non-zero counts
	relative    bool     // values are relative abundances
	relKnown    bool     // the format says whether they are; else guessed
}

func (t *table) addFeature(id string, l taxonomy.Lineage, line int) int {
	t.features = append(t.features, id)
	t.lineages = append(t.lineages, l)
	t.featureLine = append(t.featureLine, line)
	return len(t.features) - 1
}

func (t *table) addSample(id string, line int) int {
	t.samples = append(t.samples, id)
	t.sampleLine = append(t.sampleLine, line)
	t.cols = append(t.cols, nil)
	return len(t.samples) - 1
}

// profiles checks the table (ids unique, every sample with counts) and
// builds one Profile per sample.
func (t *table) profiles(name string) ([]*Profile, error) {
	where := func(kind, id string, line int, err error) error {
		return &ParseError{File: name, Line: line, Where: kind + " " + id, Err: err}
	}
	if len(t.samples) == 0 {
		return nil, &ParseError{File: name, Err: errors.New("no samples in the table")}
	}
	seen := make(map[string]int, len(t.samples))
	for i, s := range t.samples {
		if s == "" {
			return nil, where("sample", fmt.Sprint(i+1), t.sampleLine[i], errors.New("empty sample id"))
		}
		if j, dup := seen[s]; dup {
			return nil, where("sample", s, t.sampleLine[i], fmt.Errorf("sample id repeats sample %d", j+1))
		}
		seen[s] = i
	}
	fseen := make(map[string]int, len(t.features))
	for i, f := range t.features {
		if j, dup := fseen[f]; dup {
			return nil, where("feature", f, t.featureLine[i], fmt.Errorf("feature id repeats feature %d", j+1))
		}
		fseen[f] = i
	}
	for i, s := range t.samples {
		var total float64
		for _, c := range t.cols[i] {
			if !finiteNonNeg(c.value) {
				return nil, where("sample", s, t.featureLine[c.feature], fmt.Errorf("feature %s: count %v, want a finite number ≥ 0", t.features[c.feature], c.value))
			}
			total += c.value
		}
		if total == 0 {
			return nil, where("sample", s, t.sampleLine[i], errors.New("no counts: every value of the sample is 0 (drop the sample or check the table)"))
		}
	}
	out := t.build()
	rel := t.relative
	if !t.relKnown {
		rel = guessRelative(out)
	}
	for _, p := range out {
		p.Relative = rel
	}
	return out, nil
}

// rankIndex numbers the distinct lineages of a table cut at one rank.
type rankIndex struct {
	group    []int32            // per distinct feature lineage: its group at this rank, -1 if shallower
	lineages []taxonomy.Lineage // per group: the lineage cut at the rank
}

// build turns the checked table into profiles with the rows Builder.Profile
// would give (same rows, same order: see Builder.Profile), but without
// hashing lineages per sample: lineages are numbered once per rank, and
// samples are summed in dense scratch arrays, on all CPUs.
func (t *table) build() []*Profile {
	// Distinct lineages of the features, each cut at its depth.
	uid := make([]int32, len(t.features))
	seen := map[taxonomy.Lineage]int32{}
	var uniq []taxonomy.Lineage
	for i, l := range t.lineages {
		l = l.Truncate(l.Depth())
		u, ok := seen[l]
		if !ok {
			u = int32(len(uniq))
			seen[l] = u
			uniq = append(uniq, l)
		}
		uid[i] = u
	}
	var idx [taxonomy.NumRanks]rankIndex
	for r := range idx {
		rank := taxonomy.Rank(r)
		groups := map[taxonomy.Lineage]int32{}
		ri := rankIndex{group: make([]int32, len(uniq))}
		for u, l := range uniq {
			if l.Depth() < rank {
				ri.group[u] = -1
				continue
			}
			k := l.Truncate(rank)
			g, ok := groups[k]
			if !ok {
				g = int32(len(ri.lineages))
				groups[k] = g
				ri.lineages = append(ri.lineages, k)
			}
			ri.group[u] = g
		}
		idx[r] = ri
	}
	out := make([]*Profile, len(t.samples))
	workers := min(runtime.GOMAXPROCS(0), len(t.samples))
	var wg sync.WaitGroup
	next := make(chan int, len(t.samples))
	for i := range t.samples {
		next <- i
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sums [taxonomy.NumRanks][]float64
			for r := range sums {
				sums[r] = make([]float64, len(idx[r].lineages))
			}
			var sc buildScratch
			for i := range next {
				out[i] = t.buildOne(i, uid, &idx, &sums, &sc)
			}
		}()
	}
	wg.Wait()
	return out
}

// groupSum is a taxon's reads at one rank: its group number and sum.
type groupSum struct {
	n float64
	g int32
}

// buildOne makes sample i's profile; sums are zeroed scratch arrays.
func (t *table) buildOne(i int, uid []int32, idx *[taxonomy.NumRanks]rankIndex, sums *[taxonomy.NumRanks][]float64, sc *buildScratch) *Profile {
	p := &Profile{Sample: t.samples[i], Features: make([]Feature, 0, len(t.cols[i]))}
	var total float64
	for _, c := range t.cols[i] {
		if c.value == 0 {
			continue
		}
		total += c.value
		p.Features = append(p.Features, Feature{ID: t.features[c.feature], Lineage: t.lineages[c.feature], Reads: c.value})
	}
	var unclassified [taxonomy.NumRanks]float64
	nrows := 0
	for r := range idx {
		rank := taxonomy.Rank(r)
		s := sums[r]
		touched := sc.touched[:0]
		for _, c := range t.cols[i] {
			g := idx[r].group[uid[c.feature]]
			if g < 0 {
				unclassified[r] += c.value
				continue
			}
			if s[g] == 0 {
				touched = append(touched, g)
			}
			s[g] += c.value
		}
		sc.touched = touched
		// Order as compareRows does, on small keys rather than Rows.
		keys := sc.keys[r][:0]
		for _, g := range touched {
			if n := s[g]; n != 0 {
				keys = append(keys, groupSum{n, g})
			}
			s[g] = 0
		}
		ls := idx[r].lineages
		slices.SortFunc(keys, func(a, b groupSum) int {
			switch {
			case a.n > b.n:
				return -1
			case a.n < b.n:
				return 1
			}
			if c := strings.Compare(ls[a.g][rank], ls[b.g][rank]); c != 0 {
				return c
			}
			return strings.Compare(ls[a.g].String(), ls[b.g].String())
		})
		sc.keys[r] = keys
		nrows += len(keys) + 1
	}
	p.Rows = make([]Row, 0, nrows)
	for r := range idx {
		rank := taxonomy.Rank(r)
		ls := idx[r].lineages
		for _, k := range sc.keys[r] {
			l := &ls[k.g]
			p.Rows = append(p.Rows, Row{Rank: rank, Taxon: l[rank], Lineage: *l, Reads: k.n, Fraction: k.n / total})
		}
		p.Rows = append(p.Rows, Row{Rank: rank, Taxon: Unclassified, Reads: unclassified[r], Fraction: unclassified[r] / total})
	}
	return p
}

// buildScratch is one worker's reusable buffers.
type buildScratch struct {
	touched []int32
	keys    [taxonomy.NumRanks][]groupSum
}

// guessRelative reports whether a table without a stated kind holds
// relative abundances: some value is not a whole number and no sample sums
// to more than 100 (fractions or percentages).
func guessRelative(ps []*Profile) bool {
	frac := false
	for _, p := range ps {
		var sum float64
		for _, f := range p.Features {
			sum += f.Reads
			frac = frac || !isWhole(f.Reads)
		}
		if sum > 100+1e-6 {
			return false
		}
	}
	return frac
}

// sortCells orders a sample's cells by feature and sums repeated cells.
func sortCells(cs []cell) []cell {
	sorted := true
	for i := 1; i < len(cs); i++ {
		if cs[i].feature <= cs[i-1].feature {
			sorted = false
			break
		}
	}
	if sorted {
		return cs
	}
	slices.SortStableFunc(cs, func(a, b cell) int { return a.feature - b.feature })
	out := cs[:0]
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].feature == c.feature {
			out[n-1].value += c.value
			continue
		}
		out = append(out, c)
	}
	return out
}
