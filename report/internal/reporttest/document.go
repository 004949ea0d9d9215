package reporttest

import (
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/zonula/zonula/report"
)

// Evil is a sample name that must come out as text, never as markup.
const Evil = `<script>alert(1)</script>`

// Unicode is text that needs more than Latin-1 to print right.
const Unicode = "µg/g ≥ 50 ± 5 é α β"

// FindingMeaning is the plain-language text of the hand-made document's
// finding, for renderers' tests to look for.
const FindingMeaning = "Lower butyrate-producer shares are associated with inflammatory bowel disease in cohort studies."

// Document returns a hand-made report document that uses every block type:
// an alert, several sections, paragraphs with citations, key-value lists, a
// numeric table, a gonum/plot bar chart, a hierarchy, findings, callouts and
// a reference list. Its sample name is Evil; Unicode appears in text, a
// key-value pair and the figure's axis label. Each call builds a fresh plot.
func Document() *report.Document {
	when := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	return &report.Document{
		Title:  "Gut microbiome report",
		Sample: Evil,
		Provenance: report.Provenance{
			Program: "zonula", Version: "v0.9.0-test", Commit: "0123456789abcdef0123",
			Database: report.Database{Name: "SILVA 138.2 NR99 (16S)", Version: "138.2", Sequences: 510495,
				SHA256: "9f2c4d1e0b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d"},
			Options: []report.Option{{Name: "min-length", Value: "1000"}, {Name: "max-length", Value: "1800"}, {Name: "sample", Value: Evil}},
			Inputs:  []report.InputFile{{Path: "reads/S1.fastq.gz", Bytes: 12345678, SHA256: "aa11bb22"}},
			Started: when, Finished: when.Add(95 * time.Second),
		},
		Alerts: []*report.Callout{{
			Level: report.Urgent, Title: "See a clinician first",
			Text:  "You reported blood in your stool. A stool microbiome test cannot explain it; please see a clinician.",
			Items: []string{"blood in your stool", "weight loss you cannot explain"},
			Refs:  []string{"R-NICE15"},
		}},
		Sections: []report.Section{
			{ID: "summary", Title: "Summary at a glance", Blocks: []report.Block{
				&report.Callout{Level: report.Notice, Title: "This report is not a diagnosis",
					Text: "It describes which bacteria were found in one stool sample and what research has associated them with.",
					Refs: []string{"R-GLO17"}},
				&report.KeyValues{Pairs: [][2]string{
					{"Sample", Evil},
					{"Reads used", "48 210 of 51 002 (94.5 %)"},
					{"Calprotectin (from your lab)", Unicode},
				}},
				&report.Paragraph{Text: "Shares are relative: when one group rises, the others fall.", Refs: []string{"R-GLO17", "R-FAL16"}},
			}},
			{ID: "composition", Title: "Composition", Blocks: []report.Block{
				&report.Figure{ID: "genera", Caption: "The five most common genera, share of reads (%).",
					Alt:   "Bar chart: Bacteroides 31.2 %, Faecalibacterium 12.4 %, Prevotella 9.8 %, Roseburia 4.1 %, Akkermansia 2.2 %.",
					Width: 14 * vg.Centimeter, Height: 7 * vg.Centimeter, Plot: barChart()},
				&report.Table{Caption: "Most common genera",
					Header:  []string{"Genus", "Phylum", "Reads", "Share"},
					Numeric: []bool{false, false, true, true},
					Rows: [][]string{
						{"Bacteroides", "Bacteroidota", "15 042", "31.2 %"},
						{"Faecalibacterium", "Bacillota", "5 978", "12.4 %"},
						{"Prevotella", "Bacteroidota", "4 725", "9.8 %"},
						{"Roseburia", "Bacillota", "1 977", "4.1 %"},
						{"Akkermansia", "Verrucomicrobiota", "1 061", "2.2 %"},
						{"Escherichia " + Evil, "Pseudomonadota", "not detected", "0 %"},
					}},
				&report.Hierarchy{Caption: "Composition from domain to genus.", Alt: "Sunburst of the composition by rank.",
					Root: &report.TreeNode{Name: "all", Rank: "root", Share: 1, Children: []*report.TreeNode{
						{Name: "Bacteria", Rank: "domain", Share: 0.96, Children: []*report.TreeNode{
							{Name: "Bacteroidota", Rank: "phylum", Share: 0.55, Group: "Bacteroidota", Children: []*report.TreeNode{
								{Name: "Bacteroides", Rank: "genus", Share: 0.312, Group: "Bacteroidota"},
								{Name: "Prevotella", Rank: "genus", Share: 0.098, Group: "Bacteroidota"},
							}},
							{Name: "Bacillota", Rank: "phylum", Share: 0.35, Group: "Bacillota", Children: []*report.TreeNode{
								{Name: "Faecalibacterium", Rank: "genus", Share: 0.124, Group: "Bacillota"},
							}},
							{Name: "unnamed", Rank: "unnamed", Share: 0.06},
						}},
						{Name: "unclassified", Rank: "unnamed", Share: 0.04},
					}}},
				&report.Table{Caption: "All taxa", ScreenOnly: true, Header: []string{"Taxon", "Reads"}, Numeric: []bool{false, true},
					Rows: [][]string{{"Bacteroides", "15042"}, {"Faecalibacterium", "5978"}}},
			}},
			{ID: "barrier", Title: "Barrier-related taxa", Blocks: []report.Block{
				&report.Finding{ID: "F-05a", Title: "Butyrate producers lower than usual",
					Value: "4.1 % of reads (Faecalibacterium 2.0 %, Roseburia 2.1 %)", Range: "usual: 10–25 % (25th–75th percentile)",
					Meaning: FindingMeaning, Barrier: "Butyrate feeds the cells lining the colon and tightens the junctions between them.",
					Guidance: []string{"G-01", "G-03"}, Grade: "C/D", Refs: []string{"R-VIT14", "R-MIQ13"}, Level: report.Attention},
				&report.Finding{ID: "F-09", Title: "Akkermansia present", Value: "2.2 % of reads", Meaning: "Akkermansia lives on the mucus layer.",
					Grade: "B", Refs: []string{"R-PLO17"}, Level: report.Info},
			}},
			{ID: "limitations", Title: "Limitations and methods", Blocks: []report.Block{
				&report.Callout{Level: report.Info, Title: "What 16S sequencing cannot tell",
					Items: []string{"absolute amounts (shares only)", "what the bacteria are doing (genes, not activity)"}},
				&report.Paragraph{Text: "Reads were named down to the rank whose identity floor they reached (" + Unicode + ")."},
			}},
			{ID: "references", Title: "References"},
		},
		References: []report.Reference{
			{Key: "R-NICE15", Citation: "NICE 2015. Suspected cancer: recognition and referral (NG12)."},
			{Key: "R-GLO17", Citation: "Gloor GB et al. 2017. Microbiome datasets are compositional: and this is not optional. Front Microbiol 8:2224", DOI: "10.3389/fmicb.2017.02224"},
			{Key: "R-FAL16", Citation: "Falony G et al. 2016. Population-level analysis of gut microbiome variation. Science 352", DOI: "10.1126/science.aad3503"},
			{Key: "R-VIT14", Citation: "Vital M et al. 2014. Revealing the bacterial butyrate synthesis pathways. mBio 5:e00889", DOI: "10.1128/mBio.00889-14"},
			{Key: "R-MIQ13", Citation: "Miquel S et al. 2013. Faecalibacterium prausnitzii and human intestinal health. Curr Opin Microbiol 16:255", DOI: "10.1016/j.mib.2013.06.003"},
			{Key: "R-PLO17", Citation: "Plovier H et al. 2017. A purified membrane protein from Akkermansia muciniphila. Nat Med 23:107", DOI: "10.1038/nm.4236"},
		},
	}
}

