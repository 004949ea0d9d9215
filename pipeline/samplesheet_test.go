package pipeline

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/seqio"
)

// sheetDir makes a directory with read files a.fastq, b.fastq.gz, c.fq and a
// directory run/ holding two read files and a note.
func sheetDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"a.fastq", "b.fastq.gz", "c.fq", "run/x.fastq", "run/y.fastq.gz", "run/notes.txt"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("@r\nACGT\n+\nIIII\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadSamplesheet(t *testing.T) {
	dir := sheetDir(t)
	abs := filepath.Join(dir, "c.fq")
	sheet := "\xef\xbb\xbf# a comment line\r\n" +
		"Sample,reads,reads,Group,subject,timepoint,age,sex,calprotectin,symptoms,ppi,batch\r\n" +
		"S1,a.fastq,,case,P1,t0,54,female,120.5,bloating; blood in stool,yes,run7\r\n" +
		"\r\n" +
		"S2,b.fastq.gz," + abs + ",control,P2,t0,,,,,,run7\r\n" +
		"S-3.x,run,,control,P3,t1,,,,,no,\r\n"
	s, err := ReadSamplesheet(strings.NewReader(sheet), "sheet.csv", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Samples) != 3 {
		t.Fatalf("%d samples, want 3", len(s.Samples))
	}
	s1, s2, s3 := s.Samples[0], s.Samples[1], s.Samples[2]
	if s1.Name != "S1" || s1.Line != 3 || s2.Line != 5 || s3.Line != 6 {
		t.Errorf("names/lines: %q %d, %d, %d; want S1 3, 5, 6", s1.Name, s1.Line, s2.Line, s3.Line)
	}
	if want := []string{filepath.Join(dir, "a.fastq")}; !equalStrings(s1.Reads, want) {
		t.Errorf("S1 reads %v, want %v", s1.Reads, want)
	}
	if want := []string{filepath.Join(dir, "b.fastq.gz"), abs}; !equalStrings(s2.Reads, want) {
		t.Errorf("S2 reads %v, want %v", s2.Reads, want)
	}
	if want := []string{filepath.Join(dir, "run/x.fastq"), filepath.Join(dir, "run/y.fastq.gz")}; !equalStrings(s3.Reads, want) {
		t.Errorf("S-3.x reads %v, want %v (the directory's read files)", s3.Reads, want)
	}
	m := s1.Metadata
	if s1.Group != "case" || s1.Subject != "P1" || s1.Timepoint != "t0" || m.Age == nil || *m.Age != 54 || m.Sex != "female" ||
		m.Labs.CalprotectinUgG == nil || *m.Labs.CalprotectinUgG != 120.5 || !m.ProtonPumpInhibitors ||
		!equalStrings(m.Symptoms, []string{"bloating", "blood in stool"}) {
		t.Errorf("S1 metadata: %+v %+v", s1, m)
	}
	if len(s1.Extra) != 1 || s1.Extra[0].Name != "batch" || s1.Extra[0].Value != "run7" {
		t.Errorf("S1 extra columns %+v, want batch=run7", s1.Extra)
	}
	if s2.Metadata.Age != nil || s3.Metadata.ProtonPumpInhibitors {
		t.Errorf("empty cells must leave metadata unset: %+v %+v", s2.Metadata, s3.Metadata)
	}
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

func TestReadSamplesheetErrors(t *testing.T) {
	dir := sheetDir(t)
	for _, c := range []struct {
		name, sheet string
		want        []string // substrings of the error
	}{
		{"empty", "", []string{"sheet.csv: empty samplesheet"}},
		{"only comments", "# nothing\n", []string{"empty samplesheet"}},
		{"no samples", "sample,reads\n", []string{"sheet.csv: no samples"}},
		{"bad header", "name,file\nS1,a.fastq\n", []string{"sheet.csv:1:", `want "sample,reads"`}},
		{"no reads column", "sample,group\nS1,x\n", []string{"sheet.csv:1:", "no reads column"}},
		{"reads after metadata", "sample,reads,group,reads\nS1,a.fastq,x,c.fq\n", []string{"sheet.csv:1:", "before metadata"}},
		{"repeated column", "sample,reads,age,Age\nS1,a.fastq,1,2\n", []string{"sheet.csv:1:", "repeats"}},
		{"duplicate", "sample,reads\nS1,a.fastq\nS2,c.fq\ns1,b.fastq.gz\n", []string{`sheet.csv:4: column "sample": sample "s1" repeats the sample on line 2`}},
		{"no reads", "sample,reads,reads\nS1,,\n", []string{`sheet.csv:2: column "reads": no reads file`}},
		{"path in name", "sample,reads\n../S1,a.fastq\n", []string{`sheet.csv:2: column "sample"`, "letters, digits"}},
		{"slash in name", "sample,reads\na/b,a.fastq\n", []string{"sheet.csv:2:", "names a directory"}},
		{"hidden name", "sample,reads\n.S1,a.fastq\n", []string{"sheet.csv:2:", "starting with a letter or digit"}},
		{"space in name", "sample,reads\nmy sample,a.fastq\n", []string{"sheet.csv:2:", "letters, digits"}},
		{"empty name", "sample,reads\n,a.fastq\n", []string{"sheet.csv:2:", "empty sample name"}},
		{"reserved name", "sample,reads\nbatch-summary.tsv,a.fastq\n", []string{"sheet.csv:2:", "reserved"}},
		{"ragged short", "sample,reads,group\nS1,a.fastq,x\nS2,c.fq\n", []string{"sheet.csv:3: 2 cells, but the header has 3"}},
		{"ragged long", "sample,reads\r\nS1,a.fastq\r\nS2,c.fq,extra\r\n", []string{"sheet.csv:3: 3 cells, but the header has 2"}},
		{"bad number", "sample,reads,age\nS1,a.fastq,forty\n", []string{`sheet.csv:2: column "age": "forty" is not a non-negative number`}},
		{"age out of range", "sample,reads,age\nS1,a.fastq,140\n", []string{"sheet.csv:2:", "age 140 is outside"}},
		{"bad flag", "sample,reads,nsaids\nS1,a.fastq,maybe\n", []string{`sheet.csv:2: column "nsaids"`, "want yes or no"}},
		{"bare quote", "sample,reads\nS1,a\"b.fastq\n", []string{"sheet.csv:2:", "quote"}},
		{"several problems", "sample,reads\nS 1,a.fastq\nS/2,a.fastq\nS 3,a.fastq\n", []string{"sheet.csv:2:", "and 2 more problem(s)", "sheet.csv:3:", "sheet.csv:4:"}},
		{"binary", "sample,reads\nS1,a.fastq\n\x00\x00", []string{"sheet.csv:3: binary data"}},
		{"long line", "sample,reads\nS1," + strings.Repeat("x", maxSheetLine+1) + "\n", []string{"sheet.csv:2: line longer than the limit of 1 MiB"}},
		{"long metadata cell", "sample,reads,diet\nS1,a.fastq," + strings.Repeat("x", 1001) + "\n", []string{`sheet.csv:2: column "diet": 1001 bytes, more than the 1000`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadSamplesheet(strings.NewReader(c.sheet), "sheet.csv", dir)
			var se *SheetError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want a *SheetError", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestSamplesheetUnreadable: reads that are missing or unreadable keep the
// sheet valid and are listed, by line, for the caller to fail those samples.
func TestSamplesheetUnreadable(t *testing.T) {
	dir := sheetDir(t)
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)
	sheet := "sample,reads,reads\nS1,a.fastq,\nS2,nope.fastq,c.fq\nS3,empty,\n"
	s, err := ReadSamplesheet(strings.NewReader(sheet), "sheet.csv", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Samples) != 3 || len(s.Samples[0].Unreadable) != 0 {
		t.Fatalf("samples %+v", s.Samples)
	}
	bad := s.Unreadable()
	want := []string{
		`sheet.csv:3: column "reads": reads file nope.fastq: no such file or directory`,
		`sheet.csv:4: column "reads": directory empty holds no read files`,
	}
	if len(bad) != 2 {
		t.Fatalf("unreadable %v, want 2", bad)
	}
	for i, w := range want {
		if !strings.HasPrefix(bad[i].Error(), w) {
			t.Errorf("unreadable[%d] = %q, want %q…", i, bad[i], w)
		}
	}
	if !equalStrings(s.Samples[1].Reads, []string{filepath.Join(dir, "c.fq")}) {
		t.Errorf("S2 reads %v: want the readable file kept", s.Samples[1].Reads)
	}
}

func TestOpenSamplesheetRelativeToSheet(t *testing.T) {
	dir := sheetDir(t)
	sub := filepath.Join(dir, "sheets")
	os.MkdirAll(sub, 0o755)
	path := filepath.Join(sub, "s.csv")
	os.WriteFile(path, []byte("sample,reads\nS1,../a.fastq\n"), 0o644)
	s, err := OpenSamplesheet(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Samples[0].Reads[0] != filepath.Join(dir, "a.fastq") {
		t.Errorf("reads %v, want %s (relative to the sheet's directory)", s.Samples[0].Reads, filepath.Join(dir, "a.fastq"))
	}
	if _, err := OpenSamplesheet(filepath.Join(dir, "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing sheet: %v", err)
	}
}

func TestSamplesheetFromBarcodes(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"fastq_pass/barcode10/a.fastq.gz", "fastq_pass/barcode02/b.fastq.gz", "fastq_pass/barcode02/a.fastq.gz",
		"fastq_pass/unclassified/u.fastq.gz", "fastq_fail/barcode02/f.fastq.gz"} {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	s, err := OpenSamplesheet(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, smp := range s.Samples {
		names = append(names, smp.Name)
	}
	if !equalStrings(names, []string{"barcode02", "barcode10"}) {
		t.Errorf("samples %v, want barcode02, barcode10", names)
	}
	if want := []string{filepath.Join(dir, "fastq_pass/barcode02/a.fastq.gz"), filepath.Join(dir, "fastq_pass/barcode02/b.fastq.gz")}; !equalStrings(s.Samples[0].Reads, want) {
		t.Errorf("barcode02 reads %v, want %v", s.Samples[0].Reads, want)
	}
	if len(s.Skipped) != 1 || !strings.Contains(s.Skipped[0], "unclassified") {
		t.Errorf("skipped %v, want the unclassified directory", s.Skipped)
	}
	empty := t.TempDir()
	os.MkdirAll(filepath.Join(empty, "fastq_pass", "unclassified"), 0o755)
	os.WriteFile(filepath.Join(empty, "fastq_pass", "unclassified", "u.fastq"), []byte("x"), 0o644)
	if _, err := OpenSamplesheet(empty); !errors.Is(err, seqio.ErrNoReads) {
		t.Errorf("only unclassified reads: %v, want ErrNoReads", err)
	}
}

func FuzzReadSamplesheet(f *testing.F) {
	dir := f.TempDir()
	os.WriteFile(filepath.Join(dir, "a.fastq"), []byte("@r\nA\n+\nI\n"), 0o644)
	f.Add([]byte("sample,reads,age\nS1,a.fastq,40\n"))
	f.Add([]byte("\xef\xbb\xbfsample,reads,reads\r\nS1,a.fastq,\r\n"))
	f.Add([]byte("sample,reads\n\"S1\nx\",a.fastq\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadSamplesheet(bytes.NewReader(data), "fuzz.csv", dir)
		var se *SheetError
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("error %v is not a *SheetError", err)
		}
		if err == nil {
			for _, smp := range s.Samples {
				if CheckSampleName(smp.Name) != nil || len(smp.Reads) == 0 {
					t.Fatalf("accepted sample %+v", smp)
				}
			}
		}
	})
}
