package pdfout

import (
	"slices"
	"strings"
	"unicode"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font/sfnt"

	"github.com/zonula/zonula/report"
)

// Replacement stands in the PDF for a character its embedded fonts cannot
// draw (an emoji in a diet field, say): fpdf fails on characters beyond a
// font's range and draws an empty box for others, so such characters are
// replaced and the PDF says so. The HTML report shows them as written.
const Replacement = "?"

// glyphs finds the characters the report's face (Liberation Sans) cannot
// draw and replaces them, counting what it replaced.
type glyphs struct {
	font     *sfnt.Font // nil if the face did not parse: then nothing is replaced
	buf      sfnt.Buffer
	has      map[rune]bool
	replaced int
}

func newGlyphs() *glyphs {
	f, err := sfnt.Parse(liberationsansregular.TTF)
	if err != nil {
		f = nil
	}
	return &glyphs{font: f, has: map[rune]bool{}}
}

// drawable reports whether the face has a glyph for r.
func (g *glyphs) drawable(r rune) bool {
	if r < 0x80 || g.font == nil {
		return true
	}
	ok, seen := g.has[r]
	if !seen {
		i, err := g.font.GlyphIndex(&g.buf, r)
		ok = err == nil && i != 0
		g.has[r] = ok
	}
	return ok
}

// fit returns s with every character the face cannot draw replaced by
// Replacement; invisible format characters (variation selectors, joiners)
// the face lacks are dropped.
func (g *glyphs) fit(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return !g.drawable(r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case g.drawable(r):
			b.WriteRune(r)
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r) || unicode.In(r, unicode.Variation_Selector):
		default:
			b.WriteString(Replacement)
			g.replaced++
		}
	}
	return b.String()
}

// all fits every string of ss, in a copy.
func (g *glyphs) all(ss []string) []string {
	out := slices.Clone(ss)
	for i, s := range out {
		out[i] = g.fit(s)
	}
	return out
}

// document returns a copy of d whose text the face can draw (fit); figures
// are drawn through the canvas, which fits their text itself.
func (g *glyphs) document(d *report.Document) *report.Document {
	c := *d
	c.Title, c.Sample = g.fit(d.Title), g.fit(d.Sample)
	c.Provenance.Database.Name = g.fit(d.Provenance.Database.Name)
	c.Provenance.Inputs = slices.Clone(d.Provenance.Inputs)
	for i := range c.Provenance.Inputs {
		c.Provenance.Inputs[i].Path = g.fit(c.Provenance.Inputs[i].Path)
	}
	c.Provenance.Options = slices.Clone(d.Provenance.Options)
	for i := range c.Provenance.Options {
		c.Provenance.Options[i].Value = g.fit(c.Provenance.Options[i].Value)
	}
	c.Alerts = nil
	for _, a := range d.Alerts {
		c.Alerts = append(c.Alerts, g.callout(a))
	}
	c.Sections = nil
	for _, s := range d.Sections {
		ns := report.Section{ID: s.ID, Title: g.fit(s.Title)}
		for _, b := range s.Blocks {
			ns.Blocks = append(ns.Blocks, g.block(b))
		}
		c.Sections = append(c.Sections, ns)
	}
	c.References = slices.Clone(d.References)
	for i := range c.References {
		c.References[i].Citation = g.fit(c.References[i].Citation)
	}
	return &c
}

func (g *glyphs) callout(a *report.Callout) *report.Callout {
	c := *a
	c.Title, c.Text, c.Items = g.fit(a.Title), g.fit(a.Text), g.all(a.Items)
	return &c
}

// block returns a copy of b with its text fitted.
func (g *glyphs) block(b report.Block) report.Block {
	switch v := b.(type) {
	case *report.Paragraph:
		c := *v
		c.Text = g.fit(v.Text)
		return &c
	case *report.Callout:
		return g.callout(v)
	case *report.Finding:
		c := *v
		c.Title, c.Value, c.Range, c.Meaning, c.Barrier = g.fit(v.Title), g.fit(v.Value), g.fit(v.Range), g.fit(v.Meaning), g.fit(v.Barrier)
		return &c
	case *report.KeyValues:
		c := report.KeyValues{Pairs: slices.Clone(v.Pairs)}
		for i, p := range c.Pairs {
			c.Pairs[i] = [2]string{g.fit(p[0]), g.fit(p[1])}
		}
		return &c
	case *report.Table:
		c := *v
		c.Caption, c.Header = g.fit(v.Caption), g.all(v.Header)
		c.Rows = make([][]string, len(v.Rows))
		for i, r := range v.Rows {
			c.Rows[i] = g.all(r)
		}
		return &c
	case *report.Figure:
		c := *v
		c.Caption, c.Alt = g.fit(v.Caption), g.fit(v.Alt)
		return &c
	case *report.Hierarchy:
		c := *v
		c.Caption = g.fit(v.Caption)
		return &c
	}
	return b
}
