package report_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/internal/reporttest"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
)

func build(t *testing.T, in report.Input) *report.Document {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := report.Build(in, kb)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func findings(doc *report.Document) map[string]*report.Finding {
	m := map[string]*report.Finding{}
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			if f, ok := b.(*report.Finding); ok {
				m[f.ID] = f
			}
		}
	}
	return m
}

// taxon is one row of a hand-made profile: a lineage from phylum (old names,
// as the embedded database has them) down to genus or species, and reads.
type taxon struct {
	lineage string
	reads   float64
}

// adultGut is a plausible healthy-adult stool profile of 2,000 reads: a
// Bacteroides-rich community with the usual butyrate producers, a little
// Proteobacteria, sulfide producers filed under Deltaproteobacteria as old
// databases do, two oral genera, Akkermansia, a Lactobacillus-group genus
// and M. gnavus called to species.
var adultGut = []taxon{
	{"Bacteroidetes;Bacteroidia;Bacteroidales;Bacteroidaceae;Bacteroides", 520},
	{"Bacteroidetes;Bacteroidia;Bacteroidales;Prevotellaceae;Prevotella", 60},
	{"Bacteroidetes;Bacteroidia;Bacteroidales;Rikenellaceae;Alistipes", 90},
	{"Bacteroidetes;Bacteroidia;Bacteroidales;Porphyromonadaceae;Parabacteroides", 70},
	{"Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Faecalibacterium", 230},
	{"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Roseburia", 90},
	{"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Agathobacter", 70},
	{"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Anaerostipes", 30},
	{"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Coprococcus", 40},
	{"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Blautia", 110},
	{"Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Ruminococcus;Ruminococcus gnavus", 25},
	{"Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Ruminococcus", 60},
	{"Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Subdoligranulum", 50},
	{"Firmicutes;Clostridia;Clostridiales;Ruminococcaceae;Butyricicoccus", 15},
	{"Firmicutes;Erysipelotrichia;Erysipelotrichales;Erysipelotrichaceae;Holdemanella", 20},
	{"Firmicutes;Negativicutes;Selenomonadales;Veillonellaceae;Veillonella", 12},
	{"Firmicutes;Bacilli;Lactobacillales;Streptococcaceae;Streptococcus", 18},
	{"Firmicutes;Bacilli;Lactobacillales;Lactobacillaceae;Lactiplantibacillus", 6},
	{"Actinobacteria;Actinobacteria;Bifidobacteriales;Bifidobacteriaceae;Bifidobacterium", 120},
	{"Actinobacteria;Coriobacteriia;Coriobacteriales;Coriobacteriaceae;Collinsella", 40},
	{"Proteobacteria;Gammaproteobacteria;Enterobacteriales;Enterobacteriaceae;Escherichia", 35},
	{"Proteobacteria;Gammaproteobacteria;Enterobacteriales;Enterobacteriaceae;Klebsiella", 5},
	{"Proteobacteria;Betaproteobacteria;Burkholderiales;Sutterellaceae;Sutterella", 14},
	{"Proteobacteria;Deltaproteobacteria;Desulfovibrionales;Desulfovibrionaceae;Desulfovibrio", 12},
	{"Proteobacteria;Deltaproteobacteria;Desulfovibrionales;Desulfovibrionaceae;Bilophila", 8},
	{"Verrucomicrobia;Verrucomicrobiae;Verrucomicrobiales;Verrucomicrobiaceae;Akkermansia", 45},
	{"Firmicutes;Clostridia;Clostridiales", 180}, // named only to order
}

