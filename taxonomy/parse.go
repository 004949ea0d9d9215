package taxonomy

import (
	"fmt"
	"strings"
)

// ParseOptions adjusts ParseLineageWith. The zero value is what ParseLineage
// uses.
type ParseOptions struct {
	// KeepSuffixes keeps GTDB's alphabetic suffixes ("Firmicutes_A",
	// "Bacteroides_B", "prausnitzii_C") instead of stripping them.
	KeepSuffixes bool
}

// ParseLineage reads a lineage in any of the common forms and returns it cut
// at its Depth. It is ParseLineageWith(s, ParseOptions{}).
func ParseLineage(s string) (Lineage, error) { return ParseLineageWith(s, ParseOptions{}) }

// ParseLineageWith reads a lineage written in one of these forms:
//
//	Greengenes       k__Bacteria; p__Firmicutes; c__Clostridia; ...; g__Roseburia; s__
//	GTDB, GG2        d__Bacteria;p__Firmicutes_A;...;s__Faecalibacterium prausnitzii_C
//	SILVA (QIIME)    D_0__Bacteria;D_1__Firmicutes;...;D_6__Roseburia intestinalis
//	SILVA, RDP plain Bacteria;Firmicutes;Clostridia;Lachnospirales;Lachnospiraceae;Roseburia;
//	sintax           d:Bacteria,p:Firmicutes,g:Roseburia (a leading "tax=" and trailing ";" allowed)
//	MetaPhlAn        k__Bacteria|p__Firmicutes|...|s__Roseburia_intestinalis|t__SGB4951
//
// Fields are separated by ';' (or '|' for MetaPhlAn clades, ',' for sintax)
// and trimmed of spaces and quotes. A prefixed field names its rank (k__ and
// d__ are the domain; SILVA's D_0__..D_6__ are domain..species; sintax k:/d:
// ..s:); MetaPhlAn's t__ strain level and deeper SILVA levels (D_7__...) are
// dropped. An unprefixed field takes the rank of its position, so plain forms
// need their ranks in order from the domain; a leading "Root" or "root" (RDP
// classifier output) is skipped.
//
// Names are cleaned as follows:
//   - Greengenes brackets are removed ("[Ruminococcus]" → "Ruminococcus").
//   - Placeholders are not names: empty fields ("g__"), "unclassified…",
//     "unidentified…", "uncultured…", "unknown…", "Unassigned", "Ambiguous_taxa",
//     "…metagenome", "…_unclassified" (mothur), and a bare "Incertae Sedis"
//     (any case, '_' or ' '); see IsPlaceholder. Such a
//     rank is left empty. Qualified groups such as "Clostridiales Incertae
//     Sedis XIII" or "Erysipelotrichaceae_incertae_sedis" are real labels and
//     kept as written.
//   - A placeholder or empty rank that has a real name below it (SILVA's
//     "Incertae Sedis" family above a known genus, Greengenes "f__;g__X") is
//     filled with "<nearest named ancestor> incertae sedis", so the deeper
//     names are kept; trailing placeholders just end the lineage.
//   - Species: a Greengenes epithet alone ("s__fragilis" under g__Bacteroides)
//     becomes "Bacteroides fragilis"; underscores in a species name without
//     spaces (MetaPhlAn, SILVA: "Bacteroides_fragilis") become spaces.
//   - GTDB suffixes: unless o.KeepSuffixes, a trailing "_" plus one or two
//     capital letters after a lower-case letter is removed at every rank
//     ("Firmicutes_A" → "Firmicutes", "Clostridium_AQ" → "Clostridium",
//     "Faecalibacterium prausnitzii_C" → "Faecalibacterium prausnitzii"), so
//     GTDB's splits of one named group are summed under the name the
//     literature (and zonula's knowledge base) uses. SILVA's numbered groups
//     ("Family_XI", "Clostridium_sensu_stricto_1") are not suffixes and stay.
//
// Phylum names are kept as written (Firmicutes stays Firmicutes); use
// Lineage.Modernize or CurrentPhylum for current names.
//
// The empty string, "Unassigned" and "unclassified" give an empty lineage
// and no error. Errors: a rank given twice or out of order ("p__X;d__Y"),
// an unknown prefix in a prefixed form, more than seven unprefixed ranks, or
// a name containing a tab, newline or ';'.
func ParseLineageWith(s string, o ParseOptions) (Lineage, error) {
	var l Lineage
	s = strings.TrimSpace(trimQuotes(strings.TrimSpace(s)))
	s = strings.TrimPrefix(s, "tax=")
	s = strings.TrimSpace(strings.TrimSuffix(s, ";"))
	if s == "" {
		return l, nil
	}
	if strings.ContainsAny(s, "\t\r\n") {
		return l, fmt.Errorf("lineage %q contains a tab or newline", short(s))
	}
	var fields []string
	switch {
	case strings.Contains(s, "|"):
		fields = strings.Split(s, "|")
	case !strings.Contains(s, ";") && isSintax(s):
		fields = strings.Split(s, ",")
	default:
		fields = strings.Split(s, ";")
	}
	var set [NumRanks]bool
	next := Domain // the rank the next unprefixed field takes
	for i, f := range fields {
		f = strings.TrimSpace(trimQuotes(strings.TrimSpace(f)))
		if i == 0 && (f == "Root" || f == "root") {
			continue
		}
		r, name, prefixed, err := splitPrefix(f)
		if err != nil {
			return Lineage{}, err
		}
		if r >= NumRanks { // t__ strain, D_7__...: below species
			continue
		}
		if !prefixed {
			if f == "" && i == len(fields)-1 {
				continue // trailing separator
			}
			r = next
			if r >= NumRanks {
				return Lineage{}, fmt.Errorf("lineage %q has more than %d ranks: want domain..species", short(s), NumRanks)
			}
		}
		if set[r] || r < next {
			return Lineage{}, fmt.Errorf("lineage %q: %s given twice or out of order", short(s), r)
		}
		if strings.Contains(name, ";") {
			return Lineage{}, fmt.Errorf("lineage field %q: a name cannot contain ';'", short(f))
		}
		set[r] = true
		next = r + 1
		l[r] = cleanName(name, r, o)
	}
	// Species epithets alone and underscores.
	if sp := l[Species]; sp != "" {
		if !strings.ContainsAny(sp, " _") && l[Genus] != "" && isLowerStart(sp) {
			l[Species] = l[Genus] + " " + sp
		} else if !strings.Contains(sp, " ") {
			l[Species] = strings.ReplaceAll(sp, "_", " ")
		}
	}
	// Fill inner gaps, drop trailing ones.
	deepest := NoRank
	for r := Domain; r < NumRanks; r++ {
		if l[r] != "" {
			deepest = r
		}
	}
	parent := ""
	for r := Domain; r <= deepest; r++ {
		if l[r] == "" {
			if parent == "" {
				// Nothing named above: the lineage is unknown from the root.
				return Lineage{}, nil
			}
			l[r] = parent + " incertae sedis"
			continue
		}
		parent = strings.TrimSuffix(l[r], " incertae sedis")
	}
	return l.Truncate(l.Depth()), nil
}

