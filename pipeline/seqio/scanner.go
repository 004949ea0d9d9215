package seqio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Format is a sequence file format.
type Format int

// Formats a Scanner recognises from the first non-blank byte.
const (
	Unknown Format = iota
	FASTA
	FASTQ
)

// String returns "FASTA", "FASTQ" or "unknown".
func (f Format) String() string {
	switch f {
	case FASTA:
		return "FASTA"
	case FASTQ:
		return "FASTQ"
	}
	return "unknown"
}

// Record is one sequence. Seq is upper-case; Qual holds Phred+33 qualities
// for FASTQ and is nil for FASTA.
type Record struct {
	ID   string // header up to the first space or tab
	Desc string // rest of the header line
	Seq  []byte
	Qual []byte
}

// Clone returns a copy that stays valid after the Scanner moves on.
func (r *Record) Clone() *Record {
	c := &Record{ID: r.ID, Desc: r.Desc, Seq: append([]byte(nil), r.Seq...)}
	if r.Qual != nil {
		c.Qual = append(make([]byte, 0, len(r.Qual)), r.Qual...)
	}
	return c
}

// Errors a ParseError can wrap.
var (
	ErrEmpty          = errors.New("no sequences (empty input)")
	ErrNotSequence    = errors.New("not FASTA or FASTQ: the first line must start with '>' or '@'")
	ErrHeader         = errors.New("record header must start with '@' (FASTQ) or '>' (FASTA)")
	ErrMissingPlus    = errors.New("missing '+' line after the sequence")
	ErrQualityLength  = errors.New("quality length differs from sequence length")
	ErrInvalidBase    = errors.New("invalid character in sequence")
	ErrInvalidQuality = errors.New("invalid character in quality (want Phred+33, '!' to '~')")
)

// ParseError reports malformed input at a place a user can open in an editor.
type ParseError struct {
	File   string // as named by the user; "-" is standard input
	Line   int    // 1-based line of the problem, 0 when unknown
	Record int    // 1-based record number
	ID     string // read id, "" if the header was not read
	Err    error
	Detail string // e.g. "quality length 1498, sequence length 1501"
}

func (e *ParseError) Error() string {
	msg := e.Err.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	switch {
	case e.Record > 0 && e.ID != "":
		return fmt.Sprintf("%s: record %d (%s): %s", where, e.Record, e.ID, msg)
	case e.Record > 0:
		return fmt.Sprintf("%s: record %d: %s", where, e.Record, msg)
	}
	return where + ": " + msg
}

// InputFile names the file at fault; every error that names a user's input
// has this method (the command line maps them to exit status 3).
func (e *ParseError) InputFile() string { return e.File }

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// Scanner reads records one at a time, like bufio.Scanner. The Record it
// returns is reused by the next Scan; Clone it to keep it.
type Scanner struct {
	r       *bufio.Reader
	name    string
	format  Format
	line    int // lines read so far
	nrec    int
	rec     Record
	recLine int    // line of the current record's header
	buf     []byte // long-line accumulator
	pending []byte // FASTA header read ahead
	pendLn  int
	err     error
	done    bool
	maxRead int // longest read in bases; lines may be lineSlack longer
}

// NewScanner returns a Scanner reading r; name is used in errors. It
// accepts reads of up to DefaultMaxReadLength bases (see SetMaxReadLength).
func NewScanner(r io.Reader, name string) *Scanner {
	return &Scanner{r: bufio.NewReaderSize(r, 1<<20), name: name, maxRead: DefaultMaxReadLength}
}

// SetMaxReadLength sets the longest read, in bases, the Scanner accepts;
// n ≤ 0 keeps DefaultMaxReadLength. A longer read, or a line longer than n
// plus 64 KiB (room for a header), stops the scan with a *ParseError
// wrapping ErrReadTooLong or ErrLineTooLong, so memory stays bounded by n
// whatever the input. Call it before the first Scan.
func (s *Scanner) SetMaxReadLength(n int) {
	if n > 0 {
		s.maxRead = n
	}
}

// Format returns the detected format (Unknown before the first Scan).
func (s *Scanner) Format() Format { return s.format }

// Record returns the current record, valid until the next Scan.
func (s *Scanner) Record() *Record { return &s.rec }

// Line returns the 1-based line of the current record's header.
func (s *Scanner) Line() int { return s.recLine }

// Err returns nil after a clean end of input, else the first error: a
// *ParseError for malformed input, or an error naming the file for I/O.
func (s *Scanner) Err() error { return s.err }

