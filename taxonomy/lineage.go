package taxonomy

import (
	"fmt"
	"strings"
)

// Rank is a taxonomic rank from Domain (0) to Species (6).
type Rank int

// The seven ranks zonula reports, broadest first.
const (
	Domain Rank = iota
	Phylum
	Class
	Order
	Family
	Genus
	Species
	// NumRanks is the number of ranks; Lineage holds one name per rank.
	NumRanks
)

// NoRank marks an assignment that is not supported at any rank.
const NoRank Rank = -1

var rankNames = [NumRanks]string{"domain", "phylum", "class", "order", "family", "genus", "species"}
var rankPrefixes = [NumRanks]string{"d__", "p__", "c__", "o__", "f__", "g__", "s__"}

// String returns the lower-case rank name ("genus"); NoRank gives "none".
func (r Rank) String() string {
	if r < 0 || r >= NumRanks {
		return "none"
	}
	return rankNames[r]
}

// Prefix returns the Greengenes/GTDB-style prefix of the rank ("g__").
func (r Rank) Prefix() string {
	if r < 0 || r >= NumRanks {
		return ""
	}
	return rankPrefixes[r]
}

// ParseRank accepts a rank name as printed by String ("genus").
func ParseRank(s string) (Rank, error) {
	for r, n := range rankNames {
		if strings.EqualFold(s, n) {
			return Rank(r), nil
		}
	}
	return NoRank, fmt.Errorf("unknown rank %q (want one of %s)", s, strings.Join(rankNames[:], ", "))
}

// Ranks returns every rank from Domain to Species.
func Ranks() []Rank {
	rs := make([]Rank, NumRanks)
	for i := range rs {
		rs[i] = Rank(i)
	}
	return rs
}

// Lineage is a name per rank, broadest first. An empty name means the rank is
// unknown; names below the first empty rank are ignored by Depth and String.
type Lineage [NumRanks]string

// Depth returns the deepest rank with a name, counting only an unbroken run
// from Domain; NoRank if even the domain is empty.
func (l Lineage) Depth() Rank {
	d := NoRank
	for r := Domain; r < NumRanks; r++ {
		if l[r] == "" {
			break
		}
		d = r
	}
	return d
}

// Truncate returns the lineage with every rank below r cleared.
func (l Lineage) Truncate(r Rank) Lineage {
	var out Lineage
	for i := Domain; i <= r && i < NumRanks; i++ {
		out[i] = l[i]
	}
	return out
}

// Name returns the name at rank r, or "" when r is outside the lineage.
func (l Lineage) Name(r Rank) string {
	if r < 0 || r >= NumRanks {
		return ""
	}
	return l[r]
}

// String formats the lineage as "d__Bacteria;p__Bacillota;...;g__Faecalibacterium",
// stopping at Depth. An empty lineage gives "".
func (l Lineage) String() string {
	var b strings.Builder
	for r := Domain; r <= l.Depth(); r++ {
		if r > Domain {
			b.WriteByte(';')
		}
		b.WriteString(rankPrefixes[r])
		b.WriteString(l[r])
	}
	return b.String()
}

// ParsePrefixed reads a lineage written by String ("d__X;p__Y;..."). Unknown
// prefixes and empty fields are errors; ranks must come in order.
func ParsePrefixed(s string) (Lineage, error) {
	var l Lineage
	if strings.TrimSpace(s) == "" {
		return l, nil
	}
	next := Domain
	for _, f := range strings.Split(s, ";") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		found := false
		for r := next; r < NumRanks; r++ {
			if strings.HasPrefix(f, rankPrefixes[r]) {
				l[r] = strings.TrimSpace(f[len(rankPrefixes[r]):])
				next, found = r+1, true
				break
			}
		}
		if !found {
			return Lineage{}, fmt.Errorf("lineage field %q: want a rank prefix d__ p__ c__ o__ f__ g__ s__ in order", f)
		}
	}
	return l, nil
}

// LCA returns the longest shared prefix of the lineages: names agree at every
// rank down to the result's depth. No lineages give an empty Lineage.
func LCA(ls ...Lineage) Lineage {
	if len(ls) == 0 {
		return Lineage{}
	}
	out := ls[0]
	for _, l := range ls[1:] {
		for r := Domain; r < NumRanks; r++ {
			if out[r] != l[r] || out[r] == "" {
				for k := r; k < NumRanks; k++ {
					out[k] = ""
				}
				break
			}
		}
	}
	return out.Truncate(out.Depth())
}