// barChart is a bar chart of five genera, titled with Evil so renderers'
// tests can check that text inside figures is escaped too.
func barChart() *plot.Plot {
	p := plot.New()
	p.Title.Text = "Genera " + Evil
	p.Y.Label.Text = "share of reads (%)"
	p.X.Label.Text = "genus (" + Unicode + ")"
	for _, t := range []*plot.Axis{&p.X, &p.Y} {
		t.Label.TextStyle.Font.Variant = "Sans"
		t.Tick.Label.Font.Variant = "Sans"
	}
	p.Title.TextStyle.Font.Variant = "Sans"
	bars, err := plotter.NewBarChart(plotter.Values{31.2, 12.4, 9.8, 4.1, 2.2}, vg.Points(18))
	if err != nil {
		panic(err)
	}
	bars.Color = color.RGBA{0, 114, 178, 255}
	bars.LineStyle.Width = 0
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	grid.Horizontal.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	// Reference medians as circles: arcs, fill and stroke in one figure.
	medians, err := plotter.NewScatter(plotter.XYs{{X: 0, Y: 22}, {X: 1, Y: 9}, {X: 2, Y: 3}, {X: 3, Y: 5}, {X: 4, Y: 1.5}})
	if err != nil {
		panic(err)
	}
	medians.GlyphStyle = draw.GlyphStyle{Shape: draw.RingGlyph{}, Radius: vg.Points(3.5), Color: color.RGBA{213, 94, 0, 255}}
	p.Add(grid, bars, medians)
	p.Legend.Add("reference median", medians)
	p.Legend.TextStyle.Font.Variant = "Sans"
	p.Legend.Top = true
	p.NominalX("Bacteroides", "Faecalibacterium", "Prevotella", "Roseburia", "Akkermansia")
	return p
}
