package knowledge

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
)

var gradeRE = regexp.MustCompile(`^[ABCD]`)

// findingRE matches a finding's ID.
var findingRE = regexp.MustCompile(`^F-\d\d[ab]?$`)

// boundRE matches a robust bound's ID.
var boundRE = regexp.MustCompile(`^RB-\d\d$`)

// metricRE matches the metrics a finding's condition may test.
var metricRE = regexp.MustCompile(`^(IDX-0[1246]|shannon|sulfide|oral|enterococcus|dominant|rarefied-genera|shannon-groups|taxon:T-\d\d)$`)

// Validate checks that every item has a unique ID, every graded item a grade
// and at least one reference, that every reference key, guidance ID, rule ID
// and taxon a finding names resolves, that triggers are well formed, and that
// no text uses causal or curative wording.
func (k *Knowledge) Validate() error {
	v := &validator{seen: map[string]bool{}, refs: map[string]bool{}}
	v.references(k.References)
	for _, r := range k.Rules {
		v.item(r.ID, "-", r.Refs, r.Title, r.Text)
	}
	for _, x := range k.Indices {
		v.item(x.ID, x.Grade, x.Refs, x.Name, x.Text)
	}
	v.taxa(k.Taxa)
	guidance := map[string]bool{}
	for _, g := range k.Guidance {
		guidance[g.ID] = true
	}
	rules := map[string]bool{}
	for _, r := range k.Rules {
		rules[r.ID] = true
	}
	for _, f := range k.Findings {
		v.finding(f, guidance, rules)
	}
	for _, g := range k.Guidance {
		v.item(g.ID, g.Grade, g.Refs, g.Title, g.Summary, g.Effect, g.Caveats)
	}
	indices := map[string]bool{}
	for _, x := range k.Indices {
		indices[x.ID] = true
	}
	for _, m := range k.Measures {
		v.measure(m, indices)
	}
	for _, l := range k.Limitations {
		v.item(l.ID, "-", l.Refs, l.Text)
	}
	for _, l := range k.Labs {
		v.item(l.ID, "-", l.Refs, l.Name, l.Measures, l.Reading, l.Say)
	}
	v.bounds(k.Bounds, k.Findings)
	for _, g := range k.Guidance {
		if (g.Remedy == "") != (g.Short == "") {
			v.errorf("%s: a remedy needs both a name and a short text", g.ID)
		}
		if err := CheckWording(g.Short); err != nil {
			v.errorf("%s: %v", g.ID, err)
		}
	}
	for _, d := range k.Diets {
		v.item("diet "+d.ID, "-", d.Refs, d.Says)
		if len(d.Words) == 0 {
			v.errorf("diet %s: no words", d.ID)
		}
		for _, w := range d.Words {
			if w != strings.ToLower(w) {
				v.errorf("diet %s: word %q is not lower case", d.ID, w)
			}
		}
		for _, id := range d.Guidance {
			if !guidance[id] {
				v.errorf("diet %s: guidance %s is not in guidance.json", d.ID, id)
			}
		}
		for id, note := range d.Notes {
			if !guidance[id] {
				v.errorf("diet %s: note on %s, not in guidance.json", d.ID, id)
			}
			if err := CheckWording(note); err != nil {
				v.errorf("diet %s: %v", d.ID, err)
			}
		}
	}
	return errors.Join(v.errs...)
}

// validator collects what Validate finds, in the order it checks.
type validator struct {
	errs     []error
	seen     map[string]bool // item IDs checked so far
	refs     map[string]bool // reference keys
	taxonIDs map[string]bool // T- IDs of taxa.json
}

// errorf records an error.
func (v *validator) errorf(format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf(format, args...))
}

// references checks that every reference has a key and a citation, and no
// key is listed twice; it records the keys for item.
func (v *validator) references(refs []Reference) {
	for _, r := range refs {
		if r.Key == "" || r.Citation == "" {
			v.errorf("reference %q without key or citation", r.Key)
		}
		if v.refs[r.Key] {
			v.errorf("reference %s listed twice", r.Key)
		}
		v.refs[r.Key] = true
	}
}

