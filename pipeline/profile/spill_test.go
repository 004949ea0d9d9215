package profile

import (
	"errors"
	"io"
	"os"
	"testing"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
)

// TestSpillRoundTrip writes records of every kind and reads them back
// field for field; a truncated file is an error, not a short read.
func TestSpillRoundTrip(t *testing.T) {
	sp, err := newSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	in := []record{
		{id: "f1", kind: spillFiltered, reason: "too_short"},
		{id: "p1", kind: spillPassed, unit: 7, a: classify.Assignment{Status: classify.Classified, Rank: taxonomy.Family, BelowFloor: taxonomy.Genus,
			Identity: 0.91, ErrorRate: 0.03, Confidence: 0.98, Reference: "x", Best: 12, Clipped: 1}},
		{id: "c1", kind: spillPassed, a: classify.Assignment{Status: classify.Chimera, Rank: taxonomy.NoRank, BelowFloor: taxonomy.NoRank,
			Identity: 0.9, Reference: "x", Best: 3, Second: 4}},
		{id: "u1", kind: spillPassed, a: classify.Assignment{Rank: taxonomy.NoRank, BelowFloor: taxonomy.NoRank}},
		{id: "e1", kind: spillEM, unit: 2, class: 5, a: classify.Assignment{Status: classify.Classified, Rank: taxonomy.Genus, BelowFloor: taxonomy.Species,
			Identity: 0.99, ErrorRate: 0.004, Reference: "x", Best: 9, Evidence: classify.Evidence{Best: 15, Length: 1500}}},
		{id: "e2", kind: spillEM, unit: 3, class: 6, a: classify.Assignment{Status: classify.Classified, Rank: taxonomy.Genus, BelowFloor: taxonomy.Species,
			Identity: 0.95, ErrorRate: 0.004, Reference: "x", Best: 10, Evidence: classify.Evidence{Best: 70, Length: 1495, Rival: classify.UnitEdits{Unit: 41, Extra: 11}, RivalGap: 23}}},
	}
	for i := range in {
		if err := sp.put(&in[i]); err != nil {
			t.Fatal(err)
		}
	}
	sr, err := sp.rewind()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range in {
		var got record
		if err := sr.get(&got); err != nil {
			t.Fatalf("%s: %v", want.id, err)
		}
		if want.a.Reference != "" {
			want.a.Reference = "?"
		}
		if got.id != want.id || got.kind != want.kind || got.reason != want.reason || got.unit != want.unit || got.class != want.class ||
			got.a.Status != want.a.Status || got.a.Rank != want.a.Rank || got.a.BelowFloor != want.a.BelowFloor || got.a.Identity != want.a.Identity ||
			got.a.ErrorRate != want.a.ErrorRate || got.a.Confidence != want.a.Confidence || got.a.Best != want.a.Best || got.a.Second != want.a.Second ||
			got.a.Clipped != want.a.Clipped || got.a.Reference != want.a.Reference || got.a.Evidence.Best != want.a.Evidence.Best || got.a.Evidence.Length != want.a.Evidence.Length ||
			got.a.Evidence.Rival != want.a.Evidence.Rival || got.a.Evidence.RivalGap != want.a.Evidence.RivalGap {
			t.Errorf("read back %+v, want %+v", got, want)
		}
	}
	var r record
	if err := sr.get(&r); err != io.EOF {
		t.Errorf("after the last record: %v, want EOF", err)
	}
	// Cut the file inside the last record.
	st, _ := sp.f.Stat()
	if err := os.Truncate(sp.f.Name(), st.Size()-3); err != nil {
		t.Fatal(err)
	}
	sr, _ = sp.rewind()
	var err2 error
	for err2 == nil {
		err2 = sr.get(&r)
	}
	if !errors.Is(err2, errSpill) {
		t.Errorf("truncated spill: %v, want errSpill", err2)
	}
	if err := sp.close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sp.f.Name()); !os.IsNotExist(err) {
		t.Errorf("spill file left after close: %v", err)
	}
}
