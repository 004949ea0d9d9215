package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// metricsFile is the part of metrics.json these tests read.
type metricsFile struct {
	Indices []struct {
		ID       string   `json:"id"`
		Value    *float64 `json:"value"`
		Reason   string   `json:"not_computed_because"`
		Drivers  []any    `json:"drivers"`
		Coverage *struct {
			Taxa       int      `json:"taxa"`
			Detectable []string `json:"detectable"`
		} `json:"coverage"`
	} `json:"indices"`
	Percentiles struct {
		Reference string             `json:"reference_set"`
		N         int                `json:"n"`
		Source    string             `json:"source"`
		Values    map[string]float64 `json:"values"`
	} `json:"percentiles"`
}

func readMetrics(t *testing.T, dir string) metricsFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m metricsFile
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("metrics.json: %v", err)
	}
	return m
}

// cohortBIOM writes a dense BIOM 1.0 table of n samples over four genera,
// sample i holding 100+10·i Faecalibacterium reads.
func cohortBIOM(t *testing.T, path string, n int) {
	t.Helper()
	genera := []string{
		"d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Ruminococcaceae;g__Faecalibacterium",
		"d__Bacteria;p__Bacteroidetes;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides",
		"d__Bacteria;p__Proteobacteria;c__Gammaproteobacteria;o__Enterobacteriales;f__Enterobacteriaceae;g__Escherichia",
		"d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Lachnospiraceae;g__Roseburia",
	}
	var rows, cols []string
	for _, g := range genera {
		rows = append(rows, fmt.Sprintf(`{"id": %q, "metadata": {"taxonomy": %q}}`, g, g))
	}
	data := make([][]int, len(genera))
	for i := range n {
		cols = append(cols, fmt.Sprintf(`{"id": "P%02d", "metadata": null}`, i))
		for j := range genera {
			data[j] = append(data[j], []int{100 + 10*i, 400, 5 + i%3, 60}[j])
		}
	}
	d, _ := json.Marshal(data)
	doc := fmt.Sprintf(`{"id": "cohort", "format": "Biological Observation Matrix 1.0.0", "type": "OTU table", "matrix_type": "dense", "matrix_element_type": "int", "shape": [%d, %d], "rows": [%s], "columns": [%s], "data": %s}`,
		len(genera), n, strings.Join(rows, ","), strings.Join(cols, ","), d)
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRunMetricsIndicesAndReference(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end run skipped in -short mode")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "embedded")
	if code, _, errs := zonula(t, "", "run", demoReads, "-o", out, "--format", "none", "-q"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	m := readMetrics(t, out)
	ids := map[string]bool{}
	for _, x := range m.Indices {
		ids[x.ID] = true
		if x.Coverage == nil || x.Coverage.Taxa == 0 {
			t.Errorf("%s: no coverage", x.ID)
		}
		// The embedded database holds 31 of the 50 GMHI species (the
		// genome-bin labels and a few others are missing): enough (≥ 25).
		if x.ID == "IDX-01" && (x.Value == nil || x.Coverage.Taxa != 50 || len(x.Coverage.Detectable) != 31) {
			t.Errorf("GMHI-like with the default database: value %v, reason %q, coverage %+v", x.Value, x.Reason, x.Coverage)
		}
		if x.ID == "IDX-04" && (x.Value == nil || len(x.Drivers) == 0) {
			t.Errorf("butyrate share without value or drivers")
		}
	}
	for _, id := range []string{"IDX-01", "IDX-02", "IDX-04", "taxon:T-11", "taxon:T-10", "taxon:T-07", "sulfide"} {
		if !ids[id] {
			t.Errorf("metrics.json lacks index %s", id)
		}
	}
	p := m.Percentiles
	if p.N != 61 || !strings.Contains(p.Reference, "Turnbaugh 2009") || !strings.Contains(p.Source, "LGPL-3") {
		t.Errorf("percentiles reference %q n %d", p.Reference, p.N)
	}
	for _, k := range []string{"shannon", "simpson", "richness", "IDX-04", "IDX-02"} {
		if v, ok := p.Values[k]; !ok || v < 0 || v > 100 {
			t.Errorf("percentile %s = %v (%v)", k, v, ok)
		}
	}

	small := filepath.Join(dir, "small.biom")
	cohortBIOM(t, small, 4)
	if code, _, errs := zonula(t, "", "run", demoReads, "--reference", small, "-o", filepath.Join(dir, "x"), "--format", "none", "-q"); code != exitBadInput || !strings.Contains(errs, "at least 10") {
		t.Errorf("4-sample reference: exit %d, %s", code, errs)
	}
	broken := filepath.Join(dir, "broken.biom")
	os.WriteFile(broken, []byte(`{"format": "nope"}`), 0o644)
	if code, _, errs := zonula(t, "", "run", demoReads, "--reference", broken, "-o", filepath.Join(dir, "y"), "--format", "none", "-q"); code != exitBadInput || !strings.Contains(errs, "broken.biom") {
		t.Errorf("broken reference: exit %d, %s", code, errs)
	}
	cohort := filepath.Join(dir, "cohort.biom")
	cohortBIOM(t, cohort, 12)
	own := filepath.Join(dir, "own")
	if code, _, errs := zonula(t, "", "run", demoReads, "--reference", cohort, "-o", own, "--format", "html", "-q"); code != 0 {
		t.Fatalf("run --reference: exit %d: %s", code, errs)
	}
	p = readMetrics(t, own).Percentiles
	if p.N != 12 || !strings.Contains(p.Reference, "cohort.biom") {
		t.Errorf("own reference: %q n %d", p.Reference, p.N)
	}
	html, _ := os.ReadFile(filepath.Join(own, "report.html"))
	if !strings.Contains(string(html), "your reference cohort cohort.biom (n = 12)") {
		t.Error("report.html does not name the user's reference set")
	}
}
