package metrics

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
)

// Condition is one test of a finding rule's trigger on a metric. Exactly
// one of its tests is set. Percentile tests (Below, Above) are decided by a
// method-matched reference set only; the others from the profile alone.
type Condition struct {
	// Metric names what is tested, as SampleMeasures.Value names it:
	// "IDX-04", "IDX-02", "IDX-01", "IDX-06" (the community type),
	// "shannon", "sulfide", "oral" or "taxon:T-07".
	Metric string `json:"metric"`
	// Below and Above are percentiles (0–100) of the reference set: the
	// test holds when the sample's percentile is below or above them.
	Below *float64 `json:"below,omitempty"`
	Above *float64 `json:"above,omitempty"`
	// Zero holds when the metric has no reads; Present when it has some.
	Zero    bool `json:"zero,omitempty"`
	Present bool `json:"present,omitempty"`
	// Computed holds when the metric could be computed at all.
	Computed bool `json:"computed,omitempty"`
	// Category holds when a categorical metric takes this value.
	Category string `json:"category,omitempty"`
}

// Percentile reports whether the condition tests a percentile.
func (c Condition) Percentile() bool { return c.Below != nil || c.Above != nil }

// Trigger combines conditions: all of All must hold, or any of Any.
type Trigger struct {
	All []Condition `json:"all,omitempty"`
	Any []Condition `json:"any,omitempty"`
}

// Conditions returns the trigger's conditions, All then Any.
func (t Trigger) Conditions() []Condition { return slices.Concat(t.All, t.Any) }

// FindingRule is a findings rule (science.md §5, F-) as MeasureSample
// applies it. A rule raises its finding in one frame (RULE-05):
//
//   - a rule whose When tests percentiles is decided by them when the
//     reference set is method-matched (ReferenceSet.Matched) and places
//     every metric tested, except that a value beyond one of its Bounds'
//     marked level is raised at that level in that bound's frame whatever
//     the percentiles say; otherwise it is decided by its Bounds;
//   - a rule whose When tests the profile alone (no reads, a category, an
//     index that could be computed) is decided by it in every frame;
//   - a rule without When is decided by its Bounds in every frame.
//
// A reference set made by another method is context only: it never raises
// or silences a finding.
type FindingRule struct {
	ID     string   // "F-04"
	Metric string   // the metric the finding is about (its value is reported)
	When   Trigger  // percentile or profile trigger; empty when only Bounds decide
	Amber  *Trigger // a weaker percentile trigger raised at notice level
	Level  Level    // the level When raises
	Bounds []string // RB- IDs deciding it without a matched set
	Grade  string   // evidence grade, for ranking
	// Guidance are the G- IDs the finding points to.
	Guidance []string
	// NotKeyWith are rules whose finding, when it is a key finding,
	// keeps this one from being key as well: it says the same thing of
	// mostly the same reads (F-03, Pseudomonadota, beside F-04, their
	// Enterobacteriaceae). It is still raised.
	NotKeyWith []string
}

// percentileTrigger reports whether the rule's When tests percentiles.
func (r FindingRule) percentileTrigger() bool {
	return slices.ContainsFunc(r.When.Conditions(), Condition.Percentile)
}

// Finding is a finding raised for one sample: the rule, the level, the
// value and the frame it was raised against (metrics.json "findings").
type Finding struct {
	ID      string // the rule's F- ID
	Level   Level
	Key     bool   // one of the sample's key findings (RankFindings)
	Measure string // the metric compared: the bound's, or the rule's
	Value   float64
	// Frame is what the value was compared with: a robust bound ("RB-02"),
	// a method-matched reference set ("reference:NAME"), or "profile" for
	// a rule decided by the profile alone.
	Frame string
	// Bound is the threshold crossed, in the metric's unit (for a
	// reference set, the set's value at the percentile cut); NaN when the
	// frame is the profile.
	Bound float64
	// Percentile is the sample's percentile in a matched set and Cut the
	// percentile the rule tests (90 for "above the 90th"); both NaN in
	// other frames.
	Percentile, Cut float64
	Above           bool   // the value is high (beyond an upper bound or cut)
	Driver          string // the taxon contributing most to the value, "" when none
	Grade           string
	Guidance        []string
	// Distance is how far the value lies beyond the bound: the ratio of
	// value to bound (bound to value, for a lower bound) for a robust
	// bound, the share of the way from the cut to the end of the scale
	// for a percentile, 0 for the profile frame. It ranks findings of the
	// same level and grade.
	Distance float64
	// Unnamed is the share of reads not named to a genus in the families a
	// lower bound names (Bound.UnnamedIn), which may belong to the measure:
	// the value with them added was beyond the bound too.
	Unnamed float64
	order   int // the rule's place in the knowledge base, the last tie-break
}

