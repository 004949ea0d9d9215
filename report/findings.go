package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/report/knowledge"
)

// NoPercentiles is the Range of a finding while no reference set is given.
const NoPercentiles = "No reference percentiles yet"

// measurement is the value of one metric in this sample.
type measurement struct {
	ok       bool    // the metric could be computed
	share    bool    // value is a share of reads (0–1)
	value    float64 // share or index value
	category string  // for categorical metrics
	drivers  []string
	typical  string // a literature figure for the taxon, "" when none
}

// text is the value as the report shows it.
func (m measurement) text() string {
	switch {
	case !m.ok:
		return "not computed"
	case m.category != "":
		return communityTypeLabel(m.category) + listSuffix(m.drivers)
	case m.share && m.value == 0:
		return "0 reads"
	case m.share:
		return pct(m.value) + " of reads" + listSuffix(m.drivers)
	}
	return num(m.value, 2) + listSuffix(m.drivers)
}

// tri is a three-valued truth: a percentile test without a reference set
// is unknown, not false.
type tri int

const (
	unknown tri = iota
	no
	yes
)

func truth(b bool) tri {
	if b {
		return yes
	}
	return no
}

// communityTypeMetric is the metric key of the community type (IDX-06), a
// categorical measure (metrics.SampleMeasures.CommunityType).
const communityTypeMetric = "IDX-06"

// communityTypeLabel names a community type (a metrics.Type constant) in
// the report's words.
func communityTypeLabel(t string) string {
	switch t {
	case metrics.TypeBact2:
		return "Bact2-like (Bacteroides-dominated, little Faecalibacterium)"
	case metrics.TypeMixed:
		return "no dominant driver genus"
	}
	return t + "-dominated"
}

// measure reads a metric named as in knowledge.Condition.Metric from the
// sample's measures: an index or share of the knowledge base's measures,
// Shannon diversity, or the community type (IDX-06, categorical).
func (b *builder) measure(metric string) measurement {
	if m, ok := b.measured[metric]; ok {
		return m
	}
	var m measurement
	switch v, ok := b.in.Measures.Index(metric); {
	case metric == "shannon":
		m.value = b.in.Alpha.Shannon
		m.ok = !math.IsNaN(m.value) && !math.IsInf(m.value, 0)
	case ok:
		m.ok, m.value, m.share = v.Computed, v.Value, v.Kind == metrics.ShareIndex
		if m.share {
			m.drivers = driverText(v.Drivers)
		}
		if v.Kind == metrics.GMHIIndex && v.Coverage != nil {
			// RULE-10: show how much of the index could be mapped.
			m.drivers = []string{fmt.Sprintf("%d of %d species mapped to the database", v.Coverage.Mapped(), v.Coverage.Taxa)}
		}
		if t, ok := b.kb.TaxonByID(strings.TrimPrefix(metric, "taxon:")); ok {
			m.typical = t.Typical
			if len(t.Genera) == 1 && len(v.Drivers) == 1 {
				m.drivers = nil // the taxon is the genus: naming it again adds nothing
			}
		}
	case metric == communityTypeMetric:
		ct := b.in.Measures.CommunityType
		m.ok, m.category = ct.Type != "", ct.Type
		if m.ok {
			m.drivers = []string{"Bacteroides " + pct(ct.Bacteroides), "Prevotella " + pct(ct.Prevotella),
				"Ruminococcus " + pct(ct.Ruminococcus), "Faecalibacterium " + pct(ct.Faecalibacterium) + " of reads named to a genus"}
		}
	}
	b.measured[metric] = m
	return m
}

// driverText names the drivers with their shares, largest first, at most
// maxDrivers of them.
func driverText(ds []metrics.Driver) []string {
	var out []string
	for _, d := range ds[:min(maxDrivers, len(ds))] {
		out = append(out, d.Taxon+" "+pct(d.Share))
	}
	if len(ds) > maxDrivers {
		out = append(out, fmt.Sprintf("%d more", len(ds)-maxDrivers))
	}
	return out
}

// maxDrivers is how many contributing taxa a value names.
const maxDrivers = 5

// test decides one condition.
func (b *builder) test(c knowledge.Condition) tri {
	m := b.measure(c.Metric)
	switch {
	case c.Computed:
		return truth(m.ok)
	case !m.ok:
		return unknown
	case c.Zero:
		return truth(m.value == 0)
	case c.Present:
		return truth(m.value > 0)
	case c.Category != "":
		return truth(m.category == c.Category)
	}
	p, ok := b.percentile(c.Metric)
	if !ok {
		return unknown
	}
	if c.Below != nil {
		return truth(p < *c.Below)
	}
	return truth(p > *c.Above)
}

// percentile is the sample's place in the reference set for metric, as a
// finding tests it. The value placed is the genus-basis one
// (metrics.ReferenceValues), as the reference set holds; it can differ
// slightly from the share of all reads shown.
func (b *builder) percentile(metric string) (float64, bool) {
	m := b.measure(metric)
	if b.noPercentiles || !m.ok || m.category != "" {
		return 0, false
	}
	return b.placed(metric)
}

