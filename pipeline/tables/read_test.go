package tables

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zonula/zonula/taxonomy"
)

// fixture returns the path of a file in testdata/tables (see its README).
func fixture(name string) string { return filepath.Join("..", "..", "testdata", "tables", name) }

// at returns taxon → reads at rank r of p.
func at(p *Profile, r taxonomy.Rank) map[string]float64 {
	m := map[string]float64{}
	for _, row := range p.AtRank(r) {
		if row.Reads != 0 {
			m[row.Taxon] = row.Reads
		}
	}
	return m
}

func sameCounts(t *testing.T, what string, got, want map[string]float64) {
	t.Helper()
	ok := len(got) == len(want)
	for k, v := range want {
		if math.Abs(got[k]-v) > 1e-9*math.Max(1, math.Abs(v)) {
			ok = false
		}
	}
	if !ok {
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}

func readOK(t *testing.T, path string, o ReadOptions) []*Profile {
	t.Helper()
	ps, err := ReadTables(path, o)
	if err != nil {
		t.Fatalf("ReadTables(%s): %v", path, err)
	}
	return ps
}

func samplesOf(ps []*Profile) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Sample)
	}
	return strings.Join(s, ",")
}

// The ASV table written by scripts/make_table_fixtures.py (counts for S1,
// S2, S3) in every BIOM-like form.
var asvGenus = []map[string]float64{
	{"Faecalibacterium": 120, "Bacteroides": 80, "Escherichia": 5, Unclassified: 10},
	{"Bacteroides": 200, "Roseburia": 15, Unclassified: 3},
	{"Escherichia": 300, "Roseburia": 45, "Faecalibacterium": 30},
}

func TestReadASVTables(t *testing.T) {
	for _, c := range []struct {
		file   string
		format Format
		o      ReadOptions
	}{
		{"biom21-taxonomy.biom", FormatBIOM2, ReadOptions{}},
		{"biom10-sparse.biom", FormatBIOM1, ReadOptions{}},
		{"biom10-dense.biom", FormatBIOM1, ReadOptions{}},
		{"biom-convert.tsv", FormatDelimited, ReadOptions{}},
		{"table.qza", FormatQZA, ReadOptions{Taxonomy: fixture("taxonomy.qza")}},
	} {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(fixture(c.file))
			if err != nil {
				t.Fatal(err)
			}
			if f, err := Detect(c.file, data); err != nil || f != c.format {
				t.Errorf("Detect = %v, %v; want %v", f, err, c.format)
			}
			ps := readOK(t, fixture(c.file), c.o)
			if samplesOf(ps) != "S1,S2,S3" {
				t.Fatalf("samples %s", samplesOf(ps))
			}
			for i, p := range ps {
				sameCounts(t, p.Sample+" genus", at(p, taxonomy.Genus), asvGenus[i])
				if p.Relative {
					t.Errorf("%s: counts read as relative", p.Sample)
				}
				if p.Format != c.format {
					t.Errorf("%s: Format %v, want %v", p.Sample, p.Format, c.format)
				}
			}
			s1 := ps[0]
			sameCounts(t, "S1 species", at(s1, taxonomy.Species), map[string]float64{"Faecalibacterium prausnitzii": 120, "Escherichia coli": 5, Unclassified: 90})
			sameCounts(t, "S1 phylum", at(s1, taxonomy.Phylum), map[string]float64{"Firmicutes": 120, "Bacteroidetes": 80, "Proteobacteria": 5, Unclassified: 10})
			if len(s1.Features) != 4 || s1.Features[0].ID != "ASV1" || s1.Features[0].Reads != 120 || s1.Features[3].ID != "ASV5" || s1.Features[3].Lineage.Depth() != taxonomy.NoRank {
				t.Errorf("S1 features %+v", s1.Features)
			}
			for _, r := range s1.AtRank(taxonomy.Genus) {
				if r.Taxon == "Faecalibacterium" && r.Fraction != 120.0/215 {
					t.Errorf("fraction %v", r.Fraction)
				}
			}
		})
	}
}

func TestReadQZAWithoutTaxonomy(t *testing.T) {
	ps := readOK(t, fixture("table.qza"), ReadOptions{})
	sameCounts(t, "S2 genus", at(ps[1], taxonomy.Genus), map[string]float64{Unclassified: 218})
	if len(ps[1].Features) != 3 || ps[1].Features[0].ID != "ASV2" || ps[1].Features[0].Reads != 200 {
		t.Errorf("S2 features %+v", ps[1].Features)
	}
}