// item checks one item: an ID not used before, an evidence grade starting
// with A–D (grade "-": none is due), at least one reference, every reference
// key in references.json, and no causal or curative wording in texts.
func (v *validator) item(id, grade string, refKeys []string, texts ...string) {
	if id == "" {
		v.errs = append(v.errs, errors.New("item without an ID"))
	}
	if v.seen[id] {
		v.errorf("%s: ID used twice", id)
	}
	v.seen[id] = true
	if grade != "-" && !gradeRE.MatchString(grade) {
		v.errorf("%s: evidence grade %q does not start with A–D", id, grade)
	}
	if len(refKeys) == 0 {
		v.errorf("%s: no reference", id)
	}
	for _, r := range refKeys {
		if !v.refs[r] {
			v.errorf("%s: reference %s is not in references.json", id, r)
		}
	}
	for _, t := range texts {
		if err := CheckWording(t); err != nil {
			v.errs = append(v.errs, fmt.Errorf("%s: %w", id, err))
		}
	}
}

// taxa checks each barrier-related taxon as an item that names at least one
// genus, family, phylum or species, and records their IDs.
func (v *validator) taxa(taxa []Taxon) {
	v.taxonIDs = map[string]bool{}
	for _, t := range taxa {
		v.item(t.ID, t.Grade, t.Refs, t.Name, t.Role, t.Typical)
		v.taxonIDs[t.ID] = true
		if len(t.Genera) == 0 && t.Family == "" && t.Phylum == "" && len(t.Species) == 0 {
			v.errorf("%s: names no genus, family, phylum or species", t.ID)
		}
	}
}

// finding checks a findings rule: as an item, its guidance and rule IDs
// (which must be in guidance and rules), its level, its modifiers, its
// triggers and the metrics it names.
func (v *validator) finding(f Finding, guidance, rules map[string]bool) {
	v.item(f.ID, f.Grade, f.Refs, f.Label, f.Title, f.Meaning, f.Describe, f.Barrier)
	for _, g := range f.Guidance {
		if !guidance[g] {
			v.errorf("%s: guidance %s is not in guidance.json", f.ID, g)
		}
	}
	for _, id := range f.NotKeyWith {
		if !findingRE.MatchString(id) || id == f.ID {
			v.errorf("%s: not_key_with %q is not another finding", f.ID, id)
		}
	}
	for _, r := range f.Rules {
		if !rules[r] {
			v.errorf("%s: rule %s is not in rules.json", f.ID, r)
		}
	}
	switch metrics.Level(f.Level) {
	case metrics.LevelInfo, metrics.LevelNotice, metrics.LevelMarked:
	default:
		v.errorf("%s: level %q is not info, notice or marked", f.ID, f.Level)
	}
	if f.Level != string(metrics.LevelInfo) && f.Key == "" {
		v.errorf("%s: no key-finding sentence", f.ID)
	}
	for _, m := range f.Modifiers {
		if m != "antibiotics" && m != "transit" {
			v.errorf("%s: unknown modifier %q", f.ID, m)
		}
	}
	var triggers []metrics.Trigger
	if len(f.When.Conditions()) > 0 || len(f.Bounds) == 0 {
		triggers = append(triggers, f.When) // a rule without bounds needs a trigger
	}
	if f.Amber != nil {
		triggers = append(triggers, *f.Amber)
	}
	named := []string{f.Metric}
	for _, tr := range triggers {
		named = append(named, v.trigger(f.ID, tr)...)
	}
	for _, m := range named {
		if !metricRE.MatchString(m) {
			v.errorf("%s: unknown metric %q", f.ID, m)
		} else if t, ok := strings.CutPrefix(m, "taxon:"); ok && !v.taxonIDs[t] {
			v.errorf("%s: metric %s names a taxon not in taxa.json", f.ID, m)
		}
	}
}

