package tables

import (
	"errors"
	"time"

	"github.com/zonula/zonula/taxonomy"
)

// BIOM 1.0 constants (http://biom-format.org/documentation/format_versions/biom-1.0.html).
const (
	biomFormat    = "Biological Observation Matrix 1.0.0"
	biomFormatURL = "http://biom-format.org"
	biomType      = "OTU table"
	// BIOMDateLayout is how WriteBIOM writes BIOMMeta.Date (ISO 8601, UTC).
	BIOMDateLayout = "2006-01-02T15:04:05"
)

// BIOMMeta is what a BIOM file records about its making. Nothing in it is
// read from the clock or the environment, so equal inputs give equal bytes.
type BIOMMeta struct {
	GeneratedBy string    // "generated_by", e.g. "zonula 0.4.0"; required
	Date        time.Time // "date", written in UTC as BIOMDateLayout; required (pass a fixed time, e.g. the Unix epoch, for reproducible files)
	ID          string    // table "id"; empty gives the profile's sample name
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
	switch {
	case meta.GeneratedBy == "":
		return nil, errors.New("tables: BIOMMeta.GeneratedBy is empty; pass the program and version")
	case meta.Date.IsZero():
		return nil, errors.New("tables: BIOMMeta.Date is zero; pass a fixed time (e.g. time.Unix(0, 0)) for reproducible output")
	case len(ps) == 0:
		return nil, errors.New("tables: no profiles to write")
	}
	return combine(ps, rank)
}
