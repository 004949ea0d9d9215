package seqio

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"
)

// ErrBAM reports a BAM file read as text: NewReader's reader of BAM input
// fails with it when read directly (a Scanner does that). NewRecordReader and
// OpenRecords decode BAM.
var ErrBAM = errors.New("BAM input is not supported yet; convert it with 'samtools fastq' first")

// Open opens a reads file ("-" is standard input) and returns a reader of its
// decompressed content. Compression is detected from the first bytes.
func Open(path string) (io.ReadCloser, error) {
	var f *os.File
	if path == "-" {
		f = os.Stdin
	} else {
		var err error
		if f, err = os.Open(path); err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err == nil && st.IsDir() {
			f.Close()
			return nil, fmt.Errorf("%s is a directory, not a reads file", path)
		}
	}
	r, err := NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &readCloser{Reader: r, close: func() error {
		r.Close() // decoder errors were reported by Read
		if path == "-" {
			return nil // standard input stays open for the caller
		}
		return f.Close()
	}}, nil
}

// readCloser is what Open returns: the decoded reader (NewReader's) and a
// close that releases the decoder and the file.
type readCloser struct {
	Reader io.ReadCloser
	close  func() error
}

func (r *readCloser) Read(p []byte) (int, error) { return r.Reader.Read(p) }
func (r *readCloser) Close() error               { return r.close() }

var (
	magicGzip  = []byte{0x1f, 0x8b}
	magicZstd  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicBzip2 = []byte("BZh")
	magicBAM   = []byte("BAM\x01")
)

// NewReader returns a reader of r's decompressed content: gzip (every member
// of a multi-member or bgzip file, decompressed in parallel), zstd, bzip2, or
// r itself when it is not compressed. Compressed input that inflates more
// than MaxRatio times (after its first 4 MiB) fails with ErrBomb, and a
// zstd frame may ask for at most a 128 MiB window. For BAM input (BGZF or uncompressed)
// it returns a reader that NewRecordReader decodes as records and that, read
// directly, fails with ErrBAM.
//
// Close the returned reader when done (also after an error or an early stop):
// it stops the gzip and zstd decoders' goroutines and frees their buffers. It
// does not close r. Reading after Close fails.
func NewReader(r io.Reader) (io.ReadCloser, error) {
	raw := &countingReader{r: r}
	br := bufio.NewReaderSize(raw, 1<<16)
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	guard := func(dec io.Reader, format string) io.Reader {
		return &ratioGuard{r: dec, in: raw, format: format}
	}
	switch {
	case bytes.HasPrefix(head, magicGzip):
		gz, err := pgzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		inner := bufio.NewReaderSize(guard(&streamErrors{gz, "gzip"}, "gzip"), 1<<16)
		if h, _ := inner.Peek(4); bytes.Equal(h, magicBAM) {
			return &bamStream{r: inner, release: gz.Close}, nil
		}
		return &decoded{Reader: inner, release: gz.Close}, nil
	case bytes.HasPrefix(head, magicZstd):
		zr, err := zstd.NewReader(br, zstd.WithDecoderMaxWindow(1<<27))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return &decoded{Reader: guard(&streamErrors{zr, "zstd"}, "zstd"), release: func() error { zr.Close(); return nil }}, nil
	case bytes.HasPrefix(head, magicBzip2):
		return &decoded{Reader: guard(bzip2.NewReader(br), "bzip2")}, nil
	case bytes.Equal(head, magicBAM):
		return &bamStream{r: br}, nil
	}
	return &decoded{Reader: br}, nil
}

// decoded is NewReader's reader of text input; release frees the
// decompressor, if any. Close is idempotent.
type decoded struct {
	io.Reader
	release func() error
	closed  bool
}

func (d *decoded) Close() error {
	if d.closed || d.release == nil {
		d.closed = true
		return nil
	}
	d.closed = true
	d.Reader = closedReader{}
	return d.release()
}

// closedReader fails every Read after Close.
type closedReader struct{}

func (closedReader) Read([]byte) (int, error) { return 0, errClosed }

var errClosed = errors.New("read after Close")

// ErrTruncated reports input that ends in the middle of a record or of a
// compressed stream.
var ErrTruncated = errors.New("unexpected end of input (truncated file?)")

// streamErrors names the compression in read errors and turns an early end
// of a compressed stream into ErrTruncated.
type streamErrors struct {
	r      io.Reader
	format string
}

func (e *streamErrors) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("%s: %w", e.format, ErrTruncated)
	} else if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%s: %w", e.format, err)
	}
	return n, err
}
