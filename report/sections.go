package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/report/plots"
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

func listSuffix(drivers []string) string {
	if len(drivers) == 0 {
		return ""
	}
	return " (" + strings.Join(drivers, ", ") + ")"
}

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

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// namedShare is the share of the profile's reads (or abundance) named at
// rank r.
func (b *builder) namedShare(r taxonomy.Rank) float64 {
	var named, all float64
	for _, row := range b.in.Profile.AtRank(r) {
		all += row.Reads
		if row.Taxon != tables.Unclassified {
			named += row.Reads
		}
	}
	return ratio(named, all)
}

// tableQuality is the quality section of a report made from an imported
// table: what zonula can and cannot know about how it was made.
func (b *builder) tableQuality(t *TableSource) Section {
	var total float64
	for _, row := range b.in.Profile.AtRank(taxonomy.Domain) {
		total += row.Reads
	}
	kv := &KeyValues{Pairs: [][2]string{
		{"Source", fmt.Sprintf("%s (%s)", t.Path, t.Format)},
		{"Share named to a genus", pct(b.namedShare(taxonomy.Genus))},
	}}
	if t.Relative {
		kv.Pairs = append(kv.Pairs, [2]string{"Values", "relative abundances (read counts not given): richness estimates that need counts are not shown"})
	} else {
		kv.Pairs = append(kv.Pairs, [2]string{"Reads in the table", fmt.Sprintf("%.0f", total)})
	}
	blocks := []Block{&Paragraph{Text: "This report was made from an abundance table produced by another tool, so zonula has not seen the reads: their number, length, quality, the share left unclassified and the database used to name them are those of that tool and are not checked here. Read the composition with that tool's database and settings in mind."}, kv}
	if !t.Relative && total < MinReliableReads {
		blocks = append(blocks, &Callout{Level: Notice, Title: "Few reads",
			Text: fmt.Sprintf("The table holds %.0f reads, fewer than %d: shares and diversity are imprecise.", total, MinReliableReads)})
	}
	return Section{ID: "quality", Title: "Sequencing quality", Blocks: blocks}
}