// splitPrefix recognises a rank prefix on a field. It returns the rank
// (≥ NumRanks for levels below species), the name, and whether a prefix was
// there.
func splitPrefix(f string) (Rank, string, bool, error) {
	if len(f) >= 3 && f[1] == '_' && f[2] == '_' {
		switch f[0] {
		case 'k', 'd':
			return Domain, f[3:], true, nil
		case 'p':
			return Phylum, f[3:], true, nil
		case 'c':
			return Class, f[3:], true, nil
		case 'o':
			return Order, f[3:], true, nil
		case 'f':
			return Family, f[3:], true, nil
		case 'g':
			return Genus, f[3:], true, nil
		case 's':
			return Species, f[3:], true, nil
		case 't':
			return NumRanks, "", true, nil
		}
		return NoRank, "", false, fmt.Errorf("lineage field %q: unknown rank prefix %q (want k__ d__ p__ c__ o__ f__ g__ s__)", short(f), f[:3])
	}
	if strings.HasPrefix(f, "D_") {
		if j := strings.Index(f, "__"); j > 2 {
			n := 0
			for _, c := range f[2:j] {
				if c < '0' || c > '9' || n > 99 {
					return NoRank, "", false, fmt.Errorf("lineage field %q: want a SILVA prefix D_0__ .. D_6__", short(f))
				}
				n = n*10 + int(c-'0')
			}
			return Rank(n), f[j+2:], true, nil
		}
	}
	if len(f) >= 2 && f[1] == ':' {
		if r, ok := sintaxRank(f[0]); ok {
			return r, f[2:], true, nil
		}
	}
	return NoRank, f, false, nil
}

