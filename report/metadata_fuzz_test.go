package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/zonula/zonula/report"
)

// FuzzReadMetadata checks that ReadMetadata never panics, that its errors
// name the file, and that whatever it accepts survives a JSON round trip
// unchanged (so accepted values are all valid).
func FuzzReadMetadata(f *testing.F) {
	for _, s := range []string{
		"age: 58\nsex: female\nsymptoms: [bloating, blood in stool]\nnew_symptoms: true\nlabs:\n  calprotectin_ug_g: 180\n  zonulin: 45\n  zonulin_unit: ng/mL\n",
		`{"age": 30, "diet": "omnivore", "transit_days": 2, "labs": {"lbp": 12}}`,
		"age: -1\n", "agee: 3\n", "{", "", "a: &a [*a]\n", "age: .nan\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := report.ReadMetadata(bytes.NewReader(data), "meta.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "meta.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		j, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("accepted metadata does not marshal: %v", err)
		}
		back, err := report.ReadMetadata(bytes.NewReader(j), "round.json")
		if err != nil {
			t.Fatalf("accepted metadata rejected after a round trip: %v\n%s", err, j)
		}
		// Compared as JSON: an empty list and no list are the same metadata.
		if j2, _ := json.Marshal(back); !bytes.Equal(j, j2) {
			t.Fatalf("round trip changed metadata:\n%s\n%s", j, j2)
		}
	})
}
