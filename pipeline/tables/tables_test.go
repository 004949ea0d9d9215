package tables

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/zonula/zonula/taxonomy"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
		shown := got
		if !utf8.Valid(got) {
			shown = []byte(fmt.Sprintf("(%d bytes of binary)", len(got)))
		}
		t.Errorf("%s differs (%v); if intended: go test -update, read the git diff\n got:\n%s", path, err, shown)
	}
}

func lin(s string) taxonomy.Lineage {
	l, err := taxonomy.ParsePrefixed(s)
	if err != nil {
		panic(err)
	}
	return l
}

const (
	faecali  = "d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii"
	roseb    = "d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Lachnospiraceae;g__Roseburia;s__Roseburia intestinalis"
	lachnoF  = "d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Lachnospiraceae"
	bacteroG = "d__Bacteria;p__Bacteroidota;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides"
	bacteria = "d__Bacteria"
)

// sampleBuilder is a small sample: 10 reads, assigned at various depths.
func sampleBuilder() *Builder {
	b := NewBuilder("S1")
	for _, a := range []struct {
		l string
		n float64
	}{
		{faecali, 3}, {roseb, 1}, {lachnoF, 1}, {bacteroG, 2}, {bacteroG, 1},
		{bacteria, 1}, {"", 1},
	} {
		if err := b.Add(lin(a.l), a.n); err != nil {
			panic(err)
		}
	}
	return b
}

func TestBuilderProfile(t *testing.T) {
	b := sampleBuilder()
	// Names below a gap are dropped: this read counts at domain only.
	if err := b.Add(taxonomy.Lineage{"Bacteria", "", "Clostridia"}, 1); err != nil {
		t.Fatal(err)
	}
	p := b.Profile()
	if p.Sample != "S1" {
		t.Errorf("Sample = %q", p.Sample)
	}
	type want struct {
		taxon string
		reads float64
	}
	wants := map[taxonomy.Rank][]want{
		taxonomy.Domain:  {{"Bacteria", 10}, {Unclassified, 1}},
		taxonomy.Phylum:  {{"Bacillota", 5}, {"Bacteroidota", 3}, {Unclassified, 3}},
		taxonomy.Family:  {{"Bacteroidaceae", 3}, {"Oscillospiraceae", 3}, {"Lachnospiraceae", 2}, {Unclassified, 3}},
		taxonomy.Genus:   {{"Bacteroides", 3}, {"Faecalibacterium", 3}, {"Roseburia", 1}, {Unclassified, 4}},
		taxonomy.Species: {{"Faecalibacterium prausnitzii", 3}, {"Roseburia intestinalis", 1}, {Unclassified, 7}},
	}
	for r, ws := range wants {
		rows := p.AtRank(r)
		if len(rows) != len(ws) {
			t.Errorf("%s: %d rows, want %d: %+v", r, len(rows), len(ws), rows)
			continue
		}
		var sum float64
		for i, w := range ws {
			row := rows[i]
			if row.Taxon != w.taxon || row.Reads != w.reads || row.Fraction != w.reads/11 {
				t.Errorf("%s row %d = %+v, want %s %v", r, i, row, w.taxon, w.reads)
			}
			if row.Taxon == Unclassified {
				if row.Lineage.Depth() != taxonomy.NoRank {
					t.Errorf("%s unclassified row has lineage %v", r, row.Lineage)
				}
			} else if row.Lineage.Depth() != r || row.Lineage[r] != row.Taxon {
				t.Errorf("%s row %s has lineage %q", r, row.Taxon, row.Lineage.String())
			}
			sum += row.Fraction
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("%s fractions sum to %v", r, sum)
		}
	}
	// Every rank present, in order.
	last := taxonomy.Domain
	for _, row := range p.Rows {
		if row.Rank < last {
			t.Fatalf("rows out of rank order: %+v", p.Rows)
		}
		last = row.Rank
	}
	if last != taxonomy.Species {
		t.Errorf("last rank %s", last)
	}
}

