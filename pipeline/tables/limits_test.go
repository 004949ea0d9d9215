package tables

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gzipped compresses data at the best compression.
func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestTableLimits: hostile table files fail at once with a *ParseError
// naming the file (and the line, where there is one).
func TestTableLimits(t *testing.T) {
	dir := t.TempDir()
	rows := []byte("taxon\tS1\n" + strings.Repeat("g__Bacteroides\t1\n", 2<<20)) // 34 MiB, inflates 300 times
	cases := []struct {
		name string
		data []byte
		line int
		want string
	}{
		{"nul.tsv", []byte("taxon\tS1\ng__A\t1\n\x00\x00"), 3, "binary data"},
		{"long-line.tsv", append([]byte("taxon\tS1\n"), bytes.Repeat([]byte("0\t"), MaxTableLine/2+1)...), 2, "line longer than the limit of 16 MiB"},
		{"rows.tsv.gz", gzipped(t, rows), 0, "gzip: decompresses to more than 16 MiB (10 times its size at most)"},
		{"zeros.tsv.gz", gzipped(t, make([]byte, 1<<20)), 1, "gzip: binary data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name)
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadTables(path, ReadOptions{})
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != path || pe.Line != c.line || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v (line %d), want %s:%d: %q", err, parseLine(pe), path, c.line, c.want)
			}
		})
	}
	// The same limits hold for a table given in memory.
	if _, err := Decode("rows.tsv.gz", gzipped(t, rows), ReadOptions{}, nil); err == nil || !strings.Contains(err.Error(), "decompresses to more than 16 MiB") {
		t.Errorf("Decode of a gzip bomb: %v", err)
	}
	// A real table well within the limits still reads.
	readOK(t, fixture("merged_abundance_table.txt"), ReadOptions{})
}

func parseLine(pe *ParseError) int {
	if pe == nil {
		return -1
	}
	return pe.Line
}

// TestEndlessTable: /dev/zero (endless NUL bytes) as a table or a taxonomy
// file fails at its first block.
func TestEndlessTable(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	if _, err := ReadTables("/dev/zero", ReadOptions{}); err == nil || !strings.Contains(err.Error(), "/dev/zero:1: binary data") {
		t.Errorf("table /dev/zero: %v", err)
	}
	if _, err := ReadTaxonomy("/dev/zero", 0); err == nil || !strings.Contains(err.Error(), "/dev/zero:1: binary data") {
		t.Errorf("taxonomy /dev/zero: %v", err)
	}
}

// TestQZAMemberInflation: a member that inflates more than MaxInflation
// times (past 16 MiB) is refused by its header, before it is inflated.
func TestQZAMemberInflation(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("0a0a/data/feature-table.biom")
	w.Write(make([]byte, 32<<20))
	zw.Close()
	_, err := Decode("bomb.qza", b.Bytes(), ReadOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "bomb.qza: member 0a0a/data/feature-table.biom: 33554432 bytes uncompressed, more than") {
		t.Errorf("qza bomb: %v", err)
	}
}

// TestBIOM2Bomb: the datasets of a BIOM 2.1 file may decode to at most 20
// times the file (past 16 MiB) in all, checked before they are allocated.
func TestBIOM2Bomb(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import h5py").Run(); err != nil {
		t.Skipf("%s cannot import h5py (%v): apt-get install -y python3-h5py", py, err)
	}
	path := filepath.Join(t.TempDir(), "bomb.biom")
	// 256 MiB of zeros in each data dataset, in 0.5 MB.
	if out, err := exec.Command(py, fixture("biom-bomb.py"), "25", path).CombinedOutput(); err != nil {
		t.Fatalf("h5py: %v\n%s", err, out)
	}
	_, err := ReadTables(path, ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "times the file's size (a decompression bomb?)") {
		t.Errorf("BIOM 2.1 bomb: %v", err)
	}
}