// gutInput builds a report input from rows, leaving out the genera in drop.
func gutInput(t *testing.T, rows []taxon, drop ...string) report.Input {
	t.Helper()
	b := tables.NewBuilder("S1")
	var counts []float64
	var total float64
	for _, r := range rows {
		parts := strings.Split(r.lineage, ";")
		if slices.Contains(drop, parts[len(parts)-1]) {
			continue
		}
		l := taxonomy.Lineage{"Bacteria"}
		copy(l[1:], parts)
		if err := b.Add(l, r.reads); err != nil {
			t.Fatal(err)
		}
		if len(parts) >= 5 {
			counts = append(counts, r.reads)
		}
		total += r.reads
	}
	const unclassified = 40
	if err := b.Add(taxonomy.Lineage{}, unclassified); err != nil {
		t.Fatal(err)
	}
	n := int64(total) + unclassified
	q := qc.NewCollector(qc.DefaultOptions()).Summary()
	q.InputReads, q.PassedReads, q.InputBases = n+61, n, (n+61)*1470
	q.MinLength, q.MaxLength, q.MeanLength, q.N50 = 1000, 1800, 1468, 1493
	q.HasQualities, q.MeanQuality, q.ReverseStrand = true, 24.6, n/2
	q.Filtered["too_short"], q.Filtered["too_long"], q.Filtered["low_quality"] = 40, 6, 15
	for i := range q.LengthHist {
		switch q.LengthHist[i].Lo {
		case 1400:
			q.LengthHist[i].Count = n / 4
		case 1450:
			q.LengthHist[i].Count = n - n/4
		}
	}
	c := classify.Summary{Reads: n, Classified: int64(total), Unclassified: unclassified, Floors: classify.YarzaFloors(), MeanIdentity: 0.987}
	c.BelowFloor[taxonomy.Species], c.BelowFloor[taxonomy.Genus] = 900, 220
	p := b.Profile()
	for r := range c.AssignedAt {
		c.AssignedAt[r] = int64(total) - int64(r)*20
	}
	return report.Input{
		Sample:         "S1",
		Provenance:     reporttest.Input("S1", reporttest.GutGenera()).Provenance,
		Profile:        p,
		Measures:       reporttest.Measure(p, nil, nil),
		Alpha:          metrics.AlphaOf(counts, "genus"),
		QC:             q,
		Classification: c,
	}
}

func TestSectionsInOrder(t *testing.T) {
	doc := build(t, gutInput(t, adultGut))
	var ids []string
	for _, s := range doc.Sections {
		ids = append(ids, s.ID)
	}
	want := []string{"summary", "quality", "composition", "diversity", "barrier", "indices", "guidance", "limitations", "references"}
	if !slices.Equal(ids, want) {
		t.Errorf("sections %v, want %v", ids, want)
	}
	summary := doc.Sections[0]
	var diagnosis, redFlags bool
	for _, b := range summary.Blocks {
		if c, ok := b.(*report.Callout); ok {
			diagnosis = diagnosis || strings.Contains(c.Title, "not a diagnosis")
			redFlags = redFlags || (c.Level == report.Info && strings.Contains(c.Title, "See a clinician") && len(c.Items) >= 10)
		}
	}
	if !diagnosis || !redFlags {
		t.Errorf("summary lacks the not-a-diagnosis callout (%v) or the red-flag callout (%v)", diagnosis, redFlags)
	}
}