func (b *builder) quality(_ []*Finding) (Section, error) {
	if t := b.in.Table; t != nil {
		return b.tableQuality(t), nil
	}
	q, c := b.in.QC, b.in.Classification
	kv := &KeyValues{Pairs: [][2]string{
		{"Reads sequenced", fmt.Sprintf("%d (%d bases)", q.InputReads, q.InputBases)},
		{"Reads passing quality control", fmt.Sprintf("%d (%s)", q.PassedReads, pct(ratio(float64(q.PassedReads), float64(q.InputReads))))},
		{"Length window", fmt.Sprintf("%d–%d bases", q.MinLength, q.MaxLength)},
		{"Mean read length / N50", fmt.Sprintf("%.0f / %d bases", q.MeanLength, q.N50)},
	}}
	if q.HasQualities {
		kv.Pairs = append(kv.Pairs, [2]string{"Mean read quality", fmt.Sprintf("Q%.1f", q.MeanQuality)})
	} else {
		kv.Pairs = append(kv.Pairs, [2]string{"Mean read quality", "not available (FASTA input)"})
	}
	if f := q.Reads; f != nil && q.HasQualities {
		kv.Pairs = append(kv.Pairs, [2]string{"Expected errors per 1,000 bases (mean)", fmt.Sprintf("%.1f", f.MeanExpectedErrorsPerKb)})
	}
	if p := q.Primers; p != nil && p.Searched > 0 {
		kv.Pairs = append(kv.Pairs,
			[2]string{"Reads with a 16S primer found", fmt.Sprintf("%d (%s; both primers in %s)", p.Both+p.ForwardOnly+p.ReverseOnly, pct(p.FoundShare), pct(ratio(float64(p.Both), float64(p.Searched))))},
			[2]string{"Primer and adapter bases trimmed", fmt.Sprintf("%d from %d reads", p.TrimmedBases, p.Trimmed)})
	}
	if f := q.Reads; f != nil {
		kv.Pairs = append(kv.Pairs,
			[2]string{"Low-complexity reads (repeats, not 16S)", fmt.Sprintf("%d (%s)", f.LowComplexity, pct(ratio(float64(f.LowComplexity), float64(f.Inspected))))},
			[2]string{"Reads with a run of one base longer than 12", fmt.Sprintf("%d (%s)", f.LongHomopolymer, pct(ratio(float64(f.LongHomopolymer), float64(f.Inspected))))})
	}
	kv.Pairs = append(kv.Pairs,
		[2]string{"Reads reverse-complemented to the 16S strand", pct(ratio(float64(q.ReverseStrand), float64(q.PassedReads)))},
		[2]string{"Reads matching no reference well enough (unclassified)", fmt.Sprintf("%d (%s)", c.Unclassified, pct(ratio(float64(c.Unclassified), float64(c.Reads))))},
		[2]string{"Likely chimeras (two-parent reads), left out", fmt.Sprintf("%d (%s)", c.Chimeras, pct(ratio(float64(c.Chimeras), float64(c.Reads))))},
		[2]string{"Mean identity to the best reference", fmt.Sprintf("%.1f %%", 100*c.MeanIdentity)},
		[2]string{"Reads with ends past the reference genes, clipped (adapters, barcodes or primers left on)", fmt.Sprintf("%d (%s)", c.ClippedReads, pct(ratio(float64(c.ClippedReads), float64(c.Reads))))},
	)
	reasons := slices.Sorted(func(yield func(string) bool) {
		for r := range q.Filtered {
			if !yield(r) {
				return
			}
		}
	})
	rows := [][]string{}
	for _, r := range reasons {
		rows = append(rows, []string{strings.ReplaceAll(r, "_", " "), fmt.Sprintf("%d", q.Filtered[r])})
	}
	blocks := []Block{kv}
	blocks = append(blocks, b.depthWarnings()...)
	blocks = append(blocks, &Table{Caption: "Reads removed by quality control, by reason", Header: []string{"Reason", "Reads"}, Rows: rows, Numeric: []bool{false, true}})
	if p, err := plots.LengthHistogram(q.LengthHist); err == nil {
		caption := "Read-length distribution of all reads before filtering."
		if p := q.Primers; p != nil && p.Trimmed > 0 {
			caption = "Read-length distribution of all reads before filtering, after primer trimming."
		}
		blocks = append(blocks, figure("read-lengths", caption,
			fmt.Sprintf("Histogram of read lengths; N50 %d bases, mean %.0f bases.", q.N50, q.MeanLength), p, 7*vg.Centimeter))
	}
	return Section{ID: "quality", Title: "Sequencing quality", Blocks: blocks}, nil
}

// depthWarnings says which of the figures the report shows the read depth
// cannot support: shares and diversity below MinReliableReads reads passing
// QC; genus shares and genus diversity when fewer than MinReliableReads
// reads were named to a genus; richness (genera observed, Chao1) when
// Good's coverage at genus level is below MinGoodsCoverage, i.e. more than
// 1 % of the genus-level reads are genera seen once, so more reads would
// likely show more genera.
func (b *builder) depthWarnings() []Block {
	q, a := b.in.QC, b.in.Alpha
	if q.PassedReads < MinReliableReads {
		return []Block{&Callout{Level: Attention, Title: "Low read depth",
			Text: fmt.Sprintf("Only %d reads passed quality control (fewer than %d). Shares of uncommon bacteria and the diversity figures are imprecise at this depth; a repeat sequencing run is advisable before acting on them.", q.PassedReads, MinReliableReads)}}
	}
	var out []Block
	if g := b.in.Classification.AssignedAt[taxonomy.Genus]; g < MinReliableReads {
		out = append(out, &Callout{Level: Attention, Title: "Few reads named to a genus",
			Text: fmt.Sprintf("%d reads passed quality control but only %d were named to a genus (fewer than %d). Genus shares, the diversity figures and the indices are computed from those reads and are imprecise; a 1\u00a0%% genus is about %.0f reads here.", q.PassedReads, g, MinReliableReads, float64(g)/100)})
	}
	if c := a.GoodsCoverage; !math.IsNaN(c) && c < MinGoodsCoverage {
		out = append(out, &Callout{Level: Notice, Title: "Richness may be underestimated",
			Text: fmt.Sprintf("%.1f\u00a0%% of the genus-level reads belong to genera seen only once (Good's coverage %.3f). The number of genera observed and Chao1 would likely rise with deeper sequencing; compare them only between samples of similar depth.", 100*(1-c), c)})
	}
	return out
}

