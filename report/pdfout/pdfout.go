package pdfout

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/zonula/zonula/report"
)

// Options choose the page.
type Options struct {
	PageSize string // "A4" (default) or "Letter"
}

const (
	family  = "liberationsans" // the report's text face
	margin  = 18.0             // mm
	lineH   = 4.8              // mm, body text
	bodyPt  = 9.5
	smallPt = 8.0
)

type renderer struct {
	pdf     *fpdf.Fpdf
	doc     *report.Document
	numbers map[string]int
	width   float64 // text width, mm
	canvas  *canvas
	figures int
}

// Render writes doc as a PDF.
func Render(w io.Writer, doc *report.Document, opts Options) error {
	size := opts.PageSize
	switch size {
	case "", "A4":
		size = "A4"
	case "Letter":
	default:
		return fmt.Errorf("pdfout: page size %q: want A4 or Letter", opts.PageSize)
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", SizeStr: size})
	pdf.SetCatalogSort(true)
	// A fixed date keeps the bytes the same; fpdf would use the clock for a
	// zero one.
	when := doc.Provenance.Finished
	if when.IsZero() {
		when = doc.Provenance.Started
	}
	if when.IsZero() {
		when = time.Unix(0, 0)
	}
	when = when.UTC()
	pdf.SetCreationDate(when)
	pdf.SetModificationDate(when)
	pdf.SetCompression(true)
	pdf.SetTitle(doc.Title+": "+doc.Sample, true)
	pdf.SetSubject("Gut microbiome report (not a diagnosis)", true)
	pdf.SetCreator(doc.Provenance.Program+" "+doc.Provenance.Version, true)
	pdf.SetAuthor(doc.Provenance.Program, true)
	pdf.SetLang("en")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AliasNbPages("{nb}")
	pageW, _ := pdf.GetPageSize()
	r := &renderer{pdf: pdf, doc: doc, numbers: map[string]int{}, width: pageW - 2*margin}
	r.canvas = newCanvas(pdf)
	for i, ref := range doc.References {
		r.numbers[ref.Key] = i + 1
	}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		r.font("I", 7.5)
		pdf.SetTextColor(90, 96, 104)
		pdf.CellFormat(0, 5, fmt.Sprintf("%s · %s · %s %s · not a diagnosis · page %d of {nb}",
			doc.Title, doc.Sample, doc.Provenance.Program, doc.Provenance.Version, pdf.PageNo()), "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	r.masthead()
	for _, a := range doc.Alerts {
		r.callout(a)
	}
	sections := doc.Sections
	if len(doc.References) > 0 && !slices.ContainsFunc(sections, func(s report.Section) bool { return s.ID == "references" }) {
		sections = append(slices.Clip(sections), report.Section{ID: "references", Title: "References"})
	}
	for _, s := range sections {
		if err := r.section(s); err != nil {
			return err
		}
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

func (r *renderer) font(style string, size float64) { r.canvas.setFont(family, style, size) }

// ensure starts a new page unless h mm still fit on this one.
func (r *renderer) ensure(h float64) {
	_, pageH := r.pdf.GetPageSize()
	if r.pdf.GetY()+h > pageH-margin {
		r.pdf.AddPage()
	}
}

func (r *renderer) cites(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	nums := make([]string, len(keys))
	for i, k := range keys {
		if n, ok := r.numbers[k]; ok {
			nums[i] = fmt.Sprint(n)
		} else {
			nums[i] = k // not in the list: the key says more than a number
		}
	}
	return " [" + strings.Join(nums, ", ") + "]"
}

// citeKeys lists references by number and key, "[4] R-VIT14, [5] R-MIQ13",
// for findings, whose sources a reader may want to look up by name.
func (r *renderer) citeKeys(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		if n, ok := r.numbers[k]; ok {
			out[i] = fmt.Sprintf("[%d] %s", n, k)
		} else {
			out[i] = k
		}
	}
	return strings.Join(out, ", ")
}

func (r *renderer) masthead() {
	p, d := r.pdf, r.doc
	r.font("", smallPt)
	p.SetTextColor(90, 96, 104)
	p.CellFormat(0, 4, "ZONULA · GUT MICROBIOME REPORT", "", 1, "L", false, 0, "")
	p.SetTextColor(0, 0, 0)
	r.font("B", 17)
	p.MultiCell(0, 8, d.Title+": "+d.Sample, "", "L", false)
	p.Ln(1)
	prov := d.Provenance
	var opts []string
	for _, o := range prov.Options {
		opts = append(opts, "--"+o.Name+"="+o.Value)
	}
	pairs := [][2]string{
		{"Made by", strings.TrimSpace(prov.Program + " " + prov.Version + commitNote(prov.Commit))},
		{"Database", databaseLine(prov.Database)},
	}
	if !prov.Started.IsZero() {
		pairs = append(pairs, [2]string{"Run", prov.Started.UTC().Format("2006-01-02 15:04 UTC")})
	}
	var inputs []string
	for _, in := range prov.Inputs {
		s := in.Path
		if in.SHA256 != "" {
			s += fmt.Sprintf(" (sha256 %.16s)", in.SHA256)
		}
		inputs = append(inputs, s)
	}
	if len(inputs) > 0 {
		pairs = append(pairs, [2]string{"Input", strings.Join(inputs, ", ")})
	}
	pairs = append(pairs, [2]string{"Options", strings.Join(opts, " ")})
	r.keyValues(&report.KeyValues{Pairs: pairs}, smallPt)
	p.Ln(2)
}

func commitNote(c string) string {
	if c == "" {
		return ""
	}
	if len(c) > 12 {
		c = c[:12]
	}
	return " (" + c + ")"
}

func (r *renderer) section(s report.Section) error {
	p := r.pdf
	r.ensure(22)
	p.Ln(3)
	p.Bookmark(s.Title, 0, -1)
	r.font("B", 14)
	p.SetTextColor(0, 90, 140)
	p.CellFormat(0, 8, s.Title, "", 1, "L", false, 0, "")
	p.SetDrawColor(200, 206, 212)
	p.SetLineWidth(0.4)
	y := p.GetY()
	p.Line(margin, y, margin+r.width, y)
	p.SetTextColor(0, 0, 0)
	p.Ln(2.5)
	if s.ID == "references" {
		r.references()
	}
	for _, blk := range s.Blocks {
		switch b := blk.(type) {
		case *report.Paragraph:
			r.font("", bodyPt)
			p.MultiCell(0, lineH, b.Text+r.cites(b.Refs), "", "L", false)
			p.Ln(1.5)
		case *report.KeyValues:
			r.keyValues(b, bodyPt)
			p.Ln(2)
		case *report.Table:
			if b.ScreenOnly {
				r.note("The full table (" + strings.ToLower(b.Caption) + ") is in the HTML report.")
				continue
			}
			r.table(b)
		case *report.Hierarchy:
			r.note("The composition by rank as an interactive sunburst is in the HTML report.")
		case *report.Figure:
			if err := r.figure(b); err != nil {
				return err
			}
		case *report.Finding:
			r.finding(b)
		case *report.Callout:
			r.callout(b)
		default:
			return fmt.Errorf("pdfout: unknown block %T", blk)
		}
	}
	return nil
}

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
	lines := [][2]string{{"B", f.ID + "  " + f.Title + "   (" + report.GradeLabel(f.Grade) + ")"}, {"", "Value: " + f.Value}}
	if f.Range != "" {
		lines = append(lines, [2]string{"", "Reference: " + f.Range})
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

func (r *renderer) references() {
	p := r.pdf
	for i, ref := range r.doc.References {
		text := ref.Key + " · " + ref.Citation
		if ref.DOI != "" {
			text += " · doi:" + ref.DOI
		}
		r.font("", smallPt)
		lines := r.lines(text, r.width-10)
		r.ensure(float64(lines)*4 + 1)
		y := p.GetY()
		p.SetXY(margin, y)
		p.CellFormat(9, 4, fmt.Sprintf("[%d]", i+1), "", 0, "R", false, 0, "")
		p.SetXY(margin+10, y)
		p.MultiCell(r.width-10, 4, text, "", "L", false)
		p.Ln(0.8)
	}
}

// databaseLine describes the database; a cohort or comparison made from
// tables has only a name (no checksum), and shows only that.
func databaseLine(db report.Database) string {
	if db.SHA256 == "" {
		return strings.TrimSpace(db.Name + " " + db.Version)
	}
	return fmt.Sprintf("%s %s, %d sequences, sha256 %.16s", db.Name, db.Version, db.Sequences, db.SHA256)
}