func TestFindingsWithoutPercentiles(t *testing.T) {
	with := findings(build(t, gutInput(t, adultGut)))
	if _, ok := with["F-05a"]; ok {
		t.Error("F-05a (Akkermansia not detected) shown although Akkermansia has reads")
	}
	if f, ok := with["F-14"]; !ok || !strings.Contains(f.Value, "Lactiplantibacillus") {
		t.Errorf("F-14 (Lactobacillus group detected) missing or without its driver: %+v", f)
	}
	// Descriptive findings: the value, its drivers, no verdict.
	for id, drivers := range map[string][]string{
		"F-01": {"Faecalibacterium", "Roseburia", "Agathobacter", "Anaerostipes", "Coprococcus"},
		"F-03": {"Escherichia", "Sutterella"},
		"F-04": {"Escherichia", "Klebsiella"},
		"F-06": nil,
		"F-07": {"Desulfovibrio", "Bilophila"},
		"F-09": {"Streptococcus", "Veillonella"},
	} {
		f, ok := with[id]
		if !ok {
			t.Errorf("descriptive finding %s missing", id)
			continue
		}
		if !strings.HasPrefix(f.Range, report.NoPercentiles) || f.Level != report.Info || f.Meaning == "" || len(f.Guidance) == 0 {
			t.Errorf("%s: not a plain measurement without percentiles: %+v", id, f)
		}
		for _, d := range drivers {
			if !strings.Contains(f.Value, d) {
				t.Errorf("%s: value %q does not name %s", id, f.Value, d)
			}
		}
	}
	if strings.Contains(with["F-03"].Value, "Desulfovibrio") {
		t.Errorf("Desulfovibrio counted as Pseudomonadota: %s", with["F-03"].Value)
	}
	// Percentile-only rules stay silent.
	for _, id := range []string{"F-02", "F-05b", "F-08", "F-10", "F-11", "F-12"} {
		if _, ok := with[id]; ok {
			t.Errorf("%s shown without reference percentiles", id)
		}
	}
	without := findings(build(t, gutInput(t, adultGut, "Akkermansia", "Lactiplantibacillus", "Faecalibacterium")))
	if f, ok := without["F-05a"]; !ok || f.Value != "0 reads" || f.Grade != "C" || !slices.Equal(f.Refs, []string{"R-CAN17"}) {
		t.Errorf("F-05a missing or wrong although Akkermansia has no reads: %+v", f)
	}
	if _, ok := without["F-14"]; ok {
		t.Error("F-14 shown without any Lactobacillus-group genus")
	}
	if f, ok := without["F-02"]; !ok || f.Level != report.Notice {
		t.Errorf("F-02 (Faecalibacterium absent) missing: %+v", f)
	}
	for _, fs := range []map[string]*report.Finding{with, without} {
		for id, f := range fs {
			if f.Grade == "" || len(f.Refs) == 0 || f.Title == "" || f.Value == "" {
				t.Errorf("finding %s lacks a title, value, grade or references: %+v", id, f)
			}
		}
	}
}

// fixed returns in measured against a pretend reference set, "a test
// reference set" of 100 samples, in which every reference value of the
// sample sits at percentile p: p samples lie 1 below it, the rest 1 above.
// matched says the set was made by the same pipeline (its percentiles then
// decide findings) or by another method (context only).
func fixed(t *testing.T, in report.Input, p int, matched bool) report.Input {
	t.Helper()
	names := make([]string, 100)
	rows := make([]map[string]float64, 100)
	for i := range rows {
		names[i] = fmt.Sprint("R", i)
		rows[i] = map[string]float64{}
		for k, v := range in.Measures.ReferenceValues {
			if i < p {
				rows[i][k] = v - 1
			} else {
				rows[i][k] = v + 1
			}
		}
	}
	ref, err := metrics.NewReferenceSet(metrics.ReferenceMeta{Name: "a test reference set", Matched: matched}, names, rows)
	if err != nil {
		t.Fatal(err)
	}
	in.Measures = reporttest.Measure(in.Profile, nil, ref)
	return in
}

func TestPercentileTriggers(t *testing.T) {
	in := gutInput(t, adultGut)
	low := findings(build(t, fixed(t, in, 5, true)))
	for _, id := range []string{"F-01", "F-02", "F-06", "F-10"} {
		f, ok := low[id]
		if !ok || f.Level == report.Info || !strings.Contains(f.Range, "Percentile 5 of a test reference set") {
			t.Errorf("%s not triggered at percentile 5: %+v", id, f)
		}
	}
	if f := low["F-03"]; f == nil || f.Title != "Pseudomonadota (Proteobacteria)" || f.Level != report.Info {
		t.Errorf("F-03 should be a plain measurement at percentile 5: %+v", f)
	}
	in = fixed(t, in, 97, true)
	high := findings(build(t, in))
	for _, id := range []string{"F-03", "F-04", "F-07", "F-08", "F-09", "F-11"} {
		if f, ok := high[id]; !ok || f.Level == report.Info {
			t.Errorf("%s not triggered at percentile 97: %+v", id, f)
		}
	}
	if _, ok := high["F-05b"]; ok {
		t.Error("F-05b triggered although the butyrate share is not below p25")
	}
	var redFlags bool
	for _, s := range build(t, in).Sections {
		for _, b := range s.Blocks {
			if c, ok := b.(*report.Callout); ok && s.ID == "guidance" && strings.Contains(c.Title, "See a clinician") {
				redFlags = true
			}
		}
	}
	if !redFlags {
		t.Error("F-11 triggered but its RULE-08 text is not in the guidance section")
	}
	if f := findings(build(t, fixed(t, in, 20, true)))["F-10"]; f == nil || f.Level != report.Notice {
		t.Errorf("F-10 amber (below p25) not shown at notice level: %+v", f)
	}
}

