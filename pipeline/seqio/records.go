package seqio

import (
	"io"
)

// RecordReader is a stream of reads, whatever the file format: *Scanner
// (FASTQ, FASTA) and *BAMReader satisfy it. Record returns the current read,
// valid until the next Scan; Err is nil after a clean end of input.
type RecordReader interface {
	Scan() bool
	Record() *Record
	Err() error
	// SetMaxReadLength sets the longest read accepted, in bases (≤ 0:
	// DefaultMaxReadLength); call it before the first Scan.
	SetMaxReadLength(n int)
}

var (
	_ RecordReader = (*Scanner)(nil)
	_ RecordReader = (*BAMReader)(nil)
)

// NewRecordReader returns a RecordReader of dec, a reader returned by
// NewReader: a *BAMReader for BAM input, else a *Scanner. name is used in
// errors. Callers that used NewScanner(dec, name) switch to it to read BAM
// as well; errors are the same *ParseError kinds.
func NewRecordReader(dec io.Reader, name string) RecordReader {
	if bs, ok := dec.(*bamStream); ok {
		return newBAMReader(bs.r, name)
	}
	return NewScanner(dec, name)
}

// OpenRecords opens a reads file ("-" is standard input) of any supported
// format (FASTQ, FASTA, BAM) and compression and returns its records.
// Close the returned closer when done; it closes the file.
func OpenRecords(path string) (RecordReader, io.Closer, error) {
	rc, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	inner := rc.(*readCloser).Reader // NewReader's reader: BAM is detected on it
	return NewRecordReader(inner, path), rc, nil
}

// IsBAM reports whether dec, a reader returned by NewReader, is BAM input.
func IsBAM(dec io.Reader) bool {
	_, ok := dec.(*bamStream)
	return ok
}
