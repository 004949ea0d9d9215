package pdfout_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/internal/reporttest"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/report/pdfout"
)

const unicode = "µg/g ≥ 50 ± 5 é α β"

func render(t testing.TB, size string) []byte {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := report.Build(reporttest.Input("S1 "+unicode, reporttest.GutGenera), kb)
	if err != nil {
		t.Fatal(err)
	}
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
	if !bytes.Equal(render(t, "A4"), render(t, "A4")) {
		t.Error("two renders of the same document differ")
	}
	if _, err := (func() ([]byte, error) {
		var b bytes.Buffer
		err := pdfout.Render(&b, &report.Document{}, pdfout.Options{PageSize: "B5"})
		return b.Bytes(), err
	})(); err == nil {
		t.Error("page size B5 accepted")
	}
}

func TestFontsEmbedded(t *testing.T) {
	pdffonts := reporttest.Tool(t, "pdffonts", "poppler-utils")
	out, err := exec.Command(pdffonts, write(t, render(t, "A4"))).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no fonts:\n%s", out)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type... encoding emb sub uni object ID: emb is the 5th field from the end.
		if len(f) < 6 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
	}
}

func TestTextAndPages(t *testing.T) {
	pdftotext := reporttest.Tool(t, "pdftotext", "poppler-utils")
	pdfinfo := reporttest.Tool(t, "pdfinfo", "poppler-utils")
	for size, want := range map[string]string{"A4": "595.28 x 841.89", "Letter": "612 x 792"} {
		p := write(t, render(t, size))
		info, err := exec.Command(pdfinfo, p).Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(info), want) {
			t.Errorf("%s: pdfinfo does not show page size %s:\n%s", size, want, info)
		}
		txt, err := exec.Command(pdftotext, "-layout", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(txt)), " ")
		for _, s := range []string{"Summary", "Sequencing quality", "Composition", "Diversity", "Barrier-related taxa", "Indices", "Guidance", "Limitations and methods", "References",
			"This report is not a diagnosis", unicode, "Butyrate-producing genera", "Faecalibacterium", "page 1 of", "Grade C/D"} {
			if !strings.Contains(text, s) {
				t.Errorf("%s: PDF text lacks %q", size, s)
			}
		}
	}
}

func TestPagesLookRight(t *testing.T) {
	pdftoppm := reporttest.Tool(t, "pdftoppm", "poppler-utils")
	dir := t.TempDir()
	if d := os.Getenv("ZONULA_SCREENSHOT_DIR"); d != "" {
		dir = d
	}
	p := write(t, render(t, "A4"))
	if out, err := exec.Command(pdftoppm, "-png", "-r", "60", p, filepath.Join(dir, "pdfout-page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "pdfout-page-*.png"))
	if len(pages) < 3 {
		t.Errorf("%d pages rendered", len(pages))
	}
	t.Logf("pages rendered to %s", dir)
}

func BenchmarkRenderPDF(b *testing.B) {
	kb, _ := knowledge.Load()
	doc, err := report.Build(reporttest.Input("bench", reporttest.GutGenera), kb)
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
