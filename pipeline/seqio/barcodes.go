package seqio

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Barcode is one demultiplexed sample of an ONT run: a barcodeNN directory
// and its read files.
type Barcode struct {
	Name         string   `json:"name"`         // directory name, e.g. "barcode07", or "unclassified"
	Number       int      `json:"number"`       // NN; 0 for unclassified
	Dir          string   `json:"dir"`          // the directory
	Files        []string `json:"files"`        // read files in it, sorted by name
	Unclassified bool     `json:"unclassified"` // reads MinKNOW/Dorado could not assign to a barcode
}

// ErrNoReads reports a directory holding no read files where some were expected.
var ErrNoReads = errors.New("no read files")

// readExts are the read-file names FindBarcodes takes, compressed or not.
var readExts = []string{".fastq", ".fq", ".fasta", ".fa", ".bam"}

// IsReadFile reports whether name looks like a reads file: .fastq, .fq,
// .fasta, .fa or .bam, optionally followed by .gz, .bgz, .zst or .bz2.
func IsReadFile(name string) bool {
	n := strings.ToLower(name)
	for _, c := range []string{".gz", ".bgz", ".zst", ".bz2"} {
		if strings.HasSuffix(n, c) {
			n = strings.TrimSuffix(n, c)
			break
		}
	}
	for _, e := range readExts {
		if strings.HasSuffix(n, e) {
			return !strings.HasPrefix(name, ".")
		}
	}
	return false
}

// FindBarcodes lists the barcodes of an ONT run directory as MinKNOW and
// Dorado lay it out: dir is the run directory holding fastq_pass/ (or
// bam_pass/ when there is no fastq_pass/), or that directory itself, with one
// barcodeNN/ subdirectory per barcode holding *.fastq(.gz) (or *.bam) files.
// Barcodes come sorted by number (barcode02 before barcode10); directories
// without read files are left out; "unclassified" reads, when present, come
// last as a Barcode with Unclassified set, so callers report them separately
// rather than as a sample. Reads in fastq_fail/ are never included. A
// directory with no read files in any barcode (unclassified included) gives
// an error wrapping ErrNoReads that names it.
func FindBarcodes(dir string) ([]Barcode, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	root := dir
	for _, sub := range []string{"fastq_pass", "bam_pass"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err == nil && st.IsDir() {
			root = filepath.Join(dir, sub)
			break
		}
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []Barcode
	var unclassified *Barcode
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		num, isBarcode := barcodeNumber(name)
		isUnclassified := strings.EqualFold(name, "unclassified")
		if !isBarcode && !isUnclassified {
			continue
		}
		bdir := filepath.Join(root, name)
		files, err := readFiles(bdir)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			continue
		}
		b := Barcode{Name: name, Number: num, Dir: bdir, Files: files, Unclassified: isUnclassified}
		if isUnclassified {
			unclassified = &b
			continue
		}
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b Barcode) int {
		if a.Number != b.Number {
			return a.Number - b.Number
		}
		return strings.Compare(a.Name, b.Name)
	})
	if unclassified != nil {
		out = append(out, *unclassified)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w in barcodeNN/ or unclassified/ subdirectories (want fastq_pass/barcode01/*.fastq.gz)", root, ErrNoReads)
	}
	return out, nil
}

// barcodeNumber parses "barcode07" (any case, also "BC07" style suffixes
// after a kit prefix such as "SQK-NBD114-24_barcode07").
func barcodeNumber(name string) (int, bool) {
	l := strings.ToLower(name)
	i := strings.LastIndex(l, "barcode")
	if i < 0 {
		return 0, false
	}
	digits := l[i+len("barcode"):]
	if digits == "" {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// ReadFilesIn returns the read files (IsReadFile, including symbolic links
// to regular files) directly inside dir, sorted by name, such as the
// *.fastq.gz of one ONT barcode directory (fastq_pass/barcode01/). When
// there are none it returns an error wrapping ErrNoReads that names dir.
func ReadFilesIn(dir string) ([]string, error) {
	files, err := readFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: %w (want *.fastq, *.fq, *.fasta, *.fa or *.bam, optionally .gz, .bgz, .zst or .bz2)", dir, ErrNoReads)
	}
	return files, nil
}

func readFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() && IsReadFile(e.Name()) {
			files = append(files, filepath.Join(dir, e.Name()))
		} else if e.Type()&os.ModeSymlink != 0 && IsReadFile(e.Name()) {
			if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && st.Mode().IsRegular() {
				files = append(files, filepath.Join(dir, e.Name()))
			}
		}
	}
	slices.Sort(files)
	return files, nil
}
