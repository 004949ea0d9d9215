package classify

import (
	"testing"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// FuzzClassify feeds the classifier arbitrary reads, qualities and error
// rates: it must not panic, and what it returns must hold together. The
// database is 400 embedded references with their genus cohesion, so that a
// fuzzing worker starts quickly.
func FuzzClassify(f *testing.F) {
	full, err := refdb.Default()
	if err != nil {
		f.Fatal(err)
	}
	db := &refdb.DB{Header: full.Header, Refs: full.Refs[:400]}
	c, err := New(db, DefaultOptions())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(db.Refs[0].Seq, []byte{}, 0.0)
	f.Add(db.Refs[1].Seq[:300], []byte("IIII"), 0.3)
	f.Add([]byte("ACGTNNNNacgtu"), []byte("!!!!!!!!!!!!!"), -1.0)
	chimera := append(append([]byte{}, db.Refs[2].Seq[:700]...), db.Refs[300].Seq[700:]...)
	f.Add(chimera, []byte{}, 0.075)
	w := c.NewWorker()
	f.Fuzz(func(t *testing.T, seq, qual []byte, e float64) {
		for _, a := range []Assignment{w.Classify(seq, qual), w.ClassifyAt(seq, e)} {
			if a.ErrorRate < 0 || a.ErrorRate > maxErrorRate || a.ErrorRate != a.ErrorRate {
				t.Fatalf("error rate %v", a.ErrorRate)
			}
			if a.Identity < 0 || a.Identity > 1 {
				t.Fatalf("identity %v", a.Identity)
			}
			switch a.Status {
			case Classified:
				if a.Rank == taxonomy.NoRank || a.Lineage.Depth() != a.Rank || a.Confidence <= 0 || a.Confidence > 1 {
					t.Fatalf("classified at rank %v with lineage %v, confidence %v", a.Rank, a.Lineage, a.Confidence)
				}
			case Unclassified, Chimera:
				if a.Rank != taxonomy.NoRank || a.Lineage.Depth() != taxonomy.NoRank {
					t.Fatalf("%v read with rank %v, lineage %v", a.Status, a.Rank, a.Lineage)
				}
			default:
				t.Fatalf("status %v", a.Status)
			}
		}
	})
}
