package seqio

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("@r\nA\n+\nI\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFindBarcodes(t *testing.T) {
	run := t.TempDir()
	pass := filepath.Join(run, "fastq_pass")
	for _, p := range []string{
		"barcode10/FAX_pass_barcode10_1.fastq.gz",
		"barcode02/b_1.fastq.gz", "barcode02/a_0.fastq.gz", "barcode02/notes.txt", "barcode02/.hidden.fastq",
		"barcode01/x.fq",
		"unclassified/u.fastq.gz",
	} {
		touch(t, filepath.Join(pass, p))
	}
	touch(t, filepath.Join(run, "fastq_fail", "barcode03", "f.fastq.gz"))
	os.MkdirAll(filepath.Join(pass, "barcode05"), 0o755) // no reads: left out
	os.MkdirAll(filepath.Join(pass, "misc"), 0o755)

	for _, dir := range []string{run, pass} {
		got, err := FindBarcodes(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, b := range got {
			names = append(names, b.Name)
		}
		if want := []string{"barcode01", "barcode02", "barcode10", "unclassified"}; !reflect.DeepEqual(names, want) {
			t.Fatalf("FindBarcodes(%s) = %v, want %v", dir, names, want)
		}
		b2 := got[1]
		if b2.Number != 2 || b2.Unclassified || !reflect.DeepEqual(b2.Files, []string{filepath.Join(pass, "barcode02", "a_0.fastq.gz"), filepath.Join(pass, "barcode02", "b_1.fastq.gz")}) {
			t.Errorf("barcode02 = %+v", b2)
		}
		if !got[3].Unclassified || got[3].Number != 0 {
			t.Errorf("unclassified = %+v", got[3])
		}
	}
}

func TestFindBarcodesEmpty(t *testing.T) {
	run := t.TempDir()
	os.MkdirAll(filepath.Join(run, "fastq_pass", "barcode01"), 0o755)
	touch(t, filepath.Join(run, "fastq_pass", "barcode01", "readme.txt"))
	if _, err := FindBarcodes(run); !errors.Is(err, ErrNoReads) {
		t.Errorf("no reads: err = %v, want ErrNoReads", err)
	}
	if _, err := FindBarcodes(filepath.Join(run, "nope")); err == nil {
		t.Error("missing directory: no error")
	}
	touch(t, filepath.Join(run, "file.fastq"))
	if _, err := FindBarcodes(filepath.Join(run, "file.fastq")); err == nil {
		t.Error("a file: no error")
	}
}

func TestIsReadFile(t *testing.T) {
	for name, want := range map[string]bool{
		"a.fastq": true, "a.FQ.GZ": true, "hifi_reads.bam": true, "a.fasta.zst": true, "a.fq.bz2": true,
		"a.txt": false, "a.fastq.tmp": false, "a.bam.bai": false, ".a.fastq": false, "sequencing_summary.txt": false,
	} {
		if IsReadFile(name) != want {
			t.Errorf("IsReadFile(%q) = %v", name, !want)
		}
	}
}