// findingJSON is a Finding as metrics.json writes it.
type findingJSON struct {
	ID         string   `json:"id"`
	Level      Level    `json:"level"`
	Key        bool     `json:"key"`
	Measure    string   `json:"measure"`
	Value      *float64 `json:"value"`
	Frame      string   `json:"frame"`
	Bound      *float64 `json:"bound"`
	Percentile *float64 `json:"percentile,omitempty"`
	Cut        *float64 `json:"percentile_cut,omitempty"`
	Direction  string   `json:"direction,omitempty"`
	Driver     string   `json:"driver,omitempty"`
	Unnamed    float64  `json:"unnamed_share,omitempty"`
	Grade      string   `json:"grade"`
	Guidance   []string `json:"guidance"`
}

// MarshalJSON writes f as metrics.json states a finding: undefined numbers
// null, direction "above" or "below" (none in the profile frame).
func (f Finding) MarshalJSON() ([]byte, error) {
	j := findingJSON{ID: f.ID, Level: f.Level, Key: f.Key, Measure: f.Measure, Value: FiniteOrNil(f.Value),
		Frame: f.Frame, Bound: FiniteOrNil(f.Bound), Percentile: FiniteOrNil(f.Percentile), Cut: FiniteOrNil(f.Cut), Driver: f.Driver, Unnamed: f.Unnamed,
		Grade: f.Grade, Guidance: slices.Clone(f.Guidance)}
	if j.Guidance == nil {
		j.Guidance = []string{}
	}
	if f.Frame != FrameProfile {
		j.Direction = "below"
		if f.Above {
			j.Direction = "above"
		}
	}
	return json.Marshal(j)
}

// FrameProfile is the Frame of a finding decided by the profile alone.
const FrameProfile = "profile"

// ReferenceFrame is the Frame of a finding raised against percentiles of
// the method-matched reference set named name.
func ReferenceFrame(name string) string { return "reference:" + name }

// MaxKeyFindings is how many findings at most are key findings.
const MaxKeyFindings = 5

// RankFindings orders findings as science.md §5a ranks key findings:
// marked before notice before info, then by evidence grade (A first, by the
// grade's first letter), then by distance beyond the bound (farthest
// first), then in the knowledge base's order; and marks the first
// MaxKeyFindings that are not info as Key. Info items are never key, nor is
// a finding whose rule names an earlier key finding in NotKeyWith (see
// FindingRule; notKeyWith holds them, by ID, nil for none).
func RankFindings(fs []Finding, notKeyWith map[string][]string) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Level.rank(), b.Level.rank()), cmp.Compare(gradeRank(a.Grade), gradeRank(b.Grade)),
			cmp.Compare(b.Distance, a.Distance), cmp.Compare(a.order, b.order))
	})
	var keys []string
	for i := range fs {
		shadowed := slices.ContainsFunc(notKeyWith[fs[i].ID], func(id string) bool { return slices.Contains(keys, id) })
		fs[i].Key = fs[i].Level != LevelInfo && len(keys) < MaxKeyFindings && !shadowed
		if fs[i].Key {
			keys = append(keys, fs[i].ID)
		}
	}
}

// gradeRank is 0 for a grade starting with A, 3 for D, 4 for none.
func gradeRank(g string) int {
	if g != "" && g[0] >= 'A' && g[0] <= 'D' {
		return int(g[0] - 'A')
	}
	return 4
}

// raiseFindings applies the rules of defs to m in the frame ref gives (a
// matched set, or none), ranked (RankFindings).
func raiseFindings(m *SampleMeasures, defs IndexDefs, ref *ReferenceSet) []Finding {
	var out []Finding
	notKey := map[string][]string{}
	for i, r := range defs.Findings {
		notKey[r.ID] = r.NotKeyWith
		var f Finding
		var ok bool
		switch hasWhen := len(r.When.Conditions()) > 0; {
		case hasWhen && !r.percentileTrigger():
			f, ok = m.byProfile(r)
		case hasWhen && ref != nil && ref.Matched() && m.placesAll(r):
			f, ok = m.byPercentile(r, ref)
			// A robust bound's marked level holds in every frame: a value
			// that far beyond healthy adults is not silenced, nor left at
			// notice, by a reference group.
			if b, marked := m.byBounds(r, defs.Bounds); marked && b.Level == LevelMarked && (!ok || f.Level != LevelMarked) {
				f, ok = b, true
			}
		default:
			f, ok = m.byBounds(r, defs.Bounds)
		}
		if ok {
			f.order = i
			f.ID, f.Grade, f.Guidance = r.ID, r.Grade, slices.Clone(r.Guidance)
			out = append(out, f)
		}
	}
	RankFindings(out, notKey)
	return out
}

