package htmlout

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/zonula/zonula/report"
)

//go:embed report.html.tmpl
var pageTemplate string

//go:embed style.css
var styleSheet string

//go:embed sort.js
var sortScript string

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"level":     levelClass,
	"levelName": levelName,
	"num":       func(t *report.Table, i int) bool { return i < len(t.Numeric) && t.Numeric[i] },
	"pct":       func(f float64) string { return fmt.Sprintf("%.1f %%", 100*f) },
	"doi":       func(d string) string { return "https://doi.org/" + d },
}).Parse(pageTemplate))

// view is what the template renders: the document with citations numbered
// and figures drawn.
type view struct {
	Doc      *report.Document
	CSS      template.CSS
	Fonts    template.CSS // @font-face rules of the fonts the figures use
	Script   template.JS
	Alerts   []blockView
	Sections []sectionView
	Refs     []refView
	Started  string
	Finished string
}

type sectionView struct {
	ID, Title string
	Blocks    []blockView
}

type blockView struct {
	Kind      string // paragraph, table, figure, finding, callout, keyvalues
	Paragraph *report.Paragraph
	Table     *report.Table
	Figure    *report.Figure
	SVG       template.HTML
	Finding   *report.Finding
	Callout   *report.Callout
	KV        *report.KeyValues
	Hierarchy *report.Hierarchy
	Legend    []legendItem
	Cites     []cite
	TableID   string
}

// cite is one citation: its number in the reference list, 0 when the key
// is not in the list (then the key is shown unlinked).
type cite struct {
	N   int
	Key string
}

type refView struct {
	N int
	report.Reference
}

// Render writes doc as HTML. The same document always gives the same bytes.
func Render(w io.Writer, doc *report.Document) error {
	numbers := map[string]int{}
	v := view{Doc: doc, CSS: template.CSS(styleSheet), Script: template.JS(sortScript)}
	for i, r := range doc.References {
		numbers[r.Key] = i + 1
		v.Refs = append(v.Refs, refView{N: i + 1, Reference: r})
	}
	cites := func(keys []string) []cite {
		var out []cite
		for _, k := range keys {
			out = append(out, cite{N: numbers[k], Key: k})
		}
		return out
	}
	if !doc.Provenance.Started.IsZero() {
		v.Started = doc.Provenance.Started.UTC().Format("2006-01-02 15:04 UTC")
	}
	for _, a := range doc.Alerts {
		v.Alerts = append(v.Alerts, blockView{Kind: "callout", Callout: a, Cites: cites(a.Refs)})
	}
	tables := 0
	fonts := &fontSet{}
	sections := doc.Sections
	if len(doc.References) > 0 && !slices.ContainsFunc(sections, func(s report.Section) bool { return s.ID == "references" }) {
		sections = append(slices.Clip(sections), report.Section{ID: "references", Title: "References"})
	}
	for _, s := range sections {
		sv := sectionView{ID: s.ID, Title: s.Title}
		for _, blk := range s.Blocks {
			var bv blockView
			switch b := blk.(type) {
			case *report.Paragraph:
				bv = blockView{Kind: "paragraph", Paragraph: b, Cites: cites(b.Refs)}
			case *report.Table:
				tables++
				bv = blockView{Kind: "table", Table: b, TableID: fmt.Sprintf("t%d", tables)}
			case *report.Figure:
				svg, err := drawSVG(b, fonts)
				if err != nil {
					return fmt.Errorf("figure %s: %w", b.ID, err)
				}
				bv = blockView{Kind: "figure", Figure: b, SVG: svg}
			case *report.Finding:
				bv = blockView{Kind: "finding", Finding: b, Cites: cites(b.Refs)}
			case *report.Callout:
				bv = blockView{Kind: "callout", Callout: b, Cites: cites(b.Refs)}
			case *report.KeyValues:
				bv = blockView{Kind: "keyvalues", KV: b}
			case *report.Hierarchy:
				svg, legend := sunburst(b)
				bv = blockView{Kind: "hierarchy", Hierarchy: b, SVG: svg, Legend: legend}
			default:
				return fmt.Errorf("htmlout: unknown block %T", blk)
			}
			sv.Blocks = append(sv.Blocks, bv)
		}
		v.Sections = append(v.Sections, sv)
	}
	v.Fonts = template.CSS(strings.Join(fonts.rules, ""))
	var buf bytes.Buffer
	if err := page.Execute(&buf, v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// fontSet collects the @font-face rules of every font the figures use, each
// once, for the page's style sheet: a figure's SVG would otherwise carry its
// own copy of each font (about half a megabyte each).
type fontSet struct {
	rules []string
}

func (fs *fontSet) add(rule string) {
	if !slices.Contains(fs.rules, rule) {
		fs.rules = append(fs.rules, rule)
	}
}

// drawSVG renders a figure as inline SVG with its fonts embedded (moved to
// fonts), so the text is drawn in the face gonum/plot measured it with and
// nothing is loaded. The XML prolog is dropped: the SVG sits inside HTML.
// The figure's text alternative becomes the SVG's accessible name and title.
func drawSVG(f *report.Figure, fonts *fontSet) (template.HTML, error) {
	c := vgsvg.NewWith(vgsvg.UseWH(f.Width, f.Height), vgsvg.EmbedFonts(true))
	f.Plot.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	s := b.String()
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:]
	}
	// vgsvg writes the fonts as @font-face rules in <defs><style>.
	if i := strings.Index(s, "<defs>"); i >= 0 {
		j := strings.Index(s[i:], "</defs>")
		if j < 0 {
			return "", fmt.Errorf("htmlout: unterminated <defs> in SVG")
		}
		style := s[i : i+j]
		for _, r := range strings.Split(style, "@font-face")[1:] {
			r = strings.TrimSpace(r)
			if k := strings.LastIndex(r, "}"); k >= 0 {
				r = r[:k+1]
			}
			fonts.add("@font-face" + strings.Join(strings.Fields(r), " ") + "\n")
		}
		s = s[:i] + strings.TrimLeft(s[i+j+len("</defs>"):], "\n")
	}
	// Scale with the page: keep the drawing's aspect ratio, fill the width.
	alt := template.HTMLEscapeString(f.Alt)
	s = strings.Replace(s, "<svg ", `<svg role="img" aria-label="`+alt+`" preserveAspectRatio="xMinYMin meet" `, 1)
	if k := strings.Index(s, ">"); k >= 0 {
		s = s[:k+1] + "<title>" + alt + "</title>" + s[k+1:]
	}
	return template.HTML(s), nil // drawn by gonum/plot, whose SVG writer escapes text; the alt text escaped here
}

// levelName is a finding's level as metrics.json names it (marked, notice,
// info), "none" for a measurement shown without a verdict.
func levelName(f *report.Finding) string {
	if f.Frame == "" {
		return "none"
	}
	switch f.Level {
	case report.Attention:
		return "marked"
	case report.Notice:
		return "notice"
	}
	return "info"
}

func levelClass(l report.Level) string {
	switch l {
	case report.Notice:
		return "notice"
	case report.Attention:
		return "attention"
	case report.Urgent:
		return "urgent"
	}
	return "info"
}
