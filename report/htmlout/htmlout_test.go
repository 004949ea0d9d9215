package htmlout_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/htmlout"
	"github.com/zonula/zonula/report/internal/reporttest"
	"github.com/zonula/zonula/report/knowledge"
)

const evil = reporttest.Evil

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
		doc, err := report.Build(reporttest.Placed(t, reporttest.Input(evil+" "+reporttest.Unicode, reporttest.GutGenera())), kb)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}},
	{"handmade", func(testing.TB) *report.Document { return reporttest.Document() }},
	{"cohort", reporttest.CohortDocument},
}

func renderDoc(t testing.TB, doc *report.Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := htmlout.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func render(t testing.TB) []byte {
	t.Helper()
	return renderDoc(t, documents[0].doc(t))
}

var (
	outside  = regexp.MustCompile(`(?i)@import|url\(\s*["']?\s*(https?:|//)|<link\b|<iframe\b|<object\b|<embed\b|<img\b|<base\b`)
	urlAttr  = regexp.MustCompile(`(?i)\s(src|srcset|href|xlink:href|action|data|poster|background)\s*=\s*["']?([^"'\s>]*)`)
	idAttr   = regexp.MustCompile(`\sid="([^"]*)"`)
	fontFace = regexp.MustCompile(`@font-face\{[^}]*\}`)
)

func TestEscapedSelfContainedDeterministic(t *testing.T) {
	for _, d := range documents {
		t.Run(d.name, func(t *testing.T) {
			a, b := renderDoc(t, d.doc(t)), renderDoc(t, d.doc(t))
			if !bytes.Equal(a, b) {
				t.Error("two renders of the same document differ")
			}
			if bytes.Contains(a, []byte(evil)) {
				t.Error("sample name with a script tag appears unescaped")
			}
			if n := bytes.Count(bytes.ToLower(a), []byte("<script")); n != 1 {
				t.Errorf("%d <script> elements, want only the sort script", n)
			}
			if !bytes.Contains(a, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
				t.Error("escaped sample name not found")
			}
			if !bytes.Contains(a, []byte(reporttest.Unicode)) {
				t.Error("Unicode text not kept")
			}
			// Nothing may be loaded from outside: every URL in an attribute
			// is an anchor in the page, a data: URL or (links only, followed
			// when clicked) a DOI; no @import, url(http…), <link> or <img>.
			if m := outside.Find(a); m != nil {
				t.Errorf("reference to outside content: %s", m)
			}
			ids := map[string]bool{}
			for _, m := range idAttr.FindAllSubmatch(a, -1) {
				ids[string(m[1])] = true
			}
			for _, m := range urlAttr.FindAllSubmatch(a, -1) {
				attr, u := strings.ToLower(string(m[1])), string(m[2])
				switch {
				case strings.HasPrefix(u, "#"):
					if !ids[u[1:]] {
						t.Errorf("link to missing anchor %s", u)
					}
				case strings.HasPrefix(u, "data:"):
				case attr == "href" && strings.HasPrefix(u, "https://doi.org/10."):
				default:
					t.Errorf("%s=%q points outside the file", attr, u)
				}
			}
			if !bytes.Contains(a, []byte(`Content-Security-Policy" content="default-src 'none'`)) {
				t.Error("no restrictive content-security policy")
			}
			for _, want := range []string{`<html lang="en">`, `name="viewport"`, "@media print", `<nav aria-label="Contents"`} {
				if !bytes.Contains(a, []byte(want)) {
					t.Errorf("page lacks %s", want)
				}
			}
			// Figures: inline SVG with their text alternative, fonts embedded
			// once for the whole page.
			figures := bytes.Count(a, []byte(`<figure id="fig-`))
			if figures == 0 {
				t.Error("no figures")
			}
			if n := bytes.Count(a, []byte(`<svg role="img" aria-label="`)); n != figures {
				t.Errorf("%d of %d figures have an accessible name", n, figures)
			}
			faces := fontFace.FindAll(a, -1)
			seen := map[string]bool{}
			for _, f := range faces {
				if !bytes.Contains(f, []byte("src: url(data:font/ttf;")) {
					t.Errorf("font not embedded as data: %.80s", f)
				}
				if seen[string(f)] {
					t.Errorf("font embedded twice: %.80s", f)
				}
				seen[string(f)] = true
			}
			if len(faces) == 0 || bytes.Contains(a, []byte("<defs>")) {
				t.Errorf("fonts not moved to the page's style sheet (%d @font-face)", len(faces))
			}
			if len(a) > 3<<20 {
				t.Errorf("HTML is %d bytes, over 3 MB", len(a))
			}
		})
	}
}

func TestHandmadeBlocks(t *testing.T) {
	doc := reporttest.Document()
	page := string(renderDoc(t, doc))
	at := func(s string) int {
		t.Helper()
		i := strings.Index(page, s)
		if i < 0 {
			t.Errorf("page lacks %q", s)
		}
		return i
	}
	// The alert comes before the first section and the table of contents.
	if alert, first, toc := at("See a clinician first"), at(`<section id="summary"`), at(`<nav aria-label="Contents"`); alert > first || alert > toc {
		t.Error("alert is not shown before the sections")
	}
	for _, s := range doc.Sections {
		at(`<h2 id="h-` + s.ID + `">` + s.Title + `</h2>`)
		at(`<li><a href="#` + s.ID + `">`)
	}
	at(`<figcaption>The five most common genera, share of reads (%).</figcaption>`)
	at(`<title>Bar chart: Bacteroides 31.2 %, Faecalibacterium`)
	at(`Genera &lt;script&gt;alert(1)&lt;/script&gt;`) // the plot's own title, escaped by vgsvg
	at(`<th scope="col" class="num" data-num="">Reads</th>`)
	at(`<td class="num">15 042</td>`)
	at(`<td>Escherichia &lt;script&gt;`)
	// The finding: a card with its grade badge and references linked to the list.
	card := page[at(`<article class="finding attention" id="finding-F-05a" data-level="none">`):]
	card = card[:strings.Index(card, "</article>")]
	for _, want := range []string{`<span class="grade" title="Evidence grade">Grade C/D</span>`, reporttest.FindingMeaning,
		`href="#ref-R-VIT14"`, `href="#ref-R-MIQ13"`, "[4]", "[5]", "G-01, G-03", "usual: 10–25 %"} {
		if !strings.Contains(card, want) {
			t.Errorf("finding card lacks %q", want)
		}
	}
	at(`<li id="ref-R-VIT14">`)
	at(`<a href="https://doi.org/10.1128/mBio.00889-14" rel="noreferrer">`)
	at(`<code>--sample=&lt;script&gt;alert(1)&lt;/script&gt;</code>`)
	at(`sha256 <code>9f2c4d1e0b7a6c5d</code>`)
	at(`class="sunburst"`)
}

// A document without a references section still lists its references, and
// a citation of a key not in the list shows the key instead of a dead link.
func TestReferencesWithoutSection(t *testing.T) {
	doc := reporttest.Document()
	doc.Sections = doc.Sections[:len(doc.Sections)-1]
	doc.Sections[0].Blocks = append(doc.Sections[0].Blocks, &report.Paragraph{Text: "Cites a missing key.", Refs: []string{"R-NONE99"}})
	page := string(renderDoc(t, doc))
	for _, want := range []string{`<li><a href="#references">References</a></li>`, `<li id="ref-R-GLO17">`, `<span class="cite">[R-NONE99]</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "#ref-R-NONE99") {
		t.Error("citation of a missing reference is a dead link")
	}
}

// numberKey reads a cell as the page's sort script does.
func numberKey(s string) float64 {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", "", "\u2212", "-").Replace(s)
	m := regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?`).FindString(s)
	if m == "" {
		return math.Inf(-1)
	}
	f, _ := strconv.ParseFloat(m, 64)
	return f
}

func TestChromium(t *testing.T) {
	chromium := reporttest.Tool(t, "chromium", "chromium")
	for _, d := range documents {
		t.Run(d.name, func(t *testing.T) { chromiumCheck(t, chromium, d.name, d.doc(t)) })
	}
}

func chromiumCheck(t *testing.T, chromium, name string, doc *report.Document) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, renderDoc(t, doc), 0o644); err != nil {
		t.Fatal(err)
	}
	pageURL := "file://" + file
	// Chromium's helper processes may still write to the profile for a
	// moment after the browser exits; remove it outside t.TempDir, retrying.
	profile, err := os.MkdirTemp("", "zonula-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun,
		chromedp.UserDataDir(profile), chromedp.WindowSize(1000, 1400))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	var problems, requests []string
	chromedp.ListenTarget(bctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning || e.Type == runtime.APITypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, "console "+string(e.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError || e.Entry.Level == log.LevelWarning {
				problems = append(problems, "log: "+e.Entry.Text)
			}
		case *network.EventRequestWillBeSent:
			if u := e.Request.URL; u != pageURL && !strings.HasPrefix(u, "data:") {
				requests = append(requests, u)
			}
		}
	})
	var h1 string
	var headings []string
	var sorted struct {
		Header string   `json:"header"`
		Sort   string   `json:"sort"`
		Cells  []string `json:"cells"`
	}
	var shot, phone, printed []byte
	var wide []string // tables wider than their box at 1,280 px, and the page
	var audit struct {
		Passes     int `json:"passes"`
		Violations []struct {
			ID     string `json:"id"`
			Impact string `json:"impact"`
			Help   string `json:"help"`
			Nodes  int    `json:"nodes"`
		} `json:"violations"`
	}
	axe := axeScript(t)
	err = chromedp.Run(bctx,
		network.Enable(), log.Enable(), runtime.Enable(),
		chromedp.Navigate(pageURL),
		chromedp.WaitReady("main"),
		chromedp.Text("h1", &h1),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("main h2")).map(h => h.textContent)`, &headings),
		// Sort the first numeric column of the first table that has one.
		chromedp.Evaluate(`(() => {
			const th = document.querySelector("table.sortable th[data-num]");
			if (!th) return {header: "", sort: "", cells: []};
			th.click();
			const col = th.cellIndex, table = th.closest("table");
			return {header: th.textContent, sort: th.getAttribute("aria-sort") || "",
				cells: Array.from(table.tBodies[0].rows, r => r.cells[col].textContent)};
		})()`, &sorted),
		chromedp.FullScreenshot(&shot, 100),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.CaptureScreenshot(&phone),
		chromedp.EmulateViewport(1280, 900),
		chromedp.Evaluate(`Array.from(document.querySelectorAll(".table-wrap")).filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.querySelector("caption").textContent)
			.concat(document.documentElement.scrollWidth > document.documentElement.clientWidth ? ["the page"] : [])`, &wide),
		chromedp.EmulateViewport(1000, 1400),
		// Printing uses the print style sheet; the PDF is kept for a look.
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			printed, _, err = page.PrintToPDF().WithPrintBackground(true).Do(ctx)
			return err
		}),
		chromedp.Evaluate(axe, nil),
		chromedp.Evaluate(`axe.run(document).then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length}))}))`, &audit,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if err != nil {
		t.Fatal(err)
	}
	if want := doc.Title + ": " + doc.Sample; strings.TrimSpace(h1) != want {
		t.Errorf("h1 is %q, want %q (the sample name as text)", h1, want)
	}
	for _, s := range doc.Sections {
		found := false
		for _, h := range headings {
			found = found || strings.TrimSpace(h) == s.Title
		}
		if !found {
			t.Errorf("section heading %q not in the page (%v)", s.Title, headings)
		}
	}
	if sorted.Header == "" {
		t.Error("no sortable numeric column")
	} else {
		if sorted.Sort != "ascending" {
			t.Errorf("clicking %q did not sort the table (aria-sort %q)", sorted.Header, sorted.Sort)
		}
		for i := 1; i < len(sorted.Cells); i++ {
			if numberKey(sorted.Cells[i-1]) > numberKey(sorted.Cells[i]) {
				t.Errorf("column %q not in ascending order after a click: %q", sorted.Header, sorted.Cells)
				break
			}
		}
	}
	if len(wide) > 0 {
		t.Errorf("wider than the page at 1,280 px, so they scroll sideways: %q", wide)
	}
	if audit.Passes == 0 {
		t.Error("axe-core ran no checks")
	}
	t.Logf("axe-core: %d rules passed, %d violated", audit.Passes, len(audit.Violations))
	for _, v := range audit.Violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("accessibility (axe-core): %s %s on %d element(s): %s", v.Impact, v.ID, v.Nodes, v.Help)
		} else {
			t.Logf("accessibility (axe-core, %s): %s: %s", v.Impact, v.ID, v.Help)
		}
	}
	if len(problems) > 0 {
		t.Errorf("console errors or exceptions: %v", problems)
	}
	if len(requests) > 0 {
		t.Errorf("the page requested outside resources: %v", requests)
	}
	out := dir
	if d := os.Getenv("ZONULA_SCREENSHOT_DIR"); d != "" {
		out = d
	}
	if !bytes.HasPrefix(printed, []byte("%PDF-")) {
		t.Error("printing the page gave no PDF")
	}
	for file, img := range map[string][]byte{"htmlout-" + name + ".png": shot, "htmlout-" + name + "-phone.png": phone, "htmlout-" + name + "-print.pdf": printed} {
		if strings.HasSuffix(file, ".png") && !bytes.HasPrefix(img, []byte("\x89PNG")) {
			t.Errorf("%s is not a PNG", file)
		}
		p := filepath.Join(out, file)
		if err := os.WriteFile(p, img, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s (%d bytes)", p, len(img))
	}
}

// axeScript returns axe-core's source, installed by scripts/install-test-deps.sh.
func axeScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../.cache/npm/node_modules/axe-core/axe.min.js")
	if err != nil {
		msg := "axe-core not installed (run scripts/install-test-deps.sh): " + err.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return string(b)
}

func BenchmarkRenderHTML(b *testing.B) {
	kb, _ := knowledge.Load()
	doc, err := report.Build(reporttest.BenchInput(b), kb)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var buf bytes.Buffer
		if err := htmlout.Render(&buf, doc); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSunburstAndFullTable(t *testing.T) {
	page := render(t)
	if n := bytes.Count(page, []byte("<path d=")); n < 10 {
		t.Errorf("sunburst has %d segments", n)
	}
	for _, want := range []string{`class="sunburst"`, "Faecalibacterium (genus): ", "Bacillota (phylum): ", "All taxa (click a column to sort)"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestProvenanceInMethods checks that a sample report opens with the
// summary and keeps its provenance (checksums, options) for the methods
// section at the end, while a document without ProvenanceIn keeps it under
// the title.
func TestProvenanceInMethods(t *testing.T) {
	html := string(renderDoc(t, documents[0].doc(t)))
	summary, methods := strings.Index(html, `id="summary"`), strings.Index(html, `id="limitations"`)
	first := strings.Index(html, "sha256")
	if summary < 0 || methods < 0 || first < methods || !strings.Contains(html[methods:], `id="provenance"`) {
		t.Errorf("provenance at %d, summary at %d, methods at %d", first, summary, methods)
	}
	if toc := strings.Index(html, `class="toc"`); toc < summary {
		t.Errorf("contents at %d, before the summary at %d", toc, summary)
	}
	cohort := string(renderDoc(t, reporttest.CohortDocument(t)))
	if i := strings.Index(cohort, `<dl class="provenance">`); i < 0 || i > strings.Index(cohort, "</header>") {
		t.Error("a cohort report lost its provenance under the title")
	}
}