// MinGoodsCoverage is the genus-level Good's coverage below which the report
// warns that richness figures depend on depth (a zonula convention: more
// than 1 in 100 reads from a genus seen once).
const MinGoodsCoverage = 0.99

func (b *builder) composition(_ []*Finding) (Section, error) {
	order := sorted(b.genus)
	shown := order[:min(topGenera, len(order))]
	var bars []plots.Share
	var other float64
	for _, g := range order[len(shown):] {
		other += b.genus[g]
	}
	phylumOf := map[string]string{}
	readsOf := map[string]float64{}
	for _, row := range b.in.Profile.AtRank(taxonomy.Genus) {
		phylumOf[row.Taxon] = metrics.PhylumOf(row.Lineage)
		readsOf[row.Taxon] = row.Reads
	}
	rows := [][]string{}
	for _, g := range shown {
		bars = append(bars, plots.Share{Name: g, Percent: 100 * b.genus[g]})
		rows = append(rows, []string{g, phylumOf[g], num(readsOf[g], 0), pct(b.genus[g])})
	}
	uncl := unclassifiedShare(b.in.Profile, taxonomy.Genus)
	if other > 0 {
		name := fmt.Sprintf("other (%d genera)", len(order)-len(shown))
		bars = append(bars, plots.Share{Name: name, Percent: 100 * other})
		rows = append(rows, []string{name, "", num(other*b.genusReads(), 0), pct(other)})
	}
	bars = append(bars, plots.Share{Name: "unclassified", Percent: 100 * uncl})
	rows = append(rows, []string{"unclassified (not named to genus)", "", num(uncl*b.genusReads(), 0), pct(uncl)})
	blocks := []Block{&Paragraph{
		Text: "Shares are of all reads that passed quality control. They are relative: when one group rises, the others fall, so a share says nothing about absolute amounts. Reads not named to a genus matched no reference closely enough (see Limitations and methods).",
		Refs: []string{"R-GLO17"},
	}}
	if p, err := plots.TopGenera(bars); err == nil {
		blocks = append(blocks, figure("genera", fmt.Sprintf("The %d most common genera.", len(shown)),
			"Bar chart of genus shares: "+strings.Join(shareList(bars, 5), ", ")+".", p, vg.Length(2+len(bars))*0.6*vg.Centimeter))
	}
	var phy []plots.Share
	for _, name := range sorted(b.phylum) {
		phy = append(phy, plots.Share{Name: name, Percent: 100 * b.phylum[name]})
	}
	if len(phy) > 0 {
		phy = append(phy, plots.Share{Name: "unclassified", Percent: 100 * unclassifiedShare(b.in.Profile, taxonomy.Phylum)})
		if p, err := plots.Phyla(phy); err == nil {
			blocks = append(blocks, figure("phyla", "Phyla, under their current names (Bacillota was Firmicutes, Bacteroidota was Bacteroidetes, Pseudomonadota was Proteobacteria, Actinomycetota was Actinobacteria, and Desulfobacterota was the class Deltaproteobacteria).",
				"Bar chart of phylum shares: "+strings.Join(shareList(phy, 4), ", ")+".", p, vg.Length(2+len(phy))*0.6*vg.Centimeter))
		}
	}
	blocks = append(blocks, &Table{Caption: "Most common genera", Header: []string{"Genus", "Phylum", "Reads", "Share"}, Rows: rows, Numeric: []bool{false, false, true, true}})
	blocks = append(blocks, &Hierarchy{
		Caption: "Composition from domain (centre) to genus (outer ring); hover or tap a segment for its name and share. Grey segments are reads not named at that rank.",
		Alt:     "Sunburst chart of the composition by rank; the same numbers are in the table of all taxa below.",
		Root:    hierarchy(b.in.Profile),
	})
	var all [][]string
	for _, r := range []taxonomy.Rank{taxonomy.Phylum, taxonomy.Family, taxonomy.Genus, taxonomy.Species} {
		for _, row := range b.in.Profile.AtRank(r) {
			name := row.Taxon
			if r == taxonomy.Phylum && name != tables.Unclassified {
				name = taxonomy.CurrentPhylum(name)
			}
			all = append(all, []string{r.String(), name, num(row.Reads, 1), pct(row.Fraction), row.Lineage.Modernize().String()})
		}
	}
	blocks = append(blocks, &Table{Caption: "All taxa (click a column to sort)", Header: []string{"Rank", "Taxon", "Reads", "Share", "Lineage"}, Rows: all, Numeric: []bool{false, false, true, true, false}, ScreenOnly: true})
	return Section{ID: "composition", Title: "Composition", Blocks: blocks}, nil
}

