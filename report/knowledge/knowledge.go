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
	// Remedy names a popular remedy (probiotics, omega-3, …) and Short
	// says in one line what the evidence shows, for the remedies table
	// every report carries; "" for other items.
	Remedy string `json:"remedy,omitempty"`
	Short  string `json:"short,omitempty"`
}

// Diet is a diet a person may name in the metadata's free-text diet field,
// and what the report then says: a paragraph, guidance items it calls for,
// and notes added to items (G- ID → text).
type Diet struct {
	ID       string            `json:"id"`
	Words    []string          `json:"words"` // phrases that name it, lower case
	Says     string            `json:"says"`
	Guidance []string          `json:"guidance"`
	Notes    map[string]string `json:"notes"`
	Refs     []string          `json:"refs"`
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
	// Cutoff is the usual cut-off the report reads a value against, and
	// High the value from which it puts the see-a-clinician box first; 0
	// when the marker has none (all but LAB-01, calprotectin: 50 and 200
	// µg/g, conventions of assays and UK pathways, science.md LAB-01).
	Cutoff float64 `json:"cutoff,omitempty"`
	High   float64 `json:"high,omitempty"`
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

// Finding is a findings rule (F- ID): when it is raised and what the report
// then says. When tests percentiles of a method-matched reference set, or
// the profile alone (no reads, a category, an index computed); Bounds name
// the robust bounds (RB-) that decide it without a matched set
// (metrics.FindingRule). A finding with Describe is also shown as a plain
// measurement when it is not raised.
type Finding struct {
	ID     string          `json:"id"`
	Label  string          `json:"label"`  // what is measured, as a heading
	Metric string          `json:"metric"` // the metric whose value is shown
	When   metrics.Trigger `json:"when"`
	// Amber, when set, is a weaker percentile trigger raised at notice level.
	Amber *metrics.Trigger `json:"amber,omitempty"`
	// Bounds are the RB- IDs of bounds.json that decide the finding
	// without a method-matched reference set.
	Bounds   []string `json:"bounds"`
	Title    string   `json:"title"`    // heading when triggered
	Meaning  string   `json:"meaning"`  // plain-language meaning when triggered
	Describe string   `json:"describe"` // meaning as a plain measurement; "" if never shown so
	Barrier  string   `json:"barrier"`  // link to barrier function; "" when none
	Guidance []string `json:"guidance"`
	// NotKeyWith are findings that, when key, keep this one from being key
	// too (metrics.FindingRule.NotKeyWith).
	NotKeyWith []string `json:"not_key_with,omitempty"`
	Rules      []string `json:"rules"` // RULE- IDs whose text goes with it (F-11: RULE-08)
	Grade      string   `json:"grade"`
	Refs       []string `json:"refs"`
	Level      string   `json:"level"` // info, notice or marked when raised by When
	// Modifiers name metadata that qualifies the finding: "antibiotics"
	// (recent antibiotics shift the profile), "transit" (warm transit).
	Modifiers []string `json:"modifiers"`
	Status    string   `json:"status"` // uncertainty kept from the brief (○, ⚠), "" when none
	// Key is the key-finding sentence's first half, with {value} (the
	// person's value) and {driver} (the taxon behind it); the report adds
	// the healthy figure it is compared with. KeyZero replaces it when the
	// value is 0. Info items have none: they are never key findings.
	Key     string `json:"key"`
	KeyZero string `json:"key_zero,omitempty"`
}

// Bound is one row of the robust bounds (bounds.json, science.md §5a RB-):
// a threshold beyond what healthy adults showed, its basis, and how the
// report words the healthy figure. Notice and Marked are written as
// metrics.ParseThreshold reads them ("> 5 %", "< 1.5", "= 0").
type Bound struct {
	ID             string   `json:"id"`
	Metric         string   `json:"metric"`
	Notice         string   `json:"notice"`
	Marked         string   `json:"marked,omitempty"`
	MarkedMinReads float64  `json:"marked_min_reads,omitempty"`
	Info           bool     `json:"info,omitempty"`
	UnnamedIn      []string `json:"unnamed_in,omitempty"` // families whose unnamed reads may hide the taxa (metrics.Bound.UnnamedIn)
	Basis          string   `json:"basis"`                // which healthy adults showed what
	Healthy        string   `json:"healthy"`              // the healthy figure, as a key finding quotes it
	Key            string   `json:"key,omitempty"`        // replaces the finding's Key sentence for this row
	Refs           []string `json:"refs"`
	Status         string   `json:"status"` // how the brief verified the figures (✓, ✓c)
}

// BoundTable is bounds.json: the robust bounds with their version.
type BoundTable struct {
	Version string  `json:"version"`
	Source  string  `json:"source"`
	Bounds  []Bound `json:"bounds"`
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
	Bounds      BoundTable
	Diets       []Diet

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
		{"bounds.json", &k.Bounds}, {"diets.json", &k.Diets},
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

// IndexDefs returns the definitions metrics.MeasureSample computes and
// applies: the measures in the knowledge base's order, the share of every
// barrier-related taxon in its order (IndexDef of "taxon:T-07"), the
// findings rules and the robust bounds (BoundSet).
func (k *Knowledge) IndexDefs() metrics.IndexDefs {
	defs := metrics.IndexDefs{Findings: k.FindingRules(), Bounds: k.BoundSet()}
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

// FindingRules returns the findings rules as metrics applies them, in the
// knowledge base's order.
func (k *Knowledge) FindingRules() []metrics.FindingRule {
	var out []metrics.FindingRule
	for _, f := range k.Findings {
		out = append(out, metrics.FindingRule{ID: f.ID, Metric: f.Metric, When: f.When, Amber: f.Amber,
			Level: metrics.Level(f.Level), Bounds: f.Bounds, Grade: f.Grade, Guidance: f.Guidance, NotKeyWith: f.NotKeyWith})
	}
	return out
}

// BoundSet returns the robust bounds as metrics applies them. Thresholds
// that do not parse are left out (Validate reports them).
func (k *Knowledge) BoundSet() *metrics.BoundSet {
	s := &metrics.BoundSet{Version: k.Bounds.Version, Source: k.Bounds.Source}
	for _, b := range k.Bounds.Bounds {
		mb, err := b.metricsBound()
		if err == nil {
			s.Bounds = append(s.Bounds, mb)
		}
	}
	return s
}

// metricsBound parses b's thresholds.
func (b Bound) metricsBound() (metrics.Bound, error) {
	n, err := metrics.ParseThreshold(b.Notice)
	if err != nil {
		return metrics.Bound{}, err
	}
	out := metrics.Bound{ID: b.ID, Metric: b.Metric, Notice: n, MarkedMinReads: b.MarkedMinReads, Info: b.Info, Basis: b.Basis, UnnamedIn: b.UnnamedIn}
	if b.Marked != "" {
		m, err := metrics.ParseThreshold(b.Marked)
		if err != nil {
			return metrics.Bound{}, err
		}
		out.Marked = &m
	}
	return out, nil
}

// BoundRow returns the row of bound id that bounds metric.
func (k *Knowledge) BoundRow(id, metric string) (Bound, bool) {
	for _, b := range k.Bounds.Bounds {
		if b.ID == id && b.Metric == metric {
			return b, true
		}
	}
	return Bound{}, false
}

// FindingRule returns the findings rule with the given F- ID.
func (k *Knowledge) FindingRule(id string) (Finding, bool) {
	for _, f := range k.Findings {
		if f.ID == id {
			return f, true
		}
	}
	return Finding{}, false
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
