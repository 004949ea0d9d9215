package safefile

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestStageCommitsEveryFileMarkerLast(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	s, err := NewStage(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"zymo.tsv", "run.json", "abundance.tsv"} {
		if err := s.WriteFile(name, []byte(name)); err != nil {
			t.Fatal(err)
		}
	}
	// A writer that names its own files in the staging directory.
	if err := os.WriteFile(filepath.Join(s.Dir(), "S1_mqc.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "abundance.tsv")); !os.IsNotExist(err) {
		t.Fatalf("a staged file is visible before Commit: %v", err)
	}
	moved, err := s.Commit("run.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"S1_mqc.json", "abundance.tsv", "zymo.tsv", "run.json"}
	if !slices.Equal(moved, want) {
		t.Errorf("moved %v, want %v (name order, marker last)", moved, want)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, StagePrefix) }) {
		t.Errorf("staging directory left behind: %v", names)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "zymo.tsv")); string(got) != "zymo.tsv" {
		t.Errorf("zymo.tsv holds %q", got)
	}
}

func TestStageDiscardLeavesDirectoryAsItWas(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "abundance.tsv"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := NewStage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write("abundance.tsv", func(w io.Writer) error {
		_, err := io.WriteString(w, "new")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Discard(); err != nil {
		t.Fatal(err)
	}
	if err := s.Discard(); err != nil {
		t.Errorf("second Discard: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the old abundance.tsv", len(entries))
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "abundance.tsv")); string(got) != "old" {
		t.Errorf("abundance.tsv holds %q, want the old content", got)
	}
}

func TestStageWriteErrorNamesFile(t *testing.T) {
	s, err := NewStage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Discard()
	err = s.Write("metrics.json", func(io.Writer) error { return io.ErrUnexpectedEOF })
	if err == nil || !strings.HasPrefix(err.Error(), "metrics.json: ") {
		t.Errorf("error %v does not name metrics.json", err)
	}
}
