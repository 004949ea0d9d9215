package main

import (
	"errors"
	"io"

	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// errNotFASTA reports reference sequences given as FASTQ.
var errNotFASTA = errors.New("reference sequences must be FASTA ('>' headers), not FASTQ")

// fastaRecords gives refdb the records of a reference sequences file, read
// from r (decompressed, as seqio.Open or seqio.NewReader give it) by seqio's
// scanner: zonula has one FASTA parser, and refdb takes records. name is
// used in errors. It fills refdb.FetchOptions.Records.
func fastaRecords(r io.Reader, name string) refdb.RecordSource {
	return &seqioRecords{sc: seqio.NewScanner(r, name), name: name}
}

// seqioRecords is a refdb.RecordSource over a seqio.Scanner.
type seqioRecords struct {
	sc   *seqio.Scanner
	name string
}

// Next returns the next record, with its header's line; io.EOF after the
// last; or the scanner's *seqio.ParseError, which names the file, line and
// record. The record's sequence is the scanner's buffer, valid until the
// next call.
func (s *seqioRecords) Next() (refdb.Record, error) {
	if !s.sc.Scan() {
		if err := s.sc.Err(); err != nil {
			return refdb.Record{}, err
		}
		return refdb.Record{}, io.EOF
	}
	rec := s.sc.Record()
	if s.sc.Format() != seqio.FASTA {
		return refdb.Record{}, &seqio.ParseError{File: s.name, Line: s.sc.Line(), Record: 1, ID: rec.ID, Err: errNotFASTA}
	}
	return refdb.Record{ID: rec.ID, Desc: rec.Desc, Seq: rec.Seq, File: s.name, Line: s.sc.Line()}, nil
}
