package report

import (
	"fmt"
	"strings"
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
