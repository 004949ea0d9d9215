package pdfout

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

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
	g := newGlyphs()
	doc = g.document(doc)
	inText := g.replaced
	r := &renderer{pdf: pdf, doc: doc, numbers: map[string]int{}, width: pageW - 2*margin}
	r.canvas = newCanvas(pdf, g)
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
	if inText > 0 {
		r.note(replacedNote(inText))
	}
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
	if n := g.replaced - inText; n > 0 {
		r.note("In the figures: " + replacedNote(n))
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

// replacedNote says that n characters could not be drawn.
func replacedNote(n int) string {
	what := "character"
	if n > 1 {
		what = "characters"
	}
	return fmt.Sprintf("%d %s (an emoji or a script the PDF's fonts do not cover) could not be drawn in this PDF and show as %q; the HTML report shows them as written.", n, what, Replacement)
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
	if d.ProvenanceIn != "" {
		line := strings.TrimSpace(d.Provenance.Program + " " + d.Provenance.Version)
		if !d.Provenance.Started.IsZero() {
			line += " · " + d.Provenance.Started.UTC().Format("2006-01-02 15:04 UTC")
		}
		r.font("", smallPt)
		p.SetTextColor(90, 96, 104)
		p.MultiCell(0, 4, line+" · not a diagnosis · how it was made: see Provenance at the end", "", "L", false)
		p.SetTextColor(0, 0, 0)
		p.Ln(2)
		return
	}
	r.provenance()
}

// provenance lays out the document's provenance: program, database and
// checksum, run time, inputs with checksums, options.
func (r *renderer) provenance() {
	p, d := r.pdf, r.doc
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
	if s.ID != "" && s.ID == r.doc.ProvenanceIn {
		r.ensure(30)
		r.font("B", 11)
		p.CellFormat(0, 6, "Provenance", "", 1, "L", false, 0, "")
		r.provenance()
	}
	return nil
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
