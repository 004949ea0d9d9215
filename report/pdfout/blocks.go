package pdfout

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/zonula/zonula/report"
)

// figure draws f as vector graphics, scaled down to the text width.
func (r *renderer) figure(f *report.Figure) error {
	p := r.pdf
	w, h := f.Width, f.Height
	if mm(w) > r.width {
		scale := r.width / mm(w)
		w, h = vg.Length(float64(w)*scale), vg.Length(float64(h)*scale)
	}
	r.font("I", smallPt)
	capLines := r.lines(f.Caption, r.width)
	r.ensure(mm(h) + float64(capLines)*4 + 4)
	x, y := margin+(r.width-mm(w))/2, p.GetY()
	r.figures++
	r.canvas.prefix = fmt.Sprintf("fig%d", r.figures)
	r.canvas.begin(x, y, h)
	f.Plot.Draw(draw.NewCanvas(r.canvas, w, h))
	r.canvas.end()
	p.SetTextColor(0, 0, 0)
	p.SetXY(margin, y+mm(h)+1)
	r.font("I", smallPt)
	p.SetTextColor(70, 76, 84)
	p.MultiCell(0, 4, f.Caption, "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.Ln(3)
	return p.Error()
}

// box draws lines of (style, text) inside a bordered, optionally shaded box
// with a coloured bar on its left. A box that fits on a page is kept on one
// page; a longer one is split across pages, each part drawn as its own box
// of the lines that fit, so that nothing is drawn below the bottom margin.
func (r *renderer) box(lines [][2]string, bar [3]int, shade [3]int) {
	p := r.pdf
	inner := r.width - 8
	type boxLine struct{ style, text string }
	var all []boxLine
	for _, l := range lines {
		r.font(l[0], bodyPt)
		for _, t := range r.wrap(l[1], inner) {
			all = append(all, boxLine{l[0], t})
		}
	}
	const pad, gap = 4.0, 3.0 // padding inside the box; space after it
	_, pageH := p.GetPageSize()
	bottom := pageH - margin
	if h := pad + float64(len(all))*lineH; h+gap <= bottom-margin {
		r.ensure(h + gap) // fits on a page: never split
	} else if int((bottom-p.GetY()-pad)/lineH) < minBoxLines {
		p.AddPage() // too little room left here to start a long box
	}
	for i := 0; i < len(all); {
		n := min(len(all)-i, int((bottom-p.GetY()-pad)/lineH))
		if n < 1 {
			p.AddPage()
			continue
		}
		h := pad + float64(n)*lineH
		x, y := margin, p.GetY()
		p.SetFillColor(shade[0], shade[1], shade[2])
		p.SetDrawColor(210, 215, 220)
		p.SetLineWidth(0.25)
		p.Rect(x, y, r.width, h, "FD")
		p.SetFillColor(bar[0], bar[1], bar[2])
		p.Rect(x, y, 1.6, h, "F")
		p.SetXY(x+5, y+2)
		for _, l := range all[i : i+n] {
			r.font(l.style, bodyPt)
			p.SetX(x + 5)
			p.CellFormat(inner, lineH, l.text, "", 2, "L", false, 0, "")
		}
		i += n
		if i < len(all) {
			p.AddPage()
		} else {
			p.SetXY(x, y+h+gap)
		}
	}
}

// minBoxLines is the fewest lines of a long box started at the foot of a
// page; with less room the box starts on the next page.
const minBoxLines = 3

// wrap breaks text into the lines MultiCell would draw in width w with the
// current font: at ASCII spaces only (a no-break space holds), at newlines,
// and inside a word wider than the line.
func (r *renderer) wrap(text string, w float64) []string {
	p := r.pdf
	avail := w - 2*p.GetCellMargin()
	var out []string
	for _, para := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line := ""
		for _, word := range strings.Split(para, " ") {
			switch {
			case line == "":
				line = word
			case p.GetStringWidth(line+" "+word) <= avail:
				line += " " + word
				continue
			default:
				out = append(out, line)
				line = word
			}
			for p.GetStringWidth(line) > avail && avail > 0 { // break a too-wide word
				cut := 0
				for i := range line {
					if i > 0 && p.GetStringWidth(line[:i]) > avail {
						break
					}
					cut = i
				}
				if cut == 0 {
					_, size := utf8.DecodeRuneInString(line)
					cut = size // one character wider than the line: draw it alone
				}
				out = append(out, line[:cut])
				line = line[cut:]
			}
		}
		out = append(out, line)
	}
	return out
}

func levelColours(l report.Level) (bar, shade [3]int) {
	switch l {
	case report.Notice:
		return [3]int{176, 125, 0}, [3]int{255, 246, 223}
	case report.Attention:
		return [3]int{179, 38, 30}, [3]int{253, 236, 234}
	case report.Urgent:
		return [3]int{140, 29, 24}, [3]int{251, 213, 209}
	}
	return [3]int{0, 90, 140}, [3]int{238, 244, 248}
}

func (r *renderer) finding(f *report.Finding) {
	lines := [][2]string{{"B", f.ID + "  " + f.Title + "   (" + report.GradeLabel(f.Grade) + ")"}}
	if f.Status != "" {
		lines = append(lines, [2]string{"", "Finding: " + f.Status})
	}
	lines = append(lines, [2]string{"", "Value: " + f.Value})
	if f.Range != "" {
		lines = append(lines, [2]string{"", "Compared with: " + f.Range})
	}
	lines = append(lines, [2]string{"", f.Meaning})
	if f.Barrier != "" {
		lines = append(lines, [2]string{"I", "Barrier link: " + f.Barrier})
	}
	if len(f.Guidance) > 0 {
		lines = append(lines, [2]string{"", "Guidance: " + strings.Join(f.Guidance, ", ")})
	}
	lines = append(lines, [2]string{"I", "References: " + r.citeKeys(f.Refs)})
	bar, _ := levelColours(f.Level)
	r.box(lines, bar, [3]int{255, 255, 255})
}

func (r *renderer) callout(c *report.Callout) {
	lines := [][2]string{{"B", c.Title}}
	for _, it := range c.Items {
		lines = append(lines, [2]string{"", "•  " + it})
	}
	if c.Text != "" {
		lines = append(lines, [2]string{"", c.Text})
	}
	if len(c.Refs) > 0 {
		lines = append(lines, [2]string{"I", "References:" + r.cites(c.Refs)})
	}
	bar, shade := levelColours(c.Level)
	r.box(lines, bar, shade)
}

func (r *renderer) note(text string) {
	r.font("I", smallPt)
	r.pdf.SetTextColor(70, 76, 84)
	r.pdf.MultiCell(0, 4, text, "", "L", false)
	r.pdf.SetTextColor(0, 0, 0)
	r.pdf.Ln(2)
}
