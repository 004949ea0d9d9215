// Package knowledge is the report's embedded knowledge base: report rules,
// indices, barrier-related taxa, findings rules, guidance items, lab markers,
// limitations and references, with the IDs, evidence grades and references
// of the science brief (shared/science.md). The text is zonula's own wording.
package knowledge

import (
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
)

//go:embed *.json
var files embed.FS

// Reference is one citable source.
type Reference struct {
	Key      string `json:"key"`
	Citation string `json:"citation"`
	DOI      string `json:"doi"`    // without "https://doi.org/"; "" when none is known
	Status   string `json:"status"` // how the brief verified it (✓, ✓ᵈ, ○)
}

// Taxon is a barrier-related taxon (T- ID) and what the literature says of it.
type Taxon struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Genera  []string `json:"genera"`  // genus names that count towards it
	Family  string   `json:"family"`  // or a family name
	Phylum  string   `json:"phylum"`  // or a phylum (current name)
	Species []string `json:"species"` // or species names
	Role    string   `json:"role"`
	Typical string   `json:"typical"` // a citable typical share, or ""
	Concern string   `json:"concern"` // low, high, context, info, none, descriptive
	Grade   string   `json:"grade"`
	Refs    []string `json:"refs"`
}

// Guidance is a diet or lifestyle item (G- ID).
type Guidance struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Summary string   `json:"summary"`
	Effect  string   `json:"effect"`
	Caveats string   `json:"caveats"`
	Grade   string   `json:"grade"`
	Refs    []string `json:"refs"`
}

// Limitation is one limitation the report must show (L- ID).
type Limitation struct {
	ID   string   `json:"id"`
	Text string   `json:"text"`
	Refs []string `json:"refs"`
}

// Lab is a laboratory marker (LAB- ID): what it measures and how the
// report may speak of it. Lab values are quoted, never inferred.
type Lab struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Unit     string   `json:"unit"`
	Measures string   `json:"measures"`
	Reading  string   `json:"reading"`
	Say      string   `json:"say"`
	Refs     []string `json:"refs"`
}

// Rule is a rule every report follows (RULE- ID).
type Rule struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Text  string   `json:"text"`
	Refs  []string `json:"refs"`
}

// Index is a health index computable from a profile (IDX- ID).
type Index struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Text  string   `json:"text"`
	Grade string   `json:"grade"`
	Refs  []string `json:"refs"`
}

// Measure defines how an index or composite share is computed from a
// profile (metrics.IndexDef): the knowledge base is the single source of
// the taxa lists behind IDX-01, IDX-02, IDX-04 and the shares of barrier-
// related taxa that the report and metrics.json show.
type Measure struct {
	Metric string            `json:"metric"` // the key findings test, as in Condition.Metric
	Index  string            `json:"index"`  // its IDX- ID, "" for a share of barrier-related taxa
	Name   string            `json:"name"`
	Kind   metrics.IndexKind `json:"kind"`
	// Taxa are T- IDs whose genera, family, phylum and species the share
	// sums (kind share); Up and Down are the two sides of a log ratio or of
	// the GMHI (health-prevalent, health-scarce species).
	Taxa      []string         `json:"taxa"`
	Up        metrics.TaxonSet `json:"up"`
	Down      metrics.TaxonSet `json:"down"`
	Pseudo    float64          `json:"pseudo"`     // log ratio: reads added to both sums
	MinMapped int              `json:"min_mapped"` // GMHI: species the database must hold
	Grade     string           `json:"grade"`
	Refs      []string         `json:"refs"`
}

// Condition is one test of a finding's trigger on a metric. Exactly one of
// its tests is set. Percentile tests (Below, Above) need a reference set;
// the others are decided from the profile alone.
type Condition struct {
	// Metric names what is tested: "IDX-04" (butyrate-producer share),
	// "IDX-02" (MDI-g), "IDX-01" (GMHI-like), "IDX-06" (community type),
	// "shannon", "sulfide" (T-12 + T-13), "oral" (T-15 + T-16) or
	// "taxon:T-07" (the share of a barrier-related taxon).
	Metric string `json:"metric"`
	// Below and Above are percentiles (0–100) of the reference set: the
	// test holds when the sample's percentile is below or above them.
	Below *float64 `json:"below,omitempty"`
	Above *float64 `json:"above,omitempty"`
	// Zero holds when the metric has no reads; Present when it has some.
	Zero    bool `json:"zero,omitempty"`
	Present bool `json:"present,omitempty"`
	// Computed holds when the metric could be computed at all.
	Computed bool `json:"computed,omitempty"`
	// Category holds when a categorical metric takes this value.
	Category string `json:"category,omitempty"`
}

