package refdb

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/zonula/zonula/taxonomy"
)

func TestGoldLineage(t *testing.T) {
	for _, c := range []struct {
		desc    string
		lineage string
	}{
		{"Faecalibacterium prausnitzii M21/2 \t7000004130259215|16s_rRNA|x\tBacteria; Firmicutes; Clostridia; Clostridiales; Ruminococcaceae; Faecalibacterium",
			"d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Ruminococcaceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii"},
		{"Aeromicrobium fastidiosum (T); DSM 10552T; Z78209 Aeromicrobium fastidiosum\tBacteria; Actinobacteria; Actinobacteria; Actinomycetales; Nocardioidaceae; Aeromicrobium",
			"d__Bacteria;p__Actinobacteria;c__Actinobacteria;o__Actinomycetales;f__Nocardioidaceae;g__Aeromicrobium;s__Aeromicrobium fastidiosum"},
		{"Clostridium sp. L2-50 \tx\tBacteria; Firmicutes; Clostridia; Clostridiales; Clostridiaceae; Clostridium",
			"d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Clostridiaceae;g__Clostridium"},
		{"Clostridiales bacterium 1_7_47_FAA \tx\tBacteria; Firmicutes; Clostridia; Clostridiales; Lachnospiraceae; Lachnospiraceae Incertae Sedis",
			"d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Lachnospiraceae;g__Lachnospiraceae Incertae Sedis"},
		{"Candidatus Pelagibacter ubique\tBacteria; Proteobacteria; Alphaproteobacteria; Rickettsiales; SAR11; Pelagibacter",
			"d__Bacteria;p__Proteobacteria;c__Alphaproteobacteria;o__Rickettsiales;f__SAR11;g__Pelagibacter"},
		{"Something\tBacteria; Proteobacteria", "d__Bacteria;p__Proteobacteria"},
	} {
		l, err := GoldLineage(Record{ID: "x", Desc: c.desc})
		if err != nil {
			t.Errorf("GoldLineage(%q): %v", c.desc, err)
			continue
		}
		if l.String() != c.lineage {
			t.Errorf("GoldLineage(%q) = %q, want %q", c.desc, l.String(), c.lineage)
		}
	}
	for _, bad := range []string{"no tab here", "x\tA; B; C; D; E; F; G; H"} {
		if _, err := GoldLineage(Record{ID: "x", Desc: bad}); err == nil {
			t.Errorf("GoldLineage(%q) gave no error", bad)
		}
	}
}

func testRefs() []Record {
	return []Record{
		{ID: "b", Desc: "Bacteroides fragilis\tBacteria; Bacteroidetes; Bacteroidia; Bacteroidales; Bacteroidaceae; Bacteroides", Seq: []byte("acgtacgtaa")},
		{ID: "a", Desc: "Escherichia coli\tBacteria; Proteobacteria; Gammaproteobacteria; Enterobacteriales; Enterobacteriaceae; Escherichia", Seq: []byte("TTTTGGGGCC")},
		{ID: "c", Desc: "Shigella flexneri\tBacteria; Proteobacteria; Gammaproteobacteria; Enterobacteriales; Enterobacteriaceae; Shigella", Seq: []byte("TTTTGGGGCC")},
	}
}

func TestBuildDereplicatesAndSorts(t *testing.T) {
	refs, st, err := Build(testRefs(), GoldLineage)
	if err != nil {
		t.Fatal(err)
	}
	if st.Input != 3 || st.Duplicates != 1 || len(refs) != 2 {
		t.Fatalf("stats %+v, %d refs", st, len(refs))
	}
	// Identical E. coli / Shigella sequences merge to their family.
	if refs[1].ID != "a" || refs[1].Lineage.Depth() != taxonomy.Family {
		t.Errorf("merged reference %s has lineage %s", refs[1].ID, refs[1].Lineage)
	}
	if string(refs[0].Seq) != "ACGTACGTAA" {
		t.Errorf("sequence not upper-cased: %s", refs[0].Seq)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	refs, st, _ := Build(testRefs(), GoldLineage)
	h := Header{Name: "test", Version: "1", InputSeqs: st.Input, Duplicates: st.Duplicates}
	var a, b bytes.Buffer
	if _, err := Write(&a, h, refs); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(&b, h, refs); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two writes of the same database differ")
	}
	db, err := Read(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if db.Header.Sequences != 2 || db.Header.Genera != 1 || db.Header.Bases != 20 || len(db.Header.SHA256) != 64 {
		t.Errorf("header %+v", db.Header)
	}
	for i := range refs {
		if db.Refs[i].ID != refs[i].ID || db.Refs[i].Lineage != refs[i].Lineage || !bytes.Equal(db.Refs[i].Seq, refs[i].Seq) {
			t.Errorf("reference %d differs after round trip", i)
		}
	}
	// Any change to the payload fails the checksum.
	corrupt := bytes.Clone(a.Bytes())
	corrupt[len(corrupt)-3] ^= 0xff
	if _, err := Read(bytes.NewReader(corrupt)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("corrupted payload: err = %v, want ErrCorrupt", err)
	}
	if _, err := Read(bytes.NewReader([]byte(">not a database\nACGT\n"))); !errors.Is(err, ErrCorrupt) {
		t.Errorf("FASTA given as database: err = %v, want ErrCorrupt", err)
	}
}

func TestDefault(t *testing.T) {
	db, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	h := db.Header
	if h.Name != "rrna16s-gold" || h.Sequences != 5181 || h.Genera != 1196 || h.License != "BSD-3-Clause" {
		t.Errorf("embedded database header %+v", h)
	}
	// Genus cohesion is stored for genera of two or more references:
	// Bacteroides has dozens of type strains in the gold set.
	if v, ok := h.GenusCohesion["Bacteroides"]; !ok || v < 0.8 || v >= 1 {
		t.Errorf("cohesion of Bacteroides = %v, %v; want a stored identity in [0.8, 1)", v, ok)
	}
	hh, err := DefaultHeader()
	if err != nil || !reflect.DeepEqual(hh, h) {
		t.Errorf("DefaultHeader = %+v, %v", hh, err)
	}
}

func TestBuildDropsSequencesOfTwoDomains(t *testing.T) {
	recs := []Record{
		{ID: "a", Desc: "x\tBacteria; Firmicutes", Seq: []byte("ACGT")},
		{ID: "b", Desc: "x\tArchaea; Euryarchaeota", Seq: []byte("ACGT")},
		{ID: "c", Desc: "x\tArchaea; Euryarchaeota", Seq: []byte("GGGG")},
	}
	refs, st, err := Build(recs, GoldLineage)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 1 || refs[0].ID != "c" || st.Duplicates != 1 || st.SkippedTotal() != 1 {
		t.Errorf("refs %v, stats %+v", refs, st)
	}
}
