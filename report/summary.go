package report

import (
	"fmt"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/taxonomy"
)

// MaxUnnamedGenus is the share of reads not named to a genus above which
// the summary warns that the database, not the gut, limits the profile (a
// zonula convention).
const MaxUnnamedGenus = 0.10

// summary is the "Summary" section, the report's first page for the
// person: what stands out and what does not, the key findings (at most
// metrics.MaxKeyFindings, most important first, each one sentence with the
// person's value and the healthy figure), warnings about what limits the
// profile, the see-a-clinician box, then the sample's figures and what the
// person reported.
func (b *builder) summary(fs []*Finding) (Section, error) {
	blocks := []Block{b.overview(fs)}
	if k := b.keyFindings(); k != nil {
		blocks = append(blocks, k)
	}
	blocks = append(blocks, b.unnamedWarning()...)
	blocks = append(blocks, b.labSummary()...)
	blocks = append(blocks, safetyBox(), &Callout{Level: Notice, Title: "This report is not a diagnosis",
		Text: "It describes which bacteria were found in one stool sample and what research has associated them with. \"Leaky gut\" is not an accepted diagnosis and no validated stool or blood test for it exists; microbiome tests have no proven clinical use yet. Talk to a clinician about any health concern.",
		Refs: []string{"R-LAC24", "R-CAM19", "R-POR25"}})
	blocks = append(blocks, b.sampleFacts())
	md := b.in.Metadata
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
	return Section{ID: "summary", Title: "Summary", Blocks: blocks}, nil
}

// overview is the summary's opening paragraph: how many values are unusual
// and against what they were compared, or that nothing is.
func (b *builder) overview(fs []*Finding) Block {
	var raised, marked int
	for _, f := range b.in.Measures.Findings {
		if f.Level == metrics.LevelInfo {
			continue
		}
		raised++
		if f.Level == metrics.LevelMarked {
			marked++
		}
	}
	frame := "the robust bounds zonula compares with (values beyond what healthy adults showed in independent studies; none is a validated cut-off)"
	if r := b.reference(); r != nil && r.Matched {
		frame = "the usual range of " + r.Name + ", a reference group made by the same pipeline"
	}
	info := len(fs) - raised
	if raised == 0 {
		hedge := ""
		if u := unclassifiedShare(b.in.Profile, taxonomy.Genus); u > MaxUnnamedGenus {
			hedge = fmt.Sprintf(" This holds for the bacteria that could be named: %s of the reads could not be named to a genus (see below).", pct(u))
		}
		return &Paragraph{Text: fmt.Sprintf("Nothing in this sample is unusual compared with healthy adults: no value is beyond %s.%s %d further observations are described in the sections below; none of them calls for action.", frame, hedge, info),
			Refs: []string{"R-POR25"}}
	}
	what := fmt.Sprintf("%d values in this sample are unusual compared with healthy adults", raised)
	if raised == 1 {
		what = "One value in this sample is unusual compared with healthy adults"
	}
	if marked > 0 {
		what += fmt.Sprintf(" (%d of them markedly)", marked)
	}
	listed := "They are listed below, the most important first."
	if raised > metrics.MaxKeyFindings {
		listed = fmt.Sprintf("The %d most important are listed below; the others are under Barrier-related taxa.", metrics.MaxKeyFindings)
	}
	return &Paragraph{Text: fmt.Sprintf("%s, judged against %s. %s None of them is a diagnosis, and none says what brought it about.", what, frame, listed),
		Refs: []string{"R-POR25"}}
}

// keyFindings is the key-findings box: one sentence per key finding, in
// rank order; nil when there is none.
func (b *builder) keyFindings() Block {
	var items []string
	level := Notice
	for _, f := range b.in.Measures.Findings {
		if !f.Key {
			continue
		}
		word := "unusual"
		if f.Level == metrics.LevelMarked {
			word, level = "markedly unusual", Attention
		}
		items = append(items, fmt.Sprintf("%s — %s (%s).", b.keySentence(f), word, f.ID))
	}
	if len(items) == 0 {
		return nil
	}
	return &Callout{Level: level, Title: "Key findings", Items: items,
		Text: "Details, evidence grades and references are under Barrier-related taxa; what may help is under Guidance."}
}