func TestBuilderEdgeCases(t *testing.T) {
	b := NewBuilder("empty")
	if p := b.Profile(); len(p.Rows) != 0 || p.Sample != "empty" {
		t.Errorf("empty builder: %+v", p)
	}
	for _, bad := range []float64{-1, math.NaN(), math.Inf(1)} {
		if err := b.Add(lin(bacteria), bad); err == nil {
			t.Errorf("Add(%v) gave no error", bad)
		}
	}
	if p := b.Profile(); len(p.Rows) != 0 {
		t.Errorf("bad Adds added reads: %+v", p.Rows)
	}
	// All reads classified to species: every Unclassified row has 0 reads.
	b = NewBuilder("x")
	b.Add(lin(faecali), 2)
	b.Add(lin(roseb), 0) // named, no reads: no row
	p := b.Profile()
	for _, r := range taxonomy.Ranks() {
		rows := p.AtRank(r)
		if len(rows) != 2 || rows[1].Taxon != Unclassified || rows[1].Reads != 0 || rows[0].Fraction != 1 {
			t.Errorf("%s: %+v", r, rows)
		}
	}
	// Homonyms in different parents stay apart and sort by lineage.
	b = NewBuilder("h")
	b.Add(lin("d__Bacteria;p__B;c__X"), 1)
	b.Add(lin("d__Bacteria;p__A;c__X"), 1)
	rows := b.Profile().AtRank(taxonomy.Class)
	if len(rows) != 3 || rows[0].Lineage.String() != "d__Bacteria;p__A;c__X" || rows[1].Lineage.String() != "d__Bacteria;p__B;c__X" {
		t.Errorf("homonyms: %+v", rows)
	}
}

// TestBuilderDeterministic: the profile does not depend on the order of Adds.
func TestBuilderDeterministic(t *testing.T) {
	var want bytes.Buffer
	if err := WriteTSV(&want, sampleBuilder().Profile()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		b := NewBuilder("S1")
		adds := []struct {
			l string
			n float64
		}{{"", 1}, {bacteria, 1}, {bacteroG, 3}, {lachnoF, 1}, {roseb, 1}, {faecali, 3}}
		for j := range adds {
			a := adds[(i+j)%len(adds)]
			b.Add(lin(a.l), a.n)
		}
		var got bytes.Buffer
		WriteTSV(&got, b.Profile())
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("order %d gave\n%s\nwant\n%s", i, got.Bytes(), want.Bytes())
		}
	}
}

// fractionalProfile has EM-style fractional reads at species rank.
func fractionalProfile() *Profile {
	b := NewBuilder("S2")
	b.Add(lin(faecali), 2.5)
	b.Add(lin(roseb), 1.0/3)
	b.Add(lin(bacteroG), 4)
	b.Add(taxonomy.Lineage{}, 1)
	return b.Profile()
}

func TestWriteTSVGolden(t *testing.T) {
	for name, p := range map[string]*Profile{"abundance.tsv": sampleBuilder().Profile(), "abundance-fractional.tsv": fractionalProfile()} {
		var buf bytes.Buffer
		if err := WriteTSV(&buf, p); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, name, buf.Bytes())
	}
}

func TestTSVRoundTrip(t *testing.T) {
	for _, p := range []*Profile{sampleBuilder().Profile(), fractionalProfile(), {}} {
		var buf bytes.Buffer
		if err := WriteTSV(&buf, p); err != nil {
			t.Fatal(err)
		}
		back, err := ReadTSV(bytes.NewReader(buf.Bytes()), "abundance.tsv")
		if err != nil {
			t.Fatal(err)
		}
		if len(back.Rows) != len(p.Rows) {
			t.Fatalf("%d rows back, want %d", len(back.Rows), len(p.Rows))
		}
		for i, row := range p.Rows {
			got := back.Rows[i]
			// reads keep 4 decimals when fractional, fraction keeps 6.
			if got.Rank != row.Rank || got.Taxon != row.Taxon || got.Lineage != row.Lineage ||
				math.Abs(got.Reads-row.Reads) > 5e-5 || math.Abs(got.Fraction-row.Fraction) > 5e-7 {
				t.Errorf("row %d: %+v, want %+v", i, got, row)
			}
		}
		// Writing what was read gives the same bytes.
		var again bytes.Buffer
		WriteTSV(&again, back)
		if !bytes.Equal(again.Bytes(), buf.Bytes()) {
			t.Errorf("second write differs:\n%s\nvs\n%s", again.Bytes(), buf.Bytes())
		}
	}
	// CRLF and no final newline.
	crlf := strings.ReplaceAll(TSVHeader+"\ngenus\tunclassified\t\t3\t1.000000", "\n", "\r\n")
	if p, err := ReadTSV(strings.NewReader(crlf), "win.tsv"); err != nil || len(p.Rows) != 1 || p.Rows[0].Reads != 3 {
		t.Errorf("CRLF: %+v, %v", p, err)
	}
}

