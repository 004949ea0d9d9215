package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/report/knowledge"
)

// NoPercentiles is the Range of a measurement shown while no reference set
// places it.
const NoPercentiles = "No reference percentiles"

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

// communityTypeMetric is the metric key of the community type (IDX-06), a
// categorical measure (metrics.SampleMeasures.CommunityType).
const communityTypeMetric = metrics.CommunityTypeMetric

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

// communityTypeShort names a community type in a word or two, for a table
// cell that does not wrap.
func communityTypeShort(t string) string {
	switch t {
	case metrics.TypeBact2:
		return "Bact2-like"
	case metrics.TypeMixed:
		return "mixed"
	}
	return t
}

// measure reads a metric named as in metrics.Condition.Metric from the
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
		m.ok, m.value, m.share = v.Computed, v.Value, isShare(v.Kind)
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
	default:
		m.value, m.ok = b.in.Measures.Value(metric)
	}
	b.measured[metric] = m
	return m
}

// isShare reports whether an index kind's values are shares of reads.
func isShare(k metrics.IndexKind) bool {
	return k == metrics.ShareIndex || k == metrics.DominantIndex
}

// valueText is a finding's value of metric as a key finding quotes it: a
// share as a percentage, a number of genera whole, other values with two
// decimals.
func (b *builder) valueText(metric string, v float64) string {
	switch {
	case metric == metrics.RarefiedGeneraMetric:
		return num(v, 0)
	case b.measure(metric).share:
		return pct(v)
	}
	return num(v, 2)
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

// contextOnly reports whether the reference set was made by another
// method, so that its positions are context and decide nothing.
func (b *builder) contextOnly() bool {
	r := b.reference()
	return r != nil && !r.Matched
}

// ContextOnly follows the position in a reference set made by another
// method: it is shown, never used to raise or silence a finding (RULE-05).
const ContextOnly = "That group was made by another method, so this position is context only: it neither raises nor silences a finding."

// referenceNote is the reference set's note on why its positions are rough
// (metrics.ReferenceSet.Note), "" when none.
func (b *builder) referenceNote() string {
	if r := b.reference(); r != nil {
		return r.Note
	}
	return ""
}

// raised returns the finding metrics raised under rule id.
func (b *builder) raised(id string) (metrics.Finding, bool) {
	for _, f := range b.in.Measures.Findings {
		if f.ID == id {
			return f, true
		}
	}
	return metrics.Finding{}, false
}

var levels = map[metrics.Level]Level{metrics.LevelInfo: Info, metrics.LevelNotice: Notice, metrics.LevelMarked: Attention}

// findings words the findings metrics raised, in the knowledge base's
// order, each with the frame it was raised against. A rule with a
// descriptive text that was not raised shows its metric as a plain
// measurement under the same ID, at Info level.
func (b *builder) findings() []*Finding {
	var fs []*Finding
	for _, r := range b.kb.Findings {
		m := b.measure(r.Metric)
		f := &Finding{ID: r.ID, Value: m.text(), Barrier: r.Barrier, Guidance: slices.Clone(r.Guidance), Grade: r.Grade, Refs: slices.Clone(r.Refs)}
		mf, raised := b.raised(r.ID)
		switch {
		case raised:
			f.Title, f.Meaning, f.Level, f.Frame, f.Status = r.Title, r.Meaning, levels[mf.Level], mf.Frame, statusText(mf.Level)
			if mf.Measure != r.Metric { // raised by a bound on another measure (F-10: genera at depth)
				f.Value = b.valueText(mf.Measure, mf.Value) + " (" + b.measureName(mf.Measure) + ")"
			}
			f.Range = b.frameText(mf, r)
			if row, ok := b.kb.BoundRow(mf.Frame, mf.Measure); ok {
				f.Refs = dedupe(append(f.Refs, row.Refs...))
			}
			if r.ID == "F-12" {
				f.Meaning += " " + gmhiDirection(mf.Value)
			}
			b.triggered = append(b.triggered, f)
		case r.Describe != "" && m.ok:
			f.Title, f.Meaning, f.Level, f.Status = r.Label, r.Describe, Info, NoFinding
			if m.category != "" {
				// A category other than the rule's (a community type that is
				// not Bact2-like): its barrier link and guidance do not apply.
				f.Barrier, f.Guidance = "", nil
			}
			f.Range = b.rangeText(r.Metric, m)
		default:
			continue
		}
		b.modify(f, r.Modifiers)
		fs = append(fs, f)
	}
	return fs
}

// NoFinding is the Status of a measurement shown without a verdict.
const NoFinding = "A measurement shown for context; no finding raised"

// statusText says in words at which level a finding was raised.
func statusText(l metrics.Level) string {
	switch l {
	case metrics.LevelMarked:
		return "Markedly unusual compared with healthy adults (level: marked)"
	case metrics.LevelNotice:
		return "Unusual compared with healthy adults (level: notice)"
	}
	return "For information (level: info); never a key finding"
}

// gmhiDirection says which side of 0 a GMHI-like value lies on (F-12):
// above 0 the index reads health-like, below 0 not.
func gmhiDirection(v float64) string {
	switch {
	case v > 0:
		return fmt.Sprintf("This sample's value, %s, is above 0: on the side the index reads as health-like.", num(v, 2))
	case v < 0:
		return fmt.Sprintf("This sample's value, %s, is below 0: on the side the index does not read as health-like.", num(v, 2))
	}
	return "This sample's value is 0: on neither side of the index."
}

// measureName names a metric in words for a finding's value.
func (b *builder) measureName(metric string) string {
	switch metric {
	case metrics.RarefiedGeneraMetric:
		return fmt.Sprintf("expected genera in %s reads named to a genus", thousands(metrics.RarefiedGeneraDepth))
	case "shannon":
		return "Shannon diversity, genus level"
	case metrics.GroupShannonMetric:
		return "Shannon diversity of genus-level groups, reads not named to a genus grouped by their deepest named rank"
	}
	if v, ok := b.in.Measures.Index(metric); ok {
		return v.Name
	}
	return metric
}

// frameText names what a raised finding was compared with (RULE-05): a
// robust bound with its basis, the percentiles of a method-matched set, or
// the profile alone; and, for a set made by another method, the sample's
// position there as context.
func (b *builder) frameText(mf metrics.Finding, r knowledge.Finding) string {
	side, than := "Below", "or more"
	if mf.Above {
		side, than = "Above", "or less"
	}
	var s string
	switch {
	case mf.Frame == metrics.FrameProfile && r.Metric == communityTypeMetric:
		s = CategoryRange
	case mf.Frame == metrics.FrameProfile:
		s = "Decided from this sample's profile alone; no cut-off is involved"
	case strings.HasPrefix(mf.Frame, "RB-"):
		row, _ := b.kb.BoundRow(mf.Frame, mf.Measure)
		s = fmt.Sprintf("%s %s, robust bound %s (%s level): beyond what healthy adults showed (%s); not a validated cut-off",
			side, b.valueText(mf.Measure, mf.Bound), mf.Frame, mf.Level, nbspPercent(row.Basis))
	default:
		ref := b.reference()
		s = fmt.Sprintf("Percentile %.0f of %s, made by the same pipeline; %.0f %% of its samples had %s %s (a position in that group, not a clinical range)",
			mf.Percentile, ref.Name, cutShare(mf), b.valueText(mf.Measure, mf.Bound), than)
	}
	if p, ok := b.placed(r.Metric); ok && b.contextOnly() {
		s += fmt.Sprintf(". Context: percentile %.0f of %s. %s", p, b.reference().Name, ContextOnly)
	}
	return s
}

// cutShare is the share (0–100) of a matched set's samples on the usual
// side of a finding's percentile cut: 90 for "above the 90th percentile",
// 90 for "below the 10th".
func cutShare(mf metrics.Finding) float64 {
	if mf.Above {
		return mf.Cut
	}
	return 100 - mf.Cut
}

// CategoryRange is the Range of a categorical finding (the community type):
// it describes and has no normal range.
const CategoryRange = "A description, not a grade: no type is normal or abnormal"

// rangeText says where a measurement that raised no finding stands: its
// percentile in the reference set (context only for a set made by another
// method), or that none is available, with a literature figure when one
// exists.
func (b *builder) rangeText(metric string, m measurement) string {
	if m.category != "" {
		return CategoryRange
	}
	s := NoPercentiles
	p, placed := b.placed(metric)
	if placed {
		s = fmt.Sprintf("Percentile %.0f of %s (a position in that group, not a clinical range)", p, b.reference().Name)
	}
	if m.typical != "" {
		s += "; literature: " + lowerFirst(m.typical)
	}
	if placed && b.contextOnly() {
		s += ". " + strings.TrimSpace(b.referenceNote()+" "+ContextOnly)
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
