package taxonomy

import "testing"

func TestLineageStringRoundTrip(t *testing.T) {
	l := Lineage{"Bacteria", "Bacillota", "Clostridia", "Eubacteriales", "Oscillospiraceae", "Faecalibacterium", "Faecalibacterium prausnitzii"}
	s := l.String()
	want := "d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii"
	if s != want {
		t.Fatalf("String() = %q, want %q", s, want)
	}
	back, err := ParsePrefixed(s)
	if err != nil || back != l {
		t.Fatalf("ParsePrefixed(%q) = %v, %v", s, back, err)
	}
	if l.Depth() != Species {
		t.Errorf("Depth = %v", l.Depth())
	}
	if got := l.Truncate(Family).String(); got != "d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae" {
		t.Errorf("Truncate(Family) = %q", got)
	}
}

func TestParsePrefixedErrors(t *testing.T) {
	for _, s := range []string{"x__Bacteria", "p__Bacillota;d__Bacteria", "Bacteria;Bacillota"} {
		if _, err := ParsePrefixed(s); err == nil {
			t.Errorf("ParsePrefixed(%q) gave no error", s)
		}
	}
	if l, err := ParsePrefixed(""); err != nil || l.Depth() != NoRank {
		t.Errorf("empty lineage: %v %v", l, err)
	}
}

func TestLCA(t *testing.T) {
	a := Lineage{"Bacteria", "Bacillota", "Clostridia", "Eubacteriales", "Lachnospiraceae", "Roseburia", "Roseburia intestinalis"}
	b := Lineage{"Bacteria", "Bacillota", "Clostridia", "Eubacteriales", "Lachnospiraceae", "Coprococcus", "Coprococcus comes"}
	c := Lineage{"Bacteria", "Bacteroidota", "Bacteroidia", "Bacteroidales", "Bacteroidaceae", "Bacteroides", ""}
	if got := LCA(a, b); got.Depth() != Family || got[Family] != "Lachnospiraceae" {
		t.Errorf("LCA(a, b) = %v", got)
	}
	if got := LCA(a, b, c); got.Depth() != Domain {
		t.Errorf("LCA(a, b, c) = %v", got)
	}
	if got := LCA(a); got != a {
		t.Errorf("LCA(a) = %v", got)
	}
	if got := LCA(c, c); got.Depth() != Genus {
		t.Errorf("LCA stops at the first empty rank: %v", got)
	}
	if got := LCA(); got.Depth() != NoRank {
		t.Errorf("LCA() = %v", got)
	}
}

func TestRanks(t *testing.T) {
	for _, r := range Ranks() {
		back, err := ParseRank(r.String())
		if err != nil || back != r {
			t.Errorf("ParseRank(%q) = %v, %v", r.String(), back, err)
		}
	}
	if _, err := ParseRank("kingdom"); err == nil {
		t.Error("ParseRank(kingdom) gave no error")
	}
	if NoRank.String() != "none" {
		t.Errorf("NoRank.String() = %q", NoRank.String())
	}
}

func TestCurrentPhylum(t *testing.T) {
	for old, cur := range map[string]string{"Firmicutes": "Bacillota", "Bacteroidetes": "Bacteroidota", "Proteobacteria": "Pseudomonadota", "Actinobacteria": "Actinomycetota", "Verrucomicrobia": "Verrucomicrobiota", "Bacillota": "Bacillota", "Unknownphylum": "Unknownphylum"} {
		if got := CurrentPhylum(old); got != cur {
			t.Errorf("CurrentPhylum(%q) = %q, want %q", old, got, cur)
		}
	}
	l := Lineage{"Bacteria", "Firmicutes", "Clostridia"}
	if m := l.Modernize(); m[Phylum] != "Bacillota" || m[Class] != "Clostridia" {
		t.Errorf("Modernize = %v", m)
	}
	// Desulfovibrionaceae of an old database: Desulfobacterota, not
	// Pseudomonadota (Oren & Garrity 2021).
	d := Lineage{"Bacteria", "Proteobacteria", "Deltaproteobacteria", "Desulfovibrionales", "Desulfovibrionaceae", "Bilophila"}
	if m := d.Modernize(); m[Phylum] != "Desulfobacterota" || m[Genus] != "Bilophila" {
		t.Errorf("Modernize = %v", m)
	}
	if m := (Lineage{"", "", "Deltaproteobacteria"}).Modernize(); m[Phylum] != "" {
		t.Errorf("a lineage without a phylum got one: %v", m)
	}
}