func TestEveryCitationResolves(t *testing.T) {
	doc := build(t, gutInput(t, adultGut))
	listed := map[string]bool{}
	for _, r := range doc.References {
		if r.Citation == "" || listed[r.Key] {
			t.Errorf("reference %s empty or listed twice", r.Key)
		}
		listed[r.Key] = true
	}
	var order []string
	seen := map[string]bool{}
	cite := func(where string, refs []string) {
		for _, k := range refs {
			if !listed[k] {
				t.Errorf("%s cites %s, which is not in the reference list", where, k)
			}
			if !seen[k] {
				seen[k] = true
				order = append(order, k)
			}
		}
	}
	for _, a := range doc.Alerts {
		cite("alert", a.Refs)
	}
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			switch v := b.(type) {
			case *report.Paragraph:
				cite(s.ID, v.Refs)
			case *report.Finding:
				cite(s.ID, v.Refs)
			case *report.Callout:
				cite(s.ID, v.Refs)
			}
		}
	}
	var got []string
	for _, r := range doc.References {
		got = append(got, r.Key)
	}
	if !slices.Equal(got, order) {
		t.Errorf("references not in first-cited order or with uncited entries:\n got %v\nwant %v", got, order)
	}
	for _, must := range []string{"R-LAC24", "R-POR25", "R-GLO17", "R-MA19", "R-NG12", "R-YAR14"} {
		if !listed[must] {
			t.Errorf("reference %s not cited", must)
		}
	}
}

// texts returns every string of the document zonula shows.
func texts(doc *report.Document) []string {
	out := []string{doc.Title}
	callout := func(c *report.Callout) { out = append(append(out, c.Title, c.Text), c.Items...) }
	for _, a := range doc.Alerts {
		callout(a)
	}
	var tree func(n *report.TreeNode)
	tree = func(n *report.TreeNode) {
		out = append(out, n.Name)
		for _, c := range n.Children {
			tree(c)
		}
	}
	for _, s := range doc.Sections {
		out = append(out, s.Title)
		for _, b := range s.Blocks {
			switch v := b.(type) {
			case *report.Paragraph:
				out = append(out, v.Text)
			case *report.Finding:
				out = append(out, v.Title, v.Value, v.Range, v.Meaning, v.Barrier, report.GradeLabel(v.Grade))
			case *report.Callout:
				callout(v)
			case *report.Table:
				out = append(append(out, v.Caption), v.Header...)
				for _, r := range v.Rows {
					out = append(out, r...)
				}
			case *report.KeyValues:
				for _, p := range v.Pairs {
					out = append(out, p[0], p[1])
				}
			case *report.Figure:
				out = append(out, v.Caption, v.Alt)
			case *report.Hierarchy:
				out = append(out, v.Caption, v.Alt)
				tree(v.Root)
			default:
				panic(fmt.Sprintf("unknown block %T", b))
			}
		}
	}
	for _, r := range doc.References {
		out = append(out, r.Key)
	}
	return out
}

func TestNoCausalWording(t *testing.T) {
	in := gutInput(t, adultGut)
	months, days := 1.0, 5.0
	in.Metadata = report.Metadata{AntibioticsMonthsAgo: &months, TransitDays: &days}
	in = fixed(t, in, 97, true)
	for _, doc := range []*report.Document{build(t, gutInput(t, adultGut)), build(t, in)} {
		for _, s := range texts(doc) {
			if err := knowledge.CheckWording(s); err != nil {
				t.Error(err)
			}
		}
	}
}

