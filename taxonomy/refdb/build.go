package refdb

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/zonula/zonula/taxonomy"
)

// Record is one input sequence for Build, as a FASTA reader gives it.
type Record struct {
	ID   string // first word of the header
	Desc string // rest of the header line
	Seq  []byte
}

// LineageFunc derives a record's lineage from its header.
type LineageFunc func(Record) (taxonomy.Lineage, error)

// BuildStats counts what Build did.
type BuildStats struct {
	Input      int // records given
	Duplicates int // records whose sequence equalled an earlier one
}

// Build turns records into references: sequences upper-cased, identical
// sequences merged into one reference whose lineage is the LCA of theirs
// (keeping the first id), and the result sorted by lineage then id so the
// output does not depend on input order beyond ties of identical lineages.
// A record whose lineage cannot be read is an error naming it.
func Build(recs []Record, lineageOf LineageFunc) ([]Reference, BuildStats, error) {
	st := BuildStats{Input: len(recs)}
	bySeq := make(map[string]int, len(recs))
	refs := make([]Reference, 0, len(recs))
	for i, rec := range recs {
		lin, err := lineageOf(rec)
		if err != nil {
			return nil, st, fmt.Errorf("record %d (%s): %w", i+1, rec.ID, err)
		}
		if lin.Depth() < taxonomy.Domain {
			return nil, st, fmt.Errorf("record %d (%s): no lineage", i+1, rec.ID)
		}
		seq := bytes.ToUpper(rec.Seq)
		if len(seq) == 0 {
			return nil, st, fmt.Errorf("record %d (%s): empty sequence", i+1, rec.ID)
		}
		if j, ok := bySeq[string(seq)]; ok {
			refs[j].Lineage = taxonomy.LCA(refs[j].Lineage, lin)
			st.Duplicates++
			continue
		}
		bySeq[string(seq)] = len(refs)
		refs = append(refs, Reference{ID: rec.ID, Lineage: lin, Seq: seq})
	}
	slices.SortStableFunc(refs, func(a, b Reference) int {
		return cmp.Or(cmp.Compare(a.Lineage.String(), b.Lineage.String()), cmp.Compare(a.ID, b.ID))
	})
	return refs, st, nil
}

// GoldLineage reads the header of rRNA16S.gold.fasta (Debian's
// microbiomeutil-data) and RDP-style files like it: the lineage
// "Bacteria; Firmicutes; ...; Genus" is the last tab-separated field
// (domain to genus), and the species is the first two words of the
// description when they form a binomial ("Faecalibacterium prausnitzii M21/2"
// gives "Faecalibacterium prausnitzii"; "Clostridium sp. L2-50" gives none).
// Phylum names are kept as the file has them.
func GoldLineage(rec Record) (taxonomy.Lineage, error) {
	var l taxonomy.Lineage
	fields := strings.Split(rec.Desc, "\t")
	if len(fields) < 2 {
		return l, fmt.Errorf("header has no tab-separated lineage field")
	}
	ranks := strings.Split(fields[len(fields)-1], ";")
	if len(ranks) > int(taxonomy.Genus)+1 {
		return l, fmt.Errorf("lineage %q has %d ranks, want at most 6 (domain to genus)", fields[len(fields)-1], len(ranks))
	}
	for i, name := range ranks {
		name = strings.TrimSpace(name)
		if name == "" {
			break
		}
		l[i] = name
	}
	if l.Depth() == taxonomy.Genus {
		l[taxonomy.Species] = binomial(fields[0])
	}
	return l, nil
}

// binomial returns "Genus epithet" from a free-text organism description, or
// "" when the description does not start with a named species.
func binomial(desc string) string {
	if i := strings.IndexByte(desc, ';'); i >= 0 {
		desc = desc[:i]
	}
	w := strings.Fields(desc)
	if len(w) < 2 {
		return ""
	}
	genus, epithet := w[0], strings.Trim(w[1], ",.")
	if genus == "Candidatus" || epithet == "" {
		return ""
	}
	if !unicode.IsUpper(rune(genus[0])) || !unicode.IsLower(rune(epithet[0])) {
		return ""
	}
	switch epithet {
	case "sp", "bacterium", "cf", "genomosp", "endosymbiont", "str", "strain":
		return ""
	}
	return genus + " " + epithet
}
