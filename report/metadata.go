package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// Metadata is what a person or clinician may tell zonula about the sample:
// it shapes the report's warnings and context, never the microbiome numbers.
// Every field is optional.
type Metadata struct {
	Age      *float64 `json:"age,omitempty" yaml:"age"`
	Sex      string   `json:"sex,omitempty" yaml:"sex"`
	Symptoms []string `json:"symptoms,omitempty" yaml:"symptoms"`
	// RedFlags are warning signs (e.g. "blood in stool"); symptoms that name
	// one count too.
	RedFlags []string `json:"red_flags,omitempty" yaml:"red_flags"`
	// NewSymptoms marks symptoms that started recently (red flag over 50).
	NewSymptoms bool   `json:"new_symptoms,omitempty" yaml:"new_symptoms"`
	Diet        string `json:"diet,omitempty" yaml:"diet"`
	// AntibioticsMonthsAgo is how long ago the last antibiotic course ended.
	AntibioticsMonthsAgo *float64 `json:"antibiotics_months_ago,omitempty" yaml:"antibiotics_months_ago"`
	ProtonPumpInhibitors bool     `json:"proton_pump_inhibitors,omitempty" yaml:"proton_pump_inhibitors"`
	NSAIDs               bool     `json:"nsaids,omitempty" yaml:"nsaids"`
	// TransitDays is how long the sample travelled unrefrigerated and
	// unpreserved.
	TransitDays *float64 `json:"transit_days,omitempty" yaml:"transit_days"`
	Labs        Labs     `json:"labs,omitempty" yaml:"labs"`
}

// Labs are laboratory results as the clinician's lab reported them.
type Labs struct {
	CalprotectinUgG   *float64 `json:"calprotectin_ug_g,omitempty" yaml:"calprotectin_ug_g"`
	Zonulin           *float64 `json:"zonulin,omitempty" yaml:"zonulin"`
	ZonulinUnit       string   `json:"zonulin_unit,omitempty" yaml:"zonulin_unit"`
	LactuloseMannitol *float64 `json:"lactulose_mannitol_ratio,omitempty" yaml:"lactulose_mannitol_ratio"`
	LBP               *float64 `json:"lbp,omitempty" yaml:"lbp"`
	IFABP             *float64 `json:"i_fabp,omitempty" yaml:"i_fabp"`
}

// Limits of a metadata file, which may come from an untrusted upload:
// real metadata is a few hundred bytes.
const (
	// MaxMetadataBytes is the largest metadata file read.
	MaxMetadataBytes = 256 << 10
	// MaxMetadataText is the longest text value (a symptom, a diet, a
	// unit), in bytes.
	MaxMetadataText = 1000
	// maxMetadataValues bounds the values and list items of one file.
	maxMetadataValues = 1000
)

// ReadMetadata reads metadata as JSON or YAML (JSON when the first non-blank
// byte is '{'). Unknown keys are errors, so a misspelt field is not silently
// dropped; errors name the file. An untrusted file cannot make it costly:
// it reads at most MaxMetadataBytes, refuses YAML aliases ("*name", which
// could expand a small file into gigabytes) and text values longer than
// MaxMetadataText, and at most maxMetadataValues values.
func ReadMetadata(r io.Reader, name string) (Metadata, error) {
	var m Metadata
	data, err := io.ReadAll(io.LimitReader(r, MaxMetadataBytes+1))
	if err != nil {
		return m, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxMetadataBytes {
		return m, fmt.Errorf("%s: metadata larger than %d KiB", name, MaxMetadataBytes>>10)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		if err := checkMetadataJSON(data); err != nil {
			return m, fmt.Errorf("%s: metadata JSON: %w", name, err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			return m, fmt.Errorf("%s: metadata JSON: %w", name, err)
		}
	} else {
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return m, fmt.Errorf("%s: metadata YAML: %w", name, err)
		}
		n := 0
		if err := checkMetadataYAML(&doc, &n); err != nil {
			return m, fmt.Errorf("%s: metadata YAML: %w", name, err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&m); err != nil && err != io.EOF {
			return m, fmt.Errorf("%s: metadata YAML: %w", name, err)
		}
	}
	return m, m.validate(name)
}

// checkMetadataYAML refuses aliases, text values longer than
// MaxMetadataText and more than maxMetadataValues nodes in all (counted in
// n) in a YAML tree parsed into nodes, which holds each alias once.
func checkMetadataYAML(node *yaml.Node, n *int) error {
	if *n++; *n > maxMetadataValues {
		return fmt.Errorf("line %d: more than %d values", node.Line, maxMetadataValues)
	}
	switch {
	case node.Kind == yaml.AliasNode:
		return fmt.Errorf("line %d: YAML aliases (*%s) are not accepted in metadata; write the value out", node.Line, node.Value)
	case node.Kind == yaml.ScalarNode && len(node.Value) > MaxMetadataText:
		return fmt.Errorf("line %d: a value of %d bytes, more than the %d metadata text may hold", node.Line, len(node.Value), MaxMetadataText)
	}
	for _, c := range node.Content {
		if err := checkMetadataYAML(c, n); err != nil {
			return err
		}
	}
	return nil
}

// checkMetadataJSON refuses strings longer than MaxMetadataText and more
// than maxMetadataValues tokens; syntax errors are left to the decoder.
func checkMetadataJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	for n := 0; ; n++ {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		if n > maxMetadataValues {
			return fmt.Errorf("offset %d: more than %d values", dec.InputOffset(), maxMetadataValues)
		}
		if s, ok := tok.(string); ok && len(s) > MaxMetadataText {
			return fmt.Errorf("offset %d: a value of %d bytes, more than the %d metadata text may hold", dec.InputOffset(), len(s), MaxMetadataText)
		}
	}
}

func (m Metadata) validate(name string) error {
	check := func(field string, v *float64, lo, hi float64) error {
		if v != nil && (*v < lo || *v > hi || *v != *v) {
			return fmt.Errorf("%s: %s %v is outside %v–%v", name, field, *v, lo, hi)
		}
		return nil
	}
	for _, c := range []error{
		check("age", m.Age, 0, 130),
		check("antibiotics_months_ago", m.AntibioticsMonthsAgo, 0, 1200),
		check("transit_days", m.TransitDays, 0, 365),
		check("labs.calprotectin_ug_g", m.Labs.CalprotectinUgG, 0, 1e5),
		check("labs.zonulin", m.Labs.Zonulin, 0, 1e6),
		check("labs.lactulose_mannitol_ratio", m.Labs.LactuloseMannitol, 0, 100),
		check("labs.lbp", m.Labs.LBP, 0, 1e6),
		check("labs.i_fabp", m.Labs.IFABP, 0, 1e6),
	} {
		if c != nil {
			return c
		}
	}
	return nil
}

func (l Labs) any() bool {
	return l.CalprotectinUgG != nil || l.Zonulin != nil || l.LactuloseMannitol != nil || l.LBP != nil || l.IFABP != nil
}

// recentAntibiotics reports antibiotics within the last three months, the
// window in which they are known to shift the profile (R-PAL18).
func (m Metadata) recentAntibiotics() bool {
	return m.AntibioticsMonthsAgo != nil && *m.AntibioticsMonthsAgo <= 3
}
