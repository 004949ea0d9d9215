package profile

import (
	"math"
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

func lineage(t *testing.T, s string) taxonomy.Lineage {
	t.Helper()
	l, err := taxonomy.ParsePrefixed(s)
	if err != nil {
		t.Fatal(err)
	}
	return l
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

// TestTally feeds a tally reads as QC and the classifier would leave them
// and checks every count it gives, the species EM among them.
func TestTally(t *testing.T) {
	clf := embeddedClassifier(t)
	tally := New("S1", qc.DefaultOptions(), clf)
	const ent = "d__Bacteria;p__Pseudomonadota;c__Gammaproteobacteria;o__Enterobacterales;f__Enterobacteriaceae;g__Escherichia"
	genus := lineage(t, ent)
	species := genus
	species[taxonomy.Species] = "Escherichia coli"
	fae := lineage(t, "d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae;g__Faecalibacterium")
	classified := func(l taxonomy.Lineage, id float64, ties ...string) classify.Assignment {
		return classify.Assignment{Status: classify.Classified, Lineage: l, Rank: l.Depth(), Identity: id, Reference: "ref", Species: ties, BelowFloor: taxonomy.NoRank}
	}
	tally.Add(read("r1", 1500), Read{Passed: true, Assignment: classified(species, 0.99, "Escherichia coli", "Escherichia fergusonii"), Reverse: true})
	tally.Add(read("r2", 1500), Read{Passed: true, Assignment: classified(species, 0.99, "Escherichia coli", "Escherichia fergusonii")})
	tally.Add(read("r3", 1500), Read{Passed: true, Assignment: classified(species, 0.99, "Escherichia coli")})
	tally.Add(read("r4", 1500), Read{Passed: true, Assignment: classified(fae, 0.97), ByPrimers: true})
	tally.Add(read("r5", 1500), Read{Passed: true, Assignment: classify.Assignment{Status: classify.Chimera, Identity: 0.9, Reference: "ref", BelowFloor: taxonomy.NoRank}})
	tally.Add(read("r6", 1500), Read{Passed: true, Assignment: classify.Assignment{Status: classify.Unclassified, BelowFloor: taxonomy.Phylum, Identity: 0.7, Reference: "ref", Clipped: 40}})
	tally.Add(read("r6", 300), Read{Reason: "too_short"}) // a repeated id, filtered
	amb := read("r8", 1500)
	amb.Seq[3], amb.Seq[9] = 'N', 'R'
	tally.Add(amb, Read{Passed: true, Assignment: classified(fae, 0.95), ByPrimers: true, Reverse: true, Disagree: true})
	tally.SetNoQualityErrorRate(0.03)

	res, err := tally.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if res.QC.InputReads != 8 || res.QC.PassedReads != 7 || res.QC.Filtered["too_short"] != 1 {
		t.Errorf("QC: %d input, %d passed, filtered %v; want 8, 7, too_short 1", res.QC.InputReads, res.QC.PassedReads, res.QC.Filtered)
	}
	c := res.Classification
	if c.Reads != 7 || c.Classified != 5 || c.Chimeras != 1 || c.Unclassified != 1 || c.ClippedReads != 1 {
		t.Errorf("classification %+v: want 7 reads, 5 classified, 1 chimera, 1 unclassified, 1 clipped", c)
	}
	if c.AssignedAt[taxonomy.Genus] != 5 || c.AssignedAt[taxonomy.Species] != 3 {
		t.Errorf("assigned at genus %d, species %d; want 5, 3", c.AssignedAt[taxonomy.Genus], c.AssignedAt[taxonomy.Species])
	}
	if c.BelowFloor[taxonomy.Domain] != 0 || c.BelowFloor[taxonomy.Phylum] != 1 || c.BelowFloor[taxonomy.Species] != 1 {
		t.Errorf("below floor %v: want the unclassified read below phylum and every deeper rank", c.BelowFloor)
	}
	if want := (0.99*3 + 0.97 + 0.9 + 0.7 + 0.95) / 7; math.Abs(c.MeanIdentity-want) > 1e-12 {
		t.Errorf("mean identity %v, want %v", c.MeanIdentity, want)
	}
	if c.NoQualityErrorRate != 0.03 || c.Floors != clf.Floors() || c.KmerSampling != clf.KmerSampling() {
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
	g, s := map[string]float64{}, map[string]float64{}
	reads(g, res.Profile.Rows, taxonomy.Genus)
	reads(s, res.Profile.Rows, taxonomy.Species)
	if g["Escherichia"] != 3 || g["Faecalibacterium"] != 2 || g[tables.Unclassified] != 2 {
		t.Errorf("genus reads %v: want Escherichia 3, Faecalibacterium 2, unclassified 2", g)
	}
	// The tie between E. coli and E. fergusonii goes to E. coli, the only
	// species any read named alone.
	if math.Abs(s["Escherichia coli"]-3) > 1e-6 || s["Escherichia fergusonii"] > 1e-6 {
		t.Errorf("species reads %v: want E. coli 3, E. fergusonii 0", s)
	}
	if res.Profile.Sample != "S1" {
		t.Errorf("sample %q", res.Profile.Sample)
	}
}

// TestTallyEmpty: a tally of no reads gives zero counts and an empty
// profile, not an error or a NaN.
func TestTallyEmpty(t *testing.T) {
	res, err := New("empty", qc.DefaultOptions(), embeddedClassifier(t)).Finish()
	if err != nil {
		t.Fatal(err)
	}
	if res.QC.InputReads != 0 || res.Orientation.Share != 0 || res.Classification.MeanIdentity != 0 {
		t.Errorf("empty tally: %+v", res)
	}
}
