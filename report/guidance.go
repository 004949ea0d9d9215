package report

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/report/knowledge"
)

// everyone are the guidance items every report shows (science.md §5a):
// more varied fibre and the Mediterranean pattern.
var everyone = []string{"G-01", "G-06"}

// choice is one guidance item chosen for a report and why.
type choice struct {
	id      string
	reasons []string
}

// chooseGuidance picks the guidance items a report shows, in order, with
// why (science.md §5a, "guidance is chosen, not listed"): the items of the
// findings raised, in rank order (key findings first); the items the
// metadata calls for (antibiotics in the past three months: G-12 and G-17;
// NSAIDs or a proton-pump inhibitor: G-17; a diet the knowledge base
// recognises, such as a low-fibre one: its items, G-01 and G-02); then G-01
// and G-06 for everyone. Each item appears once, at its first place.
func chooseGuidance(m *metrics.SampleMeasures, md Metadata, kb *knowledge.Knowledge) []choice {
	var out []choice
	add := func(id, why string) {
		if i := slices.IndexFunc(out, func(c choice) bool { return c.id == id }); i >= 0 {
			if !slices.Contains(out[i].reasons, why) {
				out[i].reasons = append(out[i].reasons, why)
			}
			return
		}
		out = append(out, choice{id: id, reasons: []string{why}})
	}
	for _, f := range m.Findings {
		r, _ := kb.FindingRule(f.ID)
		for _, g := range f.Guidance {
			add(g, f.ID+" ("+strings.ToLower(r.Label)+")")
		}
	}
	if md.recentAntibiotics() {
		add("G-12", "antibiotics in the past three months")
		add("G-17", "antibiotics in the past three months")
	}
	if md.NSAIDs {
		add("G-17", "you take NSAIDs")
	}
	if md.ProtonPumpInhibitors {
		add("G-17", "you take a proton-pump inhibitor")
	}
	for _, d := range dietsOf(md.Diet, kb) {
		for _, g := range d.Guidance {
			add(g, "your diet ("+d.ID+")")
		}
	}
	for _, g := range everyone {
		add(g, "suggested for everyone")
	}
	return out
}

// GuidanceIDs returns the G- IDs of the guidance items the report of a
// sample with measures m and metadata md shows, in its order
// (chooseGuidance); metrics.json records them.
func GuidanceIDs(m *metrics.SampleMeasures, md Metadata, kb *knowledge.Knowledge) []string {
	var ids []string
	for _, c := range chooseGuidance(m, md, kb) {
		ids = append(ids, c.id)
	}
	return ids
}

// dietsOf returns the knowledge base's diets that the free-text diet
// names, in the knowledge base's order; a negated phrase ("no meat",
// "meat-free") does not count.
func dietsOf(diet string, kb *knowledge.Knowledge) []knowledge.Diet {
	if strings.TrimSpace(diet) == "" {
		return nil
	}
	var out []knowledge.Diet
	for _, d := range kb.Diets {
		var alts []string
		for _, w := range d.Words {
			alts = append(alts, regexp.QuoteMeta(w))
		}
		if mentions(diet, regexp.MustCompile(`\b(?:`+strings.Join(alts, "|")+`)\b`), nil, nil) {
			out = append(out, d)
		}
	}
	return out
}

