package pdfout

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

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
	family string // UTF-8 font family registered on pdf
	widths []float64
	images int
	prefix string
}

var _ vg.Canvas = (*canvas)(nil)

// mm converts a vg length to millimetres.
func mm(l vg.Length) float64 { return l.Points() * 25.4 / 72 }

// begin moves the origin to the bottom-left corner of a figure whose top-left
// corner is at (x, y) mm on the page and whose height is h, and flips the y
// axis to point up. end undoes it.
func (c *canvas) begin(x, y float64, h vg.Length) {
	c.pdf.TransformBegin()
	c.pdf.TransformTranslate(x, y+mm(h))
	c.pdf.TransformScale(100, -100, 0, 0)
	c.widths = append(c.widths[:0], mm(1))
	c.pdf.SetLineWidth(mm(1))
	c.SetColor(color.Black)
}

func (c *canvas) end() {
	c.pdf.TransformEnd()
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

func (c *canvas) path(p vg.Path, style string) {
	var x0, y0 float64
	for _, comp := range p {
		switch comp.Type {
		case vg.MoveComp:
			x0, y0 = mm(comp.Pos.X), mm(comp.Pos.Y)
			c.pdf.MoveTo(x0, y0)
		case vg.LineComp:
			c.pdf.LineTo(mm(comp.Pos.X), mm(comp.Pos.Y))
		case vg.ArcComp:
			sx := comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start))
			sy := comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start))
			c.pdf.LineTo(mm(sx), mm(sy))
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
			c.pdf.LineTo(x0, y0)
			c.pdf.ClosePath()
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
	style := ""
	if f.Font.Weight >= 600 {
		style += "B"
	}
	if f.Font.Style != 0 {
		style += "I"
	}
	c.pdf.SetFont(c.family, style, f.Font.Size.Points())
	c.Push()
	defer c.Pop()
	c.Translate(pt)
	c.Scale(1, -1) // text upright again
	c.pdf.SetXY(0, 0)
	c.pdf.SetCellMargin(0)
	c.pdf.Text(0, 0, text)
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
