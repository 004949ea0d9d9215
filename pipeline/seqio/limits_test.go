package seqio

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// scanLimited scans data with a read-length limit of max bases.
func scanLimited(t *testing.T, data []byte, max int) (int, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return 0, err
	}
	defer r.Close()
	rr := NewRecordReader(r, "in")
	rr.SetMaxReadLength(max)
	n := 0
	for rr.Scan() {
		n++
	}
	return n, rr.Err()
}

func TestReadLengthLimit(t *testing.T) {
	seq := strings.Repeat("ACGT", 25) // 100 bases
	for _, c := range []struct {
		name, in string
		max      int
		err      error
		line     int // of the error
		id       string
	}{
		{"at the limit", "@r1\n" + seq + "\n+\n" + strings.Repeat("I", 100) + "\n", 100, nil, 0, ""},
		{"fastq one line", "@r1\nA\n+\nI\n@r2\n" + seq + "A\n+\n" + strings.Repeat("I", 101) + "\n", 100, ErrReadTooLong, 6, "r2"},
		{"fasta many lines", ">r1\n" + strings.Repeat(seq[:60]+"\n", 3), 150, ErrReadTooLong, 4, "r1"},
		{"line past the slack", "@r1\n" + strings.Repeat("A", 100+lineSlack+1) + "\n+\n", 100, ErrLineTooLong, 2, "r1"},
		{"header past the slack", "@" + strings.Repeat("h", 100+lineSlack+1) + "\nA\n+\nI\n", 100, ErrLineTooLong, 1, ""},
		{"binary first line", strings.Repeat("\x00", 100+lineSlack+1), 100, ErrNotSequence, 1, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := scanLimited(t, []byte(c.in), c.max)
			if !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			if c.err == nil {
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "in" || pe.Line != c.line || pe.ID != c.id {
				t.Errorf("error %#v, want in:%d (%s)", err, c.line, c.id)
			}
			if c.err != ErrNotSequence && !strings.Contains(err.Error(), "--max-read-length") {
				t.Errorf("error %q does not say how to raise the limit", err)
			}
		})
	}
}

// TestDefaultReadLength: a read of a mebibyte is read, one base more is not.
func TestDefaultReadLength(t *testing.T) {
	read := func(n int) string { return ">r\n" + strings.Repeat("ACGTACGTAC\n", n/10) }
	if _, err := scanLimited(t, []byte(read(DefaultMaxReadLength/10*10)), 0); err != nil {
		t.Errorf("read of %d bases: %v", DefaultMaxReadLength/10*10, err)
	}
	if _, err := scanLimited(t, []byte(read(DefaultMaxReadLength+10)), 0); !errors.Is(err, ErrReadTooLong) {
		t.Errorf("read of %d bases: %v, want ErrReadTooLong", DefaultMaxReadLength+10, err)
	}
}

func TestBAMReadLengthLimit(t *testing.T) {
	body := bamBody("@HD\tVN:1.6\n", []bamRec{{name: "short", seq: "ACGT"}, {name: "long", seq: strings.Repeat("ACGT", 30)}})
	n, err := scanLimited(t, bgzf(t, body, 1<<16), 100)
	var pe *ParseError
	if n != 1 || !errors.Is(err, ErrReadTooLong) || !errors.As(err, &pe) || pe.Record != 2 {
		t.Fatalf("%d reads, error %v; want 1 read, then record 2 too long", n, err)
	}
	if errors.Is(err, ErrBadBAM) {
		t.Errorf("a long read is not malformed BAM: %v", err)
	}
	// A record length beyond any read the limit allows fails before it is read.
	rec := body[len(body)-4-(32+5+60+120):]
	huge := append(bytes.Clone(body[:len(body)-len(rec)]), 0, 0, 0, 0x7f)
	if _, err := scanLimited(t, bgzf(t, huge, 1<<16), 100); !errors.Is(err, ErrReadTooLong) {
		t.Errorf("record of 2 GiB: %v, want ErrReadTooLong", err)
	}
}

// bomb compresses size bytes of repeated text in members of 1 MiB, with
// the compressor comp ("gzip" or "zstd"), quickly: one member is made and
// repeated.
func bomb(t *testing.T, comp string, size int) []byte {
	t.Helper()
	chunk := bytes.Repeat([]byte(">r\nACGTACGTAC\n"), (1<<20)/14)
	var one bytes.Buffer
	switch comp {
	case "gzip":
		zw, _ := gzip.NewWriterLevel(&one, gzip.BestCompression)
		zw.Write(chunk)
		zw.Close()
	case "zstd":
		zw, _ := zstd.NewWriter(&one)
		zw.Write(chunk)
		zw.Close()
	}
	return bytes.Repeat(one.Bytes(), size/len(chunk)+1)
}

func TestDecompressionBomb(t *testing.T) {
	for _, comp := range []string{"gzip", "zstd"} {
		t.Run(comp, func(t *testing.T) {
			data := bomb(t, comp, minRatioCheck+4<<20)
			n, err := scanLimited(t, data, 0)
			if !errors.Is(err, ErrBomb) || !strings.Contains(err.Error(), comp) {
				t.Fatalf("%d reads, error %v; want ErrBomb from %s", n, err, comp)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line == 0 {
				t.Errorf("error %v does not name the line", err)
			}
			// Below the size checked, any ratio is fine.
			if _, err := scanLimited(t, bomb(t, comp, 2<<20), 0); err != nil {
				t.Errorf("3 MiB at a high ratio: %v", err)
			}
		})
	}
}

// TestRatioGuardBoundary: the ratio is checked only past minRatioCheck
// bytes of output, and then against MaxRatio times the input read.
func TestRatioGuardBoundary(t *testing.T) {
	read := func(out, in int64) error {
		g := &ratioGuard{r: strings.NewReader("x"), in: &countingReader{n: in}, out: out - 1, format: "bzip2"}
		_, err := g.Read(make([]byte, 1))
		return err
	}
	if err := read(minRatioCheck, 1); err != nil {
		t.Errorf("%d bytes out of 1 in: %v", minRatioCheck, err)
	}
	if err := read(minRatioCheck+1, (minRatioCheck+1)/MaxRatio+1); err != nil {
		t.Errorf("under the ratio: %v", err)
	}
	if err := read(minRatioCheck+1, (minRatioCheck+1)/MaxRatio-1); !errors.Is(err, ErrBomb) || !strings.HasPrefix(err.Error(), "bzip2: ") {
		t.Errorf("over the ratio: %v, want bzip2: ErrBomb", err)
	}
}
