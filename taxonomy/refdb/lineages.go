package refdb

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// The lineage-string readers here cover what reference formats write; the
// generic reader of lineage strings in tables lives in package taxonomy.

// placeholder reports names that stand for "not known" in reference
// taxonomies (SILVA's "uncultured" genus, mothur's "Bacteria_unclassified").
// A lineage stops at the first placeholder.
func placeholder(name string) bool {
	switch strings.ToLower(name) {
	case "", "unclassified", "unknown", "uncultured", "unidentified", "na", "none", "null", "environmental samples":
		return true
	}
	l := strings.ToLower(name)
	return strings.HasSuffix(l, "_unclassified") || strings.HasPrefix(l, "unclassified_") ||
		strings.HasPrefix(l, "unclassified ") || strings.HasPrefix(l, "uncultured ")
}

// cleanName trims spaces and the quotes RDP puts around some names
// ("\"Bacteroidetes\"") and returns "" for a placeholder.
func cleanName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, `"'`)
	s = strings.TrimSpace(s)
	if placeholder(s) {
		return ""
	}
	return s
}

// speciesName normalises a species field: underscores become spaces when
// the name has none ("Escherichia_coli"; GTDB's "Escherichia coli_B" keeps
// its suffix), and a bare epithet ("prausnitzii", as Greengenes 13_8
// writes it) gets its genus in front. It returns "" for placeholders and
// for names that are not "Genus epithet…".
func speciesName(genus, s string) string {
	s = cleanName(s)
	if !strings.Contains(s, " ") {
		s = strings.ReplaceAll(s, "_", " ")
	}
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	if !strings.Contains(s, " ") {
		if genus == "" {
			return ""
		}
		return genus + " " + s
	}
	if placeholder(s) || strings.HasSuffix(s, " sp.") || strings.HasSuffix(s, " bacterium") {
		return ""
	}
	return s
}

// positional fills a lineage from names ordered domain first, stopping at the first
// placeholder; names beyond Species are an error.
func positional(names []string) (taxonomy.Lineage, error) {
	var l taxonomy.Lineage
	if len(names) > int(taxonomy.NumRanks) {
		return l, fmt.Errorf("lineage has %d ranks, want at most %d (domain to species)", len(names), taxonomy.NumRanks)
	}
	for i, n := range names {
		r := taxonomy.Rank(i)
		if r == taxonomy.Species {
			l[r] = speciesName(l[taxonomy.Genus], n)
			break
		}
		n = cleanName(n)
		if n == "" {
			break
		}
		l[r] = n
	}
	return l, nil
}

// splitLineage splits "a; b;c;" at semicolons, dropping the empty field a
// trailing semicolon leaves and a leading "Root" (RDP).
func splitLineage(s string) []string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ";")
	if s == "" {
		return nil
	}
	f := strings.Split(s, ";")
	if r := strings.ToLower(strings.Trim(strings.TrimSpace(f[0]), `"`)); r == "root" || r == "rootrank" {
		f = f[1:]
	}
	return f
}

// rankOfPrefix maps a rank prefix to a rank: Greengenes/GTDB "d__"/"k__",
// "p__" … "s__"; SILVA-in-QIIME "D_0__" … "D_6__".
func rankOfPrefix(field string) (taxonomy.Rank, string, bool) {
	if len(field) >= 3 && field[1] == '_' && field[2] == '_' {
		switch field[0] {
		case 'd', 'k':
			return taxonomy.Domain, field[3:], true
		case 'p':
			return taxonomy.Phylum, field[3:], true
		case 'c':
			return taxonomy.Class, field[3:], true
		case 'o':
			return taxonomy.Order, field[3:], true
		case 'f':
			return taxonomy.Family, field[3:], true
		case 'g':
			return taxonomy.Genus, field[3:], true
		case 's':
			return taxonomy.Species, field[3:], true
		}
	}
	if len(field) >= 5 && field[0] == 'D' && field[1] == '_' && field[3] == '_' && field[4] == '_' &&
		field[2] >= '0' && field[2] <= '6' {
		return taxonomy.Rank(field[2] - '0'), field[5:], true
	}
	return taxonomy.NoRank, "", false
}

// prefixedLineage reads "d__Bacteria; p__Bacillota_A; …; s__Faecalibacterium
// prausnitzii" (GTDB, Greengenes2, QIIME 2) and "k__"/"D_0__" variants. Ranks
// must come in order; empty names ("g__") end the lineage.
func prefixedLineage(s string) (taxonomy.Lineage, error) {
	var b lineageBuilder
	for _, f := range splitLineage(s) {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		r, name, ok := rankOfPrefix(f)
		if !ok {
			return taxonomy.Lineage{}, fmt.Errorf("lineage field %q has no rank prefix (d__ p__ c__ o__ f__ g__ s__)", f)
		}
		if err := b.place(r, name); err != nil {
			return taxonomy.Lineage{}, fmt.Errorf("lineage field %q %w", f, err)
		}
	}
	return b.l, nil
}

// anyLineage reads a prefixed lineage when the first field carries a rank
// prefix, and a positional one (domain first) otherwise.
func anyLineage(s string) (taxonomy.Lineage, error) {
	f := splitLineage(s)
	if len(f) == 0 {
		return taxonomy.Lineage{}, nil
	}
	if _, _, ok := rankOfPrefix(strings.TrimSpace(f[0])); ok {
		return prefixedLineage(s)
	}
	for _, name := range f {
		if n := strings.TrimSpace(name); len(n) > 3 && n[1] == '_' && n[2] == '_' {
			return taxonomy.Lineage{}, fmt.Errorf("lineage field %q has an unknown rank prefix", n)
		}
	}
	return positional(f)
}

// sintaxLineage reads the tax= field of a SINTAX/UTAX header:
// "d:Bacteria,p:Firmicutes,…,g:Faecalibacterium,s:Faecalibacterium_prausnitzii".
// "k:" is read as the domain.
func sintaxLineage(s string) (taxonomy.Lineage, error) {
	var b lineageBuilder
	for _, f := range strings.Split(strings.TrimSuffix(s, ";"), ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		key, name, ok := strings.Cut(f, ":")
		if !ok || len(key) != 1 {
			return taxonomy.Lineage{}, fmt.Errorf("tax= field %q: want RANK:NAME with RANK one of d k p c o f g s", f)
		}
		r, _, ok := rankOfPrefix(key + "__")
		if !ok {
			return taxonomy.Lineage{}, fmt.Errorf("tax= field %q: unknown rank letter %q", f, key)
		}
		if err := b.place(r, name); err != nil {
			return taxonomy.Lineage{}, fmt.Errorf("tax= field %q %w", f, err)
		}
	}
	return b.l, nil
}

// lineageBuilder places named ranks, given in order, into a lineage: a
// missing rank or an empty name ends it (nothing below is placed); names
// are cleaned, and a species name is completed with its genus.
type lineageBuilder struct {
	l       taxonomy.Lineage
	next    taxonomy.Rank
	stopped bool
}

// place adds name at rank r; a rank before one already placed is an
// error ("is out of rank order").
func (b *lineageBuilder) place(r taxonomy.Rank, name string) error {
	if r < b.next {
		return errors.New("is out of rank order")
	}
	if r > b.next {
		b.stopped = true // a rank is missing: nothing below it is placed
	}
	b.next = r + 1
	if b.stopped {
		return nil
	}
	if r == taxonomy.Species {
		name = speciesName(b.l[taxonomy.Genus], name)
	} else {
		name = cleanName(name)
	}
	if name == "" {
		b.stopped = true
		return nil
	}
	b.l[r] = name
	return nil
}