func TestPhylaUnderCurrentNames(t *testing.T) {
	doc := build(t, gutInput(t, adultGut))
	all := strings.Join(texts(doc), "\n")
	for _, want := range []string{"Bacillota", "Bacteroidota", "Pseudomonadota", "Actinomycetota", "Desulfobacterota", "Verrucomicrobiota"} {
		if !strings.Contains(all, want) {
			t.Errorf("report lacks current phylum name %s", want)
		}
	}
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			if f, ok := b.(*report.Figure); ok && f.ID == "phyla" && strings.Contains(f.Alt, "Firmicutes") {
				t.Errorf("phylum figure uses an old name: %s", f.Alt)
			}
		}
	}
}

func TestSectionContents(t *testing.T) {
	doc := build(t, gutInput(t, adultGut))
	sec := map[string]string{}
	for i, s := range doc.Sections {
		sec[s.ID] = strings.Join(texts(&report.Document{Sections: doc.Sections[i : i+1]}), "\n")
	}
	for id, wants := range map[string][]string{
		"summary":     {"Reads used", "Bacteroides", "Shannon", "Nothing in this sample is unusual compared with healthy adults", "not a diagnosis", "See a clinician"},
		"quality":     {"too short", "N50", "Q24.6", "reverse-complemented", "1493", "past the reference genes"},
		"composition": {"other (10 genera)", "unclassified", "Faecalibacterium"},
		"diversity":   {"Chao1", "Simpson", "cut-off"},
		"barrier":     {"Akkermansia (T-07)", "Sutterella (T-19)", "not detected"},
		"indices":     {"zonula composite", "Enterobacteriaceae", "Bilophila", "Firmicutes/Bacteroidetes) ratio is deliberately not shown"},
		"guidance":    {"G-01", "none has yet been shown to improve barrier outcomes"},
		"limitations": {"shares of the reads", "Identity floor", "98.7 %", "900 ("},
	} {
		for _, w := range wants {
			if !strings.Contains(sec[id], w) {
				t.Errorf("section %s lacks %q", id, w)
			}
		}
	}
	if strings.Contains(sec["limitations"], "no base qualities") {
		t.Error("limitations speak of missing qualities for reads that had them")
	}
	// Reads without qualities: the estimated error rate is stated.
	in := gutInput(t, adultGut)
	in.Classification.NoQualityErrorRate = 0.061
	in.Classification.KmerSampling = 8 // and a large database's sampled index
	fasta := build(t, in)
	for _, s := range fasta.Sections {
		if s.ID == "limitations" {
			text := strings.Join(texts(&report.Document{Sections: []report.Section{s}}), "\n")
			if !strings.Contains(text, "no base qualities") || !strings.Contains(text, "6.1 %") {
				t.Errorf("limitations do not state the estimated error rate:\n%s", text)
			}
			if !strings.Contains(text, "one in 8 of the 11-base words") {
				t.Errorf("limitations do not state the k-mer sampling:\n%s", text)
			}
		}
	}
	if strings.Contains(sec["limitations"], "11-base words (the same") {
		t.Error("limitations speak of k-mer sampling for a whole index")
	}
	// Guidance is chosen: the items of the findings raised (here F-14, at
	// info level: G-04), then G-01 and G-06 for everyone; the popular
	// remedies are a table, in every report.
	got, _ := guidanceOf(doc)
	var remedies *report.Table
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			if tb, ok := b.(*report.Table); ok && s.ID == "guidance" && strings.Contains(tb.Caption, "Popular remedies") {
				remedies = tb
			}
		}
	}
	if want := []string{"G-04", "G-01", "G-06"}; !slices.Equal(got, want) {
		t.Errorf("guidance items %v, want %v", got, want)
	}
	if remedies == nil || len(remedies.Rows) != 8 || remedies.Rows[0][0] != "Sleep" {
		t.Errorf("popular remedies table: %+v", remedies)
	}
	kb, _ := knowledge.Load()
	for _, l := range kb.Limitations {
		if !strings.Contains(sec["limitations"], l.Text) {
			t.Errorf("limitation %s not shown", l.ID)
		}
	}
}

