package report

import (
	"fmt"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// Red flags (RULE-08): shown in every report, whatever the profile shows.
var redFlags = []string{
	"blood in your stool",
	"weight loss you cannot explain",
	"iron-deficiency anaemia",
	"a lasting change in bowel habit",
	"symptoms that wake you at night",
	"a lump in your abdomen or back passage",
	"a family history of bowel cancer or inflammatory bowel disease",
	"fever with diarrhoea",
	"six or more bloody stools a day with fever or a fast pulse (the same day)",
	"persistent severe pain, vomiting or difficulty swallowing",
}

// summary is the "Summary" section: what the sample is, its most common
// genera and diversity, the not-a-diagnosis and red-flag callouts, what the
// person reported, and the key findings.
func (b *builder) summary(fs []*Finding) (Section, error) {
	in := b.in
	top := sorted(b.genus)
	top3 := top[:min(3, len(top))]
	var tops []string
	for _, g := range top3 {
		tops = append(tops, fmt.Sprintf("%s (%s)", g, pct(b.genus[g])))
	}
	genusReads := in.Classification.AssignedAt[taxonomy.Genus]
	used := in.QC.PassedReads
	kv := &KeyValues{Pairs: [][2]string{
		{"Sample", in.Sample},
		{"Reads sequenced", fmt.Sprintf("%d", in.QC.InputReads)},
		{"Reads used (passed quality control)", fmt.Sprintf("%d", used)},
		{"Reads named to genus", fmt.Sprintf("%d (%s of reads used)", genusReads, pct(ratio(float64(genusReads), float64(used))))},
	}}
	if t := in.Table; t != nil {
		kv.Pairs = [][2]string{
			{"Sample", in.Sample},
			{"Source", fmt.Sprintf("abundance table %s (%s), made by another tool", t.Path, t.Format)},
			{"Share named to a genus", pct(b.namedShare(taxonomy.Genus))},
		}
	}
	kv.Pairs = append(kv.Pairs, [][2]string{
		{"Most common genera", strings.Join(tops, ", ")},
		{"Genera observed", num(in.Alpha.Observed, 0)},
		{"Shannon diversity (genus level)", num(in.Alpha.Shannon, 2)},
		{"Key findings", fmt.Sprintf("%d flagged by a findings rule; %d measurements shown for context", len(b.triggered), len(fs)-len(b.triggered))},
	}...)
	blocks := []Block{
		&Callout{Level: Notice, Title: "This report is not a diagnosis",
			Text: "It describes which bacteria were found in one stool sample and what research has associated them with. \"Leaky gut\" is not an accepted diagnosis and no validated stool or blood test for it exists; microbiome tests have no proven clinical use yet. Talk to a clinician about any health concern.",
			Refs: []string{"R-LAC24", "R-CAM19", "R-POR25"}},
		kv,
		&Callout{Level: Info, Title: "See a clinician, whatever this report shows, if you have",
			Items: redFlags,
			Text:  "Ask a clinician before taking supplements if you are pregnant, immunosuppressed, on regular medication, or have inflammatory bowel disease or coeliac disease.",
			Refs:  []string{"R-NG12", "R-VAS21"}},
	}
	md := in.Metadata
	if ctx := contextPairs(md); len(ctx) > 0 {
		blocks = append(blocks, &KeyValues{Pairs: ctx})
	}
	if len(md.Symptoms) > 0 {
		blocks = append(blocks, &Paragraph{Text: "You reported: " + strings.Join(md.Symptoms, ", ") + ". Symptoms such as bloating, gas, loose stools, constipation, tiredness or food sensitivities are common and non-specific; this report does not attribute them to the bacteria found.", Refs: []string{"R-POR25"}})
	}
	if md.recentAntibiotics() {
		blocks = append(blocks, &Callout{Level: Notice, Title: "Recent antibiotics",
			Text: "Antibiotics in the past three months shift the gut community: in healthy adults most of it returned within about six weeks, but some species were still missing after six months. Read this report as a snapshot of recovery and consider retesting later.",
			Refs: []string{"R-PAL18"}})
	}
	blocks = append(blocks, b.keyFindings(fs))
	return Section{ID: "summary", Title: "Summary", Blocks: blocks}, nil
}

// keyFindings lists the findings whose rules triggered and says how the
// others are shown.
func (b *builder) keyFindings(fs []*Finding) Block {
	grades := " Each carries its evidence grade (A strong evidence in people; B tested in people, limited; C seen in people, cause not shown; D lab or animal evidence only) and its references."
	var items []string
	for _, f := range b.triggered {
		items = append(items, f.ID+": "+f.Title)
	}
	ctx := fmt.Sprintf("%d further measurements are shown without a verdict, because no reference percentiles are available yet.", len(fs)-len(b.triggered))
	switch {
	case b.reference() != nil && b.referenceNote() != "":
		ctx = fmt.Sprintf("%d further measurements are shown with their position in %s, which was made by another method, so no verdict is drawn from it.", len(fs)-len(b.triggered), b.reference().Name)
	case b.reference() != nil:
		ctx = fmt.Sprintf("%d further measurements are within the usual range of %s.", len(fs)-len(b.triggered), b.reference().Name)
	}
	if len(items) == 0 {
		return &Paragraph{Text: "No findings rule was triggered. " + ctx + grades}
	}
	return &Callout{Level: Info, Title: fmt.Sprintf("Key findings (%d)", len(items)), Items: items, Text: ctx + grades}
}