// placesAll reports whether the sample has a percentile for every metric
// the rule's percentile conditions test.
func (m *SampleMeasures) placesAll(r FindingRule) bool {
	for _, c := range r.When.Conditions() {
		if _, ok := m.Percentiles[c.Metric]; c.Percentile() && !ok {
			return false
		}
	}
	return true
}

// holds decides one condition: percentiles from m.Percentiles, the rest
// from the sample's values.
func (m *SampleMeasures) holds(c Condition) bool {
	if c.Percentile() {
		p, ok := m.Percentiles[c.Metric]
		return ok && (c.Below != nil && p < *c.Below || c.Above != nil && p > *c.Above)
	}
	if c.Category != "" {
		return c.Metric == CommunityTypeMetric && m.CommunityType.Type == c.Category
	}
	v, ok := m.Value(c.Metric)
	switch {
	case c.Computed:
		return ok
	case !ok:
		return false
	case c.Zero:
		return v == 0
	}
	return c.Present && v > 0
}

// eval decides a trigger: all of All, or any of Any.
func (m *SampleMeasures) eval(t Trigger) bool {
	if len(t.All) > 0 {
		for _, c := range t.All {
			if !m.holds(c) {
				return false
			}
		}
		return true
	}
	return slices.ContainsFunc(t.Any, m.holds)
}

// byProfile raises a rule decided by the profile alone.
func (m *SampleMeasures) byProfile(r FindingRule) (Finding, bool) {
	if !m.eval(r.When) {
		return Finding{}, false
	}
	v, _ := m.Value(r.Metric)
	return Finding{Level: r.Level, Measure: r.Metric, Value: v, Frame: FrameProfile, Bound: math.NaN(),
		Percentile: math.NaN(), Cut: math.NaN(), Driver: m.driver(r.Metric)}, true
}

// byPercentile raises a rule against the percentiles of the matched set
// ref: When at the rule's level, else Amber at notice level.
func (m *SampleMeasures) byPercentile(r FindingRule, ref *ReferenceSet) (Finding, bool) {
	lvl, t := r.Level, r.When
	if !m.eval(t) {
		if r.Amber == nil || !m.eval(*r.Amber) {
			return Finding{}, false
		}
		lvl, t = LevelNotice, *r.Amber
	}
	f := Finding{Level: lvl, Measure: r.Metric, Value: m.ReferenceValues[r.Metric], Frame: ReferenceFrame(ref.meta.Name),
		Bound: math.NaN(), Percentile: math.NaN(), Cut: math.NaN(), Driver: m.driver(r.Metric)}
	if p, ok := m.Percentiles[r.Metric]; ok {
		f.Percentile = p
	}
	for _, c := range t.Conditions() {
		if c.Metric != r.Metric || !c.Percentile() || !m.holds(c) {
			continue
		}
		cut := 0.0
		if c.Above != nil {
			cut, f.Above = *c.Above, true
			f.Distance = (f.Percentile - cut) / (100 - cut)
		} else {
			cut = *c.Below
			f.Distance = (cut - f.Percentile) / cut
		}
		f.Bound, f.Cut = ref.Quantile(r.Metric, cut/100), cut
		break
	}
	return f, true
}

// byBounds raises a rule against its robust bounds: the row reaching the
// highest level, then the farthest beyond it.
func (m *SampleMeasures) byBounds(r FindingRule, bounds *BoundSet) (Finding, bool) {
	var best Finding
	found := false
	for _, id := range r.Bounds {
		for _, b := range bounds.Rows(id) {
			v, ok := m.Value(b.Metric)
			if !ok {
				continue
			}
			unnamed := 0.0
			if !b.Notice.Above() {
				unnamed = unnamedShare(&m.Composition, b.UnnamedIn)
			}
			lvl, th, dist, ok := b.test(v+unnamed, m.GenusReads)
			if !ok {
				continue
			}
			f := Finding{Level: lvl, Measure: b.Metric, Value: v, Frame: b.ID, Bound: th.Value, Percentile: math.NaN(), Cut: math.NaN(),
				Above: th.Above(), Driver: m.driver(b.Metric), Distance: dist, Unnamed: unnamed}
			if !found || cmp.Or(cmp.Compare(f.Level.rank(), best.Level.rank()), cmp.Compare(best.Distance, f.Distance)) < 0 {
				best, found = f, true
			}
		}
	}
	return best, found
}

// driver names the taxon contributing most to a share metric, "" for
// other metrics or none.
func (m *SampleMeasures) driver(metric string) string {
	v, ok := m.Index(metric)
	if !ok || len(v.Drivers) == 0 || v.Kind == LogRatioIndex || v.Kind == GMHIIndex {
		return ""
	}
	return v.Drivers[0].Taxon
}