// Trigger combines conditions: all of All must hold, or any of Any.
type Trigger struct {
	All []Condition `json:"all,omitempty"`
	Any []Condition `json:"any,omitempty"`
}

// Finding is a findings rule (F- ID): when it triggers and what the report
// then says. A finding with Describe is also shown as a plain measurement
// when its trigger cannot be decided (no reference percentiles) or does not
// hold.
type Finding struct {
	ID     string  `json:"id"`
	Label  string  `json:"label"`  // what is measured, as a heading
	Metric string  `json:"metric"` // the metric whose value is shown
	When   Trigger `json:"when"`
	// Amber, when set, is a weaker trigger shown at notice level.
	Amber    *Trigger `json:"amber,omitempty"`
	Title    string   `json:"title"`    // heading when triggered
	Meaning  string   `json:"meaning"`  // plain-language meaning when triggered
	Describe string   `json:"describe"` // meaning as a plain measurement; "" if never shown so
	Barrier  string   `json:"barrier"`  // link to barrier function; "" when none
	Guidance []string `json:"guidance"`
	Rules    []string `json:"rules"` // RULE- IDs whose text goes with it (F-11: RULE-08)
	Grade    string   `json:"grade"`
	Refs     []string `json:"refs"`
	Level    string   `json:"level"` // info, notice or attention when triggered
	// Modifiers name metadata that qualifies the finding: "antibiotics"
	// (recent antibiotics shift the profile), "transit" (warm transit).
	Modifiers []string `json:"modifiers"`
	Status    string   `json:"status"` // uncertainty kept from the brief (○, ⚠), "" when none
}

// Knowledge is the whole knowledge base.
type Knowledge struct {
	Rules       []Rule
	Indices     []Index
	References  []Reference
	Taxa        []Taxon
	Findings    []Finding
	Guidance    []Guidance
	Limitations []Limitation
	Labs        []Lab
	Measures    []Measure

	refs     map[string]Reference
	guidance map[string]Guidance
	taxa     map[string]Taxon
}

// Load reads the embedded knowledge base and validates it.
func Load() (*Knowledge, error) {
	k := &Knowledge{}
	for _, f := range []struct {
		name string
		v    any
	}{
		{"rules.json", &k.Rules}, {"indices.json", &k.Indices}, {"references.json", &k.References},
		{"taxa.json", &k.Taxa}, {"findings.json", &k.Findings}, {"guidance.json", &k.Guidance},
		{"limitations.json", &k.Limitations}, {"labs.json", &k.Labs}, {"measures.json", &k.Measures},
	} {
		b, err := files.ReadFile(f.name)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(f.v); err != nil {
			return nil, fmt.Errorf("knowledge %s: %w", f.name, err)
		}
	}
	k.refs = map[string]Reference{}
	for _, r := range k.References {
		k.refs[r.Key] = r
	}
	k.guidance = map[string]Guidance{}
	for _, g := range k.Guidance {
		k.guidance[g.ID] = g
	}
	k.taxa = map[string]Taxon{}
	for _, t := range k.Taxa {
		k.taxa[t.ID] = t
	}
	if err := k.Validate(); err != nil {
		return nil, err
	}
	return k, nil
}

// Reference returns the reference with the given key.
func (k *Knowledge) Reference(key string) (Reference, bool) {
	r, ok := k.refs[key]
	return r, ok
}

// GuidanceItem returns the guidance item with the given ID.
func (k *Knowledge) GuidanceItem(id string) (Guidance, bool) {
	g, ok := k.guidance[id]
	return g, ok
}

// Lab returns the lab marker with the given LAB- ID.
func (k *Knowledge) Lab(id string) (Lab, bool) {
	for _, l := range k.Labs {
		if l.ID == id {
			return l, true
		}
	}
	return Lab{}, false
}

