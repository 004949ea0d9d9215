package pipeline

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/taxonomy/classify"
	"github.com/zonula/zonula/taxonomy/refdb"
)

func TestInformativeQualities(t *testing.T) {
	for _, c := range []struct {
		qual string
		want bool
	}{
		{"", false},
		{"IIIIIIII", false}, // FASTA made FASTQ with a fixed quality
		{"!!!!", false},
		{"I", false},
		{"II5III", true},
		{"+,-./", true},
	} {
		if got := informativeQualities([]byte(c.qual)); got != c.want {
			t.Errorf("informativeQualities(%q) = %v, want %v", c.qual, got, c.want)
		}
	}
}

// TestErrorRateGate feeds the gate a FASTQ batch, then FASTA batches whose
// first 300 reads are too short to pass QC and the rest genes with 6 %
// substitutions: the FASTQ batch goes at once, the FASTA ones wait for an
// estimate from reads that passed QC, and all leave in input order.
func TestErrorRateGate(t *testing.T) {
	db, err := refdb.Default()
	if err != nil {
		t.Fatal(err)
	}
	clf, err := classify.New(db, classify.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	read := func(i int, seq []byte, qual bool) *seqio.Record {
		r := &seqio.Record{ID: fmt.Sprint("r", i), Seq: seq}
		if qual {
			for j := range seq {
				r.Qual = append(r.Qual, byte(33+20+j%5))
			}
		}
		return r
	}
	var recs []*seqio.Record
	for i := range 256 {
		recs = append(recs, read(i, db.Refs[i].Seq, true))
	}
	for i := range 300 {
		recs = append(recs, read(1000+i, []byte("ACGTTGCAACGTTGCA"), false))
	}
	for i := range 400 {
		seq := append([]byte(nil), db.Refs[i*11].Seq...)
		for j := range seq {
			if rng.Float64() < 0.06 {
				seq[j] = "ACGT"[rng.IntN(4)]
			}
		}
		recs = append(recs, read(2000+i, seq, false))
	}
	var sent []*batch
	var sentAtAdd []int
	g := &errorRateGate{newWorker: clf.NewWorker, qc: qc.DefaultOptions(),
		send: func(b *batch) error { sent = append(sent, b); return nil }}
	var batches []*batch
	for start := 0; start < len(recs); start += batchSize {
		b := &batch{recs: recs[start:min(start+batchSize, len(recs))]}
		batches = append(batches, b)
		if err := g.add(b); err != nil {
			t.Fatal(err)
		}
		sentAtAdd = append(sentAtAdd, len(sent))
	}
	if err := g.flush(); err != nil {
		t.Fatal(err)
	}
	if sentAtAdd[0] != 1 || sentAtAdd[1] != 1 {
		t.Errorf("batches sent after each add: %v; want the FASTQ batch at once and the next held", sentAtAdd)
	}
	if len(sent) != len(batches) {
		t.Fatalf("%d batches sent, want %d", len(sent), len(batches))
	}
	for i, b := range sent {
		if b != batches[i] {
			t.Fatalf("batch %d sent out of order", i)
		}
		if i > 0 && (b.noQualityError < 0.03 || b.noQualityError > 0.07) {
			t.Errorf("batch %d: error rate %.4f, want about 0.05", i, b.noQualityError)
		}
	}
	// A configured rate is used as given, nothing held.
	sent = nil
	g = &errorRateGate{known: true, rate: 0.02, newWorker: clf.NewWorker, qc: qc.DefaultOptions(),
		send: func(b *batch) error { sent = append(sent, b); return nil }}
	g.add(batches[1])
	if len(sent) != 1 || sent[0].noQualityError != 0.02 {
		t.Errorf("configured rate: sent %d, rate %v", len(sent), sent)
	}
}
