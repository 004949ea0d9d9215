package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fq builds a FASTQ record of n bases (cycling through bases) named id.
func fq(id string, n int, bases string) string {
	seq := strings.Repeat(bases, n/len(bases)+1)[:n]
	return "@" + id + "\n" + seq + "\n+\n" + strings.Repeat("I", n) + "\n"
}

// realRead returns the first demo read as FASTQ text (a real 16S sequence).
func realReads(t *testing.T, n int) string {
	t.Helper()
	f, err := os.Open(demoReads)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, _ := gzip.NewReader(f)
	var b bytes.Buffer
	b.ReadFrom(gz)
	lines := strings.SplitAfter(b.String(), "\n")
	return strings.Join(lines[:4*n], "")
}

// TestBadInputTable checks each row of the bad-input table in docs/errors.md.
func TestBadInputTable(t *testing.T) {
	dir := t.TempDir()
	good := realReads(t, 20)
	demo, _ := os.ReadFile(demoReads)
	long := fq("huge", 1_000_000, "ACGT")
	cases := []struct {
		name, content string
		dir           bool
		code          int
		stderr        string          // substring of the error
		qc            map[string]bool // qc.json must contain these substrings
	}{
		{name: "empty", content: "", code: exitBadInput, stderr: "no sequences"},
		{name: "truncated.fq.gz", content: string(demo[:len(demo)/2]), code: exitBadInput, stderr: "truncated"},
		{name: "junk.bin", content: "\x7fELF\x02\x01\x01\x00\x00\x00binary", code: exitBadInput, stderr: "not FASTA or FASTQ"},
		{name: "qual.fq", content: good + "@bad\nACGT\n+\nIII\n", code: exitBadInput, stderr: ":84: record 21 (bad): quality length differs"},
		{name: "plus.fq", content: good + "@bad\nACGT\n@next\nACGT\n+\nIIII\n", code: exitBadInput, stderr: "record 21 (bad): missing '+'"},
		{name: "crlf-lower.fq", content: strings.ToLower(strings.ReplaceAll(good, "\n", "\r\n")), code: 0},
		{name: "iupac.fq", content: iupac(fq("clean", 1200, "ACGGTCA")), code: 0, qc: map[string]bool{`"reads": 1,`: true, `"bases": 2`: true}},
		{name: "zero.fq", content: good + "@zero\n\n+\n\n", code: 0, qc: map[string]bool{`"empty": 1`: true}},
		{name: "long.fq", content: good + long, code: 0, qc: map[string]bool{`"too_long": 1`: true}},
		{name: "huge.fq", content: good + fq("huge", 2_000_000, "ACGT"), code: exitBadInput, stderr: ":82: record 21 (huge): line longer than the read-length limit allows"},
		{name: "huge.fa", content: ">r\n" + strings.Repeat("ACGTACGTAC\n", 110_000), code: exitBadInput, stderr: "record 1 (r): read longer than the read-length limit: more than 1048576 bases"},
		{name: "zeros.fq.gz", content: gzipBytes(make([]byte, 4<<20)), code: exitBadInput, stderr: ":1: not FASTA or FASTQ"},
		{name: "dups.fq", content: good + good, code: 0, qc: map[string]bool{`"repeated": 20`: true}},
		{name: "latin1.fq", content: strings.Replace(good, "@", "@r\xe9ad\xff ", 1), code: 0},
		{name: "nodir", dir: true, code: exitBadInput, stderr: "directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := filepath.Join(dir, c.name)
			if c.dir {
				os.Mkdir(in, 0o755)
			} else if err := os.WriteFile(in, []byte(c.content), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out-"+c.name)
			code, _, errs := zonula(t, "", "run", in, "-o", out, "--format", "none", "-q")
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, c.code, errs)
			}
			if c.code != 0 {
				if !strings.Contains(errs, in) || !strings.Contains(errs, c.stderr) {
					t.Errorf("error %q does not name %s and %q", errs, in, c.stderr)
				}
				if entries, _ := os.ReadDir(out); len(entries) > 0 {
					t.Errorf("failed run left %d entries in %s", len(entries), out)
				}
				return
			}
			b, err := os.ReadFile(filepath.Join(out, "qc.json"))
			if err != nil {
				t.Fatal(err)
			}
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			for want := range c.qc {
				if !strings.Contains(string(b), want) {
					t.Errorf("qc.json lacks %q", want)
				}
			}
		})
	}
}

// gzipBytes compresses data with gzip.
func gzipBytes(data []byte) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.String()
}

// TestMaxReadLength: --max-read-length lowers (or raises) the longest read
// accepted; a longer one is bad input naming file, line and record.
func TestMaxReadLength(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "reads.fq")
	if err := os.WriteFile(in, []byte(realReads(t, 3)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := zonula(t, "", "run", in, "--max-read-length", "1000", "-o", filepath.Join(dir, "out"), "--format", "none", "-q")
	if code != exitBadInput || !strings.Contains(errs, in+":2: record 1 (") || !strings.Contains(errs, "the limit is 1000 bases; zonula's --max-read-length raises it") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if code, _, errs := zonula(t, "", "run", in, "--max-read-length", "0", "-o", filepath.Join(dir, "out"), "-q"); code != exitUsage {
		t.Errorf("--max-read-length 0: exit %d, %q", code, errs)
	}
}

// iupac puts two ambiguity codes at the start of the first read's sequence.
func iupac(fastq string) string {
	lines := strings.SplitN(fastq, "\n", 3)
	lines[1] = "RY" + lines[1][2:]
	return strings.Join(lines, "\n")
}

func TestRunReadsUnalignedBAM(t *testing.T) {
	out := t.TempDir()
	code, _, errs := zonula(t, "", "run", "../../pipeline/seqio/testdata/tiny.samtools.bam", "--min-length", "0", "-o", out, "--format", "none", "-q")
	if code != 0 {
		t.Fatalf("run on BAM: exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(filepath.Join(out, "qc.json"))
	fastq, _ := os.ReadFile("../../pipeline/seqio/testdata/tiny.samtools.fastq")
	want := strings.Count(string(fastq), "\n+\n")
	if !strings.Contains(string(b), fmt.Sprintf(`"input_reads": %d,`, want)) {
		t.Errorf("qc.json does not count the BAM's %d reads:\n%.300s", want, b)
	}
}

// TestLongSampleNameFailsAtOnce: a sample name too long for the output file
// names is a usage error before the database is even loaded (it used to
// fail on the MultiQC file after classification).
func TestLongSampleNameFailsAtOnce(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, _, errs := zonula(t, "", "run", demoReads, "--sample", strings.Repeat("S", 240), "-o", out, "--format", "none", "-q")
	if code != exitUsage || !strings.Contains(errs, "sample name of 240 characters: at most 200") {
		t.Errorf("exit %d, %q", code, errs)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was created", out)
	}
}