func (s *Scanner) fail(line int, id string, err error, detail string) bool {
	s.err = &ParseError{File: s.name, Line: line, Record: s.nrec, ID: id, Err: err, Detail: detail}
	s.done = true
	return false
}

// readLine returns the next line without its line end ("\n" or "\r\n"). At
// the end of input it returns ok false; a read error is kept in s.err.
func (s *Scanner) readLine() (line []byte, ok bool) {
	s.buf = s.buf[:0]
	for {
		chunk, err := s.r.ReadSlice('\n')
		if len(s.buf)+len(chunk) > s.maxRead+lineSlack {
			first := chunk[0] // the line is long, so not empty
			if len(s.buf) > 0 {
				first = s.buf[0]
			}
			s.lineTooLong(first)
			return nil, false
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			s.buf = append(s.buf, chunk...)
			continue
		}
		if len(s.buf) > 0 {
			s.buf = append(s.buf, chunk...)
			chunk = s.buf
		}
		if err != nil && !errors.Is(err, io.EOF) {
			s.err = &ParseError{File: s.name, Line: s.line + 1, Record: s.nrec, Err: err}
			s.done = true
			return nil, false
		}
		if len(chunk) == 0 && err != nil {
			return nil, false
		}
		s.line++
		n := len(chunk)
		if n > 0 && chunk[n-1] == '\n' {
			n--
		}
		if n > 0 && chunk[n-1] == '\r' {
			n--
		}
		return chunk[:n], true
	}
}

// lineTooLong fails the scan at the line being read, whose first byte is
// first: as not FASTA or FASTQ when it is the first line and does not look
// like a header, else as ErrLineTooLong.
func (s *Scanner) lineTooLong(first byte) {
	if s.nrec == 0 && s.format == Unknown && first != '@' && first != '>' {
		s.fail(s.line+1, "", ErrNotSequence, "")
		return
	}
	s.fail(s.line+1, s.rec.ID, ErrLineTooLong, fmt.Sprintf("more than %d bytes; %s", s.maxRead+lineSlack, limitDetail(s.maxRead)))
}

// nextNonBlank skips empty lines.
func (s *Scanner) nextNonBlank() ([]byte, bool) {
	for {
		line, ok := s.readLine()
		if !ok || len(line) > 0 {
			return line, ok
		}
	}
}

// Scan advances to the next record and reports whether there is one.
func (s *Scanner) Scan() bool {
	if s.done {
		return false
	}
	var header []byte
	headerLine := 0
	if s.pending != nil {
		header, headerLine = s.pending, s.pendLn
		s.pending = nil
	} else {
		line, ok := s.nextNonBlank()
		if !ok {
			s.done = true
			if s.err == nil && s.nrec == 0 {
				s.err = &ParseError{File: s.name, Err: ErrEmpty}
			}
			return false
		}
		header, headerLine = line, s.line
	}
	if s.format == Unknown {
		switch header[0] {
		case '@':
			s.format = FASTQ
		case '>':
			s.format = FASTA
		default:
			s.nrec = 0
			return s.fail(headerLine, "", ErrNotSequence, "")
		}
	}
	s.nrec++
	s.recLine = headerLine
	want := byte('@')
	if s.format == FASTA {
		want = '>'
	}
	if header[0] != want {
		return s.fail(headerLine, "", ErrHeader, fmt.Sprintf("got %q", truncate(header)))
	}
	s.setHeader(header[1:])
	s.rec.Seq = s.rec.Seq[:0]
	if s.format == FASTA {
		return s.scanFASTA(headerLine)
	}
	return s.scanFASTQ(headerLine)
}

func (s *Scanner) setHeader(h []byte) {
	i := 0
	for i < len(h) && h[i] != ' ' && h[i] != '\t' {
		i++
	}
	s.rec.ID = string(h[:i])
	if i < len(h) {
		s.rec.Desc = string(h[i+1:])
	} else {
		s.rec.Desc = ""
	}
}

func (s *Scanner) scanFASTA(headerLine int) bool {
	s.rec.Qual = nil
	for {
		line, ok := s.readLine()
		if !ok {
			if s.err != nil {
				return false
			}
			s.done = true
			return true
		}
		if len(line) > 0 && line[0] == '>' {
			s.pending = append(s.pending[:0:0], line...)
			s.pendLn = s.line
			return true
		}
		if !s.appendBases(line) {
			return false
		}
	}
}