// genusReads is the number of reads counted at genus rank, unclassified
// included.
func (b *builder) genusReads() float64 {
	var n float64
	for _, row := range b.in.Profile.AtRank(taxonomy.Genus) {
		n += row.Reads
	}
	return n
}

func shareList(s []plots.Share, n int) []string {
	var out []string
	for _, it := range s[:min(n, len(s))] {
		out = append(out, fmt.Sprintf("%s %.1f %%", it.Name, it.Percent))
	}
	return out
}

func (b *builder) diversity(_ []*Finding) (Section, error) {
	a := b.in.Alpha
	rich := b.referenceValue("richness")
	rows := [][]string{
		{"Genera observed", num(a.Observed, 0), "", "How many different genera were found; depends on read depth."},
		{fmt.Sprintf("Expected genera in %d reads (rarefied richness)", metrics.RichnessDepth), num(rich, 1), b.percentileText("richness"), fmt.Sprintf("How many genera a random subsample of %d genus-named reads would hold on average (Hurlbert), so that read depth does not bias the comparison.", metrics.RichnessDepth)},
		{"Chao1 (estimated genera)", num(a.Chao1, 1), "", "Observed genera plus an estimate of those missed, from how many were seen once or twice."},
		{"Shannon (natural log)", num(a.Shannon, 3), b.percentileText("shannon"), "Combines how many genera there are and how evenly reads spread across them."},
		{"Simpson (1 − D)", num(a.Simpson, 3), b.percentileText("simpson"), "Chance that two reads drawn at random come from different genera."},
		{"Inverse Simpson", num(a.InverseSimpson, 2), "", "The number of equally common genera that would give the same Simpson value."},
		{"Pielou evenness", num(a.Pielou, 3), "", "Shannon divided by its maximum for this many genera (1 = perfectly even)."},
	}
	blocks := []Block{
		&Table{Caption: "Alpha diversity at genus level", Header: []string{"Measure", "Value", "Percentile", "What it means"}, Rows: rows, Numeric: []bool{false, true, true, false}},
		&Paragraph{Text: "No diversity value has a clinical cut-off: most disease comparisons find no difference in diversity, and values shift with read depth, laboratory method, database and the taxonomic level counted.", Refs: []string{"R-MA19", "R-POR25"}},
		b.referenceParagraph(),
	}
	if g := b.percentileGauges(); g != nil {
		blocks = append(blocks, g)
	}
	blocks = append(blocks, b.rarefaction())
	return Section{ID: "diversity", Title: "Diversity", Blocks: blocks}, nil
}

// referenceValue is the sample's genus-basis value of metric (NaN if none).
func (b *builder) referenceValue(metric string) float64 {
	if v, ok := b.in.Measures.ReferenceValues[metric]; ok {
		return v
	}
	return math.NaN()
}

// percentileText is the sample's percentile of metric in the reference set,
// or "–" when there is none.
func (b *builder) percentileText(metric string) string {
	if p, ok := b.placed(metric); ok {
		return fmt.Sprintf("%.0f", p)
	}
	return "–"
}

// referenceParagraph names the reference set percentiles come from.
func (b *builder) referenceParagraph() Block {
	ref := b.reference()
	if ref == nil {
		return &Paragraph{Text: "No reference set was given, so no percentiles are shown.", Refs: []string{"R-POR25"}}
	}
	text := fmt.Sprintf("Percentiles place this sample among %s: 50 is the middle of that group, 10 means 1 in 10 of its samples had a lower value. They describe a position in that group, not a normal range.", ref.Name)
	refs := []string{"R-POR25"}
	if ref.Source != "" {
		text += " Reference set: " + ref.Source
	}
	refs = append(refs, ref.Refs...)
	text += " Shares and diversity are compared among reads named to a genus, as the reference set holds genus counts only."
	return &Paragraph{Text: text, Refs: refs}
}

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

