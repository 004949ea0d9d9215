package pdfout_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/internal/reporttest"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/report/pdfout"
)

const unicode = reporttest.Unicode

// documents are the documents every test renders: one assembled by
// report.Build from a plausible profile, one made by hand with every block
// type.
var documents = []struct {
	name string
	doc  func(testing.TB) *report.Document
}{
	{"built", func(t testing.TB) *report.Document {
		kb, err := knowledge.Load()
		if err != nil {
			t.Fatal(err)
		}
		doc, err := report.Build(reporttest.Placed(t, reporttest.Input("S1 "+unicode, reporttest.GutGenera())), kb)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}},
	{"handmade", func(testing.TB) *report.Document { return reporttest.Document() }},
	{"cohort", reporttest.CohortDocument},
	{"compare", reporttest.CompareDocument},
}

func renderDoc(t testing.TB, doc *report.Document, size string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pdfout.Render(&b, doc, pdfout.Options{PageSize: size}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func write(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDeterministic(t *testing.T) {
	for _, d := range documents {
		a, b := renderDoc(t, d.doc(t), "A4"), renderDoc(t, d.doc(t), "A4")
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders of the same document differ", d.name)
		}
		if !bytes.Contains(a, []byte("/CreationDate (D:20261125")) {
			t.Errorf("%s: creation date is not the run's", d.name)
		}
	}
	// A document without dates still gives the same bytes (no clock).
	doc := reporttest.Document()
	doc.Provenance.Started, doc.Provenance.Finished = time.Time{}, time.Time{}
	if !bytes.Equal(renderDoc(t, doc, "Letter"), renderDoc(t, doc, "Letter")) {
		t.Error("two renders of a document without dates differ")
	}
	var b bytes.Buffer
	if err := pdfout.Render(&b, &report.Document{}, pdfout.Options{PageSize: "B5"}); err == nil {
		t.Error("page size B5 accepted")
	}
}

func TestFontsEmbedded(t *testing.T) {
	pdffonts := reporttest.Tool(t, "pdffonts", "poppler-utils")
	for _, d := range documents {
		out, err := exec.Command(pdffonts, write(t, renderDoc(t, d.doc(t), "A4"))).Output()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) < 3 {
			t.Fatalf("%s: pdffonts lists no fonts:\n%s", d.name, out)
		}
		for _, l := range lines[2:] {
			f := strings.Fields(l)
			// name type... encoding emb sub uni object ID: emb is the 5th field from the end.
			if len(f) < 6 || f[len(f)-5] != "yes" {
				t.Errorf("%s: font not embedded: %s", d.name, l)
			}
			if !strings.Contains(strings.ToLower(l), "liberation") {
				t.Errorf("%s: font other than Liberation: %s", d.name, l)
			}
		}
	}
}

var pageOf = regexp.MustCompile(`page 1 of ([0-9]+)`)

func TestTextAndPages(t *testing.T) {
	pdftotext := reporttest.Tool(t, "pdftotext", "poppler-utils")
	pdfinfo := reporttest.Tool(t, "pdfinfo", "poppler-utils")
	for _, d := range documents {
		doc := d.doc(t)
		want := []string{unicode, "page 1 of", "This report is not a diagnosis"}
		for _, s := range doc.Sections {
			want = append(want, s.Title)
		}
		for _, r := range doc.References {
			want = append(want, r.Key)
		}
		switch d.name {
		case "built":
			want = append(want, "Butyrate-producing genera", "Faecalibacterium", "Grade C/D")
		case "handmade":
			want = append(want, reporttest.FindingMeaning, "F-05a Butyrate producers lower than usual", "Grade C/D",
				"References: [4] R-VIT14, [5] R-MIQ13", "See a clinician first", reporttest.Evil, "15 042", "is in the HTML report")
		case "cohort":
			want = append(want, reporttest.Evil, "PERMANOVA", "Akkermansia", "Limits of this test", "Expected genera at")
		case "compare":
			want = append(want, reporttest.Evil, "Bray–Curtis", "read sampling alone", "No normal range for change is claimed", "Faecalibacterium")
		}
		for size, dims := range map[string]string{"A4": "595.28 x 841.89", "Letter": "612 x 792"} {
			p := write(t, renderDoc(t, doc, size))
			info, err := exec.Command(pdfinfo, p).Output()
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"Page size:       " + dims, "Creator:         zonula " + doc.Provenance.Version, "Title:           " + doc.Title} {
				if !strings.Contains(string(info), s) {
					t.Errorf("%s %s: pdfinfo lacks %q:\n%s", d.name, size, s, info)
				}
			}
			txt, err := exec.Command(pdftotext, "-layout", p, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(txt)), " ")
			for _, s := range want {
				if !strings.Contains(text, strings.Join(strings.Fields(s), " ")) {
					t.Errorf("%s %s: PDF text lacks %q", d.name, size, s)
				}
			}
			pages := regexp.MustCompile(`Pages:\s+([0-9]+)`).FindSubmatch(info)
			if m := pageOf.FindStringSubmatch(text); m == nil || pages == nil || m[1] != string(pages[1]) {
				t.Errorf("%s %s: footer %q does not give the page count %s", d.name, size, m, pages)
			}
		}
	}
}

