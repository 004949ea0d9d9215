package tables

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zonula/zonula/taxonomy"
)

// BIOM constants (http://biom-format.org/documentation/format_versions/biom-1.0.html).
const (
	biomFormat    = "Biological Observation Matrix 1.0.0"
	biomFormatURL = "http://biom-format.org"
	biomType      = "OTU table"
	// BIOMDateLayout is how the BIOM writers write BIOMMeta.Date (ISO
	// 8601, UTC).
	BIOMDateLayout = "2006-01-02T15:04:05"
)

// BIOMFormat is the BIOM version the BIOM writers write: BIOM10, JSON,
// the zero value and the default; or BIOM21, HDF5, which QIIME 2 imports
// natively. It implements pflag.Value (String, Set, Type), so a command
// can bind it to a flag such as --biom-format.
type BIOMFormat int

// The BIOM versions WriteBIOM and WriteCombinedBIOM write.
const (
	BIOM10 BIOMFormat = iota // BIOM 1.0 JSON (http://biom-format.org/documentation/format_versions/biom-1.0.html)
	BIOM21                   // BIOM 2.1 HDF5 (http://biom-format.org/documentation/format_versions/biom-2.1.html)
)

var biomFormatNames = []string{"1.0", "2.1"}

// String returns the version as Set accepts it: "1.0" or "2.1".
func (f BIOMFormat) String() string {
	if f < 0 || int(f) >= len(biomFormatNames) {
		return fmt.Sprintf("BIOMFormat(%d)", int(f))
	}
	return biomFormatNames[f]
}

// Set parses "1.0" or "2.1" (surrounding spaces ignored); any other value
// is an error naming the two.
func (f *BIOMFormat) Set(s string) error {
	if i := slices.Index(biomFormatNames, strings.TrimSpace(s)); i >= 0 {
		*f = BIOMFormat(i)
		return nil
	}
	return fmt.Errorf("unknown BIOM format %q (want 1.0 or 2.1)", s)
}

// Type returns the flag type name shown in help.
func (f *BIOMFormat) Type() string { return "version" }

// BIOMMeta says which BIOM version to write and what the file records
// about its making. Nothing in it is read from the clock or the
// environment, so equal inputs give equal bytes.
type BIOMMeta struct {
	GeneratedBy string    // "generated_by" (2.1: "generated-by"), e.g. "zonula 0.4.0"; required
	Date        time.Time // "date" (2.1: "creation-date"), written in UTC as BIOMDateLayout; required (pass a fixed time, e.g. the Unix epoch, for reproducible files)
	ID          string    // table "id"; empty gives the profile's sample name
	Format      BIOMFormat
}

// check rejects metadata the writers cannot write.
func (m BIOMMeta) check() error {
	switch {
	case m.GeneratedBy == "":
		return errors.New("tables: BIOMMeta.GeneratedBy is empty; pass the program and version")
	case m.Date.IsZero():
		return errors.New("tables: BIOMMeta.Date is zero; pass a fixed time (e.g. time.Unix(0, 0)) for reproducible output")
	case m.Format != BIOM10 && m.Format != BIOM21:
		return fmt.Errorf("tables: BIOMMeta.Format %v: want 1.0 or 2.1", m.Format)
	}
	return nil
}

// biomRowID returns a row's BIOM id and taxonomy list.
func biomRowID(row Row) (string, []string) {
	if row.Lineage.Depth() == taxonomy.NoRank {
		return Unclassified, []string{Unclassified}
	}
	var tax []string
	for r := taxonomy.Domain; r <= row.Lineage.Depth(); r++ {
		tax = append(tax, r.Prefix()+row.Lineage[r])
	}
	return row.Lineage.String(), tax
}

// combineForBIOM checks the arguments the BIOM writers share and combines
// the profiles' rows at rank.
func combineForBIOM(ps []*Profile, rank taxonomy.Rank, meta BIOMMeta) ([]combinedRow, error) {
	if err := meta.check(); err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, errors.New("tables: no profiles to write")
	}
	return combine(ps, rank)
}
