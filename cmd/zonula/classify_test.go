package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func gunzipFile(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestClassifyMatchesRun checks that classify writes exactly the per-read
// table run writes, plain or gzip-compressed by the output's name.
func TestClassifyMatchesRun(t *testing.T) {
	dir := t.TempDir()
	demo := filepath.Join("..", "..", "testdata", "demo", "demo.fastq.gz")
	if code, _, errs := zonula(t, "", "run", "-q", "--format", "none", "-o", filepath.Join(dir, "run"), demo); code != 0 {
		t.Fatalf("run: code %d: %s", code, errs)
	}
	want := gunzipFile(t, filepath.Join(dir, "run", "reads.tsv.gz"))
	for _, name := range []string{"reads.tsv", "reads.tsv.gz"} {
		out := filepath.Join(dir, name)
		if code, _, errs := zonula(t, "", "classify", "-q", "-o", out, demo); code != 0 {
			t.Fatalf("classify -o %s: code %d: %s", name, code, errs)
		}
		var got []byte
		if strings.HasSuffix(name, ".gz") {
			got = gunzipFile(t, out)
		} else {
			var err error
			if got, err = os.ReadFile(out); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got, want) {
			t.Errorf("classify -o %s differs from run's reads.tsv.gz", name)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("classify left %d entries in its directory, want the run dir and two tables", len(entries))
	}
}

func TestClassifyBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.fastq")
	if err := os.WriteFile(bad, []byte("@r1\nACGT\n+\nII\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "reads.tsv")
	code, _, errs := zonula(t, "", "classify", "-o", out, bad)
	if code != exitBadInput || !strings.Contains(errs, "bad.fastq") {
		t.Errorf("bad FASTQ: code %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed classify left its output")
	}
	if code, _, _ := zonula(t, "", "classify", bad); code != exitUsage {
		t.Errorf("no -o: code %d, want %d", code, exitUsage)
	}
}
