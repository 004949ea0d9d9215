package refdb

import (
	"bytes"
	_ "embed"
	"fmt"
)

// defaultDB is the embedded default database, written by
// scripts/build-default-db.sh from rRNA16S.gold.fasta (Debian package
// microbiomeutil-data, BSD-3-Clause; see NOTICE).
//
//go:embed default.zdb
var defaultDB []byte

// DefaultName is the name given to the embedded database on the command line
// and in reports.
const DefaultName = "embedded"

// Default loads the embedded default database.
func Default() (*DB, error) {
	db, err := Read(bytes.NewReader(defaultDB))
	if err != nil {
		return nil, fmt.Errorf("embedded database: %w", err)
	}
	return db, nil
}

// DefaultHeader returns the embedded database's header without loading it.
func DefaultHeader() (Header, error) {
	return ReadHeader(bytes.NewReader(defaultDB))
}
