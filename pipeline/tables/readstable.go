package tables

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// ReadsHeader is the header line of zonula's per-read table (reads.tsv.gz).
const ReadsHeader = "read_id\tstatus\tlineage\trank\tconfidence\tidentity\treference"

// IsReadsTable reports whether data (the start of a file, decompressed)
// begins with ReadsHeader.
func IsReadsTable(data []byte) bool {
	return bytes.HasPrefix(data, []byte(ReadsHeader+"\n")) || bytes.HasPrefix(data, []byte(ReadsHeader+"\r\n"))
}

// ProfileFromReads counts a zonula per-read table (ReadsHeader, then one
// line per read) into a profile of sample: a classified read counts for its
// lineage, an unclassified or chimeric read counts as unclassified, and a
// filtered read not at all, as in zonula run. Reads that run split between
// near-tied species by expectation–maximisation are counted at the rank
// their line names (usually the genus), since the table does not hold their
// ties; every rank above species equals run's. Errors are *ParseError
// values naming name and the line.
func ProfileFromReads(r io.Reader, name, sample string) (*Profile, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	b := NewBuilder(sample)
	line := 0
	fail := func(err error) error { return &ParseError{File: name, Line: line, Err: err} }
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			if text != ReadsHeader {
				return nil, fail(fmt.Errorf("header %q, want %q", truncate(text), ReadsHeader))
			}
			continue
		}
		if text == "" {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 7 {
			return nil, fail(fmt.Errorf("%d tab-separated fields, want 7", len(f)))
		}
		switch f[1] {
		case "classified":
			l, err := taxonomy.ParsePrefixed(f[2])
			if err != nil {
				return nil, fail(fmt.Errorf("lineage: %w", err))
			}
			b.Add(l, 1)
		case "unclassified", "chimera":
			b.Add(taxonomy.Lineage{}, 1)
		case "filtered":
		default:
			return nil, fail(fmt.Errorf("status %q, want classified, unclassified, chimera or filtered", truncate(f[1])))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fail(err)
	}
	if line == 0 {
		return nil, fail(errors.New("empty file, want a per-read table"))
	}
	return b.Profile(), nil
}
