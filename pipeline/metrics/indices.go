package metrics

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// TaxonSet names the taxa an index sums: genera, families, phyla (current
// names, so "Pseudomonadota" also matches Proteobacteria lineages, and the
// old Deltaproteobacteria count as "Desulfobacterota", see PhylumOf) and
// species. An entry may list synonyms separated by "|" ("Mediterraneibacter
// gnavus|Ruminococcus gnavus", "Escherichia|Escherichia-Shigella"): it
// counts as one taxon in Coverage. Species are matched by SpeciesKey. The entries of a set should not overlap (a genus and its
// family), or their reads count twice.
type TaxonSet struct {
	Genera   []string `json:"genera,omitempty"`
	Families []string `json:"families,omitempty"`
	Phyla    []string `json:"phyla,omitempty"`
	Species  []string `json:"species,omitempty"`
}

// Len is the number of taxa the set names (a species with synonyms counts once).
func (s TaxonSet) Len() int {
	return len(s.Genera) + len(s.Families) + len(s.Phyla) + len(s.Species)
}

// Driver is one taxon behind an index value: its share of the sample's
// reads and the way it moves the index (+1 raises it, −1 lowers it).
type Driver struct {
	Taxon     string  `json:"taxon"`
	Rank      string  `json:"rank"`
	Share     float64 `json:"share"`
	Direction int     `json:"direction"`
}

// Coverage says which of an index's taxa the reference database holds: the
// others can never be detected, so the index under-reads them.
type Coverage struct {
	Taxa       int      `json:"taxa"`       // taxa the index names
	Detectable []string `json:"detectable"` // those the database holds
	Missing    []string `json:"missing"`    // those it lacks
}

// Mapped is the number of the index's taxa the database holds.
func (c Coverage) Mapped() int { return len(c.Detectable) }

// IndexKind is how an index combines its taxa.
type IndexKind string

const (
	// ShareIndex is the summed share of the taxa of Up: I = Σ_{t∈Up} n_t / N.
	ShareIndex IndexKind = "share"
	// LogRatioIndex is the dysbiosis index of Gevers et al. 2014 in its
	// genus form (MDI-g, QIIME 1 compute_taxonomy_ratios.py "md"):
	//
	//	I = ln((Σ_{t∈Up} p_t + c) / (Σ_{t∈Down} p_t + c)),  c = Pseudo / N,
	//
	// with p_t = n_t / N. QIIME gives NaN for an empty denominator and −Inf
	// for an empty numerator; zonula adds c (Pseudo reads, 0.5 by default)
	// to both sums so the index is always finite, and says so.
	LogRatioIndex IndexKind = "log-ratio"
	// GMHIIndex is the Gut Microbiome Health Index of Gupta et al. 2020,
	// approximated from 16S species calls (see IndexDef.gmhi).
	GMHIIndex IndexKind = "gmhi"
	// DominantIndex is the largest share of one genus that is not in Down
	// (the genera that usually lead a healthy adult's stool community):
	// I = max_{g∉Down} n_g / N, 0 when there is none. Its driver is that
	// genus. Robust bound RB-05 (domination, science.md §5a) tests it.
	DominantIndex IndexKind = "dominant"
)

// IndexDef defines an index over a composition. Up and Down are its two sides
// (ShareIndex uses Up only; GMHIIndex: Up health-prevalent species, Down
// health-scarce species).
type IndexDef struct {
	ID   string    `json:"id"`   // e.g. "IDX-04" or "taxon:T-11"
	Name string    `json:"name"` // as the report names it
	Kind IndexKind `json:"kind"`
	Up   TaxonSet  `json:"up"`
	Down TaxonSet  `json:"down"`
	// Pseudo is the pseudocount in reads of LogRatioIndex (0 means 0.5).
	Pseudo float64 `json:"pseudo,omitempty"`
	// MinMapped is the number of GMHIIndex species the database must hold
	// for the index to be computed at all (science.md IDX-01: 25 of 50).
	MinMapped int `json:"min_mapped,omitempty"`
}

// IndexValue is one index of one sample.
type IndexValue struct {
	ID       string
	Name     string
	Kind     IndexKind
	Computed bool    // false when the index cannot be computed from this profile
	Reason   string  // why not, when !Computed
	Value    float64 // NaN when !Computed
	Drivers  []Driver
	// Coverage is nil when no Catalogue was given (a table without its database).
	Coverage *Coverage
}

// indexJSON is IndexValue as metrics.json writes it, value null when not computed.
type indexJSON struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Kind     IndexKind `json:"kind"`
	Value    *float64  `json:"value"`
	Reason   string    `json:"not_computed_because,omitempty"`
	Drivers  []Driver  `json:"drivers"`
	Coverage *Coverage `json:"coverage"`
}

