package classify

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// testClassifier returns a classifier over references with the given
// lineages (sequences do not matter to the EM) and its units by species.
func testClassifier(t *testing.T, species ...string) (*Classifier, map[string]uint32) {
	t.Helper()
	db := testDB(species...)
	c, err := New(db, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]uint32{}
	for u := range c.Units() {
		units[c.UnitLineage(uint32(u)).Name(taxonomy.Species)] = uint32(u)
	}
	return c, units
}

func addReads(m *Community, n int, lambda float64, ue ...UnitEdits) {
	for range n {
		m.Add(&Evidence{Lambda: lambda, Units: ue, InEM: true, Length: 1500})
	}
}

// TestEstimateSplitsTies: 60 reads fit only A, 20 only B, 40 fit both
// equally: the EM gives the 40 to A and B as 3:1, so A = 90 and B = 30 (the
// fixed point of π_A = (60 + 40·π_A/(π_A + π_B)) / 120).
func TestEstimateSplitsTies(t *testing.T) {
	c, u := testClassifier(t, "Bacteroides fragilis", "Bacteroides ovatus")
	m := c.NewCommunity()
	a, b := u["Bacteroides fragilis"], u["Bacteroides ovatus"]
	addReads(m, 60, 5, UnitEdits{a, 0}, UnitEdits{b, 30}) // far: weight e⁻¹⁵⁰
	addReads(m, 20, 5, UnitEdits{a, 30}, UnitEdits{b, 0})
	addReads(m, 40, 5, UnitEdits{a, 0}, UnitEdits{b, 0})
	if m.Classes() != 3 {
		t.Fatalf("%d classes, want 3", m.Classes())
	}
	ab := m.Estimate()
	got := map[string]float64{}
	for g := range ab.Groups() {
		l, reads := ab.Group(g)
		got[l.Name(taxonomy.Species)] = reads
	}
	if math.Abs(got["Bacteroides fragilis"]-90) > 1e-3 || math.Abs(got["Bacteroides ovatus"]-30) > 1e-3 || ab.Reads != 120 {
		t.Errorf("EM = %v of %v reads, want fragilis 90, ovatus 30 of 120", got, ab.Reads)
	}
	// A tied read's posterior follows the abundances: 3:1.
	hs := ab.Hypotheses(2, nil)
	d := c.NewDecider()
	call := d.Decide(hs, &Evidence{Lambda: 5, Length: 1500}, 0.004, 0.95)
	if post := d.Posterior(); len(post) != 2 || math.Abs(max(post[0], post[1])-0.75) > 1e-3 {
		t.Errorf("posteriors %v, want 0.75 and 0.25", post)
	}
	if call.Rank != taxonomy.Genus || call.Lineage.Name(taxonomy.Genus) != "Bacteroides" || math.Abs(call.Confidence-1) > 1e-12 {
		t.Errorf("tied read called %v (%v) at %v, want the genus at confidence 1", call.Lineage, call.Rank, call.Confidence)
	}
}

// TestEstimateGroupsInseparable: species that every read weighs alike are
// one group, named "A / B", and a taxon seen only through ties with a
// well-supported one is pruned, its reads going to the other.
func TestEstimateGroupsInseparable(t *testing.T) {
	c, u := testClassifier(t, "Escherichia coli", "Escherichia fergusonii", "Klebsiella pneumoniae", "Raoultella planticola")
	m := c.NewCommunity()
	ec, ef := u["Escherichia coli"], u["Escherichia fergusonii"]
	kp, rp := u["Klebsiella pneumoniae"], u["Raoultella planticola"]
	addReads(m, 500, 5, UnitEdits{ec, 0}, UnitEdits{ef, 0})
	addReads(m, 200, 5, UnitEdits{ec, 1}, UnitEdits{ef, 1}, UnitEdits{kp, 0})
	addReads(m, 800, 5, UnitEdits{kp, 0}, UnitEdits{rp, 6})
	addReads(m, 300, 5, UnitEdits{kp, 0}, UnitEdits{rp, 0})
	ab := m.Estimate()
	got := map[string]float64{}
	for g := range ab.Groups() {
		l, reads := ab.Group(g)
		got[l.Name(taxonomy.Species)] = reads
	}
	if math.Abs(got["Escherichia coli / Escherichia fergusonii"]-500) > 1 || math.Abs(got["Klebsiella pneumoniae"]-1300) > 1 || got["Raoultella planticola"] != 0 {
		t.Errorf("EM = %v, want E. coli / E. fergusonii 500, K. pneumoniae 1300, R. planticola pruned", got)
	}
	// Run twice: the same bytes of output.
	again := m.Estimate()
	for g := range ab.Groups() {
		if _, x := ab.Group(g); func() float64 { _, y := again.Group(g); return y }() != x {
			t.Fatal("Estimate differs between runs")
		}
	}
}

