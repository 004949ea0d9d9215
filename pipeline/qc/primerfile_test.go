package qc

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestReadPrimerPairs(t *testing.T) {
	want := []PrimerPair{
		{Forward: Primer{Name: "27F", Seq: "AGAGTTTGATCMTGGCTCAG"}, Reverse: Primer{Name: "1492R", Seq: "GGTTACCTTGTTACGACTT"}},
		{Forward: Primer{Name: "fwd2", Seq: "AGRGTTYGATYMTGGCTCAG"}, Reverse: Primer{Name: "rev2", Seq: "RGYTACCTTGTTACGACTT"}},
	}
	table := "# my primers\n\n27F\tAGAGTTTGATCMTGGCTCAG\t1492R GGTTACCTTGTTACGACTT\r\nagrgttygatymtggctcag  RGYTACCTTGTTACGACTT\n"
	got, err := ReadPrimerPairs(strings.NewReader(table), "p.tsv")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("table: %+v, %v", got, err)
	}
	fasta := ">27F forward\nAGAGTTTGAT\nCMTGGCTCAG\n>1492R\nGGTTACCTTGTTACGACTT\n>fwd2\nAGRGTTYGATYMTGGCTCAG\n>rev2\nrgytaccttgttacgactt\n"
	got, err = ReadPrimerPairs(strings.NewReader(fasta), "p.fa")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("FASTA: %+v, %v", got, err)
	}
	// A finder built from the file finds what the defaults find.
	pf, err := NewPrimerFinder(PrimerOptions{Pairs: got, MaxMismatches: 3})
	if err != nil {
		t.Fatal(err)
	}
	if m := pf.Find([]byte("AGAGTTTGATCCTGGCTCAG" + strings.Repeat("ACGTTGCA", 20) + "AAGTCGTAACAAGGTAACC")); m.Found() != 2 || m.Forward != "27F" {
		t.Errorf("finder from file: %+v", m)
	}
}

func TestReadPrimerPairsErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		line int
		msg  string
	}{
		{"", 0, "no primer pairs"},
		{"# only a comment\n", 0, "no primer pairs"},
		{"27F ACGT 1492R\n", 1, "3 fields"},
		{"A C\nF ACGZ R ACGT\n", 2, "'Z' is not an IUPAC base"},
		{"ACGT " + strings.Repeat("A", 65) + "\n", 1, "primer length 65"},
		{">f\nACGT\n>r\nAC GT\n", 4, "space inside"},
		{">f\nACGT\n>r\nACGT\n>f2\nACGT\n", 5, "no reverse primer"},
		{">f\nACGT\n>\nACGT\n", 3, "without a name"},
		{">f\n>r\nACGT\n", 1, "primer length 0"},
		{">f\nACGT\n>r\n", 3, "has no sequence"},
		{strings.Repeat("ACGT TTGG\n", MaxPrimerPairs+1), MaxPrimerPairs + 1, "more than 32"},
	} {
		_, err := ReadPrimerPairs(strings.NewReader(c.in), "p.txt")
		var pe *PrimerFileError
		if !errors.As(err, &pe) || pe.Line != c.line || pe.File != "p.txt" || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: %v (line %v), want line %d and %q", c.in, err, pe, c.line, c.msg)
		}
	}
}

func FuzzReadPrimerPairs(f *testing.F) {
	for _, s := range []string{
		"27F AGAGTTTGATCMTGGCTCAG 1492R GGTTACCTTGTTACGACTT\n",
		"ACGT TTGG\n# c\n",
		">f\nACGT\nNN\n>r\nRYKM\n",
		"", ">\n", "\ufeff>a\nA\n>b\nC\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pairs, err := ReadPrimerPairs(strings.NewReader(string(data)), "fuzz")
		if err != nil {
			var pe *PrimerFileError
			if !errors.As(err, &pe) {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if len(pairs) == 0 || len(pairs) > MaxPrimerPairs {
			t.Fatalf("%d pairs without an error", len(pairs))
		}
		// Whatever the parser accepts, the finder must compile and run.
		pf, err := NewPrimerFinder(PrimerOptions{Pairs: pairs, MaxMismatches: 3})
		if err != nil {
			t.Fatalf("accepted pairs the finder rejects: %v", err)
		}
		pf.Find(data)
	})
}