func TestReadTSVErrors(t *testing.T) {
	row := "genus\tRoseburia\td__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Lachnospiraceae;g__Roseburia\t5\t0.500000"
	for _, c := range []struct {
		name, in, want string
	}{
		{"empty", "", "x.tsv:1: empty file"},
		{"header", "rank\ttaxon\treads\n", "x.tsv:1: header"},
		{"fields", TSVHeader + "\n" + row + "\ngenus\tX\t5\t0.5\n", "x.tsv:3: 4 tab-separated fields, want 5"},
		{"rank", TSVHeader + "\nkingdom\tBacteria\td__Bacteria\t1\t1\n", "x.tsv:2: unknown rank \"kingdom\""},
		{"lineage", TSVHeader + "\ngenus\tX\tg__X\t1\t1\n", "x.tsv:2: lineage \"g__X\" skips a rank: want every rank from d__ down to genus"},
		{"prefix", TSVHeader + "\ngenus\tX\tx__X\t1\t1\n", "x.tsv:2: lineage field \"x__X\""},
		{"depth", TSVHeader + "\ngenus\tBacteria\td__Bacteria\t1\t1\n", "x.tsv:2: lineage \"d__Bacteria\" reaches domain, want it to end at the row's rank genus"},
		{"taxon", TSVHeader + "\ndomain\tArchaea\td__Bacteria\t1\t1\n", "x.tsv:2: lineage \"d__Bacteria\" ends in \"Bacteria\", want the taxon \"Archaea\""},
		{"reads", TSVHeader + "\n" + strings.Replace(row, "\t5\t", "\t-5\t", 1) + "\n", "x.tsv:2: reads \"-5\": want a finite number ≥ 0"},
		{"nan", TSVHeader + "\n" + strings.Replace(row, "\t5\t", "\tNaN\t", 1) + "\n", "x.tsv:2: reads \"NaN\""},
		{"fraction", TSVHeader + "\n" + strings.Replace(row, "0.500000", "half", 1) + "\n", "x.tsv:2: fraction \"half\""},
		{"blank", TSVHeader + "\n\n" + row + "\n", "x.tsv:2: blank line"},
		{"emptytaxon", TSVHeader + "\ngenus\t\t\t1\t1\n", "x.tsv:2: empty taxon"},
		{"duplicate", TSVHeader + "\n" + row + "\n" + row + "\n", "x.tsv:3: genus \"Roseburia\" repeats line 2"},
	} {
		_, err := ReadTSV(strings.NewReader(c.in), "x.tsv")
		var pe *ParseError
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || !errors.As(err, &pe) {
			t.Errorf("%s: error %v, want prefix %q as *ParseError", c.name, err, c.want)
		}
	}
}

func TestWriteTSVErrors(t *testing.T) {
	for _, row := range []Row{
		{Rank: taxonomy.NoRank, Taxon: "x"},
		{Rank: taxonomy.Genus, Taxon: "a\tb"},
		{Rank: taxonomy.Genus, Taxon: Unclassified, Reads: -1},
		{Rank: taxonomy.Genus, Taxon: Unclassified, Fraction: math.NaN()},
	} {
		var buf bytes.Buffer
		if err := WriteTSV(&buf, &Profile{Rows: []Row{row}}); err == nil {
			t.Errorf("WriteTSV(%+v) gave no error", row)
		}
	}
}

func FuzzReadTSV(f *testing.F) {
	var buf bytes.Buffer
	WriteTSV(&buf, sampleBuilder().Profile())
	f.Add(buf.Bytes())
	f.Add([]byte(TSVHeader + "\r\ngenus\tunclassified\t\t1\t1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadTSV(bytes.NewReader(data), "fuzz")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		// Anything read can be written and read again.
		var out bytes.Buffer
		if err := WriteTSV(&out, p); err != nil {
			t.Fatalf("cannot write what was read: %v", err)
		}
		if _, err := ReadTSV(&out, "again"); err != nil {
			t.Fatalf("cannot re-read: %v", err)
		}
	})
}

var epoch = time.Unix(0, 0).UTC()

