package qc

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func sampleSummary() Summary {
	o := DefaultOptions()
	c := NewCollector(o)
	for _, n := range []int{1500, 1520, 1480, 900, 1510} {
		r := rec(n, '5') // Q20
		ok, reason := Check(r, o)
		c.Add(r, ok, reason, false)
	}
	return c.Summary()
}

func TestWriteMultiQC(t *testing.T) {
	s := sampleSummary()
	var buf bytes.Buffer
	if err := WriteMultiQC(&buf, "S1", s, 3); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID       string                        `json:"id"`
		PlotType string                        `json:"plot_type"`
		PConfig  []map[string]map[string]any   `json:"pconfig"`
		Data     map[string]map[string]float64 `json:"data"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	row := got.Data["S1"]
	if got.ID != MultiQCGeneralID || got.PlotType != "generalstats" || row["reads"] != 5 || row["passed"] != 4 || row["passed_pct"] != 80 || row["n50"] != 1500 || row["mean_q"] < 19.99 || row["mean_q"] > 20.01 {
		t.Errorf("general stats %+v", got)
	}
	if row["genus_pct"] != 75 { // 3 of 4 passed reads
		t.Errorf("genus_pct %v, want 75", row["genus_pct"])
	}
	if len(got.PConfig) != 6 {
		t.Errorf("%d columns, want 6", len(got.PConfig))
	}
	buf.Reset()
	if err := WriteMultiQCLengths(&buf, "S1", s); err != nil {
		t.Fatal(err)
	}
	var lp struct {
		PlotType string                        `json:"plot_type"`
		Data     map[string]map[string]float64 `json:"data"`
	}
	if err := json.Unmarshal(buf.Bytes(), &lp); err != nil {
		t.Fatal(err)
	}
	if lp.PlotType != "linegraph" || lp.Data["S1"]["1525"] != 60 || lp.Data["S1"]["1475"] != 20 || lp.Data["S1"]["925"] != 20 || len(lp.Data["S1"]) != 60 {
		t.Errorf("length plot %v", lp.Data["S1"])
	}
}

// TestMultiQCPicksUp runs MultiQC (Debian package multiqc) on the files of
// two samples when it is installed, and checks its General Statistics.
func TestMultiQCPicksUp(t *testing.T) {
	mqc, err := exec.LookPath("multiqc")
	if err != nil {
		t.Skip("multiqc not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	names := []string{"S1", "gut sample 2"}
	for _, name := range names {
		if _, err := WriteMultiQCFiles(in, name, sampleSummary(), 3); err != nil {
			t.Fatal(err)
		}
	}
	// A batch's combined table of the same samples lies beside them.
	var table bytes.Buffer
	if err := WriteMultiQCTable(&table, names, []Summary{sampleSummary(), sampleSummary()}, []int64{3, 3}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "zonula_qc_mqc.tsv"), table.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cmd := exec.Command(mqc, "--no-ansi", "-q", "-o", out, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("multiqc: %v\n%s", err, b)
	}
	gs, err := os.ReadFile(filepath.Join(out, "multiqc_data", "multiqc_general_stats.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(gs)
	if !strings.Contains(text, "S1") || !strings.Contains(text, "gut sample 2") || !strings.Contains(text, "\t1500") || !strings.Contains(text, "\t80") {
		t.Errorf("general stats table:\n%s", text)
	}
	// One set of zonula columns, whatever files supplied them.
	header := strings.Split(strings.SplitN(text, "\n", 2)[0], "\t")
	seen := map[string]int{}
	for _, h := range header[1:] {
		seen[h[strings.LastIndex(h, "-")+1:]]++
	}
	for _, key := range []string{"reads", "passed", "passed_pct", "n50", "mean_q", "genus_pct"} {
		if seen[key] != 1 {
			t.Errorf("column %s appears %d times in %q", key, seen[key], header)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "multiqc_data", "multiqc_"+MultiQCLengthsID+"_plot.txt")); err != nil {
		t.Errorf("length plot data not written: %v", err)
	}
}
