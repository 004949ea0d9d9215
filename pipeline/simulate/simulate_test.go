package simulate

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/refdb"
)

func TestReadComposition(t *testing.T) {
	parts, err := ReadComposition(strings.NewReader("# comment\nBacteroides\t3\r\n\nFaecalibacterium\t1\n"), "c.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 2 || parts[0].Fraction != 0.75 || parts[1].Taxon != "Faecalibacterium" {
		t.Errorf("parts = %+v", parts)
	}
	for _, c := range []struct{ in, want string }{
		{"Bacteroides 0.5\n", "c.tsv:1: want"},
		{"Bacteroides\tlots\n", "c.tsv:1: fraction"},
		{"A\t1\nB\t-1\n", "c.tsv:2: fraction"},
		{"A\t1\nA\t2\n", "c.tsv:2: taxon \"A\" already given on line 1"},
		{"# nothing\n", "no taxa"},
		{"A\t0\n", "no taxa"},
	} {
		if _, err := ReadComposition(strings.NewReader(c.in), "c.tsv"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadComposition(%q) error %v, want %q", c.in, err, c.want)
		}
	}
}

func simulateAll(t *testing.T, db *refdb.DB, o Options) []Read {
	t.Helper()
	sim, err := New(db, []Part{{"Bacteroides", 0.5}, {"Faecalibacterium", 0.3}, {"Akkermansia muciniphila", 0.2}}, o)
	if err != nil {
		t.Fatal(err)
	}
	var reads []Read
	if err := sim.Each(func(r Read) error { reads = append(reads, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return reads
}

func TestSimulateDeterministicAndCalibrated(t *testing.T) {
	db, err := refdb.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Platforms() {
		o := Options{Reads: 400, Seed: 9, Platform: p, Chimeras: 0.05, Junk: 0.05}
		a, b := simulateAll(t, db, o), simulateAll(t, db, o)
		if len(a) != 440 {
			t.Fatalf("%s: %d reads, want 400 + 20 chimeras + 20 junk", p.Name, len(a))
		}
		var wa, wb bytes.Buffer
		genera := map[string]int{}
		var sumErr float64
		var n int
		for i := range a {
			WriteFASTQ(&wa, a[i])
			WriteFASTQ(&wb, b[i])
			if len(a[i].Seq) != len(a[i].Qual) {
				t.Fatalf("%s: read %s has %d bases and %d qualities", p.Name, a[i].ID, len(a[i].Seq), len(a[i].Qual))
			}
			if a[i].Kind == "16S" {
				genera[a[i].Truth[taxonomy.Genus]]++
				for _, q := range a[i].Qual {
					sumErr += math.Pow(10, -float64(q-33)/10)
					n++
				}
			}
		}
		if !bytes.Equal(wa.Bytes(), wb.Bytes()) {
			t.Errorf("%s: same seed gave different reads", p.Name)
		}
		if genera["Bacteroides"] < 160 || genera["Akkermansia"] < 50 || len(genera) != 3 {
			t.Errorf("%s: genus counts %v far from 0.5/0.3/0.2 of 400", p.Name, genera)
		}
		// The qualities must tell roughly how error-prone the reads are.
		if mean := sumErr / float64(n); mean < p.ErrorRate/3 || mean > p.ErrorRate*3 {
			t.Errorf("%s: mean error implied by qualities %.4f, platform rate %.4f", p.Name, mean, p.ErrorRate)
		}
	}
}

func TestNewUnknownTaxon(t *testing.T) {
	db, _ := refdb.Default()
	_, err := New(db, []Part{{"Nonexistentia", 1}}, Options{Reads: 10, Platform: Platforms()[0]})
	if err == nil || !strings.Contains(err.Error(), "Nonexistentia") {
		t.Errorf("unknown taxon: err = %v", err)
	}
	if _, err := PlatformByName("sanger"); err == nil {
		t.Error("unknown platform accepted")
	}
}

func TestReadsHaveNoAmbiguityCodes(t *testing.T) {
	db, _ := refdb.Default()
	for _, r := range simulateAll(t, db, Options{Reads: 300, Seed: 2, Platform: Platforms()[0]}) {
		for _, c := range r.Seq {
			if !strings.ContainsRune("ACGT", rune(c)) {
				t.Fatalf("read %s holds %q; reference ambiguity codes must be resolved", r.ID, c)
			}
		}
	}
}
