package report

import (
	"fmt"
	"strings"

	"github.com/zonula/zonula/report/knowledge"
)

// contextPairs lists what the person reported about themselves.
func contextPairs(m Metadata) [][2]string {
	var out [][2]string
	if m.Age != nil {
		out = append(out, [2]string{"Age", fmt.Sprintf("%.0f", *m.Age)})
	}
	if m.Sex != "" {
		out = append(out, [2]string{"Sex", m.Sex})
	}
	if m.Diet != "" {
		out = append(out, [2]string{"Diet", m.Diet})
	}
	var meds []string
	if m.AntibioticsMonthsAgo != nil {
		meds = append(meds, fmt.Sprintf("antibiotics %.0f month(s) ago", *m.AntibioticsMonthsAgo))
	}
	if m.ProtonPumpInhibitors {
		meds = append(meds, "proton-pump inhibitor")
	}
	if m.NSAIDs {
		meds = append(meds, "NSAIDs")
	}
	if len(meds) > 0 {
		out = append(out, [2]string{"Medicines reported", strings.Join(meds, ", ")})
	}
	if m.TransitDays != nil {
		out = append(out, [2]string{"Sample transit (unrefrigerated)", fmt.Sprintf("%.1f days", *m.TransitDays)})
	}
	return out
}

// labs shows the lab markers given in the metadata, each only as quoted
// context with what it does and does not measure (LAB-01 to LAB-05).
func (b *builder) labs(_ []*Finding) (Section, error) {
	l := b.in.Metadata.Labs
	blocks := []Block{&Paragraph{Text: "Laboratory results you supplied, quoted with what each measures. zonula does not infer any of them from the microbiome, and only the clinician who ordered a test can interpret it for you.", Refs: []string{"R-CAM19"}}}
	add := func(id, value string) {
		lab, ok := b.kb.Lab(id)
		if !ok {
			return
		}
		blocks = append(blocks, &Callout{Level: Info, Title: lab.Name + ": " + value,
			Text: lab.Measures + " " + lab.Reading + " " + lab.Say, Refs: lab.Refs})
	}
	if v := l.CalprotectinUgG; v != nil {
		add("LAB-01", fmt.Sprintf("%g µg/g", *v))
		if lab, ok := b.kb.Lab("LAB-01"); ok && lab.Cutoff > 0 {
			c := blocks[len(blocks)-1].(*Callout)
			c.Text = calprotectinReading(*v, lab) + " " + c.Text
		}
	}
	if v := l.Zonulin; v != nil {
		add("LAB-02", strings.TrimSpace(fmt.Sprintf("%g %s (not interpreted)", *v, l.ZonulinUnit)))
	}
	if v := l.LactuloseMannitol; v != nil {
		add("LAB-03", fmt.Sprintf("%g", *v))
	}
	if v := l.LBP; v != nil {
		add("LAB-04", fmt.Sprintf("%g", *v))
	}
	if v := l.IFABP; v != nil {
		add("LAB-05", fmt.Sprintf("%g", *v))
	}
	return Section{ID: "labs", Title: "Lab markers", Blocks: blocks}, nil
}

// labSummary is what the summary says of the lab results given: a
// calprotectin at or above the usual cut-off that did not already put the
// see-a-clinician box first.
func (b *builder) labSummary() []Block {
	v := b.in.Metadata.Labs.CalprotectinUgG
	lab, ok := b.kb.Lab("LAB-01")
	if v == nil || !ok || lab.Cutoff <= 0 || *v < lab.Cutoff || b.in.Metadata.safety(lab).Lab != "" {
		return nil
	}
	return []Block{&Callout{Level: Notice, Title: "Calprotectin above the usual cut-off",
		Text: calprotectinReading(*v, lab) + " Calprotectin measures inflammation in the bowel; this report does not infer it from the bacteria.", Refs: lab.Refs}}
}

// calprotectinReading reads a calprotectin value against the usual cut-off
// (LAB-01), in the person's words.
func calprotectinReading(v float64, lab knowledge.Lab) string {
	switch {
	case v >= lab.High && lab.High > 0:
		return fmt.Sprintf("Your calprotectin of %g µg/g is high: %g µg/g or more, well above %g µg/g, the usual cut-off. Discuss it soon with the clinician who ordered it.", v, lab.High, lab.Cutoff)
	case v > lab.Cutoff:
		return fmt.Sprintf("Your calprotectin of %g µg/g is above %g µg/g, the usual cut-off: discuss it with the clinician who ordered it.", v, lab.Cutoff)
	case v == lab.Cutoff:
		return fmt.Sprintf("Your calprotectin of %g µg/g is at %g µg/g, the usual cut-off: discuss it with the clinician who ordered it.", v, lab.Cutoff)
	}
	return fmt.Sprintf("Your calprotectin of %g µg/g is below %g µg/g, the usual cut-off; your lab's own range and the clinician who ordered it decide what it means.", v, lab.Cutoff)
}

// calprotectinSafety is the sentence a calprotectin value adds to the
// see-a-clinician box, which it puts first: a value at or above lab.High,
// or any value given with a warning sign (flagged); "" otherwise.
func calprotectinSafety(v *float64, lab knowledge.Lab, flagged bool) string {
	if v == nil || lab.Cutoff <= 0 || !(flagged || lab.High > 0 && *v >= lab.High) {
		return ""
	}
	return calprotectinReading(*v, lab)
}
