package refdb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// ParseError reports a malformed reference file at a place a user can open
// in an editor: "silva.fasta.gz:1207: record 402 (AB000389.1.1523): …".
type ParseError struct {
	File   string // as named by the caller
	Line   int    // 1-based; 0 when unknown
	Record int    // 1-based FASTA record; 0 for table files
	ID     string // record or table key; may be empty
	Err    error
}

// Error formats the error as "FILE:LINE: record N (ID): cause".
func (e *ParseError) Error() string {
	var b bytes.Buffer
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Record > 0 {
		fmt.Fprintf(&b, "record %d ", e.Record)
	}
	if e.ID != "" {
		fmt.Fprintf(&b, "(%s) ", e.ID)
	}
	if e.Record > 0 || e.ID != "" {
		b.Truncate(b.Len() - 1)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

var (
	magicGzip = []byte{0x1f, 0x8b}
	magicZstd = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// Decompress returns a reader of r's content, decompressing gzip (every
// member, so bgzip too) or zstd when r starts with their magic bytes and
// passing anything else through. Close releases the decoder, not r.
func Decompress(r io.Reader) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, magicGzip):
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return gz, nil
	case bytes.HasPrefix(head, magicZstd):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return zr.IOReadCloser(), nil
	}
	return io.NopCloser(br), nil
}

// FASTAReader reads reference sequences from FASTA, one- or multi-line,
// with Windows line ends, alignment gaps ('-', '.') removed and RNA 'U' read
// as 'T'. Letters other than IUPAC nucleotide codes are errors naming the
// line.
type FASTAReader struct {
	br      *bufio.Reader
	name    string
	line    int    // lines read so far
	header  []byte // the next record's header, read ahead
	hdrLine int
	records int
	done    bool
}

// NewFASTAReader reads FASTA from r (already decompressed); name is used in
// errors.
func NewFASTAReader(r io.Reader, name string) *FASTAReader {
	return &FASTAReader{br: bufio.NewReaderSize(r, 1<<20), name: name}
}

// nucleotide marks the bytes a reference sequence may hold: IUPAC codes,
// either case.
var nucleotide = func() (t [256]bool) {
	for _, c := range "ACGTURYSWKMBDHVN" {
		t[c] = true
		t[c+'a'-'A'] = true
	}
	return t
}()

// readLine returns the next line without its line end; io.EOF after the last.
func (f *FASTAReader) readLine() ([]byte, error) {
	line, err := f.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		long := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = f.br.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(line) == 0 && err != nil {
		return nil, io.EOF
	}
	f.line++
	line = bytes.TrimRight(line, "\r\n")
	return line, nil
}

func (f *FASTAReader) errorf(line int, id, format string, a ...any) error {
	return &ParseError{File: f.name, Line: line, Record: f.records, ID: id, Err: fmt.Errorf(format, a...)}
}

// Next returns the next record, io.EOF after the last, or a *ParseError. The
// record's Seq is newly allocated; File and Line name its header.
func (f *FASTAReader) Next() (Record, error) {
	if f.done {
		return Record{}, io.EOF
	}
	for f.header == nil {
		line, err := f.readLine()
		if errors.Is(err, io.EOF) {
			f.done = true
			if f.records == 0 {
				return Record{}, &ParseError{File: f.name, Line: f.line, Err: errors.New("no sequences")}
			}
			return Record{}, io.EOF
		}
		if err != nil {
			return Record{}, &ParseError{File: f.name, Line: f.line + 1, Err: err}
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if line[0] != '>' {
			return Record{}, &ParseError{File: f.name, Line: f.line, Err: fmt.Errorf("want a FASTA header starting with '>', got %q", clip(line))}
		}
		f.header, f.hdrLine = append([]byte(nil), line[1:]...), f.line
	}
	f.records++
	rec := Record{File: f.name, Line: f.hdrLine}
	hdr := f.header
	f.header = nil
	id, desc, _ := bytes.Cut(hdr, []byte{' '})
	if i := bytes.IndexByte(id, '\t'); i >= 0 {
		id, desc = hdr[:i], hdr[i+1:]
	}
	rec.ID, rec.Desc = string(id), string(bytes.TrimLeft(desc, " \t"))
	if rec.ID == "" {
		return rec, f.errorf(rec.Line, "", "empty sequence id")
	}
	var seq []byte
	for {
		line, err := f.readLine()
		if errors.Is(err, io.EOF) {
			f.done = true
			break
		}
		if err != nil {
			return rec, &ParseError{File: f.name, Line: f.line + 1, Record: f.records, ID: rec.ID, Err: err}
		}
		if len(line) > 0 && line[0] == '>' {
			f.header, f.hdrLine = append([]byte(nil), line[1:]...), f.line
			break
		}
		for _, c := range line {
			switch {
			case nucleotide[c]:
				if c == 'U' || c == 'u' {
					c = 'T'
				} else if c >= 'a' {
					c -= 'a' - 'A'
				}
				seq = append(seq, c)
			case c == '-' || c == '.' || c == ' ' || c == '\t':
			default:
				return rec, f.errorf(f.line, rec.ID, "character %q is not a nucleotide code", c)
			}
		}
	}
	if len(seq) == 0 {
		return rec, f.errorf(rec.Line, rec.ID, "empty sequence")
	}
	rec.Seq = seq
	return rec, nil
}

func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