func TestGroupLineage(t *testing.T) {
	l := func(g, s string) taxonomy.Lineage {
		return taxonomy.Lineage{"Bacteria", "Pseudomonadota", "Gammaproteobacteria", "Enterobacterales", "Enterobacteriaceae", g, s}
	}
	for _, tc := range []struct {
		in   []taxonomy.Lineage
		want string
	}{
		{[]taxonomy.Lineage{l("Escherichia", "Escherichia coli")}, "Escherichia coli"},
		{[]taxonomy.Lineage{l("Escherichia", "Escherichia fergusonii"), l("Escherichia", "Escherichia coli")}, "Escherichia coli / Escherichia fergusonii"},
		{[]taxonomy.Lineage{l("Escherichia", "Escherichia coli"), l("Shigella", "Shigella flexneri")}, "Escherichia / Shigella"},
		{[]taxonomy.Lineage{l("Escherichia", "Escherichia coli"), l("Escherichia", "")}, "Escherichia"},
	} {
		got := groupLineage(tc.in)
		if name := got[got.Depth()]; name != tc.want {
			t.Errorf("groupLineage(%v) = %v, want deepest name %q", tc.in, got, tc.want)
		}
	}
}

func TestLambda(t *testing.T) {
	for _, tc := range []struct {
		e     float64
		best  int32
		m     int
		want  float64
		about string
	}{
		{0.004, 6, 1500, math.Round(math.Log(0.996/0.004)*16) / 16, "errors explain every edit"},
		{0.004, 36, 1500, math.Round(math.Log(0.996/0.004)/(1+30.0/divergenceScale)*16) / 16, "30 edits of divergence"},
		{0, 0, 1500, math.Round(math.Log(0.999/0.001)*16) / 16, "ε held at 0.001"},
		{0.5, 400, 1500, math.Round(math.Log(0.75/0.25)/(1+25.0/divergenceScale)*16) / 16, "ε held at 0.25"},
	} {
		if got := lambdaOf(tc.e, tc.best, tc.m); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: lambdaOf(%v, %d, %d) = %v, want %v", tc.about, tc.e, tc.best, tc.m, got, tc.want)
		}
	}
}

// testDB returns a database with one random 400-base reference per species
// ("Genus epithet"), filed under a made-up lineage per genus.
func testDB(species ...string) *refdb.DB {
	rng := rand.New(rand.NewPCG(1, 2))
	var refs []refdb.Reference
	for i, sp := range species {
		g, _, _ := strings.Cut(sp, " ")
		seq := make([]byte, 400)
		for j := range seq {
			seq[j] = "ACGT"[rng.IntN(4)]
		}
		refs = append(refs, refdb.Reference{ID: fmt.Sprintf("r%d", i), Seq: seq,
			Lineage: taxonomy.Lineage{"Bacteria", "P", "C", "O", "F", g, sp}})
	}
	return &refdb.DB{Refs: refs}
}

