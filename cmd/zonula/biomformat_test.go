package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
)

// validateBIOM runs the reference implementation's validator on a BIOM file.
func validateBIOM(t *testing.T, path string) {
	t.Helper()
	biom, err := exec.LookPath("biom")
	if err != nil {
		t.Skip("biom (python3-biom-format) not installed")
	}
	out, err := exec.Command(biom, "validate-table", "-i", path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "The input file is a valid BIOM-formatted file") {
		t.Errorf("biom validate-table %s: %v\n%s", path, err, out)
	}
}

// TestBIOMFormat21 runs a sample and a batch with --biom-format 2.1: the
// BIOM files are HDF5 that the reference validator accepts, hold the same
// genus counts as abundance.tsv, and run.json records the option.
func TestBIOMFormat21(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "S1")
	if code, _, errs := zonula(t, "", "run", demoReads, "--format", "none", "--biom-format", "2.1", "-q", "-o", out); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	biomPath := filepath.Join(out, "profile.biom")
	data, err := os.ReadFile(biomPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "\x89HDF\r\n\x1a\n") {
		t.Fatalf("profile.biom is not HDF5 (starts %q)", data[:min(8, len(data))])
	}
	validateBIOM(t, biomPath)
	fromBIOM, err := tables.ReadTables(biomPath, tables.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "abundance.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fromTSV, err := tables.ReadTSV(f, "abundance.tsv")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{}
	for _, r := range fromTSV.AtRank(taxonomy.Genus) {
		if r.Taxon != tables.Unclassified {
			want[r.Taxon] = r.Reads
		}
	}
	got := map[string]float64{}
	for _, r := range fromBIOM[0].AtRank(taxonomy.Genus) {
		if r.Taxon != tables.Unclassified {
			got[r.Taxon] = r.Reads
		}
	}
	if len(got) != len(want) || len(want) == 0 {
		t.Errorf("profile.biom holds %d genera, abundance.tsv %d", len(got), len(want))
	}
	for g, n := range want {
		if got[g] != n {
			t.Errorf("%s: %v reads in profile.biom, %v in abundance.tsv", g, got[g], n)
		}
	}
	run, _ := os.ReadFile(filepath.Join(out, "run.json"))
	if !strings.Contains(string(run), `"name": "biom-format",`+"\n"+`      "value": "2.1"`) {
		t.Errorf("run.json does not record --biom-format 2.1:\n%s", run)
	}

	// The batch's combined table, through zonula combine.
	comb := filepath.Join(dir, "combined")
	if code, _, errs := zonula(t, "", "combine", "--biom-format", "2.1", "-o", comb, out); code != 0 {
		t.Fatalf("combine: exit %d: %s", code, errs)
	}
	validateBIOM(t, filepath.Join(comb, "abundance-genus.biom"))

	if code, _, errs := zonula(t, "", "profile", "--biom-format", "3.0", "-o", filepath.Join(dir, "p"), filepath.Join(out, "abundance.tsv")); code != exitUsage || !strings.Contains(errs, "want 1.0 or 2.1") {
		t.Errorf("--biom-format 3.0: exit %d, %q; want exit 2 naming 1.0 and 2.1", code, errs)
	}
}
