package report

import "strings"

// barrier is the "Barrier-related taxa" section: each taxon's share and
// percentile, and the findings.
func (b *builder) barrier(fs []*Finding) (Section, error) {
	rows := [][]string{}
	var refsCited []string
	for _, t := range b.kb.Taxa {
		m := b.measure("taxon:" + t.ID)
		val := "not detected"
		switch {
		case !m.ok:
			val = "not computed"
		case m.value > 0:
			val = pct(m.value)
		}
		p := "–"
		if m.ok {
			p = b.percentileText("taxon:" + t.ID)
		}
		rows = append(rows, []string{t.Name + " (" + t.ID + ")", val, p, t.Role, t.Grade, strings.Join(t.Refs, ", ")})
		refsCited = append(refsCited, t.Refs...)
	}
	blocks := []Block{
		&Paragraph{Text: "The gut lining is sealed by tight junctions between its cells and covered by a mucus layer. The bacteria below are those research has linked to that barrier, to inflammation or to butyrate, the colon's main fuel. These are associations: most mechanisms come from animal studies, and 16S sequencing cannot measure permeability, tight-junction state or inflammation.", Refs: []string{"R-CAM19", "R-KEL15"}},
		&Table{Caption: "Barrier-related taxa in this sample (percentile: position in the reference set, see Diversity)", Header: []string{"Taxon", "Share", "Percentile", "What research associates it with", "Grade", "References"}, Rows: rows, Numeric: []bool{false, true, true, false, false, false}},
		&Paragraph{Text: "References for the table above.", Refs: dedupe(refsCited)},
	}
	for _, f := range fs {
		blocks = append(blocks, f)
	}
	return Section{ID: "barrier", Title: "Barrier-related taxa", Blocks: blocks}, nil
}
