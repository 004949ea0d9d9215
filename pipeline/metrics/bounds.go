package metrics

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// Level is how strongly a finding is raised (science.md §5a): "marked"
// beyond a marked bound, "notice" beyond a notice bound or a percentile
// cut, "info" for descriptive items that are never key findings.
type Level string

// Finding levels, most prominent first.
const (
	LevelMarked Level = "marked"
	LevelNotice Level = "notice"
	LevelInfo   Level = "info"
)

// rank orders levels: marked 0, notice 1, info 2.
func (l Level) rank() int {
	switch l {
	case LevelMarked:
		return 0
	case LevelNotice:
		return 1
	}
	return 2
}

// Threshold is one side of a bound: a comparison and the value compared
// with, in the unit of the bounded metric (a share 0–1, a Shannon value, a
// number of genera).
type Threshold struct {
	Op    string  // "<", "<=", ">", ">=" or "="
	Value float64 // finite
}

// ParseThreshold reads a threshold as bounds data writes it: an operator,
// a number and, for shares, "%" ("> 5 %" is > 0.05, "< 1.5" is < 1.5,
// "= 0"). Spaces are optional.
func ParseThreshold(s string) (Threshold, error) {
	t := strings.TrimSpace(s)
	var th Threshold
	for _, op := range []string{"<=", ">=", "<", ">", "="} {
		if rest, ok := strings.CutPrefix(t, op); ok {
			th.Op, t = op, strings.TrimSpace(rest)
			break
		}
	}
	if th.Op == "" {
		return th, fmt.Errorf("threshold %q: want <, <=, >, >= or = and a number", s)
	}
	scale := 1.0
	if rest, ok := strings.CutSuffix(t, "%"); ok {
		t, scale = strings.TrimSpace(rest), 0.01
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return th, fmt.Errorf("threshold %q: %q is not a finite number", s, t)
	}
	th.Value = v * scale
	return th, nil
}

// Holds reports whether v is beyond the threshold; false for NaN.
func (t Threshold) Holds(v float64) bool {
	switch t.Op {
	case "<":
		return v < t.Value
	case "<=":
		return v <= t.Value
	case ">":
		return v > t.Value
	case ">=":
		return v >= t.Value
	case "=":
		return v == t.Value
	}
	return false
}

// Above reports whether the threshold bounds values from above (> or >=):
// values beyond it are high.
func (t Threshold) Above() bool { return strings.HasPrefix(t.Op, ">") }

// distance is how far v lies beyond the threshold, for ranking findings: the
// ratio v/value for an upper bound and value/v for a lower one (+Inf at 0);
// 1 when the value is 0 or "=" holds.
func (t Threshold) distance(v float64) float64 {
	switch {
	case t.Op == "=" || t.Value == 0:
		return 1
	case t.Above():
		return v / t.Value
	case v <= 0:
		return math.Inf(1)
	}
	return t.Value / v
}

// Bound is a robust bound (science.md §5a, RB-01…RB-12): a value of a
// metric beyond what healthy adults showed in independent references by a
// margin larger than method bias. Without a method-matched reference set, a
// finding is raised against its bounds. Bounds are configuration (versioned
// data of the knowledge base), not science: none is a validated cut-off.
type Bound struct {
	ID     string // "RB-02"; a bound may have several rows (RB-04: oral genera, and Fusobacterium alone)
	Metric string // what it bounds, as MeasureSample names values (SampleMeasures.Value)
	// Notice is the threshold beyond which the value is unusual; Marked,
	// when set, the one beyond which it is markedly so.
	Notice Threshold
	Marked *Threshold
	// MarkedMinReads, when > 0, applies Marked only to samples with at
	// least this many reads named to a genus (RB-07: no Faecalibacterium
	// counts as marked only in a deep enough sample).
	MarkedMinReads float64
	// Info raises the finding at info level only (RB-12).
	Info bool
	// UnnamedIn lists families whose reads not named to a genus may belong
	// to the bounded taxa (butyrate producers, RB-06; Faecalibacterium,
	// RB-07). A lower bound is then tested on the value with those reads'
	// share added: a low share that reads the sample (or the method that
	// made an imported table) could not name may hide does not raise the
	// finding, and a value that stays beyond the bound with them does.
	UnnamedIn []string
	// Basis says which healthy adults the bound is set beyond, and where
	// the figures come from.
	Basis string
}

// BoundSet is the versioned table of robust bounds a knowledge base ships.
type BoundSet struct {
	Version string // e.g. "2026-12-01"; metrics.json records it
	Source  string // where the figures come from
	Bounds  []Bound
}

// Rows returns the rows of bound id, in table order.
func (s *BoundSet) Rows(id string) []Bound {
	if s == nil {
		return nil
	}
	var out []Bound
	for _, b := range s.Bounds {
		if b.ID == id {
			out = append(out, b)
		}
	}
	return out
}

// unnamedShare is the share of c's reads classified to one of families but
// not to a genus: each family's reads less those of its named genera.
func unnamedShare(c *Composition, families []string) float64 {
	if len(families) == 0 {
		return 0
	}
	want := toSet(families)
	var reads float64
	for _, t := range c.At(taxonomy.Family) {
		if want[t.Lineage.Name(taxonomy.Family)] {
			reads += t.Reads
		}
	}
	for _, t := range c.At(taxonomy.Genus) {
		if want[t.Lineage.Name(taxonomy.Family)] {
			reads -= t.Reads
		}
	}
	return c.share(max(reads, 0))
}

// test checks value v (with namedReads reads named to a genus) against b:
// the level it reaches, the threshold crossed and its distance beyond the
// notice threshold (so that a marked value ranks by how far it is from the
// healthy range); ok is false when v is within the bound.
func (b Bound) test(v, namedReads float64) (lvl Level, crossed Threshold, dist float64, ok bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "", Threshold{}, 0, false
	}
	if b.Marked != nil && b.Marked.Holds(v) && namedReads >= b.MarkedMinReads {
		lvl, crossed = LevelMarked, *b.Marked
	} else if b.Notice.Holds(v) {
		lvl, crossed = LevelNotice, b.Notice
	} else {
		return "", Threshold{}, 0, false
	}
	if b.Info {
		lvl = LevelInfo
	}
	return lvl, crossed, b.Notice.distance(v), true
}
