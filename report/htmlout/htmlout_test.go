package htmlout_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/htmlout"
	"github.com/zonula/zonula/report/internal/reporttest"
	"github.com/zonula/zonula/report/knowledge"
)

const evil = `<script>alert(1)</script>`

func render(t testing.TB) []byte {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := report.Build(reporttest.Input(evil+" µg/g ≥ 50 ± 5 é α β", reporttest.GutGenera), kb)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := htmlout.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestEscapedSelfContainedDeterministic(t *testing.T) {
	a, b := render(t), render(t)
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same document differ")
	}
	if bytes.Contains(a, []byte(evil)) {
		t.Error("sample name with a script tag appears unescaped")
	}
	if !bytes.Contains(a, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
		t.Error("escaped sample name not found")
	}
	if !bytes.Contains(a, []byte("µg/g ≥ 50 ± 5 é α β")) {
		t.Error("Unicode text not kept")
	}
	// Nothing may be loaded from outside: no src/href to another host except
	// plain DOI links (followed only when clicked), no @import, no url(http).
	outside := regexp.MustCompile(`(?i)(src|srcset|action|data)\s*=\s*["']?\s*(https?:|//)|@import|url\(\s*["']?\s*(https?:|//)|<link\b|<iframe\b|<object\b|<embed\b`)
	if m := outside.Find(a); m != nil {
		t.Errorf("reference to outside content: %s", m)
	}
	for _, href := range regexp.MustCompile(`href="(https?:[^"]*)"`).FindAllSubmatch(a, -1) {
		if !strings.HasPrefix(string(href[1]), "https://doi.org/") {
			t.Errorf("outside link that is not a DOI: %s", href[1])
		}
	}
	if !bytes.Contains(a, []byte(`Content-Security-Policy" content="default-src 'none'`)) {
		t.Error("no restrictive content-security policy")
	}
	if len(a) > 2<<20 {
		t.Errorf("HTML is %d bytes, over 2 MB", len(a))
	}
}

func TestChromium(t *testing.T) {
	chromium := reporttest.Tool(t, "chromium", "chromium")
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, render(t), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")), chromedp.WindowSize(1000, 1400))
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
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning {
				problems = append(problems, "console "+string(e.Type))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError {
				problems = append(problems, "log: "+e.Entry.Text)
			}
		case *network.EventRequestWillBeSent:
			if u := e.Request.URL; !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
				requests = append(requests, u)
			}
		}
	})
	var h1 string
	var headings []string
	var sorted string
	var shot []byte
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
	err := chromedp.Run(bctx,
		network.Enable(), log.Enable(), runtime.Enable(),
		chromedp.Navigate("file://"+page),
		chromedp.WaitReady("main"),
		chromedp.Text("h1", &h1),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("main h2")).map(h => h.textContent)`, &headings),
		chromedp.Evaluate(`(() => { const th = document.querySelector("#composition table th:nth-child(3)"); th.click(); return (th.getAttribute("tabindex") || "no-tabindex") + "/" + (th.getAttribute("aria-sort") || "unsorted") + "/" + document.querySelector("#composition table tbody tr td:nth-child(3)").textContent; })()`, &sorted),
		chromedp.FullScreenshot(&shot, 80),
		chromedp.Evaluate(axe, nil),
		chromedp.Evaluate(`axe.run(document).then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length}))}))`, &audit,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h1, evil) {
		t.Errorf("h1 %q does not show the sample name as text", h1)
	}
	for _, want := range []string{"Summary", "Sequencing quality", "Composition", "Diversity", "Barrier-related taxa", "Indices", "Guidance", "Limitations and methods", "References"} {
		found := false
		for _, h := range headings {
			found = found || strings.TrimSpace(h) == want
		}
		if !found {
			t.Errorf("section heading %q not in the page (%v)", want, headings)
		}
	}
	if !strings.HasPrefix(sorted, "0/ascending/") {
		t.Errorf("clicking a column header did not sort the table (aria-sort %q)", sorted)
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
	out := filepath.Join(dir, "report.png")
	if d := os.Getenv("ZONULA_SCREENSHOT_DIR"); d != "" {
		out = filepath.Join(d, "htmlout-report.png")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", out, len(shot))
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
	doc, err := report.Build(reporttest.Input("bench", reporttest.GutGenera), kb)
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
