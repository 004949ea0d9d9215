package pdfout_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/internal/reporttest"
)

// bboxPage is one page of `pdftotext -bbox` output (an XHTML document).
type bboxPage struct {
	Width  float64 `xml:"width,attr"`
	Height float64 `xml:"height,attr"`
	Words  []struct {
		XMin float64 `xml:"xMin,attr"`
		YMin float64 `xml:"yMin,attr"`
		XMax float64 `xml:"xMax,attr"`
		YMax float64 `xml:"yMax,attr"`
		Text string  `xml:",chardata"`
	} `xml:"word"`
}

// A callout far longer than a page is split across pages: every word is
// printed once, in order, the page count grows with it, and no word lies
// below the bottom margin or outside the page.
func TestLongCalloutSplitsAcrossPages(t *testing.T) {
	pdftotext := reporttest.Tool(t, "pdftotext", "poppler-utils")
	const words = 1500 // about four A4 pages of body text
	var text, items []string
	for i := range words {
		text = append(text, fmt.Sprintf("w%04d", i))
	}
	for i := range 40 {
		items = append(items, fmt.Sprintf("item%02d of the list, long enough to wrap onto a second line of the box when the page is narrow, as a symptom list may be", i))
	}
	// A word wider than the line is broken inside the box, not drawn past it.
	wide := strings.Repeat("X", 400)
	doc := &report.Document{Title: "Gut microbiome report", Sample: "long",
		Provenance: report.Provenance{Program: "zonula", Version: "test"},
		Alerts:     []*report.Callout{{Level: report.Urgent, Title: "A very long warning", Items: items, Text: strings.Join(text, " ") + " " + wide}},
		Sections:   []report.Section{{ID: "after", Title: "After the box", Blocks: []report.Block{&report.Paragraph{Text: "This paragraph follows the long box."}}}},
	}
	short := *doc
	short.Alerts = []*report.Callout{{Level: report.Urgent, Title: "A short warning", Text: "w0000 only"}}
	for _, size := range []string{"A4", "Letter"} {
		out, err := exec.Command(pdftotext, "-bbox", write(t, renderDoc(t, doc, size)), "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		var html struct {
			Pages []bboxPage `xml:"body>doc>page"`
		}
		if err := xml.Unmarshal(out, &html); err != nil {
			t.Fatalf("%s: pdftotext -bbox: %v", size, err)
		}
		shortOut, _ := exec.Command(pdftotext, "-bbox", write(t, renderDoc(t, &short, size)), "-").Output()
		if n, m := len(html.Pages), strings.Count(string(shortOut), "<page "); n < m+3 {
			t.Errorf("%s: %d pages with the long box, %d with a short one: the box did not flow onto more pages", size, n, m)
		}
		next, nitem, xs := 0, 0, 0
		after := false
		for pi, pg := range html.Pages {
			bottom := pg.Height - 18/25.4*72 // the bottom margin, in points
			for _, w := range pg.Words {
				if w.XMin < 0 || w.YMin < 0 || w.XMax > pg.Width || w.YMax > pg.Height {
					t.Errorf("%s page %d: %q outside the page", size, pi+1, w.Text)
				}
				isBody := strings.HasPrefix(w.Text, "w") && len(w.Text) == 5 || strings.HasPrefix(w.Text, "item") || strings.HasPrefix(w.Text, "XX")
				if isBody && w.YMax > bottom+0.5 {
					t.Errorf("%s page %d: %q below the bottom margin (%.1f > %.1f pt)", size, pi+1, w.Text, w.YMax, bottom)
				}
				switch {
				case w.Text == fmt.Sprintf("w%04d", next):
					next++
				case w.Text == fmt.Sprintf("item%02d", nitem):
					nitem++
				case strings.HasPrefix(w.Text, "XX"):
					xs += len(w.Text)
				case w.Text == "follows":
					after = next == words
				}
			}
		}
		blankBelowMargin(t, write(t, renderDoc(t, doc, size)), size)
		if next != words || nitem != 40 || xs != len(wide) || !after {
			t.Errorf("%s: words printed in order %d of %d, items %d of 40, wide word %d of %d characters, paragraph after the box %v", size, next, words, nitem, xs, len(wide), after)
		}
	}
}

// blankBelowMargin renders every page in grey and checks that the strip
// between the bottom margin (18 mm) and the footer (12 mm from the edge) is
// white: a box drawn past the margin shades it.
func blankBelowMargin(t *testing.T, pdf, size string) {
	t.Helper()
	pdftoppm := reporttest.Tool(t, "pdftoppm", "poppler-utils")
	dir := t.TempDir()
	const dpi = 50
	if out, err := exec.Command(pdftoppm, "-r", fmt.Sprint(dpi), "-gray", pdf, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "p-*.pgm"))
	if len(pages) == 0 {
		t.Fatal("pdftoppm wrote no pages")
	}
	for _, f := range pages {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var magic string
		var w, h, maxv int
		rd := bytes.NewReader(data)
		if _, err := fmt.Fscan(rd, &magic, &w, &h, &maxv); err != nil || magic != "P5" || maxv != 255 {
			t.Fatalf("%s: not an 8-bit PGM: %v", f, err)
		}
		px := data[len(data)-rd.Len()+1:] // one whitespace byte ends the header
		if len(px) < w*h {
			t.Fatalf("%s: PGM too short", f)
		}
		mm := float64(dpi) / 25.4
		for y := h - int(17.5*mm); y < h-int(12.5*mm); y++ {
			for x := 0; x < w; x++ {
				if px[y*w+x] < 250 {
					t.Errorf("%s %s: ink at (%d, %d) below the bottom margin", size, filepath.Base(f), x, y)
					return
				}
			}
		}
	}
}
