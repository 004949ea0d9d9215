package refdb

import (
	"bytes"
	"errors"
	"fmt"
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
// InputFile names the reference or taxonomy file at fault.
func (e *ParseError) InputFile() string { return e.File }

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

// RecordSource gives the records of a reference sequences file, parsed by
// the caller: refdb parses no FASTA and detects no compression itself
// (zonula's commands read the file with pipeline/seqio). Next returns the
// next record, io.EOF after the last, or an error that names the file and
// line; BuildFrom returns such errors as they are. A record's Seq need only
// stay valid until the next call, and may hold gaps, blanks, lower case and
// RNA bases (see BuildFrom).
type RecordSource interface {
	Next() (Record, error)
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

// appendBases appends seq to dst as a reference holds it: IUPAC nucleotide
// codes upper-cased and RNA 'U' read as 'T', with alignment gaps ('-', '.')
// and blanks removed. Any other byte is an error naming it, and a sequence
// left empty is an error.
func appendBases(dst, seq []byte) ([]byte, error) {
	n := len(dst)
	for _, c := range seq {
		switch {
		case nucleotide[c]:
			if c == 'U' || c == 'u' {
				c = 'T'
			} else if c >= 'a' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
		case c == '-' || c == '.' || c == ' ' || c == '\t':
		default:
			return dst, fmt.Errorf("character %q is not a nucleotide code", c)
		}
	}
	if len(dst) == n {
		return dst, errors.New("empty sequence")
	}
	return dst, nil
}