// TestDecide: a read tied between two genera of one family is called to
// the family with the family's posterior, 1; with one genus 5 edits ahead
// at λ = 1 (e⁵ ≈ 148:1, posterior 0.9933) the genus is named at 0.95 and
// not at 0.999; a prior of 1:200 against it turns the call around; and a
// read 30 edits beyond its errors from both is not given the genus 5 edits
// ahead (divergenceMargin: 0.5·(30 + 2.4)); nor is it when another genus,
// left out of its hypotheses for missing its floor, is its Rival 5 edits
// behind and within the margin of that floor.
func TestDecide(t *testing.T) {
	c, _ := testClassifier(t, "Escherichia coli", "Klebsiella pneumoniae")
	fam := taxonomy.Lineage{"Bacteria", "P", "C", "O", "F"}
	ec := taxonomy.Lineage{"Bacteria", "P", "C", "O", "F", "Escherichia", "Escherichia coli"}
	kp := taxonomy.Lineage{"Bacteria", "P", "C", "O", "F", "Klebsiella", "Klebsiella pneumoniae"}
	ev := &Evidence{Lambda: 1, Best: 6, Length: 1500} // identity 0.996, as its errors (0.4 %) explain
	d := c.NewDecider()
	call := d.Decide([]Hypothesis{{Lineage: ec}, {Lineage: kp}}, ev, 0.004, 0.95)
	if call.Lineage != fam || call.Confidence != 1 || call.Rank != taxonomy.Family {
		t.Errorf("tie: %v at %v (%v), want the family at 1", call.Lineage, call.Confidence, call.Rank)
	}
	want := 1 / (1 + math.Exp(-5))
	call = d.Decide([]Hypothesis{{Lineage: ec}, {Lineage: kp, Extra: 5}}, ev, 0.004, 0.95)
	if call.Lineage.Name(taxonomy.Genus) != "Escherichia" || math.Abs(call.Confidence-want) > 1e-12 {
		t.Errorf("5 edits ahead: %v at %v, want Escherichia at %v", call.Lineage, call.Confidence, want)
	}
	if call = d.Decide([]Hypothesis{{Lineage: ec}, {Lineage: kp, Extra: 5}}, ev, 0.004, 0.999); call.Rank != taxonomy.Family {
		t.Errorf("at level 0.999: %v, want the family", call.Lineage)
	}
	call = d.Decide([]Hypothesis{{Lineage: ec, Prior: 1}, {Lineage: kp, Extra: 5, Prior: 200}}, ev, 0.004, 0.95)
	if post := d.Posterior(); call.Lineage.Name(taxonomy.Genus) != "" || math.Abs(post[1]-200/(200+math.Exp(5))) > 1e-12 {
		t.Errorf("with priors 1:200: %v, posteriors %v", call.Lineage, post)
	}
	far := &Evidence{Lambda: 1, Best: 36, Length: 1500}
	if call = d.Decide([]Hypothesis{{Lineage: ec}, {Lineage: kp, Extra: 5}}, far, 0.004, 0.95); call.Lineage != fam || call.Confidence != 1 {
		t.Errorf("30 edits of divergence: %v at %v, want the family at 1", call.Lineage, call.Confidence)
	}
	// A genus left out of the hypotheses for missing its floor still
	// counts in the margin as the read's Rival.
	kpUnit := slices.Index(c.units.lineages, kp)
	if kpUnit < 0 {
		t.Fatal("no unit for Klebsiella pneumoniae")
	}
	alone := &Evidence{Lambda: 1, Best: 36, Length: 1500}
	if call = d.Decide([]Hypothesis{{Lineage: ec}}, alone, 0.004, 0.95); call.Lineage.Name(taxonomy.Genus) != "Escherichia" {
		t.Errorf("no rival: %v, want Escherichia", call.Lineage)
	}
	alone.Rival, alone.RivalGap = UnitEdits{Unit: uint32(kpUnit), Extra: 5}, 10
	if call = d.Decide([]Hypothesis{{Lineage: ec}}, alone, 0.004, 0.95); call.Lineage != fam {
		t.Errorf("rival 5 edits behind, 10 beyond its floor, at 30 edits of divergence: %v, want the family", call.Lineage)
	}
	alone.RivalGap = 60
	if call = d.Decide([]Hypothesis{{Lineage: ec}}, alone, 0.004, 0.95); call.Lineage.Name(taxonomy.Genus) != "Escherichia" {
		t.Errorf("rival 60 edits beyond its floor: %v, want Escherichia", call.Lineage)
	}
	alone.Rival.Extra = 40
	if call = d.Decide([]Hypothesis{{Lineage: ec}}, alone, 0.004, 0.95); call.Lineage.Name(taxonomy.Genus) != "Escherichia" {
		t.Errorf("rival 40 edits behind: %v, want Escherichia", call.Lineage)
	}
}