// trigger checks that tr has conditions in exactly one of all or any, that
// each condition sets exactly one test and that percentiles lie inside
// 0–100; it returns the metrics the conditions name.
func (v *validator) trigger(id string, tr metrics.Trigger) []string {
	if (len(tr.All) == 0) == (len(tr.Any) == 0) {
		v.errorf("%s: a trigger needs conditions in exactly one of all or any", id)
	}
	var named []string
	for _, c := range append(slices.Clone(tr.All), tr.Any...) {
		named = append(named, c.Metric)
		n := 0
		for _, set := range []bool{c.Below != nil, c.Above != nil, c.Zero, c.Present, c.Computed, c.Category != ""} {
			if set {
				n++
			}
		}
		if n != 1 {
			v.errorf("%s: condition on %s sets %d tests, want 1", id, c.Metric, n)
		}
		for _, p := range []*float64{c.Below, c.Above} {
			if p != nil && (*p <= 0 || *p >= 100) {
				v.errorf("%s: percentile %v outside 0–100", id, *p)
			}
		}
	}
	return named
}

// measure checks a measure's definition: as an item, a known metric, an
// index in indices, taxa in taxa.json, and sides that fit its kind.
func (v *validator) measure(m Measure, indices map[string]bool) {
	v.item("measure "+m.Metric, m.Grade, m.Refs, m.Name)
	if !metricRE.MatchString(m.Metric) {
		v.errorf("measure %s: unknown metric", m.Metric)
	}
	if m.Index != "" && !indices[m.Index] {
		v.errorf("measure %s: index %s is not in indices.json", m.Metric, m.Index)
	}
	for _, id := range m.Taxa {
		if !v.taxonIDs[id] {
			v.errorf("measure %s: taxon %s is not in taxa.json", m.Metric, id)
		}
	}
	sides := len(m.Taxa) + m.Up.Len()
	switch m.Kind {
	case metrics.ShareIndex:
		if sides == 0 || m.Down.Len() > 0 {
			v.errorf("measure %s: a share needs taxa and no down side", m.Metric)
		}
	case metrics.LogRatioIndex, metrics.GMHIIndex:
		if len(m.Taxa) > 0 || m.Up.Len() == 0 || m.Down.Len() == 0 {
			v.errorf("measure %s: a %s needs an up and a down side", m.Metric, m.Kind)
		}
	case metrics.DominantIndex:
		if sides > 0 || len(m.Down.Genera) == 0 {
			v.errorf("measure %s: a dominant-genus index needs the usual leading genera as its down side, and no up side", m.Metric)
		}
	default:
		v.errorf("measure %s: unknown kind %q", m.Metric, m.Kind)
	}
}

// bounds checks the robust bounds: a version, each row an item (its ID may
// repeat across rows of one bound, never with the same metric) with a known
// metric, thresholds that parse, a marked threshold beyond the notice one
// and a healthy figure; and that every bound a finding names exists.
func (v *validator) bounds(t BoundTable, findings []Finding) {
	if t.Version == "" {
		v.errorf("bounds.json: no version")
	}
	ids := map[string]bool{}
	for _, b := range t.Bounds {
		row := b.ID + " " + b.Metric
		v.item(row, "-", b.Refs, b.Basis, b.Healthy, b.Key)
		ids[b.ID] = true
		if !boundRE.MatchString(b.ID) {
			v.errorf("%s: bound ID is not RB-nn", row)
		}
		if !metricRE.MatchString(b.Metric) {
			v.errorf("%s: unknown metric", row)
		}
		mb, err := b.metricsBound()
		if err != nil {
			v.errorf("%s: %v", row, err)
			continue
		}
		if mb.Notice.Op == "=" {
			v.errorf("%s: a notice threshold must be <, <=, > or >=", row)
		}
		if m := mb.Marked; m != nil && m.Op != "=" && (m.Above() != mb.Notice.Above() || !mb.Notice.Holds(m.Value)) {
			v.errorf("%s: marked threshold %q is not beyond notice %q", row, b.Marked, b.Notice)
		}
		if b.Healthy == "" || b.Basis == "" {
			v.errorf("%s: no basis or healthy figure", row)
		}
	}
	for _, f := range findings {
		for _, id := range f.Bounds {
			if !ids[id] {
				v.errorf("%s: bound %s is not in bounds.json", f.ID, id)
			}
		}
	}
}