// placed is the sample's percentile of metric in the reference set, false
// when there is no set or the set does not place the metric.
func (b *builder) placed(metric string) (float64, bool) {
	p, ok := b.in.Measures.Percentiles[metric]
	return p, ok
}

// reference describes the reference set of the sample's percentiles, nil
// when there is none.
func (b *builder) reference() *metrics.ReferenceDescription {
	return b.in.Measures.Reference
}

// RoughReference follows the note of a reference set made by another
// method when a finding's rule is left undecided because of it.
const RoughReference = "Because of that, this position is shown but not used to raise a finding."

// referenceNote is the reference set's note on why its positions are rough
// (metrics.ReferenceSet.Note), "" when none.
func (b *builder) referenceNote() string {
	if r := b.reference(); r != nil {
		return r.Note
	}
	return ""
}

// holdsWithoutPercentiles reports whether a trigger holds on the profile
// alone (F-05a: zero reads), not because of a percentile.
func (b *builder) holdsWithoutPercentiles(t knowledge.Trigger) bool {
	b.noPercentiles = true
	defer func() { b.noPercentiles = false }()
	return b.eval(t) == yes
}

// eval decides a trigger: all conditions must hold, or any one of them.
func (b *builder) eval(t knowledge.Trigger) tri {
	if len(t.All) > 0 {
		out := yes
		for _, c := range t.All {
			switch b.test(c) {
			case no:
				return no
			case unknown:
				out = unknown
			}
		}
		return out
	}
	out := no
	for _, c := range t.Any {
		switch b.test(c) {
		case yes:
			return yes
		case unknown:
			out = unknown
		}
	}
	return out
}

var levels = map[string]Level{"info": Info, "notice": Notice, "attention": Attention}

// findings applies the knowledge base's findings rules in their order. A
// rule whose trigger holds gives its finding; a rule with a descriptive text
// whose trigger does not hold, or cannot be decided without percentiles,
// shows its metric as a plain measurement under the same ID, at Info level.
func (b *builder) findings() []*Finding {
	var fs []*Finding
	for _, r := range b.kb.Findings {
		state, level := b.eval(r.When), levels[r.Level]
		if state != yes && r.Amber != nil && b.eval(*r.Amber) == yes {
			state, level = yes, Notice
		}
		m := b.measure(r.Metric)
		f := &Finding{ID: r.ID, Value: m.text(), Range: b.rangeText(r.Metric, m),
			Barrier: r.Barrier, Guidance: slices.Clone(r.Guidance), Grade: r.Grade, Refs: slices.Clone(r.Refs)}
		// A reference set made by another method (one with a note) places
		// the sample but decides nothing: a finding that would hold only
		// because of a percentile in it is shown as a measurement.
		note := b.referenceNote()
		roughOnly := state == yes && note != "" && !b.holdsWithoutPercentiles(r.When)
		switch {
		case state == yes && !roughOnly:
			f.Title, f.Meaning, f.Level = r.Title, r.Meaning, level
			b.triggered = append(b.triggered, f)
		case r.Describe != "" && m.ok:
			f.Title, f.Meaning, f.Level = r.Label, r.Describe, Info
			if m.category != "" {
				// A category other than the rule's (a community type that is
				// not Bact2-like): its barrier link and guidance do not apply.
				f.Barrier, f.Guidance = "", nil
			}
			if roughOnly {
				f.Range += ". " + note + " " + RoughReference
			}
		default:
			continue
		}
		b.modify(f, r.Modifiers)
		fs = append(fs, f)
	}
	return fs
}

// CategoryRange is the Range of a categorical finding (the community type):
// it describes and has no normal range.
const CategoryRange = "A description, not a grade: no type is normal or abnormal"

// rangeText says where the value stands: its percentile in the reference
// set, or that none is available, with a literature figure when one exists.
func (b *builder) rangeText(metric string, m measurement) string {
	if m.category != "" {
		return CategoryRange
	}
	var s string
	if p, ok := b.percentile(metric); ok {
		s = fmt.Sprintf("Percentile %.0f of %s (a position in that group, not a clinical range)", p, b.reference().Name)
	} else {
		s = NoPercentiles
	}
	if m.typical != "" {
		s += "; literature: " + lowerFirst(m.typical)
	}
	return s
}

func lowerFirst(s string) string {
	if s == "" || (len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z') {
		return s // leave acronyms alone
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// modify adds the metadata caveats a finding's rule asks for (science.md §5
// modifiers): recent antibiotics and unrefrigerated transit.
func (b *builder) modify(f *Finding, mods []string) {
	md := b.in.Metadata
	for _, mod := range mods {
		switch {
		case mod == "antibiotics" && md.recentAntibiotics():
			f.Meaning = "Antibiotics in the past three months shift the profile, so retest later before reading much into this. " + f.Meaning
			if !slices.Contains(f.Refs, "R-PAL18") {
				f.Refs = append(f.Refs, "R-PAL18")
			}
		case mod == "transit" && md.TransitDays != nil && *md.TransitDays > 3:
			f.Meaning += fmt.Sprintf(" This sample travelled %.0f days unrefrigerated, so part of this share may have grown after collection.", *md.TransitDays)
			if !slices.Contains(f.Refs, "R-AMI17") {
				f.Refs = append(f.Refs, "R-AMI17")
			}
		}
	}
}