// MarshalJSON writes v with a null value when it was not computed.
func (v IndexValue) MarshalJSON() ([]byte, error) {
	j := indexJSON{ID: v.ID, Name: v.Name, Kind: v.Kind, Reason: v.Reason, Drivers: v.Drivers, Coverage: v.Coverage}
	if v.Computed {
		j.Value = FiniteOrNil(v.Value)
	}
	if j.Drivers == nil {
		j.Drivers = []Driver{}
	}
	return json.Marshal(j)
}

// Compute returns the index of composition c. cat, when not nil, gives the
// coverage: which of the index's taxa the database can detect. Drivers are
// the index's taxa present in c (for a family or phylum, the genera within
// it), largest share first, ties by name.
func (d IndexDef) Compute(c *Composition, cat *Catalogue) IndexValue {
	v := IndexValue{ID: d.ID, Name: d.Name, Kind: d.Kind, Value: math.NaN()}
	if cat != nil {
		cov := coverage(cat, d.Up, d.Down)
		v.Coverage = &cov
	}
	if len(d.Up.Species)+len(d.Down.Species) > 0 && c.Deepest < taxonomy.Species {
		v.Reason = "the profile has no species level"
		return v
	}
	switch d.Kind {
	case ShareIndex:
		s, dr := setShare(c, d.Up, +1)
		v.Value, v.Drivers, v.Computed = s, dr, true
	case LogRatioIndex:
		if c.Reads <= 0 {
			v.Reason = "no reads"
			return v
		}
		up, dUp := setShare(c, d.Up, +1)
		down, dDown := setShare(c, d.Down, -1)
		pseudo := d.Pseudo
		if pseudo <= 0 {
			pseudo = 0.5
		}
		eps := pseudo / c.Reads
		v.Value, v.Computed = math.Log((up+eps)/(down+eps)), true
		v.Drivers = sortDrivers(append(dUp, dDown...))
	case GMHIIndex:
		d.gmhi(c, cat, &v)
	case DominantIndex:
		v.Value, v.Drivers = dominant(c, d.Down)
		v.Computed = true
	default:
		v.Reason = fmt.Sprintf("unknown index kind %q", d.Kind)
	}
	return v
}

// setShare sums the share of the taxa of s in c and lists the drivers.
func setShare(c *Composition, s TaxonSet, dir int) (float64, []Driver) {
	var reads float64
	var drivers []Driver
	add := func(t TaxonReads) {
		drivers = append(drivers, Driver{Taxon: t.Lineage.Name(t.Rank), Rank: t.Rank.String(), Share: c.share(t.Reads), Direction: dir})
	}
	genera := toSet(s.Genera)
	families := toSet(s.Families)
	phyla := toSet(s.Phyla)
	for _, t := range c.At(taxonomy.Genus) {
		if genera[t.Lineage.Name(taxonomy.Genus)] {
			reads += t.Reads
			add(t)
		} else if families[t.Lineage.Name(taxonomy.Family)] || phyla[PhylumOf(t.Lineage)] {
			add(t) // a genus within a summed family or phylum: a driver
		}
	}
	for _, t := range c.At(taxonomy.Family) {
		if families[t.Lineage.Name(taxonomy.Family)] {
			reads += t.Reads
		}
	}
	if len(phyla) > 0 {
		// Phylum rows under their current names; reads of the old class
		// Deltaproteobacteria move from Proteobacteria to Desulfobacterota.
		for _, t := range c.At(taxonomy.Phylum) {
			if phyla[taxonomy.CurrentPhylum(t.Lineage.Name(taxonomy.Phylum))] {
				reads += t.Reads
			}
		}
		for _, t := range c.At(taxonomy.Class) {
			if t.Lineage.Name(taxonomy.Class) != "Deltaproteobacteria" {
				continue
			}
			if phyla[taxonomy.CurrentPhylum(t.Lineage.Name(taxonomy.Phylum))] {
				reads -= t.Reads
			}
			if phyla["Desulfobacterota"] {
				reads += t.Reads
			}
		}
	}
	species := speciesKeys(s.Species)
	for _, t := range c.At(taxonomy.Species) {
		if _, ok := species[SpeciesKey(t.Lineage.Name(taxonomy.Species))]; ok {
			reads += t.Reads
			add(t)
		}
	}
	return c.share(math.Max(reads, 0)), sortDrivers(drivers)
}