func TestReadKraken(t *testing.T) {
	for _, file := range []string{"S1.kreport", "S1-minimizers.kreport"} {
		ps := readOK(t, fixture(file), ReadOptions{Sample: "S1"})
		if len(ps) != 1 || ps[0].Sample != "S1" || ps[0].Relative {
			t.Fatalf("%s: %d profiles, sample %q", file, len(ps), ps[0].Sample)
		}
		p := ps[0]
		sameCounts(t, file+" genus", at(p, taxonomy.Genus), map[string]float64{"Faecalibacterium": 120, "Bacteroides": 80, "Escherichia": 5, Unclassified: 12})
		sameCounts(t, file+" species", at(p, taxonomy.Species), map[string]float64{"Faecalibacterium prausnitzii": 117, "Bacteroides fragilis": 60, "Escherichia coli": 5, Unclassified: 35})
		sameCounts(t, file+" phylum", at(p, taxonomy.Phylum), map[string]float64{"Bacillota": 120, "Bacteroidota": 80, "Pseudomonadota": 5, Unclassified: 12})
		want := "d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii"
		if got := p.AtRank(taxonomy.Species)[0].Lineage.String(); got != want {
			t.Errorf("%s lineage %s", file, got)
		}
	}
}

func TestReadBracken(t *testing.T) {
	ps := readOK(t, fixture("S1.bracken"), ReadOptions{Taxonomy: fixture("S1.kreport")})
	p := ps[0]
	if p.Sample != "S1" {
		t.Errorf("sample %q", p.Sample)
	}
	sameCounts(t, "species", at(p, taxonomy.Species), map[string]float64{"Faecalibacterium prausnitzii": 120, "Bacteroides fragilis": 80, "Escherichia coli": 5})
	sameCounts(t, "genus", at(p, taxonomy.Genus), map[string]float64{"Faecalibacterium": 120, "Bacteroides": 80, "Escherichia": 5})
	// Without the report the counts stay, as features, but no lineage.
	bare := readOK(t, fixture("S1.bracken"), ReadOptions{})[0]
	sameCounts(t, "bare genus", at(bare, taxonomy.Genus), map[string]float64{Unclassified: 205})
	if len(bare.Features) != 3 || bare.Features[1].ID != "817" || bare.Features[1].Reads != 80 {
		t.Errorf("bare features %+v", bare.Features)
	}
}

func TestReadEmu(t *testing.T) {
	p := readOK(t, fixture("S1_rel-abundance.tsv"), ReadOptions{})[0]
	if p.Sample != "S1" || p.Relative {
		t.Errorf("sample %q relative %v", p.Sample, p.Relative)
	}
	sameCounts(t, "species", at(p, taxonomy.Species), map[string]float64{"Faecalibacterium prausnitzii": 120, "Bacteroides fragilis": 80, "Escherichia coli": 5, Unclassified: 10})
	sameCounts(t, "phylum", at(p, taxonomy.Phylum), map[string]float64{"Firmicutes": 120, "Bacteroidetes": 80, "Proteobacteria": 5, Unclassified: 10})
	rel := readOK(t, fixture("S2_rel-abundance.tsv"), ReadOptions{})[0]
	if rel.Sample != "S2" || !rel.Relative {
		t.Errorf("S2: sample %q relative %v", rel.Sample, rel.Relative)
	}
	sameCounts(t, "S2 genus", at(rel, taxonomy.Genus), map[string]float64{"Faecalibacterium": 120.0 / 205, "Bacteroides": 80.0 / 205, "Escherichia": 5.0 / 205})
}

func TestReadMetaPhlAn(t *testing.T) {
	p := readOK(t, fixture("S1_profile.txt"), ReadOptions{})[0]
	if p.Sample != "S1" || !p.Relative {
		t.Errorf("sample %q relative %v", p.Sample, p.Relative)
	}
	sameCounts(t, "genus", at(p, taxonomy.Genus), map[string]float64{"Faecalibacterium": 57, "Bacteroides": 38, Unclassified: 5})
	sameCounts(t, "species", at(p, taxonomy.Species), map[string]float64{"Faecalibacterium prausnitzii": 45, "Bacteroides fragilis": 38, Unclassified: 17})
	ps := readOK(t, fixture("merged_abundance_table.txt"), ReadOptions{})
	if samplesOf(ps) != "S1,S2" {
		t.Fatalf("merged samples %s", samplesOf(ps))
	}
	sameCounts(t, "merged S1 species", at(ps[0], taxonomy.Species), map[string]float64{"Faecalibacterium prausnitzii": 45, "Bacteroides fragilis": 38, Unclassified: 17})
	sameCounts(t, "merged S2 species", at(ps[1], taxonomy.Species), map[string]float64{"Faecalibacterium prausnitzii": 100})
}

func TestReadMothur(t *testing.T) {
	ps := readOK(t, fixture("final.opti_mcc.shared"), ReadOptions{Taxonomy: fixture("final.opti_mcc.0.03.cons.taxonomy")})
	if samplesOf(ps) != "F3D0,F3D1,F3D2" {
		t.Fatalf("samples %s", samplesOf(ps))
	}
	sameCounts(t, "F3D0 genus", at(ps[0], taxonomy.Genus), map[string]float64{"Faecalibacterium": 120, "Bacteroides": 80, "Escherichia/Shigella": 5})
	sameCounts(t, "F3D1 genus", at(ps[1], taxonomy.Genus), map[string]float64{"Bacteroides": 200, Unclassified: 15})
	sameCounts(t, "F3D1 family", at(ps[1], taxonomy.Family), map[string]float64{"Bacteroidaceae": 200, "Lachnospiraceae": 15})
}

