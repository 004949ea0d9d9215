package tables

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/zonula/zonula/taxonomy"
)

// The tables of testdata/tables/wild were written by mothur 1.48.0 and
// kraken2 2.1.2 (scripts/make-wild-table-fixtures.sh; versions.txt).

// sharedSums returns each group's count total at label in a .shared file,
// summed here from the text, independently of readMothur.
func sharedSums(t *testing.T, path, label string) map[string]float64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(data), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != label {
			continue
		}
		for _, v := range f[3:] {
			x, _ := strconv.ParseFloat(v, 64)
			out[f[1]] += x
		}
	}
	return out
}

func TestMothurWild(t *testing.T) {
	shared := fixture("wild/mothur/final.shared")
	tax := fixture("wild/mothur/final.0.03.cons.taxonomy")
	data, err := os.ReadFile(shared)
	if err != nil {
		t.Fatal(err)
	}
	labels := MothurLabels(data)
	if !slices.Equal(labels, []string{"unique", "0.01", "0.02", "0.03"}) {
		t.Fatalf("labels %v", labels)
	}
	if f, err := Detect(shared, data); err != nil || f != FormatMothur {
		t.Fatalf("detected %v, %v (mothur 1.48 writes numASVs)", f, err)
	}
	for _, tc := range []struct {
		o     ReadOptions
		label string
	}{
		{ReadOptions{}, "unique"},
		{ReadOptions{Label: "0.02"}, "0.02"},
		{ReadOptions{Taxonomy: tax}, "0.03"}, // the taxonomy's label
		{ReadOptions{Taxonomy: tax, Label: "0.03"}, "0.03"},
	} {
		if l, _, err := MothurLabel(data, tc.o); err != nil || l != tc.label {
			t.Errorf("%+v: label %q, %v; want %q", tc.o, l, err, tc.label)
		}
		for _, path := range []string{shared, fixture("wild/mothur/final-trailing-tab.shared")} {
			ps := readOK(t, path, tc.o)
			want := sharedSums(t, shared, tc.label)
			if len(ps) != 3 {
				t.Fatalf("%s: %d samples", path, len(ps))
			}
			for _, p := range ps {
				var n float64
				for _, f := range p.Features {
					n += f.Reads
				}
				if n != want[p.Sample] || n == 0 {
					t.Errorf("%s %s label %s: %v reads, the file has %v", path, p.Sample, tc.label, n, want[p.Sample])
				}
			}
		}
	}
	// With the taxonomy, genera: F3D1 was simulated with 30 % Akkermansia.
	ps := readOK(t, shared, ReadOptions{Taxonomy: tax})
	g := at(ps[1], taxonomy.Genus)
	if ps[1].Sample != "F3D1" || g["Akkermansia"] < 8 || g["Bacteroides"] == 0 {
		t.Errorf("F3D1 genera %v", g)
	}
	for _, o := range []ReadOptions{{Label: "0.05"}, {Taxonomy: tax, Label: "unique"}} {
		if _, err := ReadTables(shared, o); err == nil || !strings.Contains(err.Error(), "label") {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

// TestKrakenCustomTaxonomy reads a kraken2 report of a custom taxonomy in
// which kraken2 left the rank code of root, the superkingdom and the phyla
// empty: the genera come through, and the phyla are inferred from their
// children (a P1 child, or classes below).
func TestKrakenCustomTaxonomy(t *testing.T) {
	path := fixture("wild/kraken2/S1.kreport")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\t\t1\troot\n") {
		t.Fatal("the fixture has no empty rank code (regenerated with another kraken2?)")
	}
	ps := readOK(t, path, ReadOptions{})
	if len(ps) != 1 || ps[0].Format != FormatKraken {
		t.Fatalf("%d profiles, format %v", len(ps), ps[0].Format)
	}
	g := at(ps[0], taxonomy.Genus)
	for name, reads := range map[string]float64{"Bacteroides": 79, "Faecalibacterium": 74, "Prevotella": 35, "Akkermansia": 27, "unclassified": 15} {
		if g[name] != reads {
			t.Errorf("genus %s: %v reads, the report says %v (all %v)", name, g[name], reads, g)
		}
	}
	ph := at(ps[0], taxonomy.Phylum)
	if ph["Bacteroidetes"] != 131 || ph["Firmicutes"] != 101 || ph["Proteobacteria"] != 20 {
		t.Errorf("phyla %v", ph)
	}
	if d := at(ps[0], taxonomy.Domain); d["Bacteria"] != 300 {
		t.Errorf("domains %v", d)
	}
}

func TestInferKrakenCodes(t *testing.T) {
	rows := []krakenRow{
		{depth: 0, name: "root"},
		{depth: 1, name: "Bacteria"},
		{depth: 2, name: "Firmicutes"},
		{depth: 3, code: "P1", name: "clade"},
		{depth: 4, code: "C", name: "Clostridia"},
		{depth: 2, name: "Odd"}, // no ranked child: stays without a rank
		{depth: 3, name: "deeper"},
	}
	inferKrakenCodes(rows)
	var got []string
	for _, r := range rows {
		got = append(got, r.code)
	}
	if want := []string{"", "D", "P", "P1", "C", "", ""}; !slices.Equal(got, want) {
		t.Errorf("codes %q, want %q", got, want)
	}
}
