package seqio

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func scanAll(t *testing.T, data []byte) ([]*Record, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	sc := NewScanner(r, "in.fq")
	var recs []*Record
	for sc.Scan() {
		recs = append(recs, sc.Record().Clone())
	}
	return recs, sc.Err()
}

func TestFASTQAndFASTA(t *testing.T) {
	for _, c := range []struct {
		name, in string
		ids      []string
		seqs     []string
		quals    bool
	}{
		{"fastq", "@r1 a b\nACGT\n+\nIIII\n@r2\nGG\n+r2\n!!\n", []string{"r1", "r2"}, []string{"ACGT", "GG"}, true},
		{"crlf lowercase", "@r1\r\nacgtn\r\n+\r\nIIIII\r\n", []string{"r1"}, []string{"ACGTN"}, true},
		{"iupac", "@r1\nRYKMSWBDHVN\n+\nIIIIIIIIIII\n", []string{"r1"}, []string{"RYKMSWBDHVN"}, true},
		{"multi-line fastq", "@r1\nACGT\nAC\n+\nIIII\nII\n", []string{"r1"}, []string{"ACGTAC"}, true},
		{"zero length", "@r1\n\n+\n\n@r2\nA\n+\nI\n", []string{"r1", "r2"}, []string{"", "A"}, true},
		{"quality starting with @", "@r1\nAC\n+\n@I\n", []string{"r1"}, []string{"AC"}, true},
		{"no final newline", "@r1\nACGT\n+\nIIII", []string{"r1"}, []string{"ACGT"}, true},
		{"fasta multi-line", ">s1 desc\nACG\nTT\n\n>s2\nGG\n", []string{"s1", "s2"}, []string{"ACGTT", "GG"}, false},
		{"leading blank lines", "\n\n>s1\nA\n", []string{"s1"}, []string{"A"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs, err := scanAll(t, []byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(c.ids) {
				t.Fatalf("%d records, want %d", len(recs), len(c.ids))
			}
			for i, r := range recs {
				if r.ID != c.ids[i] || string(r.Seq) != c.seqs[i] || (r.Qual != nil) != c.quals || (c.quals && len(r.Qual) != len(r.Seq)) {
					t.Errorf("record %d = %+v", i, r)
				}
			}
		})
	}
	recs, _ := scanAll(t, []byte("@r1 some description\tmore\nA\n+\nI\n"))
	if recs[0].Desc != "some description\tmore" {
		t.Errorf("Desc = %q", recs[0].Desc)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     error
		line     int
		text     string
	}{
		{"empty", "", ErrEmpty, 0, "in.fq: no sequences"},
		{"blank only", "\n\n", ErrEmpty, 0, ""},
		{"binary junk", "\x00\x01\x02\xff", ErrNotSequence, 1, ""},
		{"text", "hello world\n", ErrNotSequence, 1, ""},
		{"quality length", "@r1\nACGT\n+\nIII\n", ErrQualityLength, 4, "in.fq:4: record 1 (r1): quality length differs from sequence length: quality length 3, sequence length 4"},
		{"quality too long", "@r1\nACGT\n+\nIIIII\n", ErrQualityLength, 4, ""},
		{"second record", "@r1\nA\n+\nI\n@r2\nACGT\n+\nII\n", ErrQualityLength, 8, "record 2 (r2)"},
		{"missing plus", "@r1\nACGT\n@r2\nACGT\n+\nIIII\n", ErrMissingPlus, 3, ""},
		{"truncated record", "@r1\nACGT\n", ErrTruncated, 1, ""},
		{"truncated before quality", "@r1\nACGT\n+\n", ErrTruncated, 3, ""},
		{"bad base", "@r1\nAC3T\n+\nIIII\n", ErrInvalidBase, 2, ""},
		{"bad quality", "@r1\nACGT\n+\nII \x01\n", ErrInvalidQuality, 4, ""},
		{"fasta then fastq header", ">s1\nACGT\n@r2\n", ErrInvalidBase, 3, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := scanAll(t, []byte(c.in))
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want a ParseError wrapping %v", err, c.want)
			}
			if pe.Line != c.line || pe.File != "in.fq" {
				t.Errorf("error at %s:%d, want in.fq:%d (%v)", pe.File, pe.Line, c.line, err)
			}
			if c.text != "" && !strings.Contains(err.Error(), c.text) {
				t.Errorf("error %q does not contain %q", err, c.text)
			}
		})
	}
}

const sample = "@r1\nACGT\n+\nIIII\n@r2\nGGCC\n+\nJJJJ\n"

func gz(data string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(data))
	w.Close()
	return b.Bytes()
}

func TestCompression(t *testing.T) {
	var zs bytes.Buffer
	zw, _ := zstd.NewWriter(&zs)
	zw.Write([]byte(sample))
	zw.Close()
	bz, err := os.ReadFile("testdata/tiny.fastq.bz2")
	if err != nil {
		t.Fatal(err)
	}
	multi := append(gz(sample[:16]), gz(sample[16:])...) // two members, as bgzip writes
	for name, c := range map[string]struct {
		data []byte
		n    int
	}{"gzip": {gz(sample), 2}, "multi-member gzip": {multi, 2}, "zstd": {zs.Bytes(), 2}, "bzip2": {bz, 1}, "plain": {[]byte(sample), 2}} {
		recs, err := scanAll(t, c.data)
		if err != nil || len(recs) != c.n {
			t.Errorf("%s: %d records, err %v", name, len(recs), err)
		}
	}
}

