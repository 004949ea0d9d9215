package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// metricsTable is a taxa-as-rows TSV of three samples with lineages.
const metricsTable = "#OTU ID\tA\tB\tC\ttaxonomy\n" +
	"f1\t10\t0\t5\tk__Bacteria; p__Firmicutes; c__Clostridia; o__Clostridiales; f__Ruminococcaceae; g__Faecalibacterium\n" +
	"f2\t20\t1\t5\tk__Bacteria; p__Bacteroidetes; c__Bacteroidia; o__Bacteroidales; f__Bacteroidaceae; g__Bacteroides\n" +
	"f3\t30\t1\t0\tk__Bacteria; p__Verrucomicrobia; c__Verrucomicrobiae; o__Verrucomicrobiales; f__Verrucomicrobiaceae; g__Akkermansia\n" +
	"f4\t0\t98\t5\tk__Bacteria; p__Proteobacteria; c__Gammaproteobacteria; o__Enterobacteriales; f__Enterobacteriaceae; g__Escherichia\n"

// shannonOf is H = −Σ p ln p, computed here independently of pipeline/metrics.
func shannonOf(counts ...float64) float64 {
	var n, h float64
	for _, c := range counts {
		n += c
	}
	for _, c := range counts {
		if c > 0 {
			h -= c / n * math.Log(c/n)
		}
	}
	return h
}

func writeTable(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// alphaRows parses an alpha TSV into sample → column → value.
func alphaRows(t *testing.T, tsv string) map[string]map[string]string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(tsv, "\n"), "\n")
	head := strings.Split(lines[0], "\t")
	out := map[string]map[string]string{}
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != len(head) {
			t.Fatalf("ragged alpha line %q", l)
		}
		row := map[string]string{}
		for i, h := range head {
			row[h] = f[i]
		}
		out[f[0]] = row
	}
	return out
}

func TestMetricsAlpha(t *testing.T) {
	table := writeTable(t, "table.tsv", metricsTable)
	code, out, errs := zonula(t, "", "metrics", table)
	if code != 0 {
		t.Fatalf("metrics: code %d: %s", code, errs)
	}
	rows := alphaRows(t, out)
	for sample, counts := range map[string][]float64{"A": {10, 20, 30}, "B": {1, 1, 98}, "C": {5, 5, 5}} {
		got, err := strconv.ParseFloat(rows[sample]["shannon"], 64)
		want := shannonOf(counts...)
		if err != nil || math.Abs(got-want) > 1e-12*want {
			t.Errorf("%s: Shannon %s, want %v", sample, rows[sample]["shannon"], want)
		}
		if rows[sample]["observed"] != strconv.Itoa(len(counts)) {
			t.Errorf("%s: observed %s, want %d", sample, rows[sample]["observed"], len(counts))
		}
	}
	if rows["C"]["faith_pd"] != "NA" {
		t.Errorf("Faith PD without a tree: %q, want NA", rows["C"]["faith_pd"])
	}
}

func TestMetricsOutputsAndDeterminism(t *testing.T) {
	table := writeTable(t, "table.tsv", metricsTable)
	tree := writeTable(t, "tree.nwk", "((f1:1,f2:2):0.5,(f3:1,f4:3):0.5);\n")
	var first map[string][]byte
	for range 2 {
		dir := filepath.Join(t.TempDir(), "m")
		code, _, errs := zonula(t, "", "metrics", "--rank", "feature", "--tree", tree,
			"--beta", "braycurtis,aitchison,weighted-unifrac", "-o", dir, table)
		if code != 0 {
			t.Fatalf("metrics -o: code %d: %s", code, errs)
		}
		files := map[string][]byte{}
		for _, name := range []string{"alpha.tsv", "metrics.json", "distance-braycurtis.tsv", "distance-aitchison.tsv", "distance-weighted-unifrac.tsv"} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			files[name] = b
		}
		if first == nil {
			first = files
			continue
		}
		for name, b := range files {
			if string(b) != string(first[name]) {
				t.Errorf("%s differs between two identical runs", name)
			}
		}
	}
	// Bray–Curtis of A (10, 20, 30, 0) and B (0, 1, 1, 98):
	// 1 − 2·Σmin / Σ(a+b) = 1 − 2·2/160.
	d := alphaRows(t, string(first["distance-braycurtis.tsv"]))
	if got, want := d["A"]["B"], strconv.FormatFloat(1-4.0/160, 'g', -1, 64); got != want {
		t.Errorf("Bray–Curtis A–B %s, want %s", got, want)
	}
	// Faith's PD of C (f1, f2, f4 present): 1 + 2 + 0.5 + 3 + 0.5.
	a := alphaRows(t, string(first["alpha.tsv"]))
	if a["C"]["faith_pd"] != "7" {
		t.Errorf("Faith PD of C = %s, want 7", a["C"]["faith_pd"])
	}
	var doc struct {
		Program string
		Level   string
		Beta    []struct{ Metric string }
	}
	if err := json.Unmarshal(first["metrics.json"], &doc); err != nil || doc.Program != "zonula" || doc.Level != "feature" || len(doc.Beta) != 3 {
		t.Errorf("metrics.json: %+v, %v", doc, err)
	}
}

func TestMetricsRarefy(t *testing.T) {
	table := writeTable(t, "table.tsv", metricsTable)
	code, out, errs := zonula(t, "", "metrics", "--rarefy", "50", "--json", table)
	if code != 0 {
		t.Fatalf("metrics --rarefy: code %d: %s", code, errs)
	}
	var doc struct {
		Rarefied int
		Dropped  []string
		Samples  []struct {
			Sample           string
			Alpha            struct{ Reads float64 }
			ExpectedRichness *float64 `json:"expected_richness"`
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// C has 15 reads, below the depth: left out and named.
	if doc.Rarefied != 50 || len(doc.Dropped) != 1 || doc.Dropped[0] != "C" || len(doc.Samples) != 2 {
		t.Fatalf("rarefied %d, dropped %v, %d samples", doc.Rarefied, doc.Dropped, len(doc.Samples))
	}
	for _, s := range doc.Samples {
		if s.Alpha.Reads != 50 || s.ExpectedRichness == nil {
			t.Errorf("%s: %v reads after rarefying, expected richness %v", s.Sample, s.Alpha.Reads, s.ExpectedRichness)
		}
	}
}

func TestMetricsBadInput(t *testing.T) {
	ragged := writeTable(t, "ragged.tsv", "#OTU ID\tA\tB\nf1\t1\t2\nf2\t3\n")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"metrics", ragged}, exitBadInput, "ragged.tsv:3"},
		{[]string{"metrics", "--rank", "kingdom", ragged}, exitUsage, "--rank"},
		{[]string{"metrics", "--beta", "euclid", "-o", t.TempDir(), ragged}, exitUsage, "--beta"},
		{[]string{"metrics", filepath.Join(t.TempDir(), "missing.tsv")}, exitBadInput, "missing.tsv"},
		{[]string{"metrics", "--tree", writeTable(t, "bad.nwk", "((a:1,b:2);"), ragged}, exitBadInput, "bad.nwk"},
	} {
		code, _, errs := zonula(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: code %d, stderr %q; want code %d naming %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
}