// The figure is vector: its text is text in the PDF (pdftotext finds the
// axis labels) and no image is embedded.
func TestVectorFigure(t *testing.T) {
	pdftotext := reporttest.Tool(t, "pdftotext", "poppler-utils")
	pdfimages := reporttest.Tool(t, "pdfimages", "poppler-utils")
	p := write(t, renderDoc(t, reporttest.Document(), "A4"))
	txt, err := exec.Command(pdftotext, p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Faecalibacterium", "Akkermansia", "reference median", "share of reads (%)", "genus (" + unicode + ")"} {
		if !bytes.Contains(txt, []byte(s)) {
			t.Errorf("figure text %q not in the PDF", s)
		}
	}
	imgs, err := exec.Command(pdfimages, "-list", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Split(strings.TrimSpace(string(imgs)), "\n")) - 2; n != 0 {
		t.Errorf("%d raster images in the PDF:\n%s", n, imgs)
	}
}

func TestOutline(t *testing.T) {
	doc := reporttest.Document()
	pdf := renderDoc(t, doc, "A4")
	if !bytes.Contains(pdf, []byte("/Outlines")) {
		t.Fatal("no outline (bookmarks)")
	}
	if n := bytes.Count(pdf, []byte("/Title (")) - 1; n != len(doc.Sections) { // one /Title is the document's
		t.Errorf("%d bookmarks, want one per section (%d)", n, len(doc.Sections))
	}
}

// TestPagesLookRight renders the pages as PNG files for a person to look at
// (kept in ZONULA_SCREENSHOT_DIR when set).
func TestPagesLookRight(t *testing.T) {
	pdftoppm := reporttest.Tool(t, "pdftoppm", "poppler-utils")
	dir := t.TempDir()
	if d := os.Getenv("ZONULA_SCREENSHOT_DIR"); d != "" {
		dir = d
	}
	for _, d := range documents {
		p := write(t, renderDoc(t, d.doc(t), "A4"))
		prefix := filepath.Join(dir, "pdfout-"+d.name)
		if out, err := exec.Command(pdftoppm, "-png", "-r", "60", p, prefix).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, out)
		}
		pages, _ := filepath.Glob(prefix + "-*.png")
		if len(pages) < 2 {
			t.Errorf("%s: %d pages rendered", d.name, len(pages))
		}
		t.Logf("%s: %d pages rendered to %s-*.png", d.name, len(pages), prefix)
	}
}

func BenchmarkRenderPDF(b *testing.B) {
	kb, _ := knowledge.Load()
	doc, err := report.Build(reporttest.BenchInput(b), kb)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var buf bytes.Buffer
		if err := pdfout.Render(&buf, doc, pdfout.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFirstPageIsForThePerson checks the sample report's first page as
// pdftotext reads it: the summary, the key findings and the
// see-a-clinician box, and no provenance (checksums, options), which is at
// the end, in the methods section.
func TestFirstPageIsForThePerson(t *testing.T) {
	pdftotext := reporttest.Tool(t, "pdftotext", "poppler-utils")
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	in := reporttest.Input("S1", reporttest.Bloom())
	doc, err := report.Build(in, kb)
	if err != nil {
		t.Fatal(err)
	}
	p := write(t, renderDoc(t, doc, "A4"))
	page := func(first, last string) string {
		out, err := exec.Command(pdftotext, "-f", first, "-l", last, p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(out)), " ")
	}
	one := page("1", "1")
	for _, want := range []string{"Summary", "unusual compared with healthy adults", "Key findings", "E. coli family", "See a clinician, whatever this report shows", "how it was made: see Provenance at the end"} {
		if !strings.Contains(one, want) {
			t.Errorf("first page lacks %q:\n%s", want, one)
		}
	}
	for _, not := range []string{"sha256", "--min-length", "Sequencing quality"} {
		if strings.Contains(one, not) {
			t.Errorf("first page holds %q:\n%s", not, one)
		}
	}
	if all := page("2", "99"); !strings.Contains(all, "Provenance") || !strings.Contains(all, "sha256 0e8c375eea9296c9") || !strings.Contains(all, "--min-length=1000") {
		t.Error("the provenance is not in the methods section")
	}
}

// TestCharactersOutsideTheFonts checks that text the embedded fonts cannot
// draw (an emoji diet, a script Liberation lacks) never fails the PDF: it is
// replaced, and the PDF says so.
func TestCharactersOutsideTheFonts(t *testing.T) {
	pdftotext := reporttest.Tool(t, "pdftotext", "poppler-utils")
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	in := reporttest.Input("S🥦1", reporttest.GutGenera())
	in.Metadata = report.Metadata{Diet: "🥦 and 🍣\ufe0f, 漢字", Symptoms: []string{"bloating 😩"}}
	doc, err := report.Build(in, kb)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, write(t, renderDoc(t, doc, "A4")), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"S?1", "“? and ?, ??”", "bloating ?", "could not be drawn in this PDF"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}