func TestReadSamplesAsRows(t *testing.T) {
	ps := readOK(t, fixture("samples-as-rows.csv"), ReadOptions{})
	if samplesOf(ps) != "S1,S2,S3" {
		t.Fatalf("samples %s", samplesOf(ps))
	}
	sameCounts(t, "S1", at(ps[0], taxonomy.Genus), map[string]float64{"Faecalibacterium": 120, "Bacteroides": 80, Unclassified: 15})
	sameCounts(t, "S3", at(ps[2], taxonomy.Genus), map[string]float64{"Faecalibacterium": 30, Unclassified: 345})
	// Forcing the other orientation reads samples as taxa.
	ps = readOK(t, fixture("samples-as-rows.csv"), ReadOptions{Orientation: TaxaAsRows})
	if len(ps) != 3 || !strings.HasPrefix(ps[0].Sample, "D_0__Bacteria") {
		t.Errorf("forced taxa-rows: samples %s", samplesOf(ps))
	}
}

// Emu's combine-outputs table: rank columns, then samples; and an Emu
// file from a custom (SILVA-style) database with a lineage column.
func TestReadEmuVariants(t *testing.T) {
	combined := "species\tgenus\tfamily\torder\tclass\tphylum\tsuperkingdom\tbc01\tbc02\n" +
		"Faecalibacterium prausnitzii\tFaecalibacterium\tOscillospiraceae\tEubacteriales\tClostridia\tFirmicutes\tBacteria\t120.0\t\n" +
		"Bacteroides fragilis\tBacteroides\tBacteroidaceae\tBacteroidales\tBacteroidia\tBacteroidetes\tBacteria\t80.0\t7.5\n" +
		"unassigned\t\t\t\t\t\t\t10.0\t2.0\n"
	ps, err := Decode("emu-combined-species-counts.tsv", []byte(combined), ReadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if samplesOf(ps) != "bc01,bc02" {
		t.Fatalf("samples %s", samplesOf(ps))
	}
	sameCounts(t, "bc01", at(ps[0], taxonomy.Species), map[string]float64{"Faecalibacterium prausnitzii": 120, "Bacteroides fragilis": 80, Unclassified: 10})
	sameCounts(t, "bc02", at(ps[1], taxonomy.Genus), map[string]float64{"Bacteroides": 7.5, Unclassified: 2})
	// emu collapse-taxonomy S1_rel-abundance.tsv genus (pandas groupby,
	// dropna=False: the unassigned row has empty ranks).
	collapsed := "genus\tfamily\torder\tclass\tphylum\tclade\tsuperkingdom\tabundance\testimated counts\n" +
		"Bacteroides\tBacteroidaceae\tBacteroidales\tBacteroidia\tBacteroidetes\tFCB group\tBacteria\t0.39\t80.0\n" +
		"Faecalibacterium\tOscillospiraceae\tEubacteriales\tClostridia\tFirmicutes\t\tBacteria\t0.59\t120.0\n" +
		"\t\t\t\t\t\t\t0.0\t10.0\n"
	ps, err = Decode("out/S1_rel-abundance-genus.tsv", []byte(collapsed), ReadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if samplesOf(ps) != "S1" || ps[0].Relative {
		t.Errorf("collapsed: samples %s, relative %v", samplesOf(ps), ps[0].Relative)
	}
	sameCounts(t, "collapsed", at(ps[0], taxonomy.Genus), map[string]float64{"Faecalibacterium": 120, "Bacteroides": 80, Unclassified: 10})
	custom := "tax_id\tabundance\tlineage\testimated counts\n" +
		"11\t0.75\tBacteria;Firmicutes;Clostridia;Lachnospirales;Lachnospiraceae;Roseburia;\t30.0\n" +
		"12\t0.25\tBacteria;Firmicutes;Clostridia;Oscillospirales;Ruminococcaceae;uncultured;\t10.0\n" +
		"unassigned\t0\t\t4.0\n"
	ps, err = Decode("x_rel-abundance.tsv", []byte(custom), ReadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "custom genus", at(ps[0], taxonomy.Genus), map[string]float64{"Roseburia": 30, Unclassified: 14})
	sameCounts(t, "custom family", at(ps[0], taxonomy.Family), map[string]float64{"Lachnospiraceae": 30, "Ruminococcaceae": 10, Unclassified: 4})
}

func TestReadZonulaOwn(t *testing.T) {
	p := sampleBuilder().Profile()
	var buf bytes.Buffer
	if err := WriteTSV(&buf, p); err != nil {
		t.Fatal(err)
	}
	ps, err := Decode("abundance.tsv", buf.Bytes(), ReadOptions{Sample: "S1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range taxonomy.Ranks() {
		sameCounts(t, r.String(), at(ps[0], r), at(p, r))
	}
}

func TestCombinedRoundTrip(t *testing.T) {
	ps := readOK(t, fixture("biom21-taxonomy.biom"), ReadOptions{})
	var buf bytes.Buffer
	if err := WriteCombinedTSV(&buf, ps, taxonomy.Genus); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "combined-genus.tsv", buf.Bytes())
	back, err := Decode("combined.tsv", buf.Bytes(), ReadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		sameCounts(t, "tsv "+back[i].Sample, at(back[i], taxonomy.Genus), asvGenus[i])
	}
	buf.Reset()
	if err := WriteCombinedBIOM(&buf, ps, taxonomy.Genus, BIOMMeta{GeneratedBy: "zonula test", Date: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "combined-genus.biom", buf.Bytes())
	back, err = Decode("combined.biom", buf.Bytes(), ReadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		sameCounts(t, "biom "+back[i].Sample, at(back[i], taxonomy.Genus), asvGenus[i])
	}
	dup := []*Profile{ps[0], ps[0]}
	if err := WriteCombinedTSV(&buf, dup, taxonomy.Genus); err == nil || !strings.Contains(err.Error(), "appears twice") {
		t.Errorf("duplicate samples: %v", err)
	}
}

func TestFormatFlag(t *testing.T) {
	for _, f := range []Format{FormatAuto, FormatDelimited, FormatZonula, FormatBIOM1, FormatBIOM2, FormatQZA, FormatEmu, FormatKraken, FormatBracken, FormatMetaPhlAn, FormatMothur} {
		var g Format
		if err := g.Set(f.String()); err != nil || g != f {
			t.Errorf("Set(%q) = %v, %v", f.String(), g, err)
		}
	}
	var g Format
	if err := g.Set("csv"); err != nil || g != FormatDelimited {
		t.Errorf("csv alias")
	}
	if err := g.Set("xlsx"); err == nil {
		t.Error("Set(xlsx) accepted")
	}
	var o Orientation
	if err := o.Set("sample-rows"); err != nil || o != SamplesAsRows || o.String() != "sample-rows" {
		t.Errorf("orientation %v %v", o, err)
	}
}

func TestReadGzip(t *testing.T) {
	data, err := os.ReadFile(fixture("S1.kreport"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	path := filepath.Join(t.TempDir(), "S1.kreport.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ps := readOK(t, path, ReadOptions{})
	if ps[0].Sample != "S1" || ps[0].Format != FormatKraken {
		t.Errorf("sample %q, format %v; want S1, %v", ps[0].Sample, ps[0].Format, FormatKraken)
	}
	sameCounts(t, "genus", at(ps[0], taxonomy.Genus), map[string]float64{"Faecalibacterium": 120, "Bacteroides": 80, "Escherichia": 5, Unclassified: 12})
	_, err = Decode("cut.gz", buf.Bytes()[:buf.Len()/2], ReadOptions{}, nil)
	var pe *ParseError
	if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "cut.gz: gzip: unexpected EOF") {
		t.Errorf("truncated gzip: %v", err)
	}
	if _, err := Decode("big.gz", buf.Bytes(), ReadOptions{MaxMember: 100}, nil); err == nil || !strings.Contains(err.Error(), "more than 100 bytes") {
		t.Errorf("gzip cap: %v", err)
	}
}

func TestReadAll(t *testing.T) {
	ps, err := ReadAll([]string{fixture("S1.kreport"), fixture("S2_rel-abundance.tsv"), fixture("merged_abundance_table.txt")}, ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "sample S1: sample name also in") {
		t.Errorf("duplicate S1 across files: %v, %d profiles", err, len(ps))
	}
	ps, err = ReadAll([]string{fixture("S1.kreport"), fixture("S2_rel-abundance.tsv")}, ReadOptions{})
	if err != nil || samplesOf(ps) != "S1,S2" {
		t.Errorf("ReadAll: %v, %s", err, samplesOf(ps))
	}
}

func TestSampleFromPath(t *testing.T) {
	for in, want := range map[string]string{"dir/S1_rel-abundance.tsv": "S1", "S2.kreport2": "S2", "x/S3_profile.txt": "S3", "A.bracken": "A", "B_species.bracken": "B", "table.biom": "table"} {
		if got := SampleFromPath(in); got != want {
			t.Errorf("SampleFromPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// Bad input: every error is a *ParseError naming the file and, for line
// formats, the line.
func TestReadTablesErrors(t *testing.T) {
	for _, c := range []struct {
		name, in string
		format   Format
		want     string // prefix of the error
	}{
		{"empty", "", FormatAuto, "empty:1: empty file"},
		{"binary", "\x00\x01\x02junk", FormatAuto, "binary:1: binary data"},
		{"json", `{"a": 1}`, FormatAuto, "json:1: a JSON file without a BIOM"},
		// Delimited
		{"ragged.tsv", "#OTU ID\tS1\tS2\nA\t1\t2\nB\t3\n", FormatAuto, "ragged.tsv:3: 2 fields, want 3"},
		{"negative.tsv", "#OTU ID\tS1\nA\t-1\n", FormatAuto, "negative.tsv:2: feature A, sample S1: count \"-1\": want a finite number ≥ 0"},
		{"nonnum.tsv", "#OTU ID\tS1\nA\tabc\n", FormatAuto, "nonnum.tsv:2: feature A, sample S1: count \"abc\" is not a number"},
		{"nan.tsv", "#OTU ID\tS1\nA\tNaN\n", FormatAuto, "nan.tsv:2: feature A, sample S1: count \"NaN\" is not a number"},
		{"dupfeat.tsv", "#OTU ID\tS1\nA\t1\nA\t2\n", FormatAuto, "dupfeat.tsv:3: feature A: feature id repeats feature 1"},
		{"dupsample.tsv", "#OTU ID\tS1\tS1\nA\t1\t2\n", FormatAuto, "dupsample.tsv:1: sample S1: sample id repeats sample 1"},
		{"emptysample.tsv", "#OTU ID\tS1\tS2\nA\t1\t0\nB\t3\t0\n", FormatAuto, "emptysample.tsv:1: sample S2: no counts"},
		{"badlineage.tsv", "#OTU ID\tS1\ttaxonomy\nA\t1\tp__X;d__Y\n", FormatAuto, "badlineage.tsv:2: feature A: lineage"},
		{"onecol.tsv", "justone\n1\n", FormatAuto, "onecol.tsv:1: header \"justone\" has one column"},
		{"rows.csv", "sample,g__A,g__B\nS1,1,2\nS2,1\n", FormatAuto, "rows.csv:3: 2 fields, want 3"},
		{"quote.csv", "sample,g__A\n\"S1,1\n", FormatAuto, "quote.csv:2: extraneous or missing \" in quoted-field"},
		// BIOM 1.0
		{"shape.biom", `{"format":"Biological Observation Matrix 1.0.0","rows":[{"id":"a"}],"columns":[{"id":"S"}],"matrix_type":"sparse","shape":[2,1],"data":[]}`, FormatAuto, "shape.biom: shape: [2 1]"},
		{"neg.biom", `{"format":"Biological Observation Matrix 1.0.0","rows":[{"id":"a"}],"columns":[{"id":"S"}],"matrix_type":"sparse","shape":[1,1],"data":[[0,0,-1]]}`, FormatAuto, "neg.biom: data entry 0: value -1"},
		{"zero.biom", `{"format":"Biological Observation Matrix 1.0.0","rows":[{"id":"a"}],"columns":[{"id":"S"}],"matrix_type":"dense","shape":[1,1],"data":[[0]]}`, FormatAuto, "zero.biom: sample S: no counts"},
		{"dup.biom", `{"format":"Biological Observation Matrix 1.0.0","rows":[{"id":"a"},{"id":"a"}],"columns":[{"id":"S"}],"matrix_type":"dense","shape":[2,1],"data":[[1],[2]]}`, FormatAuto, "dup.biom: feature a: feature id repeats"},
		{"syntax.biom", "{\"format\":\"Biological Observation Matrix 1.0.0\",\n\"rows\": [,]}", FormatAuto, "syntax.biom:2: not BIOM 1.0 JSON"},
		// Emu
		{"e_rel-abundance.tsv", "tax_id\tabundance\tspecies\tgenus\n1\t0.5\tA b\n", FormatAuto, "e_rel-abundance.tsv:2: 3 fields, want 4"},
		{"e2_rel-abundance.tsv", "tax_id\tabundance\tspecies\tgenus\n1\tx\tA b\tA\n", FormatAuto, "e2_rel-abundance.tsv:2: tax_id 1: abundance: count \"x\" is not a number"},
		{"e3_rel-abundance.tsv", "tax_id\tabundance\tfoo\n1\t0.5\tA\n", FormatAuto, "e3_rel-abundance.tsv:1: header has neither rank columns"},
		// Kraken2
		{"k.kreport", "  4.61\t10\t10\tU\t0\tunclassified\n 95.39\t207\tx\tR\t1\troot\n", FormatKraken, "k.kreport:2: want a Kraken2 report line"},
		{"k2.kreport", "  4.61\t10\t0\tU\t0\tunclassified\n", FormatKraken, "k2.kreport:1: sample k2: no counts"},
		// Bracken
		{"b.bracken", "name\ttaxonomy_id\ttaxonomy_lvl\tkraken_assigned_reads\tadded_reads\tnew_est_reads\tfraction_total_reads\nX\t1\tS\t1\t0\t-1\t0.1\n", FormatAuto, "b.bracken:2: X: new_est_reads: count \"-1\""},
		{"b2.bracken", "name\ttaxonomy_id\ttaxonomy_lvl\tkraken_assigned_reads\tadded_reads\tnew_est_reads\tfraction_total_reads\nX\t1\tS\t1\t0\n", FormatAuto, "b2.bracken:2: 5 fields, want 7"},
		{"b3.bracken", "name\ttaxonomy_id\ttaxonomy_lvl\tkraken_assigned_reads\tadded_reads\tnew_est_reads\tfraction_total_reads\nX\t1\tS\t1\t0\t1\t1\nX\t1\tS\t1\t0\t1\t1\n", FormatAuto, "b3.bracken:3: feature 1: feature id repeats"},
		// MetaPhlAn
		{"m.txt", "#mpa_v30\n#clade_name\tNCBI_tax_id\trelative_abundance\tadditional_species\nk__Bacteria\t2\t100.0\t\nk__Bacteria|p__Firmicutes\t2|1239\t-3\t\n", FormatAuto, "m.txt:4: k__Bacteria|p__Firmicutes: count \"-3\""},
		{"m2.txt", "#mpa_v30\n#clade_name\tNCBI_tax_id\trelative_abundance\tadditional_species\nk__Bacteria\t2\t100.0\t\nk__Bacteria\t2\t100.0\t\n", FormatAuto, "m2.txt:4: clade k__Bacteria repeats line 3"},
		{"m3.txt", "#mpa_v30\n#clade_name\tNCBI_tax_id\trelative_abundance\tadditional_species\nk__Bacteria\t2\n", FormatAuto, "m3.txt:3: 2 fields, want 4"},
		// mothur
		{"x.shared", "label\tGroup\tnumOtus\tOtu1\tOtu2\n0.03\tA\t2\t1\n", FormatAuto, "x.shared:2: numOtus \"2\" and 1 counts"},
		{"y.shared", "label\tGroup\tnumOtus\tOtu1\n0.03\tA\t1\t1\n0.03\tA\t1\t2\n", FormatAuto, "y.shared:3: sample A: sample id repeats"},
		{"z.shared", "label\tGroup\tnumOtus\tOtu1\n0.03\tA\t1\t1.5x\n", FormatAuto, "z.shared:2: group A, Otu1: count \"1.5x\""},
		// zonula's own
		{"abundance.tsv", TSVHeader + "\ngenus\tX\t\t1\n", FormatAuto, "abundance.tsv:2: 4 tab-separated fields"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.name, []byte(c.in), ReadOptions{Format: c.format}, nil)
			var pe *ParseError
			if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error %v (ParseError %v), want prefix %q", err, pe != nil, c.want)
			}
		})
	}
}

func TestReadBIOM2Errors(t *testing.T) {
	for file, want := range map[string]string{
		"bad-negative.biom":    "bad-negative.biom: sample S3, observation ASV2: value -4, want a finite count ≥ 0",
		"bad-emptysample.biom": "bad-emptysample.biom: sample S2: no counts",
	} {
		_, err := ReadTables(fixture(file), ReadOptions{})
		var pe *ParseError
		if err == nil || !errors.As(err, &pe) || !strings.HasSuffix(err.Error(), want) && !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", file, err, want)
		}
	}
	data, err := os.ReadFile(fixture("biom21-taxonomy.biom"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{100, len(data) / 2, len(data) - 100} {
		_, err := Decode("cut.biom", data[:n], ReadOptions{}, nil)
		var pe *ParseError
		if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "cut.biom: ") {
			t.Errorf("truncated at %d: %v", n, err)
		}
	}
}

func TestQZASafety(t *testing.T) {
	for file, want := range map[string]string{
		"bad-zipslip.qza": "member ../../evil.txt: unsafe path",
		"bad-crc.qza":     "member 0c0c/data/feature-table.biom: CRC-32 checksum mismatch",
		"taxonomy.qza":    "this artifact holds a taxonomy",
	} {
		_, err := ReadTables(fixture(file), ReadOptions{})
		var pe *ParseError
		if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", file, err, want)
		}
	}
	_, err := ReadTables(fixture("bad-huge.qza"), ReadOptions{MaxMember: 1 << 20})
	if err == nil || !strings.Contains(err.Error(), "more than the 1048576-byte limit") {
		t.Errorf("bad-huge.qza: %v", err)
	}
	// A member whose header understates its size is stopped while
	// inflating (by archive/zip, or failing that by the limit).
	data, _ := os.ReadFile(fixture("bad-huge.qza"))
	if _, _, err := qzaMember("lying.qza", lieAboutSize(t, data), "feature-table.biom", 1<<20); err == nil || !strings.Contains(err.Error(), "lying.qza: member 0b0b/data/feature-table.biom") {
		t.Errorf("lying size: %v", err)
	}
}

// lieAboutSize rewrites the uncompressed sizes of a zip's data member to 10.
func lieAboutSize(t *testing.T, data []byte) []byte {
	t.Helper()
	b := bytes.Clone(data)
	name := []byte("0b0b/data/feature-table.biom")
	for off := 0; ; {
		i := bytes.Index(b[off:], name)
		if i < 0 {
			break
		}
		i += off
		switch {
		case i >= 30 && string(b[i-30:i-26]) == "PK\x03\x04":
			copy(b[i-30+22:], []byte{10, 0, 0, 0})
		case i >= 46 && string(b[i-46:i-42]) == "PK\x01\x02":
			copy(b[i-46+24:], []byte{10, 0, 0, 0})
		}
		off = i + 1
	}
	return b
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"#OTU ID\tS1\nA\t1\n", "sample,g__A\nS1,1\n", "label\tGroup\tnumOtus\tOtu1\n0.03\tA\t1\t1\n",
		"  4.61\t10\t10\tU\t0\tunclassified\n", "#mpa_v30\nk__Bacteria\t2\t100.0\t\n", "tax_id\tabundance\tspecies\nunassigned\t0\t\n",
		`{"format":"Biological Observation Matrix 1.0.0","rows":[],"columns":[],"matrix_type":"sparse","shape":[0,0],"data":[]}`} {
		f.Add([]byte(s))
	}
	for _, name := range []string{"table.qza", "S1.kreport", "S1_profile.txt", "final.opti_mcc.shared"} {
		if b, err := os.ReadFile(fixture(name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Decode("fuzz", data, ReadOptions{MaxMember: 1 << 20}, nil)
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error without a position: %v", err)
		}
	})
}

// TestImportMatchesBuilder checks the fast profile building of ReadTables
// against Builder.Profile on the same features: same rows, same order.
func TestImportMatchesBuilder(t *testing.T) {
	for _, file := range []string{"biom21-taxonomy.biom", "S1.kreport", "S1_profile.txt", "merged_abundance_table.txt", "S1_rel-abundance.tsv"} {
		for _, p := range readOK(t, fixture(file), ReadOptions{}) {
			b := NewBuilder(p.Sample)
			for _, f := range p.Features {
				if err := b.Add(f.Lineage, f.Reads); err != nil {
					t.Fatal(err)
				}
			}
			want := b.Profile().Rows
			if len(want) != len(p.Rows) {
				t.Errorf("%s %s: %d rows, Builder gives %d", file, p.Sample, len(p.Rows), len(want))
				continue
			}
			for i := range want {
				g, w := p.Rows[i], want[i]
				if g.Rank != w.Rank || g.Taxon != w.Taxon || g.Lineage != w.Lineage || math.Abs(g.Reads-w.Reads) > 1e-12*w.Reads || math.Abs(g.Fraction-w.Fraction) > 1e-12 {
					t.Errorf("%s %s row %d: %+v, Builder %+v", file, p.Sample, i, g, w)
				}
			}
		}
	}
}

// Layouts seen in the wild, written to their tools' documented forms.
func TestReadMoreLayouts(t *testing.T) {
	for _, c := range []struct {
		name, in string
		rank     taxonomy.Rank
		want     []map[string]float64
		relative bool
	}{
		// MetaPhlAn 4 -t rel_ab_w_read_stats: read counts per clade.
		{"S9_profile.txt", "#mpa_vJun23_CHOCOPhlAnSGB_202403\n#SampleID\tS9\n#clade_name\tclade_taxid\trelative_abundance\tcoverage\testimated_number_of_reads_from_the_clade\n" +
			"k__Bacteria\t2\t100.0\t-\t1000\nk__Bacteria|p__Firmicutes\t2|1239\t70.0\t-\t700\nk__Bacteria|p__Bacteroidetes\t2|976\t30.0\t-\t300\n" +
			"k__Bacteria|p__Firmicutes|c__Clostridia\t2|1239|186801\t60.0\t-\t600\n",
			taxonomy.Class, []map[string]float64{{"Clostridia": 600, Unclassified: 400}}, false},
		// MetaPhlAn 2: two columns, no header.
		{"mpa2.txt", "#SampleID\tMetaphlan2_Analysis\nk__Bacteria\t100.0\nk__Bacteria|p__Firmicutes\t60.5\n",
			taxonomy.Phylum, []map[string]float64{{"Firmicutes": 60.5, Unclassified: 39.5}}, true},
		// BIOM 1.0 whose taxonomy list holds one joined string.
		{"joined.biom", `{"format":"Biological Observation Matrix 1.0.0","rows":[{"id":"o1","metadata":{"taxonomy":["k__Bacteria; p__Firmicutes"]}}],` +
			`"columns":[{"id":"A","metadata":null}],"matrix_type":"sparse","shape":[1,1],"data":[[0,0,4]]}`,
			taxonomy.Phylum, []map[string]float64{{"Firmicutes": 4}}, false},
		// QIIME 1 classic OTU table with "Consensus Lineage".
		{"otu_table.txt", "# QIIME v1.9.1 OTU table\n#OTU ID\tA\tB\tConsensus Lineage\n1\t5\t0\tk__Bacteria; p__Firmicutes\n2\t0\t7\tk__Bacteria; p__Bacteroidetes\n",
			taxonomy.Phylum, []map[string]float64{{"Firmicutes": 5}, {"Bacteroidetes": 7}}, false},
		// R write.csv of an OTU table: empty first header cell, quoted.
		{"otu.csv", "\"\",\"A\",\"B\"\n\"k__Bacteria;p__Firmicutes\",3,1\n\"k__Bacteria;p__Bacteroidetes\",0,2\n",
			taxonomy.Phylum, []map[string]float64{{"Firmicutes": 3}, {"Firmicutes": 1, "Bacteroidetes": 2}}, false},
		// QIIME 2 collapsed and exported table: lineages as ids, fractions.
		{"rel.tsv", "# Constructed from biom file\n#OTU ID\tA\nd__Bacteria;p__Firmicutes_A;c__Clostridia\t0.25\nd__Bacteria;p__Firmicutes;c__Bacilli\t0.75\n",
			taxonomy.Phylum, []map[string]float64{{"Firmicutes": 1}}, true},
		// Kraken2 with a GTDB database: names carry their prefixes.
		{"gtdb.kreport", "  0.00\t0\t0\tU\t0\tunclassified\n100.00\t5\t0\tR\t1\troot\n100.00\t5\t0\tD\t2\t  d__Bacteria\n100.00\t5\t5\tP\t3\t    p__Firmicutes_A\n",
			taxonomy.Phylum, []map[string]float64{{"Firmicutes": 5}}, false},
		// Kraken 1 / KrakenUniq-style codes ("-" for no rank).
		{"k1.report", "  1.00\t1\t1\tU\t0\tunclassified\n 99.00\t99\t0\t-\t1\troot\n 99.00\t99\t9\tD\t2\t  Bacteria\n 90.00\t90\t90\tP\t1239\t    Firmicutes\n",
			taxonomy.Phylum, []map[string]float64{{"Firmicutes": 90, Unclassified: 10}}, false},
	} {
		ps, err := Decode(c.name, []byte(c.in), ReadOptions{}, nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(ps) != len(c.want) {
			t.Errorf("%s: %d samples, want %d", c.name, len(ps), len(c.want))
			continue
		}
		for i, p := range ps {
			sameCounts(t, c.name+" "+p.Sample, at(p, c.rank), c.want[i])
			if p.Relative != c.relative {
				t.Errorf("%s: Relative = %v", c.name, p.Relative)
			}
		}
		if c.name == "S9_profile.txt" && ps[0].Sample != "S9" {
			t.Errorf("MetaPhlAn sample id %q", ps[0].Sample)
		}
	}
}

// biom2Check loads a BIOM file with biom-format and prints its table.
const biom2Check = `
import sys, biom
t = biom.load_table(sys.argv[1])
print("shape", *t.shape, "nnz", t.nnz, "id", t.table_id)
print("samples", *t.ids(axis="sample"))
for oid, md in zip(t.ids(axis="observation"), t.metadata(axis="observation")):
    print(oid, "|", ";".join(md["taxonomy"]), "|", *[repr(float(v)) for v in t.data(oid, axis="observation")])
`

// TestWriteBIOM2 writes the fixture table as BIOM 2.1 and reads it back
// with ReadTables, with Debian's python3-biom-format and with biom
// validate-table.
func TestWriteBIOM2(t *testing.T) {
	ps := readOK(t, fixture("biom21-taxonomy.biom"), ReadOptions{})
	var buf bytes.Buffer
	meta := BIOMMeta{GeneratedBy: "zonula test", Date: time.Unix(0, 0), Format: BIOM21}
	if err := WriteCombinedBIOM(&buf, ps, taxonomy.Genus, meta); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	WriteCombinedBIOM(&again, ps, taxonomy.Genus, meta)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two writes differ")
	}
	back, err := Decode("w.biom", buf.Bytes(), ReadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		sameCounts(t, "biom2 "+back[i].Sample, at(back[i], taxonomy.Genus), asvGenus[i])
	}
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import biom").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s cannot import biom: %v", py, err)
		}
		t.Skip("needs python3-biom-format")
	}
	path := filepath.Join(t.TempDir(), "genus.biom")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", biom2Check, path).CombinedOutput()
	if err != nil {
		t.Fatalf("biom.load_table: %v\n%s", err, out)
	}
	want := `shape 5 3 nnz 10 id zonula combined table
samples S1 S2 S3
d__Bacteria;p__Bacteroidetes;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides | d__Bacteria;p__Bacteroidetes;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides | 80.0 200.0 0.0
d__Bacteria;p__Proteobacteria;c__Gammaproteobacteria;o__Enterobacteriales;f__Enterobacteriaceae;g__Escherichia | d__Bacteria;p__Proteobacteria;c__Gammaproteobacteria;o__Enterobacteriales;f__Enterobacteriaceae;g__Escherichia | 5.0 0.0 300.0
d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Ruminococcaceae;g__Faecalibacterium | d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Ruminococcaceae;g__Faecalibacterium | 120.0 0.0 30.0
d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Lachnospiraceae;g__Roseburia | d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Lachnospiraceae;g__Roseburia | 0.0 15.0 45.0
unclassified | unclassified | 10.0 3.0 0.0
`
	if string(out) != want {
		t.Errorf("biom.load_table read\n%s\nwant\n%s", out, want)
	}
	if biomCLI, err := exec.LookPath("biom"); err == nil {
		out, err := exec.Command(biomCLI, "validate-table", "-i", path).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "is a valid BIOM-formatted file") {
			t.Errorf("biom validate-table: %v\n%s", err, out)
		}
	}
}