// guidance is the "Guidance" section: what the diet field changes, the
// rules a raised finding points to, the chosen items with why each was
// chosen, and the table of popular remedies every report carries.
func (b *builder) guidance(_ []*Finding) (Section, error) {
	blocks := []Block{&Paragraph{
		Text: "Diet and lifestyle steps chosen for this sample: those tied to what stands out in it, those your answers call for, and two that suit everyone. In short: fibre, especially inulin-type fructans and galacto-oligosaccharides, reliably raises bifidobacteria (grade A); other effects are small or differ between people (grades B and C); none has yet been shown to improve barrier outcomes in healthy people. Change diet gradually, and ask a clinician or dietitian first if you have a digestive condition.",
		Refs: []string{"R-SO18"},
	}}
	md := b.in.Metadata
	diets := dietsOf(md.Diet, b.kb)
	blocks = append(blocks, dietBlocks(md.Diet, diets)...)
	// Rules a raised finding points to (F-11, F-16: the red flags) come first.
	var rules []string
	for _, f := range b.in.Measures.Findings {
		if r, ok := b.kb.FindingRule(f.ID); ok && f.Level != metrics.LevelInfo {
			rules = append(rules, r.Rules...)
		}
	}
	for _, id := range dedupe(rules) {
		if r, ok := b.kb.Rule(id); ok {
			blocks = append(blocks, &Callout{Level: Attention, Title: r.Title, Text: r.Text, Refs: r.Refs})
		}
	}
	for _, c := range chooseGuidance(b.in.Measures, md, b.kb) {
		g, ok := b.kb.GuidanceItem(c.id)
		if !ok {
			return Section{}, fmt.Errorf("report: guidance %s is not in the knowledge base", c.id)
		}
		text := g.Summary + " " + g.Effect + " Caveats: " + g.Caveats + dietNotes(diets, g.ID) + " " + GradeLabel(g.Grade) + "."
		if c.id == "G-17" && md.ProtonPumpInhibitors {
			text += " Acid-suppressing medicines are reported alongside more mouth-type bacteria in stool (not re-checked for this report); whether you still need one is a question for your prescriber."
		}
		blocks = append(blocks, &Callout{Level: Info, Title: g.ID + " · " + g.Title,
			Text: "Why: " + strings.Join(c.reasons, "; ") + ". " + text, Refs: g.Refs})
	}
	blocks = append(blocks, b.remedies(diets)...)
	return Section{ID: "guidance", Title: "Guidance", Blocks: blocks}, nil
}

// dietBlocks says what the diet field changes: a paragraph per diet
// recognised, or, for a diet zonula does not recognise, that the items
// suit most diets.
func dietBlocks(diet string, diets []knowledge.Diet) []Block {
	if strings.TrimSpace(diet) == "" {
		return nil
	}
	if len(diets) == 0 {
		return []Block{&Paragraph{Text: fmt.Sprintf("You describe your diet as “%s”. zonula recognises only a few common patterns in this field (low-carbohydrate, meat-rich, plant-based, Mediterranean, low-FODMAP, gluten-free), so the items below are not tailored to it; they suit most diets.", strings.TrimSpace(diet))}}
	}
	var out []Block
	for _, d := range diets {
		out = append(out, &Paragraph{Text: d.Says, Refs: d.Refs})
	}
	return out
}

// dietNotes is what the diets recognised add to item id.
func dietNotes(diets []knowledge.Diet, id string) string {
	var s string
	for _, d := range diets {
		if n, ok := d.Notes[id]; ok {
			s += " For your diet: " + n
		}
	}
	return s
}

// remedies is the table of popular remedies every report carries (science.md
// §5a): what the evidence says of each, its grade and caveat.
func (b *builder) remedies(diets []knowledge.Diet) []Block {
	var rows [][]string
	var refs []string
	for _, g := range b.kb.Guidance {
		if g.Remedy == "" {
			continue
		}
		rows = append(rows, []string{g.Remedy, g.Short, g.Grade + ": " + gradeWords(g.Grade), g.Caveats + dietNotes(diets, g.ID)})
		refs = append(refs, g.Refs...)
	}
	if len(rows) == 0 {
		return nil
	}
	return []Block{
		&Paragraph{Text: "People often ask about the remedies below. They are listed in every report, whatever this sample shows, so that nobody is left to guess what the evidence says of them."},
		&Table{Caption: "Popular remedies: what the evidence says", Header: []string{"Remedy", "What the evidence says", "Grade", "Caveat"}, Rows: rows},
		&Paragraph{Text: "References for the remedies table.", Refs: dedupe(refs)},
	}
}
