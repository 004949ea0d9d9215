package knowledge

import (
	"strings"
	"testing"
)

func TestLoadValidates(t *testing.T) {
	k, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Taxa) != 19 || len(k.Limitations) != 10 || len(k.Labs) != 5 {
		t.Errorf("%d taxa, %d limitations, %d lab markers; the science brief has 19, 10 and 5", len(k.Taxa), len(k.Limitations), len(k.Labs))
	}
	for _, id := range []string{"G-01", "G-02", "G-03", "G-06", "G-17"} {
		if _, ok := k.GuidanceItem(id); !ok {
			t.Errorf("guidance %s missing", id)
		}
	}
}

func TestValidateCatchesProblems(t *testing.T) {
	k, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	bad := *k
	bad.Guidance = append([]Guidance{{ID: "G-99", Title: "Kombucha cures everything", Grade: "Z", Refs: []string{"R-NOPE"}}}, k.Guidance...)
	err = bad.Validate()
	if err == nil {
		t.Fatal("Validate accepted a bad item")
	}
	for _, want := range []string{"G-99: evidence grade", "R-NOPE is not in references.json", `"cures"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error lacks %q: %v", want, err)
		}
	}
}

func TestCheckWording(t *testing.T) {
	for _, s := range []string{"This causes leaky gut", "a detox plan", "Guaranteed results", "heals the lining", "fixes the barrier"} {
		if CheckWording(s) == nil {
			t.Errorf("CheckWording(%q) accepted causal wording", s)
		}
	}
	if err := CheckWording("is associated with lower diversity; seen in people, cause not shown"); err != nil {
		t.Error(err)
	}
}
