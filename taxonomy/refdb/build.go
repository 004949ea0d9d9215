package refdb

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"errors"
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
	File string // where the record came from, for errors; may be empty
	Line int    // line of its header, 1-based; 0 when unknown
}

// LineageFunc derives a record's lineage from its header.
type LineageFunc func(Record) (taxonomy.Lineage, error)

// BuildStats counts what Build did.
type BuildStats struct {
	Input      int            // records given
	Duplicates int            // records whose sequence equalled an earlier one
	Skipped    map[string]int // records left out, by reason (SILVA's eukaryotes); nil when none
}

// Builder collects references one record at a time, dereplicating as it
// goes; Finish sorts them. It keeps one copy of each distinct sequence and a
// SHA-256 digest per sequence, not the input records.
type Builder struct {
	bySeq map[[sha256.Size]byte]int32
	ids   map[string]int // id → header line of its first record
	refs  []Reference
	stats BuildStats
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{bySeq: map[[sha256.Size]byte]int32{}, ids: map[string]int{}}
}

// Add adds one record with its lineage. Sequences are upper-cased;
// identical sequences merge into the first record's reference, whose lineage
// becomes the LCA of theirs. A lineage without a domain, an empty sequence,
// an id holding a tab and an id seen before are errors.
func (b *Builder) Add(rec Record, lin taxonomy.Lineage) error {
	return b.add(rec, parsed{id: rec.ID, lin: lin})
}

func (b *Builder) add(rec Record, p parsed) error {
	b.stats.Input++
	if p.skip != "" {
		if b.stats.Skipped == nil {
			b.stats.Skipped = map[string]int{}
		}
		b.stats.Skipped[p.skip]++
		return nil
	}
	if p.id == "" || strings.ContainsAny(p.id, "\t\n") {
		return fmt.Errorf("id %q is empty or holds a tab", p.id)
	}
	if first, dup := b.ids[p.id]; dup {
		if first > 0 {
			return fmt.Errorf("id %s repeated (first on line %d)", p.id, first)
		}
		return fmt.Errorf("id %s repeated", p.id)
	}
	b.ids[p.id] = rec.Line
	if p.lin.Depth() < taxonomy.Domain {
		return errors.New("no lineage")
	}
	seq := bytes.ToUpper(rec.Seq)
	if len(seq) == 0 {
		return errors.New("empty sequence")
	}
	key := sha256.Sum256(seq)
	if j, ok := b.bySeq[key]; ok {
		b.refs[j].Lineage = taxonomy.LCA(b.refs[j].Lineage, p.lin)
		b.stats.Duplicates++
		return nil
	}
	b.bySeq[key] = int32(len(b.refs))
	b.refs = append(b.refs, Reference{ID: p.id, Lineage: p.lin, Seq: seq})
	return nil
}

// Finish returns the references sorted by lineage string then id, so the
// output does not depend on input order beyond which id names a merged
// sequence, and the counts. A sequence whose records disagree on the domain
// has no common lineage: it is left out and counted in Skipped.
func (b *Builder) Finish() ([]Reference, BuildStats) {
	type keyed struct {
		lin string
		i   int
	}
	keys := make([]keyed, 0, len(b.refs))
	for i := range b.refs {
		if b.refs[i].Lineage.Depth() < taxonomy.Domain {
			// Identical sequences filed under different domains: no
			// lineage is left to give, so the sequence is left out.
			if b.stats.Skipped == nil {
				b.stats.Skipped = map[string]int{}
			}
			b.stats.Skipped["sequences shared by records of different domains"]++
			continue
		}
		keys = append(keys, keyed{b.refs[i].Lineage.String(), i})
	}
	slices.SortFunc(keys, func(x, y keyed) int {
		return cmp.Or(cmp.Compare(x.lin, y.lin), cmp.Compare(b.refs[x.i].ID, b.refs[y.i].ID))
	})
	out := make([]Reference, len(keys))
	for i, k := range keys {
		out[i] = b.refs[k.i]
	}
	return out, b.stats
}

// Build turns records into references with a Builder: sequences
// upper-cased, identical sequences merged into one reference whose lineage
// is the LCA of theirs (keeping the first id), and the result sorted by
// lineage then id. A record whose lineage cannot be read is an error naming
// it.
func Build(recs []Record, lineageOf LineageFunc) ([]Reference, BuildStats, error) {
	b := NewBuilder()
	for i, rec := range recs {
		lin, err := lineageOf(rec)
		if err == nil {
			err = b.Add(rec, lin)
		}
		if err != nil {
			return nil, b.stats, &ParseError{File: rec.File, Line: rec.Line, Record: i + 1, ID: rec.ID, Err: err}
		}
	}
	refs, st := b.Finish()
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
