package report

import (
	"fmt"
	"strings"
	"testing"
)

// TestMetadataLimits: metadata from an untrusted upload cannot expand or
// grow: aliases, long text, many values and large files are refused with
// the file (and the line or offset) named.
func TestMetadataLimits(t *testing.T) {
	long := strings.Repeat("x", MaxMetadataText+1)
	aliases := "labs: {zonulin_unit: &u \"" + strings.Repeat("z", 900) + "\"}\nsymptoms: [" + strings.Repeat("*u,", 5000) + "*u]\n"
	laughs := "diet: &a \"lol\"\nx: &b [*a, *a, *a]\nsymptoms: *b\n"
	for _, c := range []struct{ name, in, want string }{
		{"alias bomb", aliases, "m.yaml: metadata YAML: line 2: YAML aliases (*u) are not accepted"},
		{"nested aliases", laughs, "line 2: YAML aliases (*a)"},
		{"merge key", "labs: &l {zonulin: 3}\nx: {<<: *l}\n", "line 2: YAML aliases (*l)"},
		{"long yaml text", "diet: " + long + "\n", fmt.Sprintf("line 1: a value of %d bytes, more than the %d", MaxMetadataText+1, MaxMetadataText)},
		{"long yaml list item", "symptoms:\n  - bloating\n  - " + long + "\n", "line 3: a value of"},
		{"long json text", `{"sex": "f", "diet": "` + long + `"}`, "metadata JSON: offset"},
		{"many yaml values", "symptoms: [" + strings.Repeat("a,", maxMetadataValues) + "a]\n", "more than 1000 values"},
		{"many json values", `{"symptoms": [` + strings.Repeat(`"a",`, maxMetadataValues) + `"a"]}`, "more than 1000 values"},
		{"large file", "# " + strings.Repeat("c", MaxMetadataBytes) + "\n", "m.yaml: metadata larger than 256 KiB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadMetadata(strings.NewReader(c.in), "m.yaml")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
	// Text at the limit and anchors without aliases are fine.
	ok := "diet: &d " + strings.Repeat("v", MaxMetadataText) + "\nsymptoms: [bloating, fatigue]\n"
	if m, err := ReadMetadata(strings.NewReader(ok), "m.yaml"); err != nil || len(m.Diet) != MaxMetadataText || len(m.Symptoms) != 2 {
		t.Errorf("metadata at the limits: %+v, %v", m, err)
	}
}
