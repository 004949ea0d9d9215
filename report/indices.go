package report

import (
	"fmt"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
)

// indices is the "Indices" section: each measure of the knowledge base with
// its value, percentile, drivers and database coverage, and the community
// type.
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
			// The value column does not wrap: the type's short name there,
			// its description with the shares behind it.
			value, behind = communityTypeShort(m.category), communityTypeLabel(m.category)+": "+strings.Join(m.drivers, ", ")
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