func TestWriteBIOMGolden(t *testing.T) {
	meta := BIOMMeta{GeneratedBy: "zonula test", Date: epoch}
	for name, c := range map[string]struct {
		p    *Profile
		rank taxonomy.Rank
	}{
		"genus.biom":              {sampleBuilder().Profile(), taxonomy.Genus},
		"species-fractional.biom": {fractionalProfile(), taxonomy.Species},
	} {
		var buf bytes.Buffer
		if err := WriteBIOM(&buf, c.p, c.rank, meta); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, name, buf.Bytes())
		var again bytes.Buffer
		WriteBIOM(&again, c.p, c.rank, meta)
		if !bytes.Equal(again.Bytes(), buf.Bytes()) {
			t.Errorf("%s: second write differs", name)
		}
	}
}

// TestBIOMRoundTrip: the importer reads WriteBIOM's output, in either
// version, back to the rows written, at every rank.
func TestBIOMRoundTrip(t *testing.T) {
	for f, format := range map[BIOMFormat]Format{BIOM10: FormatBIOM1, BIOM21: FormatBIOM2} {
		meta := BIOMMeta{GeneratedBy: "zonula test", Date: epoch, Format: f}
		for _, p := range []*Profile{sampleBuilder().Profile(), fractionalProfile()} {
			for _, r := range taxonomy.Ranks() {
				var buf bytes.Buffer
				if err := WriteBIOM(&buf, p, r, meta); err != nil {
					t.Fatal(err)
				}
				back, err := Decode("x.biom", buf.Bytes(), ReadOptions{}, nil)
				if err != nil {
					t.Fatalf("%v %s: %v", f, r, err)
				}
				want := p.AtRank(r)
				if len(back) != 1 || back[0].Sample != p.Sample || back[0].Format != format || len(back[0].AtRank(r)) != len(want) {
					t.Fatalf("%v %s: got %+v, want rows %+v", f, r, back, want)
				}
				for i, row := range back[0].AtRank(r) {
					if row.Rank != want[i].Rank || row.Taxon != want[i].Taxon || row.Lineage != want[i].Lineage ||
						row.Reads != want[i].Reads || math.Abs(row.Fraction-want[i].Fraction) > 1e-15 {
						t.Errorf("%v %s row %d: %+v, want %+v", f, r, i, row, want[i])
					}
				}
			}
		}
	}
}

func TestReadBIOMForeign(t *testing.T) {
	// Dense, two samples, Greengenes-style string taxonomy with k__ and an
	// empty g__, an Unassigned row, and a row found only by its id.
	in := `{"id":null,"format":"Biological Observation Matrix 1.0.0","type":"OTU table",
"rows":[{"id":"otu1","metadata":{"taxonomy":"k__Bacteria; p__Firmicutes; c__Clostridia; o__Clostridiales; f__Lachnospiraceae; g__Roseburia"}},
{"id":"otu2","metadata":{"taxonomy":["k__Bacteria","p__Firmicutes","c__Clostridia","o__Clostridiales","f__Lachnospiraceae","g__"]}},
{"id":"otu3","metadata":{"taxonomy":["Unassigned"]}},
{"id":"d__Bacteria;p__Bacteroidetes;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides","metadata":null}],
"columns":[{"id":"A","metadata":null},{"id":"B","metadata":null}],
"matrix_type":"dense","matrix_element_type":"int","shape":[4,2],
"data":[[5,0],[2,1],[1,0],[0,9]]}`
	ps, err := Decode("gg.biom", []byte(in), ReadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Sample != "A" || ps[1].Sample != "B" {
		t.Fatalf("profiles: %+v", ps)
	}
	a := ps[0].AtRank(taxonomy.Genus)
	if len(a) != 2 || a[0].Taxon != "Roseburia" || a[0].Reads != 5 || a[1].Taxon != Unclassified || a[1].Reads != 3 || a[0].Fraction != 5.0/8 {
		t.Errorf("A: %+v", a)
	}
	b := ps[1].AtRank(taxonomy.Genus)
	if len(b) != 2 || b[0].Taxon != "Bacteroides" || b[0].Reads != 9 || b[1].Reads != 1 {
		t.Errorf("B: %+v", b)
	}
	if r := ps[0].AtRank(taxonomy.Family); len(r) != 2 || r[0].Taxon != "Lachnospiraceae" || r[0].Reads != 7 {
		t.Errorf("A at family: %+v", r)
	}
}

// TestReadBIOMErrors: the importer's BIOM 1.0 errors name the file and
// the field, row or entry at fault.
func TestReadBIOMErrors(t *testing.T) {
	head := `{"format":"Biological Observation Matrix 1.0.0","rows":[{"id":"unclassified"}],"columns":[{"id":"A"}],`
	for _, c := range []struct{ in, want string }{
		{`not json`, "x.biom:1: not BIOM 1.0 JSON"},
		{`{"format":"Biological Observation Matrix 2.1.0"}`, `x.biom: format: "Biological Observation Matrix 2.1.0": want "Biological Observation Matrix 1.0.0"`},
		{head + `"matrix_type":"sparse","shape":[2,1],"data":[]}`, "x.biom: shape: [2 1]: want [1, 1]"},
		{head + `"matrix_type":"sparse","shape":[1,1],"data":[[1,0,5]]}`, "x.biom: data entry 0: cell (1, 0) outside shape"},
		{head + `"matrix_type":"sparse","shape":[1,1],"data":[[0,0,-5]]}`, "x.biom: data entry 0: value -5"},
		{head + `"matrix_type":"sparse","shape":[1,1],"data":[[0,0]]}`, "x.biom: data entry 0: 2 values"},
		{head + `"matrix_type":"dense","shape":[1,1],"data":[[1,2]]}`, "x.biom: data row 0 (unclassified): 2 values, want 1"},
		{head + `"matrix_type":"csr","shape":[1,1],"data":[]}`, `x.biom: matrix_type: "csr"`},
		{strings.Replace(head, `"unclassified"}`, `"o1","metadata":{"taxonomy":"p__X;d__Y"}}`, 1) + `"matrix_type":"sparse","shape":[1,1],"data":[[0,0,1]]}`, `x.biom: row 0 (o1): lineage "p__X;d__Y"`},
	} {
		_, err := Decode("x.biom", []byte(c.in), ReadOptions{Format: FormatBIOM1}, nil)
		var pe *ParseError
		if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Decode(%s): error %v, want prefix %q", c.in, err, c.want)
		}
	}
}

