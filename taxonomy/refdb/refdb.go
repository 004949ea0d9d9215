package refdb

import (
	"github.com/zonula/zonula/taxonomy"
)

// FormatVersion is the version of the database file layout written by Write:
// 3, whose checksum covers the header as well as the sequences. Version 2
// (the same layout, checksum over the compressed sequences only) and 1 (one
// zstd stream, SHA-256 of the uncompressed payload) are still read.
const FormatVersion = 3

// Reference is one reference sequence with its lineage.
type Reference struct {
	ID      string
	Lineage taxonomy.Lineage
	Seq     []byte // upper-case IUPAC nucleotides
}

// Header describes a database file: what it was built from and how to check it.
type Header struct {
	Format      int     `json:"format"`  // FormatVersion of the writer
	Name        string  `json:"name"`    // short name, e.g. "rrna16s-gold"
	Version     string  `json:"version"` // version of the source data
	Source      string  `json:"source"`  // where the sequences came from
	License     string  `json:"license"`
	Built       string  `json:"built,omitempty"`   // build date (YYYY-MM-DD) as given, or "": never the clock
	Sequences   int     `json:"sequences"`         // references after dereplication
	InputSeqs   int     `json:"input_sequences"`   // records read before dereplication
	Duplicates  int     `json:"duplicates"`        // identical sequences merged
	Skipped     int     `json:"skipped,omitempty"` // input records left out (e.g. SILVA's eukaryotes)
	Genera      int     `json:"genera"`            // distinct genus names
	Bases       int64   `json:"bases"`
	SHA256      string  `json:"sha256"` // format 3: of header and blocks (see Write); 2: of the blocks; 1: of the payload
	Compression string  `json:"compression"`
	Blocks      []Block `json:"blocks,omitempty"` // format 2
	// GenusCohesion holds, per genus of two or more references, the lowest
	// identity of a member to its nearest congener (classify.GenusCohesion),
	// which the classifier uses as that genus's identity floor. Derived from
	// the sequences; absent in databases built without it.
	GenusCohesion map[string]float64 `json:"genus_cohesion,omitempty"`
}

// DB is a loaded reference database.
type DB struct {
	Header Header
	Refs   []Reference
	// SHA256 is the checksum of everything the classifier uses: the file
	// with its header's own checksum value blanked (Write). For a format 3
	// file it equals Header.SHA256, which Read has checked; for older
	// formats, whose header checksum leaves the header out, Read computes
	// it. Provenance records it, so databases that differ only in their
	// headers (genus identity floors) are told apart.
	SHA256 string
}

// ShortID returns the first 12 hex digits of the payload checksum, enough to
// tell databases apart in a report header.
func (h Header) ShortID() string {
	if len(h.SHA256) < 12 {
		return h.SHA256
	}
	return h.SHA256[:12]
}