// keySentence is a key finding in one plain sentence: the person's value
// (the rule's Key, or its bound row's) and the healthy figure it was
// compared with.
func (b *builder) keySentence(f metrics.Finding) string {
	r, _ := b.kb.FindingRule(f.ID)
	tmpl, healthy := r.Key, ""
	if row, ok := b.kb.BoundRow(f.Frame, f.Measure); ok {
		if row.Key != "" {
			tmpl = row.Key
		}
		healthy = row.Healthy
	} else if ref := b.reference(); ref != nil && f.Frame == ref.Frame {
		than := "or more"
		if f.Above {
			than = "or less"
		}
		healthy = fmt.Sprintf("%.0f %% of the samples in %s had %s %s", cutShare(f), ref.Name, b.valueText(f.Measure, f.Bound), than)
	}
	if f.Value == 0 && r.KeyZero != "" {
		tmpl = r.KeyZero
	}
	s := strings.NewReplacer("{value}", b.valueText(f.Measure, f.Value), "{driver}", f.Driver).Replace(tmpl)
	if healthy != "" {
		s += "; " + nbspPercent(healthy)
	}
	return s
}

// nbspPercent keeps numbers and their " %" together in knowledge-base text,
// as pct does for numbers the report prints.
func nbspPercent(s string) string { return strings.ReplaceAll(s, " %", "\u00a0%") }

// unnamedWarning warns when more than MaxUnnamedGenus of the reads were not
// named to a genus, and says what that means.
func (b *builder) unnamedWarning() []Block {
	u := unclassifiedShare(b.in.Profile, taxonomy.Genus)
	if u <= MaxUnnamedGenus {
		return nil
	}
	why := "they belong to genera the reference database does not hold, or matched it too loosely to be named (low identity)"
	if b.in.Table != nil {
		why = "the tool that made the table could not name them, often because its database lacks their genera"
	}
	return []Block{&Callout{Level: Notice, Title: fmt.Sprintf("%s of the reads were not named to a genus", pct(u)),
		Text: fmt.Sprintf("%s of this sample's reads could not be named to a genus: %s. The shares of named bacteria are of all reads, so bacteria that could not be named are missing from them and from the diversity figures; a larger reference database may name more of them. The composition section shows how far each rank was named.", pct(u), why),
		Refs: []string{"R-JOH19"}}}
}

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

// safetyBox is the see-a-clinician box every report shows on its first
// page (RULE-08).
func safetyBox() *Callout {
	return &Callout{Level: Info, Title: "See a clinician, whatever this report shows, if you have",
		Items: redFlags,
		Text:  "Ask a clinician before taking supplements if you are pregnant, immunosuppressed, on regular medication, or have inflammatory bowel disease or coeliac disease.",
		Refs:  []string{"R-NG12", "R-VAS21"}}
}

// sampleFacts lists what the sample is: reads or the table it came from,
// its most common genera and diversity.
func (b *builder) sampleFacts() *KeyValues {
	in := b.in
	top := sorted(b.genus)
	var tops []string
	for _, g := range top[:min(3, len(top))] {
		tops = append(tops, fmt.Sprintf("%s (%s)", g, pct(b.genus[g])))
	}
	genusReads := in.Classification.AssignedAt[taxonomy.Genus]
	used := in.QC.PassedReads
	kv := &KeyValues{Pairs: [][2]string{
		{"Sample", in.Sample},
		{"Reads sequenced", thousands(in.QC.InputReads)},
		{"Reads used (passed quality control)", thousands(used)},
		{"Reads named to genus", fmt.Sprintf("%s (%s of reads used)", thousands(genusReads), pct(ratio(float64(genusReads), float64(used))))},
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
	}...)
	return kv
}

// thousands prints a whole number with commas between thousands (12,345),
// as the report shows counts.
func thousands[T ~int | ~int64](n T) string {
	s := fmt.Sprint(int64(n))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []string
	for len(s) > 3 {
		out = append([]string{s[len(s)-3:]}, out...)
		s = s[:len(s)-3]
	}
	out = append([]string{s}, out...)
	r := strings.Join(out, ",")
	if neg {
		r = "-" + r
	}
	return r
}