// dominant is the largest genus share of c outside the genera of usual,
// with that genus as the driver (ties: the first by lineage).
func dominant(c *Composition, usual TaxonSet) (float64, []Driver) {
	skip := toSet(usual.Genera)
	var best *TaxonReads
	for i, t := range c.At(taxonomy.Genus) {
		if !skip[t.Lineage.Name(taxonomy.Genus)] && (best == nil || t.Reads > best.Reads) {
			best = &c.At(taxonomy.Genus)[i]
		}
	}
	if best == nil {
		return 0, nil
	}
	return c.share(best.Reads), []Driver{{Taxon: best.Lineage.Name(taxonomy.Genus), Rank: taxonomy.Genus.String(), Share: c.share(best.Reads), Direction: +1}}
}

// toSet holds every name of names, synonyms ("Escherichia|Shigella") split.
func toSet(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		for _, alt := range strings.Split(n, "|") {
			m[alt] = true
		}
	}
	return m
}

// speciesKeys maps every synonym's SpeciesKey to the index of its entry.
func speciesKeys(entries []string) map[string]int {
	m := map[string]int{}
	for i, e := range entries {
		for _, name := range strings.Split(e, "|") {
			m[SpeciesKey(name)] = i
		}
	}
	return m
}

func sortDrivers(d []Driver) []Driver {
	slices.SortFunc(d, func(a, b Driver) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), strings.Compare(a.Taxon, b.Taxon))
	})
	return d
}

// coverage lists which taxa of the sets the catalogue holds, in set order.
func coverage(cat *Catalogue, sets ...TaxonSet) Coverage {
	cov := Coverage{Detectable: []string{}, Missing: []string{}}
	check := func(r taxonomy.Rank, names []string) {
		for _, n := range names {
			cov.Taxa++
			found := false
			for _, alt := range strings.Split(n, "|") {
				if cat.Has(r, alt) {
					found = true
					break
				}
			}
			if found {
				cov.Detectable = append(cov.Detectable, n)
			} else {
				cov.Missing = append(cov.Missing, n)
			}
		}
	}
	for _, s := range sets {
		check(taxonomy.Genus, s.Genera)
		check(taxonomy.Family, s.Families)
		check(taxonomy.Phylum, s.Phyla)
		check(taxonomy.Species, s.Species)
	}
	return cov
}

// GMHI constants of Gupta et al. 2020 (GMHI.R): the median richness of the
// health-prevalent set in the top 1 % of training samples and of the
// health-scarce set in the bottom 1 %, the abundance floor and the
// pseudocount.
const (
	gmhiHealthR = 7
	gmhiScarceR = 31
	gmhiFloor   = 0.00001
	gmhiPseudo  = 0.00001
)

// gmhi computes the GMHI-like approximation:
//
//  1. p_s = n_s / Σ n over the species-named reads (unclassified dropped,
//     renormalised to 1); p_s < 0.00001 is set to 0.
//  2. For each set X (Up = MH, health-prevalent; Down = MN, health-scarce):
//     R_X = number of its species with p > 0, H_X = −Σ p ln p over them
//     (whole-sample proportions, natural log), ψ_X = (R_X / K_X)·H_X with the
//     fixed K_MH = 7 and K_MN = 31.
//  3. GMHI = log10((ψ_MH + 0.00001) / (ψ_MN + 0.00001)); > 0 health-like.
//
// It is computed only from species calls, and only when the catalogue holds
// at least MinMapped of the sets' species (science.md IDX-01: a 16S
// approximation, not the validated index).
func (d IndexDef) gmhi(c *Composition, cat *Catalogue, v *IndexValue) {
	if cat == nil {
		v.Reason = "the database's species names are unknown, so the mapped species cannot be counted"
		return
	}
	if m := v.Coverage.Mapped(); m < d.MinMapped {
		v.Reason = fmt.Sprintf("only %d of its %d species are in the database (at least %d needed)", m, v.Coverage.Taxa, d.MinMapped)
		return
	}
	species := c.At(taxonomy.Species)
	var named float64
	for _, t := range species {
		named += t.Reads
	}
	if named <= 0 {
		v.Reason = "no reads were named to a species"
		return
	}
	psi := func(set TaxonSet, k float64, dir int) float64 {
		keys := speciesKeys(set.Species)
		var r, h float64
		for _, t := range species {
			if _, ok := keys[SpeciesKey(t.Lineage.Name(taxonomy.Species))]; !ok {
				continue
			}
			p := t.Reads / named
			if p < gmhiFloor {
				continue
			}
			r++
			h -= p * math.Log(p)
			v.Drivers = append(v.Drivers, Driver{Taxon: t.Lineage.Name(taxonomy.Species), Rank: "species", Share: c.share(t.Reads), Direction: dir})
		}
		return r / k * h
	}
	mh := psi(d.Up, gmhiHealthR, +1)
	mn := psi(d.Down, gmhiScarceR, -1)
	v.Value = math.Log10((mh + gmhiPseudo) / (mn + gmhiPseudo))
	v.Computed = true
	v.Drivers = sortDrivers(v.Drivers)
}