// Rule returns the report rule with the given RULE- ID.
func (k *Knowledge) Rule(id string) (Rule, bool) {
	for _, r := range k.Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Index returns the index with the given IDX- ID.
func (k *Knowledge) Index(id string) (Index, bool) {
	for _, x := range k.Indices {
		if x.ID == id {
			return x, true
		}
	}
	return Index{}, false
}

// TaxonByID returns the taxon with the given T- ID.
func (k *Knowledge) TaxonByID(id string) (Taxon, bool) {
	t, ok := k.taxa[id]
	return t, ok
}

// TaxonSet returns the genera, families, phyla and species of the taxa
// with the given T- IDs, for a share index. Unknown IDs are skipped (Validate
// reports them).
func (k *Knowledge) TaxonSet(ids ...string) metrics.TaxonSet {
	var s metrics.TaxonSet
	for _, id := range ids {
		t, ok := k.taxa[id]
		if !ok {
			continue
		}
		s.Genera = append(s.Genera, t.Genera...)
		if t.Family != "" {
			s.Families = append(s.Families, t.Family)
		}
		if t.Phylum != "" {
			s.Phyla = append(s.Phyla, t.Phylum)
		}
		if len(t.Species) > 0 {
			s.Species = append(s.Species, strings.Join(t.Species, "|"))
		}
	}
	return s
}

// IndexDef returns the definition of the metric a finding tests: a
// measures.json entry, or for "taxon:T-07" not listed there the share of
// that taxon. ok is false for metrics that are not compositional indices
// (shannon, IDX-06) or unknown taxa.
func (k *Knowledge) IndexDef(metric string) (metrics.IndexDef, bool) {
	for _, m := range k.Measures {
		if m.Metric != metric {
			continue
		}
		d := metrics.IndexDef{ID: m.Metric, Name: m.Name, Kind: m.Kind, Up: m.Up, Down: m.Down, Pseudo: m.Pseudo, MinMapped: m.MinMapped}
		if len(m.Taxa) > 0 {
			d.Up = k.TaxonSet(m.Taxa...)
		}
		return d, true
	}
	if id, ok := strings.CutPrefix(metric, "taxon:"); ok {
		if t, ok := k.taxa[id]; ok {
			return metrics.IndexDef{ID: metric, Name: t.Name, Kind: metrics.ShareIndex, Up: k.TaxonSet(id)}, true
		}
	}
	return metrics.IndexDef{}, false
}

// IndexDefs returns the definitions metrics.MeasureSample computes: the
// measures in the knowledge base's order and the share of every
// barrier-related taxon, in its order (IndexDef of "taxon:T-07").
func (k *Knowledge) IndexDefs() metrics.IndexDefs {
	var defs metrics.IndexDefs
	for _, m := range k.Measures {
		if d, ok := k.IndexDef(m.Metric); ok {
			defs.Measures = append(defs.Measures, d)
		}
	}
	for _, t := range k.Taxa {
		if d, ok := k.IndexDef("taxon:" + t.ID); ok {
			defs.Taxa = append(defs.Taxa, d)
		}
	}
	return defs
}

// forbiddenWords returns the word stems the report must never use of microbes,
// foods or advice (RULE-01): claims of cause, cure or certainty. Each matches
// as a whole word with the endings listed in forbidden.
func forbiddenWords() []string {
	return []string{"cause", "cure", "heal", "detox", "guarantee", "fix", "repair"}
}

// forbidden matches forbiddenWords and their usual endings.
var forbidden = regexp.MustCompile(`(?i)\b(caus(e|es|ed|ing)|cur(e|es|ed|ing)|heal(s|ed|ing)?|detox\w*|guarante\w*|fix(es|ed|ing)?|repair(s|ed|ing)?)\b`)

// negations are phrases that deny causation, which report text may use (the
// evidence grade C wording is "seen in people, cause not shown").
var negations = regexp.MustCompile(`(?i)\bcause not shown\b`)

// CheckWording returns an error naming the first causal or curative word in
// text, which report text must not contain.
func CheckWording(text string) error {
	if m := forbidden.FindString(negations.ReplaceAllString(text, "")); m != "" {
		return fmt.Errorf("claims causation or cure (%q) in %q", m, text)
	}
	return nil
}
