package report

import (
	"fmt"
	"slices"
)

// guidance is the "Guidance" section: the rules and guidance items the
// findings point to.
func (b *builder) guidance(fs []*Finding) (Section, error) {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.Guidance...)
	}
	ids = dedupe(ids)
	slices.Sort(ids)
	blocks := []Block{&Paragraph{
		Text: "Diet and lifestyle steps that research has tied to the observations above. In short: fibre, especially inulin-type fructans and galacto-oligosaccharides, reliably raises bifidobacteria (grade A); other effects are small or differ between people (grades B and C); none has yet been shown to improve barrier outcomes in healthy people. Change diet gradually, and ask a clinician or dietitian first if you have a digestive condition.",
		Refs: []string{"R-SO18"},
	}}
	// Rules a triggered finding points to (F-11: the red flags) come first.
	var rules []string
	for _, f := range b.triggered {
		for _, r := range b.kb.Findings {
			if r.ID == f.ID {
				rules = append(rules, r.Rules...)
			}
		}
	}
	for _, id := range dedupe(rules) {
		if r, ok := b.kb.Rule(id); ok {
			blocks = append(blocks, &Callout{Level: Attention, Title: r.Title, Text: r.Text, Refs: r.Refs})
		}
	}
	for _, id := range ids {
		g, ok := b.kb.GuidanceItem(id)
		if !ok {
			return Section{}, fmt.Errorf("report: guidance %s is not in the knowledge base", id)
		}
		blocks = append(blocks, &Callout{Level: Info, Title: g.ID + " · " + g.Title,
			Text: g.Summary + " " + g.Effect + " Caveats: " + g.Caveats + " " + GradeLabel(g.Grade) + ".",
			Refs: g.Refs})
	}
	return Section{ID: "guidance", Title: "Guidance", Blocks: blocks}, nil
}
