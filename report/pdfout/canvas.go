package pdfout

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"

	"codeberg.org/go-fonts/liberation/liberationmonobold"
	"codeberg.org/go-fonts/liberation/liberationmonobolditalic"
	"codeberg.org/go-fonts/liberation/liberationmonoitalic"
	"codeberg.org/go-fonts/liberation/liberationmonoregular"
	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansbolditalic"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-fonts/liberation/liberationserifbold"
	"codeberg.org/go-fonts/liberation/liberationserifbolditalic"
	"codeberg.org/go-fonts/liberation/liberationserifitalic"
	"codeberg.org/go-fonts/liberation/liberationserifregular"

	"codeberg.org/go-pdf/fpdf"
	stdfnt "gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// canvas is a vg.Canvas drawing on the current page of an fpdf document, so
// figures stay vector graphics inside the report. Lengths are converted from
// points to the document's millimetres; the figure's origin (bottom left, y
// up, as gonum/plot draws) is set by begin.
type canvas struct {
	pdf    *fpdf.Fpdf
	glyphs *glyphs         // fits figure text to the face
	fonts  map[string]bool // font family+style registered on pdf
	widths []float64
	images int
	prefix string
	saved  float64 // the page's line width before the figure
}

// faces are the Liberation TrueType fonts by family and fpdf style. The
// report's own text is in Liberation Sans; a figure may ask for any of them.
var faces = map[string]map[string][]byte{
	"liberationsans":  {"": liberationsansregular.TTF, "B": liberationsansbold.TTF, "I": liberationsansitalic.TTF, "BI": liberationsansbolditalic.TTF},
	"liberationserif": {"": liberationserifregular.TTF, "B": liberationserifbold.TTF, "I": liberationserifitalic.TTF, "BI": liberationserifbolditalic.TTF},
	"liberationmono":  {"": liberationmonoregular.TTF, "B": liberationmonobold.TTF, "I": liberationmonoitalic.TTF, "BI": liberationmonobolditalic.TTF},
}

// newCanvas returns a canvas on pdf.
func newCanvas(pdf *fpdf.Fpdf, g *glyphs) *canvas {
	return &canvas{pdf: pdf, glyphs: g, fonts: map[string]bool{}}
}

// setFont selects a face of one of the Liberation families at size points,
// registering it with the PDF on first use so that unused faces are not
// embedded.
func (c *canvas) setFont(fam, style string, size float64) {
	if !c.fonts[fam+style] {
		c.pdf.AddUTF8FontFromBytes(fam, style, faces[fam][style])
		c.fonts[fam+style] = true
	}
	c.pdf.SetFont(fam, style, size)
}

// useFont selects the embedded face for a gonum/plot font. The face
// is the one gonum/plot measured the text with (Liberation is its default
// typeface), so labels line up as laid out.
func (c *canvas) useFont(f stdfnt.Font) {
	fam := "liberationsans"
	switch strings.ToLower(string(f.Variant)) {
	case "serif", "":
		fam = "liberationserif"
	case "mono", "monospace":
		fam = "liberationmono"
	}
	style := ""
	if f.Weight >= 600 {
		style += "B"
	}
	if f.Style != 0 {
		style += "I"
	}
	c.setFont(fam, style, f.Size.Points())
}

var _ vg.Canvas = (*canvas)(nil)

// mm converts a vg length to millimetres.
func mm(l vg.Length) float64 { return l.Points() * 25.4 / 72 }

// begin moves the origin to the bottom-left corner of a figure whose top-left
// corner is at (x, y) mm on the page and whose height is h, and flips the y
// axis to point up. end undoes it.
func (c *canvas) begin(x, y float64, h vg.Length) {
	c.saved = c.pdf.GetLineWidth()
	c.pdf.TransformBegin()
	c.pdf.TransformTranslate(x, y+mm(h))
	c.pdf.TransformScale(100, -100, 0, 0)
	c.widths = append(c.widths[:0], mm(1))
	c.pdf.SetLineWidth(mm(1))
	c.SetColor(color.Black)
}

// end restores the page's graphics state. The PDF's own state returns with
// the transform's end (Q), but fpdf still remembers the figure's last colours
// and would skip setting a text colour it believes is current; setting every
// colour, the line width, dashes and opacity again makes both agree.
func (c *canvas) end() {
	c.pdf.TransformEnd()
	c.pdf.SetDrawColor(0, 0, 0)
	c.pdf.SetFillColor(0, 0, 0)
	c.pdf.SetTextColor(0, 0, 0)
	c.pdf.SetLineWidth(c.saved)
	c.pdf.SetAlpha(1, "Normal")
	c.pdf.SetDashPattern(nil, 0)
}

func (c *canvas) SetLineWidth(w vg.Length) {
	c.widths[len(c.widths)-1] = mm(w)
	c.pdf.SetLineWidth(mm(w))
}

func (c *canvas) SetLineDash(pattern []vg.Length, offset vg.Length) {
	d := make([]float64, len(pattern))
	for i, p := range pattern {
		d[i] = mm(p)
	}
	c.pdf.SetDashPattern(d, mm(offset))
}

