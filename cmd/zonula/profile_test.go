package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfileFromReads checks that the profile made from run's per-read
// table equals run's abundance.tsv at every rank above species.
func TestProfileFromReads(t *testing.T) {
	dir := t.TempDir()
	runDir := filepath.Join(dir, "demo")
	if code, _, errs := zonula(t, "", "run", "-q", "--format", "none", "-o", runDir, filepath.Join("..", "..", "testdata", "demo", "demo.fastq.gz")); code != 0 {
		t.Fatalf("run: code %d: %s", code, errs)
	}
	out := filepath.Join(dir, "p")
	if code, _, errs := zonula(t, "", "profile", "-q", "-o", out, filepath.Join(runDir, "reads.tsv.gz")); code != 0 {
		t.Fatalf("profile: code %d: %s", code, errs)
	}
	aboveSpecies := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(l, "species\t") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	if got, want := aboveSpecies(filepath.Join(out, "abundance.tsv")), aboveSpecies(filepath.Join(runDir, "abundance.tsv")); got != want {
		t.Errorf("profile from reads.tsv.gz differs from run's abundance.tsv above species")
	}
	if _, err := os.Stat(filepath.Join(out, "profile.biom")); err != nil {
		t.Error(err)
	}
}

func TestProfileTablesAndBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "p")
	if code, _, errs := zonula(t, "", "profile", "-q", "-o", out, filepath.Join("..", "..", "testdata", "tables", "biom10-dense.biom")); code != 0 {
		t.Fatalf("profile of a BIOM table: code %d: %s", code, errs)
	}
	for _, s := range []string{"S1", "S2", "S3"} {
		if _, err := os.Stat(filepath.Join(out, s, "abundance.tsv")); err != nil {
			t.Error(err)
		}
	}
	bad := filepath.Join(dir, "reads.tsv")
	if err := os.WriteFile(bad, []byte("read_id\tstatus\tlineage\trank\tconfidence\tidentity\treference\nr1\tclassified\tg__X\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := zonula(t, "", "profile", "-o", filepath.Join(dir, "q"), bad)
	if code != exitBadInput || !strings.Contains(errs, "reads.tsv:2") {
		t.Errorf("ragged per-read table: code %d, stderr %q", code, errs)
	}
}
