package report

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// Document is the content of one report. Renderers lay it out as HTML or PDF
// and compute nothing: every number and sentence is already here.
type Document struct {
	Title      string
	Sample     string
	Provenance Provenance
	// ProvenanceIn is the ID of the section at whose end the renderers show
	// the provenance (program, database and checksums, inputs, options),
	// so that the first page is for the person; "" shows it under the title.
	ProvenanceIn string
	// Alerts are shown first, before any section (red flags, "see a clinician").
	Alerts   []*Callout
	Sections []Section
	// References lists every reference cited anywhere in the document, in
	// order of first citation.
	References []Reference
}

// Section is one titled part of the report.
type Section struct {
	ID     string // stable anchor, e.g. "quality"
	Title  string
	Blocks []Block
}

// Block is one of *Paragraph, *Table, *Figure, *Finding, *Callout,
// *KeyValues or *Hierarchy.
type Block interface{ block() }

// Paragraph is plain text. Refs, when given, are cited at its end.
type Paragraph struct {
	Text string
	Refs []string // reference keys, e.g. "R-GLO17"
}

// Table is a simple table of text cells.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
	// Numeric[i] marks column i as numbers (right-aligned, sortable as numbers).
	Numeric []bool
	// ScreenOnly marks a long, interactive table shown in the HTML report
	// only; the PDF says where to find it.
	ScreenOnly bool
}

// Hierarchy is the composition as a tree (domain to genus) for the HTML
// report's sunburst; the PDF says where to find it.
type Hierarchy struct {
	Caption string
	Alt     string
	Root    *TreeNode
}

// TreeNode is one taxon of a Hierarchy with its share of all reads (0–1) and
// the reads not named below it folded into an "unnamed" child.
type TreeNode struct {
	Name     string
	Rank     string
	Share    float64
	Group    string // the phylum it belongs to, for colouring
	Children []*TreeNode
}

// Figure is a gonum/plot figure shared by both renderers.
type Figure struct {
	ID      string
	Caption string
	Alt     string // text alternative for screen readers
	Width   vg.Length
	Height  vg.Length
	Plot    *plot.Plot
}

// Finding is one evidence-graded statement tied to the profile.
type Finding struct {
	ID    string // science.md ID, e.g. "F-05a"
	Title string
	Value string // the measured value as shown, e.g. "0.0 % of reads"
	Range string // what the value was compared with (its frame), or "" when nothing
	// Status says whether a finding was raised and at which level, in
	// words ("Markedly unusual ... (level: marked)"); a measurement shown
	// without a verdict says so.
	Status string
	// Frame is the frame a raised finding was judged in, as metrics.json
	// names it ("RB-02", "reference:NAME", "profile"); "" when not raised.
	Frame    string
	Meaning  string   // plain-language meaning ("associated with", never "causes")
	Barrier  string   // link to gut-barrier function, "" when none
	Guidance []string // guidance IDs, e.g. "G-01"
	Grade    string   // evidence grade, e.g. "C/D"
	Refs     []string // reference keys
	Level    Level
}

// Level says how a finding or callout is emphasised.
type Level int

// Levels from neutral to most prominent.
const (
	Info Level = iota
	Notice
	Attention
	Urgent
)

// Callout is a highlighted box (e.g. "not a diagnosis", "see a clinician").
type Callout struct {
	Level Level
	Title string
	Text  string
	Items []string
	Refs  []string
}

// KeyValues is a two-column list of labelled values (e.g. provenance).
type KeyValues struct {
	Pairs [][2]string
}

// Reference is one entry of the reference list.
type Reference struct {
	Key      string // "R-GLO17"
	Citation string
	DOI      string // without "https://doi.org/", "" when none
}

func (*Paragraph) block() {}
func (*Table) block()     {}
func (*Figure) block()    {}
func (*Finding) block()   {}
func (*Callout) block()   {}
func (*KeyValues) block() {}
func (*Hierarchy) block() {}
