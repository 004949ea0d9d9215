// Package knowledge is the report's embedded knowledge base: references,
// barrier-related taxa, guidance items and limitations, with the IDs, evidence
// grades and references of the science brief (shared/science.md). The text
// is zonula's own wording.
package knowledge

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

//go:embed *.json
var files embed.FS

// Reference is one citable source.
type Reference struct {
	Key      string `json:"key"`
	Citation string `json:"citation"`
	DOI      string `json:"doi"`
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

// Knowledge is the whole knowledge base.
type Knowledge struct {
	References  []Reference
	Taxa        []Taxon
	Guidance    []Guidance
	Limitations []Limitation
	Labs        []Lab

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
	}{{"references.json", &k.References}, {"taxa.json", &k.Taxa}, {"guidance.json", &k.Guidance}, {"limitations.json", &k.Limitations}, {"labs.json", &k.Labs}} {
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

// TaxonByID returns the taxon with the given T- ID.
func (k *Knowledge) TaxonByID(id string) (Taxon, bool) {
	t, ok := k.taxa[id]
	return t, ok
}

// causal matches wording the report must never use of microbes or advice
// (RULE-01): claims of cause, cure or certainty.
var causal = regexp.MustCompile(`(?i)\b(causes?|caused|causing|cures?|cured|heals?|healing|detox\w*|guarantee\w*|fix(es|ed)?|repairs?)\b`)

// negations are phrases that deny causation, which report text may use (the
// evidence grade C wording is "seen in people, cause not shown").
var negations = regexp.MustCompile(`(?i)\bcause not shown\b`)

// CheckWording returns an error naming the first causal or curative word in
// text, which report text must not contain.
func CheckWording(text string) error {
	if m := causal.FindString(negations.ReplaceAllString(text, "")); m != "" {
		return fmt.Errorf("claims causation or cure (%q) in %q", m, text)
	}
	return nil
}

var gradeRE = regexp.MustCompile(`^[ABCD]`)

// Validate checks that every item has an ID, a grade and at least one
// reference, that every reference key resolves, and that no text uses causal
// or curative wording.
func (k *Knowledge) Validate() error {
	var errs []error
	check := func(id, grade string, refs []string, texts ...string) {
		if id == "" {
			errs = append(errs, errors.New("item without an ID"))
		}
		if grade != "-" && !gradeRE.MatchString(grade) {
			errs = append(errs, fmt.Errorf("%s: evidence grade %q does not start with A–D", id, grade))
		}
		if len(refs) == 0 {
			errs = append(errs, fmt.Errorf("%s: no reference", id))
		}
		for _, r := range refs {
			if _, ok := k.refs[r]; !ok {
				errs = append(errs, fmt.Errorf("%s: reference %s is not in references.json", id, r))
			}
		}
		for _, t := range texts {
			if err := CheckWording(t); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", id, err))
			}
		}
	}
	for _, r := range k.References {
		if r.Key == "" || r.Citation == "" {
			errs = append(errs, fmt.Errorf("reference %q without key or citation", r.Key))
		}
	}
	for _, t := range k.Taxa {
		check(t.ID, t.Grade, t.Refs, t.Role, t.Typical)
		if len(t.Genera) == 0 && t.Family == "" && t.Phylum == "" && len(t.Species) == 0 {
			errs = append(errs, fmt.Errorf("%s: names no genus, family, phylum or species", t.ID))
		}
	}
	for _, g := range k.Guidance {
		check(g.ID, g.Grade, g.Refs, g.Title, g.Summary, g.Effect, g.Caveats)
	}
	for _, l := range k.Limitations {
		check(l.ID, "-", l.Refs, l.Text)
	}
	for _, l := range k.Labs {
		check(l.ID, "-", l.Refs, l.Name, l.Measures, l.Reading, l.Say)
	}
	return errors.Join(errs...)
}
