package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// copyDir copies the files of src into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBatchCohort lays out the cohort fixture's ten samples as a batch's
// outputs, one more sample failed, and checks the cohort report batch
// writes at the end: grouped by the sheet's group column (the failed
// sample noted, an ungrouped one left out), or ungrouped without one.
func TestBatchCohort(t *testing.T) {
	names := []string{"akk1", "akk2", "akk3", "akk4", "akk5", "none1", "none2", "none3", "none4", "none5"}
	for _, grouped := range []bool{true, false} {
		out := t.TempDir()
		sheet := &Samplesheet{Source: "sheet.csv"}
		res := &BatchResult{}
		for i, n := range names {
			copyDir(t, filepath.Join("../testdata/cohort/batch", n), filepath.Join(out, n))
			s := SheetSample{Name: n, Line: i + 2}
			if grouped && n != "none5" {
				s.Group = strings.TrimRight(n, "12345")
			}
			sheet.Samples = append(sheet.Samples, s)
			res.Samples = append(res.Samples, SampleOutcome{Sample: n, Status: SampleDone})
		}
		lost := SheetSample{Name: "lost", Line: 12}
		if grouped {
			lost.Group = "akk"
		}
		sheet.Samples = append(sheet.Samples, lost)
		res.Samples = append(res.Samples, SampleOutcome{Sample: "lost", Status: SampleFailed})
		cfg := BatchConfig{Sheet: sheet, OutDir: out, Run: Config{Version: "test"}}
		writeBatchCohort(context.Background(), cfg, res)
		if res.Cohort == nil {
			t.Fatalf("grouped %v: no cohort report: %s", grouped, res.CohortSkipped)
		}
		data, err := os.ReadFile(filepath.Join(out, BatchCohortDir, "permanova.json"))
		if err != nil {
			t.Fatal(err)
		}
		var rec struct {
			Tested   bool     `json:"tested"`
			LeftOut  []string `json:"left_out"`
			Unlisted []string `json:"unlisted"`
			Samples  int      `json:"samples"`
		}
		if err := json.Unmarshal(data, &rec); err != nil {
			t.Fatal(err)
		}
		if grouped {
			if !rec.Tested || rec.Samples != 9 || !slices.Equal(rec.LeftOut, []string{"none5"}) || !slices.Equal(rec.Unlisted, []string{"lost"}) {
				t.Errorf("grouped: permanova.json %s", data)
			}
			diff, _ := os.ReadFile(filepath.Join(out, BatchCohortDir, "differential.tsv"))
			if !strings.Contains(string(diff), "\nAkkermansia\takk\tnone\t") {
				t.Errorf("differential.tsv:\n%s", diff)
			}
		} else if rec.Tested || rec.Samples != 10 || res.Cohort.Grouped {
			t.Errorf("ungrouped: permanova.json %s", data)
		}
	}
	// One finished sample: no report, and a reason.
	res := &BatchResult{Samples: []SampleOutcome{{Sample: "akk1", Status: SampleDone}, {Sample: "x", Status: SampleFailed}}}
	writeBatchCohort(context.Background(), BatchConfig{Sheet: &Samplesheet{}, OutDir: t.TempDir()}, res)
	if res.Cohort != nil || !strings.Contains(res.CohortSkipped, "needs two or more") {
		t.Errorf("one sample: %+v", res)
	}
	if err := CheckSampleName("Cohort"); err == nil {
		t.Error("a sample may be called cohort")
	}
}