func sintaxRank(c byte) (Rank, bool) {
	switch c {
	case 'd', 'k':
		return Domain, true
	case 'p':
		return Phylum, true
	case 'c':
		return Class, true
	case 'o':
		return Order, true
	case 'f':
		return Family, true
	case 'g':
		return Genus, true
	case 's':
		return Species, true
	}
	return NoRank, false
}

// isSintax reports whether s looks like "d:Bacteria,p:Firmicutes".
func isSintax(s string) bool {
	if len(s) < 2 || s[1] != ':' {
		return false
	}
	_, ok := sintaxRank(s[0])
	return ok
}

// cleanName removes brackets, placeholders and (unless kept) GTDB suffixes.
func cleanName(name string, r Rank, o ParseOptions) string {
	name = strings.TrimSpace(name)
	if len(name) >= 2 && name[0] == '[' {
		if j := strings.IndexByte(name, ']'); j > 0 {
			name = strings.TrimSpace(name[1:j] + name[j+1:])
		}
	}
	if IsPlaceholder(name) {
		return ""
	}
	if !o.KeepSuffixes {
		name = StripGTDBSuffix(name)
	}
	return name
}

// IsPlaceholder reports whether a taxon name stands for "no name": empty,
// "unclassified…", "unidentified…", "uncultured…", "unknown…",
// "Unassigned", "Ambiguous_taxa", "…metagenome", mothur's
// "Lachnospiraceae_unclassified", "NA", or a bare "Incertae Sedis" (any
// case; '_' read as ' ').
func IsPlaceholder(name string) bool {
	n := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(name, "_", " ")))
	switch {
	case n == "", n == "na", n == "none", n == "unassigned", n == "ambiguous taxa", n == "incertae sedis":
		return true
	}
	for _, p := range []string{"unclassified", "unidentified", "uncultured", "unknown"} {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return strings.HasSuffix(n, "metagenome") || strings.HasSuffix(n, " unclassified")
}

// StripGTDBSuffix removes a GTDB polyphyly suffix: "_" and one or two
// capital letters ending a name whose preceding character is a lower-case
// letter ("Firmicutes_A" → "Firmicutes", "prausnitzii_C"). Names whose last
// word before the suffix is a SILVA group word ("Family_XI", "Group_II")
// are returned unchanged, as is any other name.
func StripGTDBSuffix(name string) string {
	i := strings.LastIndexByte(name, '_')
	if i < 1 || len(name)-i-1 < 1 || len(name)-i-1 > 2 {
		return name
	}
	for _, c := range name[i+1:] {
		if c < 'A' || c > 'Z' {
			return name
		}
	}
	if c := name[i-1]; c < 'a' || c > 'z' {
		return name
	}
	stem := name[:i]
	word := stem[strings.LastIndexAny(stem, " _")+1:]
	switch word {
	case "Family", "Order", "Class", "Group", "Subgroup", "Cluster", "Clade", "Lineage", "Subsection", "Incertae", "Sedis", "sedis":
		return name
	}
	return stem
}

func trimQuotes(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

func isLowerStart(s string) bool { return s != "" && s[0] >= 'a' && s[0] <= 'z' }

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