func TestLowDepthWarning(t *testing.T) {
	small := []reporttest.Genus{{Phylum: "Firmicutes", Class: "Clostridia", Order: "Clostridiales", Family: "Ruminococcaceae", Genus: "Faecalibacterium", Reads: 100}}
	doc := build(t, reporttest.Input("S3", small))
	found := false
	for _, b := range doc.Sections[1].Blocks {
		if c, ok := b.(*report.Callout); ok && strings.Contains(c.Title, "Low read depth") {
			found = true
		}
	}
	if !found {
		t.Error("no low-depth warning for 120 reads")
	}
	if doc := build(t, gutInput(t, adultGut)); slices.ContainsFunc(doc.Sections[1].Blocks, func(b report.Block) bool {
		c, ok := b.(*report.Callout)
		return ok && strings.Contains(c.Title, "Low read depth")
	}) {
		t.Error("low-depth warning at 2,000 reads")
	}
}

func TestNoFirmicutesBacteroidetesRatioValue(t *testing.T) {
	doc := build(t, gutInput(t, adultGut))
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			if tb, ok := b.(*report.Table); ok {
				for _, row := range tb.Rows {
					if strings.Contains(strings.ToLower(row[0]), "ratio") {
						t.Errorf("a ratio row is shown: %v (IDX-05: do not interpret the F/B ratio)", row)
					}
				}
			}
		}
	}
}

func TestUserTextIsNotChecked(t *testing.T) {
	// A sample named with a forbidden word must still build: only zonula's
	// own text is held to the wording rules.
	build(t, reporttest.Input("cures-detox <script>alert(1)</script>", reporttest.GutGenera()))
}

func TestBuildErrors(t *testing.T) {
	kb, _ := knowledge.Load()
	if _, err := report.Build(report.Input{}, kb); err == nil {
		t.Error("Build accepted an input without a profile")
	}
	if _, err := report.Build(gutInput(t, adultGut), nil); err == nil {
		t.Error("Build accepted a nil knowledge base")
	}
}

// qualityText returns the text of the sequencing-quality section.
func qualityText(t *testing.T, in report.Input) string {
	t.Helper()
	doc := build(t, in)
	for i, s := range doc.Sections {
		if s.ID == "quality" {
			return strings.Join(texts(&report.Document{Sections: doc.Sections[i : i+1]}), "\n")
		}
	}
	t.Fatal("no quality section")
	return ""
}

func TestQualitySectionPrimersAndDepth(t *testing.T) {
	in := gutInput(t, adultGut)
	text := qualityText(t, in)
	for _, unwanted := range []string{"Low read depth", "Few reads named to a genus", "primer found"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("deep sample without a primer search: quality section says %q", unwanted)
		}
	}
	// Primer and read-flag counts appear when Inspect ran.
	in.QC.Primers = &qc.PrimerSummary{Searched: 1000, Both: 700, ForwardOnly: 100, None: 200, Trimmed: 800, TrimmedBases: 31200, FoundShare: 0.8}
	in.QC.Reads = &qc.ReadFlags{Inspected: 1000, LowComplexity: 7, LongHomopolymer: 3, MeanExpectedErrorsPerKb: 12.34}
	text = qualityText(t, in)
	for _, want := range []string{"800 (80.0\u00a0%; both primers in 70.0\u00a0%)", "31,200 from 800 reads", "12.3", "Low-complexity reads (repeats, not 16S)", "7 (0.7\u00a0%)"} {
		if !strings.Contains(text, want) {
			t.Errorf("quality section lacks %q", want)
		}
	}
	// Enough reads pass, but few are named to a genus.
	in.Classification.AssignedAt[taxonomy.Genus] = 420
	if text = qualityText(t, in); !strings.Contains(text, "only 420 were named to a genus") {
		t.Errorf("no warning about few genus-level reads:\n%s", text)
	}
	// Richness: many singleton genera lower Good's coverage.
	in.Alpha.GoodsCoverage = 0.97
	if text = qualityText(t, in); !strings.Contains(text, "Richness may be underestimated") || !strings.Contains(text, "3.0\u00a0%") {
		t.Errorf("no richness warning at Good's coverage 0.97:\n%s", text)
	}
	// Below MinReliableReads passing reads, the one low-depth warning.
	in.QC.PassedReads = 500
	if text = qualityText(t, in); !strings.Contains(text, "Only 500 reads passed") || strings.Contains(text, "Richness may") {
		t.Errorf("low depth:\n%s", text)
	}
}