func (s *Scanner) scanFASTQ(headerLine int) bool {
	for {
		line, ok := s.readLine()
		if !ok {
			if s.err != nil {
				return false
			}
			return s.fail(headerLine, s.rec.ID, ErrTruncated, "the file ends before the record's '+' line")
		}
		if len(line) > 0 && line[0] == '+' {
			break
		}
		if len(line) > 0 && line[0] == '@' {
			return s.fail(s.line, s.rec.ID, ErrMissingPlus, "")
		}
		if !s.appendBases(line) {
			return false
		}
	}
	if s.rec.Qual == nil {
		s.rec.Qual = make([]byte, 0, len(s.rec.Seq))
	}
	s.rec.Qual = s.rec.Qual[:0]
	for first := true; first || len(s.rec.Qual) < len(s.rec.Seq); first = false {
		line, ok := s.readLine()
		if !ok {
			if s.err != nil {
				return false
			}
			if len(s.rec.Qual) == 0 && len(s.rec.Seq) > 0 {
				return s.fail(s.line, s.rec.ID, ErrTruncated, "the file ends before the quality line")
			}
			break
		}
		if i := validQualities(line); i >= 0 {
			return s.fail(s.line, s.rec.ID, ErrInvalidQuality, fmt.Sprintf("byte 0x%02x", line[i]))
		}
		s.rec.Qual = append(s.rec.Qual, line...)
	}
	if len(s.rec.Qual) != len(s.rec.Seq) {
		return s.fail(s.line, s.rec.ID, ErrQualityLength, fmt.Sprintf("quality length %d, sequence length %d", len(s.rec.Qual), len(s.rec.Seq)))
	}
	return true
}

// appendBases validates a sequence line and appends it upper-cased. Letters
// (IUPAC codes included) and the gap characters '-', '.' and '*' are allowed;
// spaces and tabs are dropped. Eight bytes at a time that are all upper-case
// letters (the usual case) are copied as they are.
func (s *Scanner) appendBases(line []byte) bool {
	seq := slices.Grow(s.rec.Seq, len(line))
	n := len(seq)
	seq = seq[:n+len(line)]
	out := seq[n:]
	i := 0
	for ; i+8 <= len(line); i += 8 {
		if x := binary.LittleEndian.Uint64(line[i:]); hasLess(x, 'A')|hasMore(x, 'Z') != 0 {
			break
		}
	}
	j := copy(out, line[:i]) // all upper-case letters
	for ; i < len(line); i++ {
		u := baseClass[line[i]]
		if u > classSkip {
			out[j] = u
			j++
			continue
		}
		if u == classInvalid {
			s.rec.Seq = seq[:n+j]
			return s.fail(s.line, s.rec.ID, ErrInvalidBase, fmt.Sprintf("byte 0x%02x", line[i]))
		}
	}
	s.rec.Seq = seq[:n+j]
	if len(s.rec.Seq) > s.maxRead {
		return s.fail(s.line, s.rec.ID, ErrReadTooLong, fmt.Sprintf("more than %d bases; %s", s.maxRead, limitDetail(s.maxRead)))
	}
	return true
}

// SWAR tests on the 8 bytes of x (Anderson, "Bit Twiddling Hacks"): hasLess
// is non-zero when some byte is < n, hasMore when some byte is > n; both for
// n ≤ 127 and exact for bytes < 128 (a byte ≥ 128 makes both non-zero).
const (
	ones  = ^uint64(0) / 255
	highs = ones * 128
)

func hasLess(x uint64, n byte) uint64 { return (x - ones*uint64(n)) &^ x & highs }
func hasMore(x uint64, n byte) uint64 { return (x + ones*uint64(127-n) | x) & highs }

// baseClass maps a sequence byte to the base stored (upper case), or to
// classInvalid or classSkip.
const (
	classInvalid = 0
	classSkip    = 1
)

var baseClass = func() (t [256]byte) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c)
		t[c-'A'+'a'] = byte(c)
	}
	t['-'], t['.'], t['*'] = '-', '.', '*'
	t[' '], t['\t'] = classSkip, classSkip
	return t
}()

// validQualities reports the index of the first byte of q outside Phred+33
// ('!' to '~'), or -1. It tests eight bytes at a time.
func validQualities(q []byte) int {
	i := 0
	for ; i+8 <= len(q); i += 8 {
		if x := binary.LittleEndian.Uint64(q[i:]); hasLess(x, '!')|hasMore(x, '~') != 0 {
			break
		}
	}
	for ; i < len(q); i++ {
		if q[i]-'!' > '~'-'!' {
			return i
		}
	}
	return -1
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