func TestTruncatedGzip(t *testing.T) {
	data := gz(strings.Repeat(sample, 200))
	_, err := scanAll(t, data[:len(data)/2])
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrTruncated) {
		t.Fatalf("truncated gzip: err = %v, want ParseError wrapping ErrTruncated", err)
	}
}

func TestBAMRejected(t *testing.T) {
	if _, err := scanAll(t, gz("BAM\x01rest")); !errors.Is(err, ErrBAM) {
		t.Errorf("BAM: err = %v", err)
	}
}

func TestLongRead(t *testing.T) {
	seq := strings.Repeat("ACGT", 250_000) // 1 Mbp
	recs, err := scanAll(t, []byte("@long\n"+seq+"\n+\n"+strings.Repeat("I", len(seq))+"\n"))
	if err != nil || len(recs) != 1 || len(recs[0].Seq) != 1_000_000 {
		t.Fatalf("1 Mbp read: %v", err)
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "reads.txt") // the name says nothing; the content does
	os.WriteFile(p, gz(sample), 0o644)
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	if string(b) != sample {
		t.Errorf("Open decompressed %q", b)
	}
	if _, err := Open(dir); err == nil {
		t.Error("Open(directory) gave no error")
	}
	if _, err := Open(filepath.Join(dir, "missing")); err == nil {
		t.Error("Open(missing) gave no error")
	}
}

func ExampleScanner() {
	sc := NewScanner(strings.NewReader("@read1 sample=A\nacgtn\n+\nIIIII\n"), "reads.fq")
	for sc.Scan() {
		r := sc.Record()
		fmt.Println(r.ID, string(r.Seq), len(r.Qual))
	}
	fmt.Println(sc.Err())
	// Output:
	// read1 ACGTN 5
	// <nil>
}

func FuzzScanner(f *testing.F) {
	for _, s := range []string{sample, ">s1\nACGT\n>s2\nGG\n", "@r1\nACGT\n+\nIII\n", "", "\x1f\x8b", "@\n\n+\n\n", "@r1\r\nAC\r\n+\r\nII\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		defer r.Close()
		sc := NewScanner(r, "fuzz")
		for sc.Scan() {
			rec := sc.Record()
			if rec.Qual != nil && len(rec.Qual) != len(rec.Seq) {
				t.Fatalf("record %s: %d qualities for %d bases", rec.ID, len(rec.Qual), len(rec.Seq))
			}
		}
		var pe *ParseError
		if err := sc.Err(); err != nil && !errors.As(err, &pe) {
			t.Fatalf("error without a position: %v", err)
		}
	})
}

func BenchmarkScanFASTQ(b *testing.B) {
	var buf bytes.Buffer
	seq := strings.Repeat("ACGTTGCA", 190)
	qual := strings.Repeat("IIIIHHHH", 190)
	for i := range 2000 {
		fmt.Fprintf(&buf, "@read%d\n%s\n+\n%s\n", i, seq, qual)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	reads := 0
	for b.Loop() {
		sc := NewScanner(bytes.NewReader(data), "bench")
		for sc.Scan() {
			reads++
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(reads)/b.Elapsed().Seconds(), "reads/s")
}

// TestEveryByteEverywhere checks the eight-bytes-at-a-time paths of the
// sequence and quality checks against the per-byte rules: every byte value
// at every position of a 19-base read.
func TestEveryByteEverywhere(t *testing.T) {
	const n = 19
	for b := range 256 {
		c := byte(b)
		if c == '\n' || c == '\r' {
			continue
		}
		for pos := range n {
			q := []byte(strings.Repeat("I", n))
			q[pos] = c
			qs := NewScanner(strings.NewReader("@r\n"+strings.Repeat("A", n)+"\n+\n"+string(q)+"\n"), "x.fq")
			if ok, valid := qs.Scan(), c >= '!' && c <= '~'; ok != valid {
				t.Errorf("quality byte 0x%02x at %d: accepted %v, want %v (%v)", c, pos, ok, valid, qs.Err())
			}
			seq := []byte(strings.Repeat("ACGTacgtNRY", 2)[:n])
			seq[pos] = c
			qual := strings.Repeat("I", n)
			wantSeq := strings.ToUpper(string(seq))
			isLetter := (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '.' || c == '*'
			isBlank := c == ' ' || c == '\t'
			if isBlank {
				wantSeq = strings.ToUpper(string(seq[:pos]) + string(seq[pos+1:]))
				qual = qual[1:]
			}
			if pos == 0 && (c == '@' || c == '+') || !isLetter && !isBlank {
				wantSeq = "" // an error, or a line read as a header/separator
			}
			sc := NewScanner(strings.NewReader("@r\n"+string(seq)+"\n+\n"+qual+"\n"), "x.fq")
			ok := sc.Scan()
			if wantSeq == "" {
				if ok && sc.Err() == nil && string(sc.Record().Seq) != "" {
					// '@'/'+' at the start change the record's layout; any
					// outcome but a silently kept byte is fine.
					if strings.ContainsRune(string(sc.Record().Seq), rune(c)) {
						t.Errorf("byte 0x%02x at %d kept", c, pos)
					}
				}
				continue
			}
			if !ok || string(sc.Record().Seq) != wantSeq {
				t.Errorf("byte 0x%02x at %d: ok %v seq %q, want %q (%v)", c, pos, ok, sc.Record().Seq, wantSeq, sc.Err())
			}
		}
	}
}
