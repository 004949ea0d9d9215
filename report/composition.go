package report

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report/plots"
	"github.com/zonula/zonula/taxonomy"
)

// composition is the "Composition" section: the most common genera, the
// phyla, the sunburst from domain to genus and the table of all taxa.
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
	for _, row := range b.modern.AtRank(taxonomy.Genus) {
		phylumOf[row.Taxon] = row.Lineage.Name(taxonomy.Phylum)
		readsOf[row.Taxon] = row.Reads
	}
	rows := [][]string{}
	for _, g := range shown {
		bars = append(bars, plots.Share{Name: g, Percent: 100 * b.genus[g]})
		rows = append(rows, []string{g, phylumOf[g], b.readsText(readsOf[g]), pct(b.genus[g])})
	}
	uncl := unclassifiedShare(b.in.Profile, taxonomy.Genus)
	if other > 0 {
		name := fmt.Sprintf("other (%d genera)", len(order)-len(shown))
		bars = append(bars, plots.Share{Name: name, Percent: 100 * other})
		rows = append(rows, []string{name, "", b.readsText(other * b.genusReads()), pct(other)})
	}
	bars = append(bars, plots.Share{Name: "unclassified", Percent: 100 * uncl})
	rows = append(rows, []string{"unclassified (not named to genus)", "", b.readsText(uncl * b.genusReads()), pct(uncl)})
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
		Root:    hierarchy(b.modern),
	})
	var all [][]string
	for _, r := range []taxonomy.Rank{taxonomy.Phylum, taxonomy.Family, taxonomy.Genus, taxonomy.Species} {
		for _, row := range b.modern.AtRank(r) {
			all = append(all, []string{r.String(), row.Taxon, b.readsText(row.Reads), pct(row.Fraction), lineageText(row.Lineage)})
		}
	}
	blocks = append(blocks, &Table{Caption: "All taxa (click a column to sort)", Header: []string{"Rank", "Taxon", "Reads", "Share", "Lineage"}, Rows: all, Numeric: []bool{false, false, true, true, false}, ScreenOnly: true})
	return Section{ID: "composition", Title: "Composition", Blocks: blocks}, nil
}

// readsText is a read count as the report shows it: whole reads with
// thousands separators; a species' expected reads from the EM, which are
// fractions, with one decimal; "–" for a table of relative abundances, which
// has no reads.
func (b *builder) readsText(v float64) string {
	if t := b.in.Table; t != nil && t.Relative {
		return "–"
	}
	if r := math.Round(v); math.Abs(v-r) < 0.05 {
		return thousands(int64(r))
	}
	return fmt.Sprintf("%.1f", v)
}

// lineageText is a lineage as the all-taxa table shows it: its names from
// phylum down, separated by "; " so that the column wraps (the rank prefixes
// are in the Rank column's order).
func lineageText(l taxonomy.Lineage) string {
	var names []string
	for r := taxonomy.Phylum; r < taxonomy.NumRanks; r++ {
		if n := l.Name(r); n != "" {
			names = append(names, n)
		}
	}
	return strings.Join(names, "; ")
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

// hierarchy turns the profile (under current names, modernProfile) into a
// tree from domain to genus. Reads named
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
			n := &TreeNode{Name: row.Taxon, Rank: r.String(), Share: row.Fraction, Group: row.Lineage.Name(taxonomy.Phylum)}
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
