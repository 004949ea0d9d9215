package qc

import (
	"bytes"
	"testing"

	"github.com/zonula/zonula/pipeline/seqio"
)

func FuzzInspect(f *testing.F) {
	f.Add([]byte(Primer27F().Seq+"ACGTACGTTTGCA"+"AAGTCGTAACAAGGTAACC"), []byte{})
	f.Add([]byte("NNNNRYKM"), []byte("IIII!!!!"))
	f.Add([]byte(""), []byte(""))
	pf, err := NewPrimerFinder(DefaultPrimerOptions())
	if err != nil {
		f.Fatal(err)
	}
	o := Options{MaxExpectedErrorsPerKb: 10, MinKmerEntropy: 4, MaxHomopolymer: 8, RequirePrimers: true}
	f.Fuzz(func(t *testing.T, seq, qual []byte) {
		rec := &seqio.Record{Seq: seq}
		if len(qual) == len(seq) {
			rec.Qual = qual
		}
		n := len(seq)
		res := Inspect(rec, o, pf)
		m := res.Primers
		if m.Start < 0 || m.Start > m.End || m.End > n || len(rec.Seq) != m.End-m.Start {
			t.Fatalf("span [%d,%d) of %d, trimmed to %d", m.Start, m.End, n, len(rec.Seq))
		}
		if rec.Qual != nil && len(rec.Qual) != len(rec.Seq) {
			t.Fatal("qualities not trimmed with the sequence")
		}
		if m.Found() > 0 && (m.ForwardEdits > 3 || m.ReverseEdits > 3) {
			t.Fatalf("accepted more than 3 edits: %+v", m)
		}
		if h := res.KmerEntropy; h < 0 || h > 6.0000001 {
			t.Fatalf("entropy %v", h)
		}
		if !res.OK && res.Reason == "" {
			t.Fatal("filtered without a reason")
		}
		// KeepPrimers finds the same primers and cuts nothing.
		kept := &seqio.Record{Seq: append([]byte(nil), seq...)}
		ko := o
		ko.KeepPrimers = true
		if kr := Inspect(kept, ko, pf); *kr.Primers != *m || len(kept.Seq) != n {
			t.Fatalf("KeepPrimers: %+v over %d bases, trimming run %+v", kr.Primers, len(kept.Seq), m)
		}
		// Reverse-complementing twice gives back the read (U becomes T).
		before := bytes.ReplaceAll(bytes.ToUpper(kept.Seq), []byte("U"), []byte("T"))
		ReverseComplement(kept)
		ReverseComplement(kept)
		if after := bytes.ToUpper(kept.Seq); iupacOnly(before) && !bytes.Equal(after, before) {
			t.Fatalf("reverse complement twice: %q, want %q", after, before)
		}
	})
}

// iupacOnly reports whether s holds only IUPAC letters (upper case), for
// which complementing twice is the identity.
func iupacOnly(s []byte) bool {
	for _, c := range s {
		if iupacMask[c] == 0 || c == 'U' || c >= 'a' {
			return false
		}
	}
	return true
}