func (c *canvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	r, g, b, a := clr.RGBA()
	if a == 0 {
		c.pdf.SetAlpha(0, "Normal")
		return
	}
	// Colours are premultiplied; undo it for PDF's straight RGB.
	r8, g8, b8 := int(r*255/a), int(g*255/a), int(b*255/a)
	c.pdf.SetDrawColor(r8, g8, b8)
	c.pdf.SetFillColor(r8, g8, b8)
	c.pdf.SetTextColor(r8, g8, b8)
	c.pdf.SetAlpha(float64(a)/0xffff, "Normal")
}

func (c *canvas) Rotate(rad float64) { c.pdf.TransformRotate(-rad*180/math.Pi, 0, 0) }

func (c *canvas) Translate(pt vg.Point) { c.pdf.TransformTranslate(mm(pt.X), mm(pt.Y)) }

func (c *canvas) Scale(x, y float64) { c.pdf.TransformScale(100*x, 100*y, 0, 0) }

func (c *canvas) Push() {
	c.pdf.TransformBegin()
	c.widths = append(c.widths, c.widths[len(c.widths)-1])
}

func (c *canvas) Pop() {
	c.pdf.TransformEnd()
	c.widths = c.widths[:len(c.widths)-1]
	c.pdf.SetLineWidth(c.widths[len(c.widths)-1])
}

func (c *canvas) Stroke(p vg.Path) {
	if c.widths[len(c.widths)-1] > 0 {
		c.path(p, "D")
	}
}

func (c *canvas) Fill(p vg.Path) { c.path(p, "F") }

// path adds p to the page and paints it: "D" strokes, "F" fills. Arcs become
// Bézier curves (fpdf's ArcTo); an arc that starts a path, or follows a
// close, starts a new subpath at its first point.
func (c *canvas) path(p vg.Path, style string) {
	if len(p) == 0 {
		return
	}
	var x0, y0 float64
	open := false // a current point exists
	for _, comp := range p {
		switch comp.Type {
		case vg.MoveComp:
			x0, y0 = mm(comp.Pos.X), mm(comp.Pos.Y)
			c.pdf.MoveTo(x0, y0)
			open = true
		case vg.LineComp:
			if !open {
				x0, y0 = mm(comp.Pos.X), mm(comp.Pos.Y)
				c.pdf.MoveTo(x0, y0)
				open = true
				continue
			}
			c.pdf.LineTo(mm(comp.Pos.X), mm(comp.Pos.Y))
		case vg.ArcComp:
			sx := mm(comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start)))
			sy := mm(comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start)))
			if open {
				c.pdf.LineTo(sx, sy)
			} else {
				x0, y0 = sx, sy
				c.pdf.MoveTo(sx, sy)
				open = true
			}
			r := mm(comp.Radius)
			const deg = 180 / math.Pi
			c.pdf.ArcTo(mm(comp.Pos.X), mm(comp.Pos.Y), r, r, 0, comp.Start*deg, (comp.Start+comp.Angle)*deg)
		case vg.CurveComp:
			switch len(comp.Control) {
			case 1:
				c.pdf.CurveTo(mm(comp.Control[0].X), mm(comp.Control[0].Y), mm(comp.Pos.X), mm(comp.Pos.Y))
			case 2:
				c.pdf.CurveBezierCubicTo(mm(comp.Control[0].X), mm(comp.Control[0].Y), mm(comp.Control[1].X), mm(comp.Control[1].Y), mm(comp.Pos.X), mm(comp.Pos.Y))
			}
		case vg.CloseComp:
			if open {
				c.pdf.LineTo(x0, y0)
				c.pdf.ClosePath()
			}
			open = false
		}
	}
	c.pdf.DrawPath(style)
}

// FillString draws text with the report's embedded UTF-8 font in the face's
// weight and style, its baseline at pt.
func (c *canvas) FillString(f stdfnt.Face, pt vg.Point, text string) {
	if f.Font.Size == 0 {
		return
	}
	c.useFont(f.Font)
	c.Push()
	defer c.Pop()
	c.Translate(pt)
	c.Scale(1, -1) // text upright again
	c.pdf.SetXY(0, 0)
	c.pdf.SetCellMargin(0)
	c.pdf.Text(0, 0, c.glyphs.fit(text))
}

// DrawImage places a raster image (gonum/plot uses it for heat maps only).
func (c *canvas) DrawImage(rect vg.Rectangle, img image.Image) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		c.pdf.SetError(fmt.Errorf("figure image: %w", err))
		return
	}
	c.images++
	name := fmt.Sprintf("%s-img%d", c.prefix, c.images)
	c.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &buf)
	c.Push()
	defer c.Pop()
	c.Translate(vg.Point{X: rect.Min.X, Y: rect.Max.Y})
	c.Scale(1, -1)
	c.pdf.ImageOptions(name, 0, 0, mm(rect.Max.X-rect.Min.X), mm(rect.Max.Y-rect.Min.Y), false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
}
