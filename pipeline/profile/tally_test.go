package profile

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
	"github.com/zonula/zonula/taxonomy/refdb"
)

func embeddedClassifier(t *testing.T) *classify.Classifier {
	t.Helper()
	db, err := refdb.Default()
	if err != nil {
		t.Fatal(err)
	}
	clf, err := classify.New(db, classify.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return clf
}

func read(id string, n int) *seqio.Record {
	seq := make([]byte, n)
	for i := range seq {
		seq[i] = "ACGT"[i%4]
	}
	return &seqio.Record{ID: id, Seq: seq}
}

func reads(m map[string]float64, rows []tables.Row, r taxonomy.Rank) {
	for _, row := range rows {
		if row.Rank == r {
			m[row.Taxon] = row.Reads
		}
	}
}

// refOf returns the first embedded reference of genus g.
func refOf(t *testing.T, g string) refdb.Reference {
	t.Helper()
	db, err := refdb.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range db.Refs {
		if r.Lineage[taxonomy.Genus] == g {
			return r
		}
	}
	t.Fatalf("no %s in the embedded database", g)
	return refdb.Reference{}
}

// TestTally feeds a tally reads as QC and the classifier leave them and
// checks every count it gives, the per-read lines it emits (in input
// order) and that its temporary file is gone afterwards.
func TestTally(t *testing.T) {
	clf := embeddedClassifier(t)
	dir := t.TempDir()
	tally, err := New("S1", qc.DefaultOptions(), clf, dir)
	if err != nil {
		t.Fatal(err)
	}
	w := clf.NewWorker()
	esch, fae := refOf(t, "Escherichia"), refOf(t, "Faecalibacterium")
	classified := func(seq []byte) classify.Assignment {
		a := w.ClassifyAt(seq, 0.004)
		if a.Status != classify.Classified {
			t.Fatalf("%s… not classified", seq[:20])
		}
		return a
	}
	add := func(rec *seqio.Record, r Read) {
		t.Helper()
		if err := tally.Add(rec, r); err != nil {
			t.Fatal(err)
		}
	}
	add(read("r1", 1500), Read{Passed: true, Assignment: classified(esch.Seq), Reverse: true})
	add(read("r2", 1500), Read{Passed: true, Assignment: classified(esch.Seq)})
	add(read("r3", 1500), Read{Passed: true, Assignment: classified(esch.Seq)})
	add(read("r4", 1500), Read{Passed: true, Assignment: classified(fae.Seq), ByPrimers: true})
	add(read("r5", 1500), Read{Passed: true, Assignment: classify.Assignment{Status: classify.Chimera, Identity: 0.9, Reference: "x", Best: 1, Second: 2, Rank: taxonomy.NoRank, BelowFloor: taxonomy.NoRank}})
	add(read("r6", 1500), Read{Passed: true, Assignment: classify.Assignment{Status: classify.Unclassified, BelowFloor: taxonomy.Phylum, Rank: taxonomy.NoRank, Identity: 0.7, Reference: "x", Best: 3, Clipped: 40}})
	add(read("r6", 300), Read{Reason: "too_short"}) // a repeated id, filtered
	amb := read("r8", 1500)
	amb.Seq[3], amb.Seq[9] = 'N', 'R'
	add(amb, Read{Passed: true, Assignment: classified(fae.Seq), ByPrimers: true, Reverse: true, Disagree: true})
	tally.SetNoQualityErrorRate(0.03)

	var ids []string
	lines := map[string]classify.Assignment{}
	res, err := tally.Finish(func(id string, r Read) error {
		ids = append(ids, id)
		lines[id] = r.Assignment
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if strings.Join(ids, " ") != "r1 r2 r3 r4 r5 r6 r6 r8" {
		t.Errorf("emitted %v, want the input order", ids)
	}
	if a := lines["r1"]; a.Lineage.Name(taxonomy.Genus) != "Escherichia" || a.Reference != esch.ID || a.Confidence < 0.95 || a.Identity != 1 {
		t.Errorf("r1: %+v, want Escherichia at confidence ≥ 0.95 from %s", a, esch.ID)
	}
	if a := lines["r5"]; a.Status != classify.Chimera || a.Reference != clf.RefID(1)+"+"+clf.RefID(2) {
		t.Errorf("r5: %+v, want the chimera with both parents", a)
	}
	if res.QC.InputReads != 8 || res.QC.PassedReads != 7 || res.QC.Filtered["too_short"] != 1 {
		t.Errorf("QC: %d input, %d passed, filtered %v; want 8, 7, too_short 1", res.QC.InputReads, res.QC.PassedReads, res.QC.Filtered)
	}
	c := res.Classification
	if c.Reads != 7 || c.Classified != 5 || c.Chimeras != 1 || c.Unclassified != 1 || c.ClippedReads != 1 || c.EMReads != 5 {
		t.Errorf("classification %+v: want 7 reads, 5 classified (all in the EM), 1 chimera, 1 unclassified, 1 clipped", c)
	}
	if c.AssignedAt[taxonomy.Genus] != 5 {
		t.Errorf("assigned at genus %d, want 5", c.AssignedAt[taxonomy.Genus])
	}
	if c.BelowFloor[taxonomy.Domain] != 0 || c.BelowFloor[taxonomy.Phylum] != 1 {
		t.Errorf("below floor %v: want the unclassified read below phylum", c.BelowFloor)
	}
	if want := (1*5 + 0.9 + 0.7) / 7; math.Abs(c.MeanIdentity-want) > 1e-12 {
		t.Errorf("mean identity %v, want %v", c.MeanIdentity, want)
	}
	if c.NoQualityErrorRate != 0.03 || c.Floors != clf.Floors() || c.KmerSampling != clf.KmerSampling() || c.MinConfidence != 0.95 {
		t.Errorf("classifier facts not recorded: %+v", c)
	}
	o := res.Orientation
	if o.Reverse != 2 || o.ByPrimers != 2 || o.ByClassifier != 5 || o.Disagreements != 1 || math.Abs(o.Share-2.0/7) > 1e-12 {
		t.Errorf("orientation %+v", o)
	}
	if res.DuplicateIDs != 1 || res.DuplicatesChecked != 8 || res.AmbiguousReads != 1 || res.AmbiguousBases != 2 {
		t.Errorf("duplicates %d of %d, ambiguous %d reads %d bases; want 1 of 8, 1 and 2",
			res.DuplicateIDs, res.DuplicatesChecked, res.AmbiguousReads, res.AmbiguousBases)
	}
	g := map[string]float64{}
	reads(g, res.Profile.Rows, taxonomy.Genus)
	if math.Abs(g["Escherichia"]-3) > 1e-9 || math.Abs(g["Faecalibacterium"]-2) > 1e-9 || g[tables.Unclassified] != 2 {
		t.Errorf("genus reads %v: want Escherichia 3, Faecalibacterium 2, unclassified 2", g)
	}
	if res.Profile.Sample != "S1" {
		t.Errorf("sample %q", res.Profile.Sample)
	}
}

// TestTallyEmpty: a tally of no reads gives zero counts and an empty
// profile, not an error or a NaN.
func TestTallyEmpty(t *testing.T) {
	tally, err := New("empty", qc.DefaultOptions(), embeddedClassifier(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	res, err := tally.Finish(func(string, Read) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if res.QC.InputReads != 0 || res.Orientation.Share != 0 || res.Classification.MeanIdentity != 0 {
		t.Errorf("empty tally: %+v", res)
	}
}
