package refdb

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// records is a RecordSource of records held in memory.
type records struct {
	recs []Record
	next int
}

func (s *records) Next() (Record, error) {
	if s.next == len(s.recs) {
		return Record{}, io.EOF
	}
	s.next++
	return s.recs[s.next-1], nil
}

// fastaRecords reads FASTA text for the tests the way zonula's commands give
// it to refdb (with pipeline/seqio, which refdb may not import): headers
// ">ID DESC" split at the first space or tab, records numbered with their
// header's line, sequence lines joined as they are. It checks nothing:
// BuildFrom's own checks are what the tests exercise.
func fastaRecords(text, name string) RecordSource {
	s := &records{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if h, ok := strings.CutPrefix(line, ">"); ok {
			rec := Record{ID: h, File: name, Line: i + 1}
			if j := strings.IndexAny(h, " \t"); j >= 0 {
				rec.ID, rec.Desc = h[:j], h[j+1:]
			}
			s.recs = append(s.recs, rec)
		} else if n := len(s.recs); n > 0 {
			s.recs[n-1].Seq = append(s.recs[n-1].Seq, line...)
		}
	}
	return s
}

// readerRecords is fastaRecords for FetchOptions.Records.
func readerRecords(r io.Reader, name string) RecordSource {
	text, err := io.ReadAll(r)
	if err != nil {
		return &failing{err}
	}
	return fastaRecords(string(text), name)
}

// failing is a RecordSource that fails with err.
type failing struct{ err error }

func (f *failing) Next() (Record, error) { return Record{}, f.err }

// gunzip is FetchOptions.Decompress for the tests: gzip (by its first
// bytes) or as it is.
func gunzip(r io.Reader) (io.ReadCloser, error) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(2); bytes.Equal(head, []byte{0x1f, 0x8b}) {
		return gzip.NewReader(br)
	}
	return io.NopCloser(br), nil
}

// withReaders fills o's reading hooks as the tests need them.
func withReaders(o FetchOptions) FetchOptions {
	o.Decompress, o.Records = gunzip, readerRecords
	return o
}

// openFixture opens a fixture of testdata/refdb, decompressed by its name's
// ending (.gz, .zst).
func openFixture(t *testing.T, name string) io.Reader {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	switch filepath.Ext(name) {
	case ".gz":
		r, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		return r
	case ".zst":
		r, err := zstd.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(r.Close)
		return r
	}
	return f
}

// fixtureRecords reads a FASTA fixture's records (see fastaRecords).
func fixtureRecords(t *testing.T, name string) RecordSource {
	t.Helper()
	text, err := io.ReadAll(openFixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return fastaRecords(string(text), name)
}
