package metrics

import (
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// Community types (IDX-06), descriptive only: which driver genus dominates.
const (
	TypeBacteroides  = "Bacteroides"  // Bacteroides (with Phocaeicola) leads
	TypePrevotella   = "Prevotella"   // Prevotella (with Segatella, Xylanibacter) leads
	TypeRuminococcus = "Ruminococcus" // Ruminococcus (not the Lachnospiraceae "Ruminococcus") leads
	TypeBact2        = "Bact2"        // Bacteroides leads, much Bacteroides, little Faecalibacterium
	TypeMixed        = "mixed"        // no driver genus reaches MinDriverShare
)

// Community-type thresholds, shares of the reads named to a genus. They are
// zonula conventions, not published cut-offs: zonula ships no reference
// medoids to assign a type by distance, so it names the dominant driver
// genus of the three of Arumugam et al. 2011 and marks a Bacteroides type
// "Bact2-like" in the direction Vieira-Silva et al. 2020 describe (high
// Bacteroides, low Faecalibacterium).
const (
	MinDriverShare       = 0.10 // the leading driver below this: TypeMixed
	Bact2MinBacteroides  = 0.30 // Bact2-like: Bacteroides group at least this …
	Bact2MaxFaecalibact  = 0.02 // … and Faecalibacterium below this
	faecalibacteriumName = "Faecalibacterium"
)

// CommunityType is a sample's community type (IDX-06) with the shares it
// was decided from (of the reads named to a genus, 0–1).
type CommunityType struct {
	Type             string // one of the Type constants; "" when not computed
	Bacteroides      float64
	Prevotella       float64
	Ruminococcus     float64
	Faecalibacterium float64
	// Reason says why no type was given, "" when Type is set.
	Reason string
}

// driverGroup returns the driver group of a genus lineage, "" for none.
// SILVA-style suffixes ("Prevotella_9") are ignored; the Ruminococcus of
// the Lachnospiraceae ([Ruminococcus] gnavus and torques groups, now
// Mediterraneibacter) is not the Ruminococcus driver.
func driverGroup(l taxonomy.Lineage) string {
	name := l.Name(taxonomy.Genus)
	base := strings.TrimLeft(name, "[")
	if i := strings.IndexAny(base, "_ ]"); i > 0 {
		base = base[:i]
	}
	switch base {
	case "Bacteroides", "Phocaeicola":
		return TypeBacteroides
	case "Prevotella", "Segatella", "Xylanibacter":
		return TypePrevotella
	case "Ruminococcus":
		if strings.Contains(name, "gnavus") || strings.Contains(name, "torques") || l.Name(taxonomy.Family) == "Lachnospiraceae" {
			return ""
		}
		return TypeRuminococcus
	case faecalibacteriumName:
		return faecalibacteriumName
	}
	return ""
}

// CommunityTypeOf assigns the community type of c from the shares s_g of
// the reads named to a genus (c.GenusBasis) of three driver groups,
// g ∈ {Bacteroides, Prevotella, Ruminococcus}:
//
//	type = argmax_g s_g              if max_g s_g ≥ MinDriverShare (ties: that order),
//	       TypeMixed                 otherwise;
//	Bact2 if type = Bacteroides, s_Bacteroides ≥ Bact2MinBacteroides and
//	         s_Faecalibacterium < Bact2MaxFaecalibact.
//
// A composition with no reads named to a genus has no type (Reason set).
func CommunityTypeOf(c *Composition) CommunityType {
	g := c.GenusBasis()
	var out CommunityType
	if g.Reads <= 0 {
		out.Reason = "no reads named to a genus"
		return out
	}
	for _, t := range g.At(taxonomy.Genus) {
		s := g.share(t.Reads)
		switch driverGroup(t.Lineage) {
		case TypeBacteroides:
			out.Bacteroides += s
		case TypePrevotella:
			out.Prevotella += s
		case TypeRuminococcus:
			out.Ruminococcus += s
		case faecalibacteriumName:
			out.Faecalibacterium += s
		}
	}
	best := out.Bacteroides
	out.Type = TypeBacteroides
	if out.Prevotella > best {
		out.Type, best = TypePrevotella, out.Prevotella
	}
	if out.Ruminococcus > best {
		out.Type, best = TypeRuminococcus, out.Ruminococcus
	}
	switch {
	case best < MinDriverShare:
		out.Type = TypeMixed
	case out.Type == TypeBacteroides && out.Bacteroides >= Bact2MinBacteroides && out.Faecalibacterium < Bact2MaxFaecalibact:
		out.Type = TypeBact2
	}
	return out
}