func TestWriteBIOMErrors(t *testing.T) {
	p := sampleBuilder().Profile()
	dup := &Profile{Sample: "d", Rows: []Row{p.AtRank(taxonomy.Genus)[0], p.AtRank(taxonomy.Genus)[0]}}
	for _, f := range []BIOMFormat{BIOM10, BIOM21} {
		ok := BIOMMeta{GeneratedBy: "zonula test", Date: epoch, Format: f}
		for name, c := range map[string]struct {
			p    *Profile
			rank taxonomy.Rank
			meta BIOMMeta
			want string
		}{
			"sample":    {&Profile{}, taxonomy.Genus, ok, "sample name"},
			"generated": {p, taxonomy.Genus, BIOMMeta{Date: epoch, Format: f}, "GeneratedBy"},
			"date":      {p, taxonomy.Genus, BIOMMeta{GeneratedBy: "z", Format: f}, "Date is zero"},
			"rank":      {p, taxonomy.NoRank, ok, "rank -1"},
			"duplicate": {dup, taxonomy.Genus, ok, "appears twice"},
			"format":    {p, taxonomy.Genus, BIOMMeta{GeneratedBy: "z", Date: epoch, Format: 2}, "BIOMMeta.Format BIOMFormat(2): want 1.0 or 2.1"},
		} {
			var buf bytes.Buffer
			if err := WriteBIOM(&buf, c.p, c.rank, c.meta); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v %s: error %v, want %q", f, name, err, c.want)
			}
		}
	}
	// A rank without rows is still a valid table.
	var buf bytes.Buffer
	if err := WriteBIOM(&buf, &Profile{Sample: "e"}, taxonomy.Genus, BIOMMeta{GeneratedBy: "zonula test", Date: epoch}); err != nil || !strings.Contains(buf.String(), `"shape":[0,1],"data":[]`) {
		t.Errorf("empty: %v %s", err, buf.String())
	}
	ps := []*Profile{p}
	for _, meta := range []BIOMMeta{{Date: epoch, Format: BIOM21}, {GeneratedBy: "z", Date: epoch, Format: 2}} {
		if err := WriteCombinedBIOM(&buf, ps, taxonomy.Genus, meta); err == nil {
			t.Errorf("WriteCombinedBIOM with %+v: no error", meta)
		}
	}
}
