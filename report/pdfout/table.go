package pdfout

import (
	"slices"
	"strings"

	"github.com/zonula/zonula/report"
)

// lines returns how many lines MultiCell needs for text in width w with the
// current font. Like MultiCell it breaks lines at ASCII spaces only, so a
// no-break space keeps "30.4 %" together (fpdf's SplitText would break it).
// Rounding errs towards one line more, never fewer.
func (r *renderer) lines(text string, w float64) int {
	p := r.pdf
	avail := w - 2*p.GetCellMargin()
	n := 0
	for _, para := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		n++
		line := 0.0
		space := p.GetStringWidth(" ")
		for i, word := range strings.Split(para, " ") {
			ww := p.GetStringWidth(word)
			switch {
			case i == 0:
				line = ww
			case line+space+ww <= avail:
				line += space + ww
				continue
			default:
				n++
				line = ww
			}
			for line > avail && avail > 0 { // a word wider than the line is broken
				n++
				line -= avail
			}
		}
	}
	return max(n, 1)
}

// row draws cells side by side, each wrapped to its width and aligned by
// aligns ("L" or "R"), and returns the row height. It breaks the page first
// when the row would not fit.
func (r *renderer) row(cells []string, widths []float64, aligns []string, style string, size float64, fill bool) float64 {
	p := r.pdf
	r.font(style, size)
	lh := size * 0.5
	h := r.rowHeight(cells, widths, size)
	r.ensure(h)
	x, y := p.GetX(), p.GetY()
	if fill {
		p.SetFillColor(238, 241, 244)
		p.Rect(x, y, sum(widths), h, "F")
	}
	cx := x
	for i, c := range cells {
		p.SetXY(cx+1, y+0.8)
		p.MultiCell(widths[i]-2, lh, c, "", aligns[i], false)
		cx += widths[i]
	}
	p.SetDrawColor(220, 224, 228)
	p.SetLineWidth(0.2)
	p.Line(x, y+h, x+sum(widths), y+h)
	p.SetXY(x, y+h)
	return h
}

// rowHeight is the height of a row of cells in the current font.
func (r *renderer) rowHeight(cells []string, widths []float64, size float64) float64 {
	lines := 1
	for i, c := range cells {
		lines = max(lines, r.lines(c, widths[i]-2))
	}
	return float64(lines)*size*0.5 + 1.6
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

func (r *renderer) keyValues(kv *report.KeyValues, size float64) {
	key := r.width * 0.36
	for _, pair := range kv.Pairs {
		r.font("B", size)
		r.rowMixed(pair[0], pair[1], []float64{key, r.width - key}, size)
	}
}

// rowMixed is row with a bold first cell.
func (r *renderer) rowMixed(k, v string, widths []float64, size float64) {
	p := r.pdf
	lh := size * 0.5
	r.font("B", size)
	kl := r.lines(k, widths[0]-2)
	r.font("", size)
	vl := r.lines(v, widths[1]-2)
	h := float64(max(kl, vl, 1))*lh + 1.4
	r.ensure(h)
	x, y := p.GetX(), p.GetY()
	r.font("B", size)
	p.SetTextColor(70, 76, 84)
	p.SetXY(x+1, y+0.7)
	p.MultiCell(widths[0]-2, lh, k, "", "L", false)
	p.SetTextColor(0, 0, 0)
	r.font("", size)
	p.SetXY(x+widths[0]+1, y+0.7)
	p.MultiCell(widths[1]-2, lh, v, "", "L", false)
	p.SetDrawColor(230, 233, 236)
	p.SetLineWidth(0.2)
	p.Line(x, y+h, x+widths[0]+widths[1], y+h)
	p.SetXY(x, y+h)
}

func (r *renderer) table(t *report.Table) {
	p := r.pdf
	n := len(t.Header)
	widths := r.columnWidths(t)
	aligns := make([]string, n)
	for i := range aligns {
		aligns[i] = "L"
		if i < len(t.Numeric) && t.Numeric[i] {
			aligns[i] = "R"
		}
	}
	// Keep the caption, the header and the first row together.
	r.font("B", smallPt)
	need := r.rowHeight(t.Header, widths, smallPt)
	if len(t.Rows) > 0 {
		r.font("", smallPt)
		need += r.rowHeight(fit(t.Rows[0], n), widths, smallPt)
	}
	r.font("B", bodyPt)
	r.ensure(float64(r.lines(t.Caption, r.width))*lineH + need)
	p.MultiCell(0, lineH, t.Caption, "", "L", false)
	header := func() { r.row(t.Header, widths, aligns, "B", smallPt, true) }
	header()
	_, pageH := p.GetPageSize()
	for _, cells := range t.Rows {
		cells = fit(cells, n)
		r.font("", smallPt)
		if p.GetY()+r.rowHeight(cells, widths, smallPt) > pageH-margin {
			p.AddPage()
			header() // the header again at the top of the new page
		}
		r.row(cells, widths, aligns, "", smallPt, false)
	}
	p.Ln(3)
}

// fit returns cells cut or padded to n.
func fit(cells []string, n int) []string {
	out := make([]string, n)
	copy(out, cells)
	return out
}

// columnWidths gives each column at least the width of its longest word (so
// no word is broken) and shares the rest of the text width in proportion to
// how much more each column's longest cell would need to fit on one line.
func (r *renderer) columnWidths(t *report.Table) []float64 {
	p := r.pdf
	n := len(t.Header)
	minW := make([]float64, n)
	want := make([]float64, n)
	// A cell's text gets its width less 2 mm of padding and fpdf's cell
	// margins on both sides; 0.3 mm more absorbs rounding.
	pad := 2 + 2*p.GetCellMargin() + 0.3
	measure := func(i int, text, style string) {
		r.font(style, smallPt)
		for _, w := range strings.Split(text, " ") { // not at no-break spaces
			minW[i] = max(minW[i], p.GetStringWidth(w)+pad)
		}
		want[i] = max(want[i], p.GetStringWidth(text)+pad)
	}
	for i, h := range t.Header {
		measure(i, h, "B")
	}
	for _, row := range t.Rows {
		for i := 0; i < n && i < len(row); i++ {
			measure(i, row[i], "")
		}
	}
	out := slices.Clone(minW)
	spare := r.width - sum(minW)
	if spare <= 0 { // words wider than the page: scale down, words may break
		for i := range out {
			out[i] *= r.width / sum(minW)
		}
		return out
	}
	var need float64
	for i := range want {
		need += want[i] - minW[i]
	}
	for i := range out {
		if need > 0 {
			out[i] += spare * (want[i] - minW[i]) / need
		} else {
			out[i] += spare / float64(n)
		}
	}
	return out
}