func dedupe(keys []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func (b *builder) indices(_ []*Finding) (Section, error) {
	var rows [][]string
	var cited []string
	for _, m := range b.kb.Measures {
		v, _ := b.in.Measures.Index(m.Metric)
		name := m.Name
		if m.Index != "" && !strings.Contains(name, m.Index) {
			name += " (" + m.Index + ")"
		}
		value, behind := "not computed", "not computed: "+v.Reason
		if v.Computed {
			behind = driverSides(v.Drivers, v.Kind)
			if v.Kind == metrics.ShareIndex {
				value = pct(v.Value)
			} else {
				value = num(v.Value, 2)
			}
		}
		p := "–"
		if v.Computed {
			p = b.percentileText(m.Metric)
		}
		cov := "database not known"
		if v.Coverage != nil {
			cov = fmt.Sprintf("%d of %d", v.Coverage.Mapped(), v.Coverage.Taxa)
			if len(v.Coverage.Missing) > 0 && len(v.Coverage.Missing) <= 3 {
				var names []string
				for _, n := range v.Coverage.Missing {
					names = append(names, strings.Split(n, "|")[0]) // first of its synonyms
				}
				cov += " (missing: " + strings.Join(names, ", ") + ")"
			}
		}
		rows = append(rows, []string{name, value, p, behind, cov, m.Grade, strings.Join(m.Refs, ", ")})
		cited = append(cited, m.Refs...)
	}
	if ix, ok := b.kb.Index(communityTypeMetric); ok {
		m := b.measure(communityTypeMetric)
		value, behind := "not computed", "no reads named to a genus"
		if m.ok {
			value, behind = communityTypeLabel(m.category), strings.Join(m.drivers, ", ")
		}
		rows = append(rows, []string{ix.Name + " (" + ix.ID + ")", value, "–", behind, "–", ix.Grade, strings.Join(ix.Refs, ", ")})
		cited = append(cited, ix.Refs...)
	}
	pcText := "No reference set was given, so the values are shown without percentiles."
	if ref := b.reference(); ref != nil {
		pcText = "Percentiles are positions in " + ref.Name + " (see Diversity), compared among reads named to a genus."
	}
	blocks := []Block{
		&Paragraph{Text: "Each index is built from shares of reads, so it moves when other bacteria change too. None has a validated cut-off. " + pcText + " Coverage counts how many of an index's taxa the reference database holds at all: taxa it lacks can never be detected, so the index under-reads them.", Refs: []string{"R-GLO17", "R-POR25"}},
		&Table{Caption: "Indices computed from the profile, with the taxa behind each", Header: []string{"Index", "Value", "Percentile", "Taxa behind it", "Taxa the database holds", "Grade", "References"}, Rows: rows, Numeric: []bool{false, true, true, false, false, false, false}},
		&Paragraph{Text: "The butyrate-producer share is a zonula composite, not a published index: it adds up Faecalibacterium, Roseburia, Agathobacter, Anaerostipes, Anaerobutyricum, Coprococcus and Butyricicoccus, and shows potential only, because butyrate genes vary between strains.", Refs: []string{"R-VIT14", "R-VAN24"}},
		&Paragraph{Text: "The dysbiosis index is the natural log of the summed shares of genera raised in a study of children with new Crohn's disease over those lowered there, with half a read's share added to both sums so that absent genera do not give infinity. Higher values look more like that study's patients; there is no validated cut-off, it was not built for 16S of adults, and it is not a diagnosis. Indices disagree: Sutterella counts as raised here but as health-associated in another index.", Refs: []string{"R-GEV14", "R-WEI21", "R-GUP20"}},
		&Paragraph{Text: "The GMHI-like value approximates a research index built on shotgun metagenomes from 16S species calls; it is not the validated index, and it is not shown unless at least 25 of its 50 species can be found in the reference database.", Refs: []string{"R-GUP20", "R-CHA24"}},
		&Paragraph{Text: fmt.Sprintf("The community type names which of three driver genera leads, as stool communities have been grouped into Bacteroides-, Prevotella- and Ruminococcus-dominated types, which are partly continuous. A Bacteroides-dominated sample with at least %.0f %% Bacteroides and under %.0f %% Faecalibacterium (of reads named to a genus) is called Bact2-like, a type found in about 13 %% of a general population and more often in inflammatory bowel disease. zonula assigns the type by these shares, a zonula convention, because it ships no reference profiles to measure distances to. It is descriptive only and never graded as abnormal.", 100*metrics.Bact2MinBacteroides, 100*metrics.Bact2MaxFaecalibact), Refs: []string{"R-ARU11", "R-COS18", "R-VIE20"}},
		&Paragraph{Text: "The Bacillota/Bacteroidota (Firmicutes/Bacteroidetes) ratio is deliberately not shown: meta-analyses found no consistent link with obesity, it is prone to method bias and moved after two nights of short sleep, and an international consensus advises leaving it out of reports.", Refs: []string{"R-WAL14", "R-SZE16", "R-MAG20", "R-BEN16", "R-POR25"}},
		&Paragraph{Text: "References for the indices table.", Refs: dedupe(cited)},
	}
	return Section{ID: "indices", Title: "Indices", Blocks: blocks}, nil
}

// driverSides lists an index's drivers; for a ratio, split into the taxa
// raising it and those lowering it.
func driverSides(ds []metrics.Driver, kind metrics.IndexKind) string {
	none := func(d []string) string {
		if len(d) == 0 {
			return "none detected"
		}
		return strings.Join(d, ", ")
	}
	if kind == metrics.ShareIndex {
		return none(driverText(ds))
	}
	var up, down []metrics.Driver
	for _, d := range ds {
		if d.Direction > 0 {
			up = append(up, d)
		} else {
			down = append(down, d)
		}
	}
	labels := map[metrics.IndexKind][2]string{
		metrics.LogRatioIndex: {"raised: ", "lowered: "},
		metrics.GMHIIndex:     {"health-prevalent: ", "health-scarce: "},
	}[kind]
	return labels[0] + none(driverText(up)) + "; " + labels[1] + none(driverText(down))
}

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

func (b *builder) limitations(_ []*Finding) (Section, error) {
	var blocks []Block
	for _, l := range b.kb.Limitations {
		blocks = append(blocks, &Paragraph{Text: l.Text, Refs: l.Refs})
	}
	if t := b.in.Table; t != nil {
		blocks = append(blocks, &Paragraph{Text: fmt.Sprintf(
			"Methods. The abundances were imported from %s (%s). The reads were classified by another tool against its own database, which zonula does not see; zonula computed the shares, diversity and indices from the table as given, with the same code and rules as for reads it classifies itself. An index's coverage is not known here, since the database behind the table is not known.",
			t.Path, t.Format)})
		return Section{ID: "limitations", Title: "Limitations and methods", Blocks: blocks}, nil
	}
	c := b.in.Classification
	db := b.in.Provenance.Database
	blocks = append(blocks, &Paragraph{Text: fmt.Sprintf(
		"Methods. Reads outside %d–%d bases were removed. Each remaining read was oriented, its candidate references found by shared 11-base words, and the best candidates aligned; identity is the share of the read's bases matched. Near-tied references were merged to their common ancestor, and each read was named only down to the rank whose identity floor it reached (floors from Yarza et al. 2014; for a genus, the lowest identity at which the database's own members of that genus find a relative, where the database holds two or more; all lowered by the read's error rate estimated from its qualities). Reference database: %s, version %s, %d sequences, sha256 %s.",
		b.in.QC.MinLength, b.in.QC.MaxLength, db.Name, db.Version, db.Sequences, short(db.SHA256)),
		Refs: []string{"R-YAR14"}})
	if n := c.KmerSampling; n > 1 {
		blocks = append(blocks, &Paragraph{Text: fmt.Sprintf(
			"The database is large, so candidate references were found with one in %d of the 11-base words (the same words for reads and references); the alignments that decide each name are unchanged.", n)})
	}
	if e := c.NoQualityErrorRate; e > 0 {
		blocks = append(blocks, &Paragraph{Text: fmt.Sprintf(
			"Some or all reads carried no base qualities, so their error rate could not be read from them. zonula estimated it from the sample at %.1f %% (from how much identity the best-matched tenth of the first such reads lost to their closest reference) and lowered the floors by that for every read without qualities. Reads from organisms the database lacks make this estimate too high, which lets more of them be named.",
			100*e)})
	}
	rows := [][]string{}
	for _, r := range taxonomy.Ranks() {
		floor := fmt.Sprintf("%.1f %%", 100*c.Floors[r])
		if r == taxonomy.Genus && c.GenusFloorMax > c.GenusFloorMin {
			floor = fmt.Sprintf("%.1f–%.1f %% by genus", 100*c.GenusFloorMin, 100*c.GenusFloorMax)
		}
		rows = append(rows, []string{r.String(), floor, fmt.Sprintf("%d (%s)", c.BelowFloor[r], pct(ratio(float64(c.BelowFloor[r]), float64(c.Reads))))})
	}
	blocks = append(blocks, &Table{Caption: "Identity floors and reads whose best match fell below them (so the database, not the gut, limited how far they were named)",
		Header: []string{"Rank", "Identity floor", "Reads below the floor"}, Rows: rows, Numeric: []bool{false, true, true}})
	return Section{ID: "limitations", Title: "Limitations and methods", Blocks: blocks}, nil
}

func short(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}

// resolveReferences fills doc.References with every cited key, in order of
// first citation, and fails on a key the knowledge base lacks.
func (b *builder) resolveReferences(doc *Document) error {
	var keys []string
	cite := func(refs []string) {
		for _, k := range refs {
			if !b.cited[k] {
				b.cited[k] = true
				keys = append(keys, k)
			}
		}
	}
	for _, a := range doc.Alerts {
		cite(a.Refs)
	}
	for _, s := range doc.Sections {
		for _, blk := range s.Blocks {
			switch v := blk.(type) {
			case *Paragraph:
				cite(v.Refs)
			case *Finding:
				cite(v.Refs)
			case *Callout:
				cite(v.Refs)
			}
		}
	}
	for _, k := range keys {
		r, ok := b.kb.Reference(k)
		if !ok {
			return fmt.Errorf("report: reference %s is cited but not in the knowledge base", k)
		}
		doc.References = append(doc.References, Reference{Key: r.Key, Citation: r.Citation, DOI: r.DOI})
	}
	return nil
}

// checkWording rejects causal or curative wording anywhere in the text zonula
// writes (user-supplied names are not checked).
func checkWording(doc *Document) error {
	var errs []string
	check := func(texts ...string) {
		for _, t := range texts {
			if err := knowledge.CheckWording(t); err != nil {
				errs = append(errs, err.Error())
			}
		}
	}
	for _, s := range doc.Sections {
		check(s.Title)
		for _, blk := range s.Blocks {
			switch v := blk.(type) {
			case *Paragraph:
				check(v.Text)
			case *Finding:
				check(v.Title, v.Meaning, v.Barrier, v.Range)
			case *Callout:
				check(v.Title, v.Text)
				check(v.Items...)
			case *Table:
				check(v.Caption)
				check(v.Header...)
			case *Figure:
				check(v.Caption)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("report wording: %s", strings.Join(errs, "; "))
	}
	return nil
}

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

// hierarchy turns the profile into a tree from domain to genus. Reads named
// at a rank but not below it become an "unnamed" child, so every ring sums to
// its parent.
func hierarchy(p *tables.Profile) *TreeNode {
	root := &TreeNode{Name: "all reads", Rank: "root", Share: 1}
	nodes := map[string]*TreeNode{"": root}
	for _, r := range []taxonomy.Rank{taxonomy.Domain, taxonomy.Phylum, taxonomy.Class, taxonomy.Order, taxonomy.Family, taxonomy.Genus} {
		for _, row := range p.AtRank(r) {
			if row.Taxon == tables.Unclassified || row.Fraction <= 0 {
				continue
			}
			parent := nodes[row.Lineage.Truncate(r-1).String()]
			if r == taxonomy.Domain {
				parent = root
			}
			if parent == nil {
				continue
			}
			name := row.Taxon
			if r == taxonomy.Phylum {
				name = taxonomy.CurrentPhylum(name)
			}
			n := &TreeNode{Name: name, Rank: r.String(), Share: row.Fraction, Group: taxonomy.CurrentPhylum(row.Lineage.Name(taxonomy.Phylum))}
			parent.Children = append(parent.Children, n)
			nodes[row.Lineage.String()] = n
		}
	}
	var fill func(n *TreeNode)
	fill = func(n *TreeNode) {
		var named float64
		for _, c := range n.Children {
			named += c.Share
			fill(c)
		}
		if n.Rank != "genus" && len(n.Children) > 0 && n.Share-named > 1e-9 {
			n.Children = append(n.Children, &TreeNode{Name: "not named at the next rank", Rank: "unnamed", Share: n.Share - named, Group: n.Group})
		}
	}
	fill(root)
	return root
}
