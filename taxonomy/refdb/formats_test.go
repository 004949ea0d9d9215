package refdb

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const fixtures = "../../testdata/refdb"

// Lineages as the fixtures' hand-written headers and tables give them
// (testdata/refdb/README.md), in zonula's form.
const (
	akkFull = "d__Bacteria;p__Verrucomicrobiota;c__Verrucomicrobiae;o__Verrucomicrobiales;f__Akkermansiaceae;g__Akkermansia;s__Akkermansia muciniphila"
	bfrFull = "d__Bacteria;p__Bacteroidota;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides;s__Bacteroides fragilis"
	ecoGTDB = "d__Bacteria;p__Pseudomonadota;c__Gammaproteobacteria;o__Enterobacterales;f__Enterobacteriaceae;g__Escherichia;s__Escherichia coli"
)

func TestBuildFromEveryFormat(t *testing.T) {
	for _, c := range []struct {
		format            Format
		fasta, tax        string
		input, dups, skip int
		want              map[string]string // id → lineage
	}{
		{FormatSILVA, "silva.fasta", "", 5, 0, 1, map[string]string{
			"AY271254.1.1512":      akkFull,
			"CR626927.1.1520":      bfrFull,
			"U00096.223771.225312": "d__Bacteria;p__Proteobacteria;c__Gammaproteobacteria;o__Enterobacterales;f__Enterobacteriaceae;g__Escherichia-Shigella;s__Escherichia coli",
			"AJ270469.1.1495":      "d__Bacteria;p__Firmicutes;c__Clostridia;o__Oscillospirales;f__Ruminococcaceae;g__Faecalibacterium", // "uncultured bacterium": no species
		}},
		{FormatSILVA, "silva.fasta", "silva-ranks.txt", 5, 0, 1, map[string]string{
			"AY271254.1.1512": akkFull,
			"AJ270469.1.1495": "d__Bacteria;p__Firmicutes;c__Clostridia;o__Oscillospirales;f__Ruminococcaceae;g__Faecalibacterium",
		}},
		{FormatGTDB, "gtdb_ssu.fna.gz", "", 4, 0, 0, map[string]string{
			"RS_GCF_000005845.2~NC_000913.3":   ecoGTDB,
			"RS_GCF_000162015.1~NZ_GG697145.1": "d__Bacteria;p__Bacillota_A;c__Clostridia;o__Oscillospirales;f__Ruminococcaceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii_D",
		}},
		{FormatGTDB, "gtdb_ssu.fna.gz", "gtdb_taxonomy.tsv", 4, 0, 0, map[string]string{ // the table wins over the header
			"RS_GCF_000162015.1~NZ_GG697145.1": "d__Bacteria;p__Bacillota_A;c__Clostridia;o__Oscillospirales;f__Ruminococcaceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii_C",
		}},
		{FormatGG2, "gg2.fna", "gg2_taxonomy.tsv", 4, 0, 0, map[string]string{
			"G000005845": ecoGTDB,
			"G000162015": "d__Bacteria;p__Firmicutes_A;c__Clostridia;o__Oscillospirales;f__Ruminococcaceae;g__Faecalibacterium", // "s__" empty
		}},
		{FormatRDP, "rdp_trainset.fa", "", 4, 0, 0, map[string]string{
			"AY271254": strings.TrimSuffix(akkFull, ";s__Akkermansia muciniphila"),
			"U00096":   "d__Bacteria;p__Pseudomonadota;c__Gammaproteobacteria;o__Enterobacterales;f__Enterobacteriaceae;g__Escherichia/Shigella",
		}},
		{FormatRDP, "trainset19.rdp.fasta", "trainset19.rdp.tax", 4, 0, 0, map[string]string{
			"AJ270469": "d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae", // genus "…_unclassified"
			"CR626927": strings.TrimSuffix(bfrFull, ";s__Bacteroides fragilis"),
		}},
		{FormatEmu, "emu_species_taxid.fasta", "emu_taxonomy.tsv", 5, 1, 0, map[string]string{
			"562:emu_db:3":    ecoGTDB,
			"239935:emu_db:1": akkFull,
			"853:emu_db:5":    "d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii",
		}},
		{FormatSintax, "sintax.fa.zst", "", 4, 0, 0, map[string]string{
			"AY271254": akkFull,
			"U00096":   "d__Bacteria;p__Pseudomonadota;c__Gammaproteobacteria;o__Enterobacterales;f__Enterobacteriaceae;g__Escherichia/Shigella",
		}},
		{FormatQIIME2, "qiime2_seqs.fasta", "qiime2_taxonomy.tsv", 4, 0, 0, map[string]string{
			"1111": "d__Bacteria;p__Verrucomicrobia;c__Verrucomicrobiae;o__Verrucomicrobiales;f__Verrucomicrobiaceae;g__Akkermansia;s__Akkermansia muciniphila",
			"4444": "d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Ruminococcaceae;g__Faecalibacterium",
		}},
	} {
		t.Run(string(c.format)+"/"+c.fasta+"+"+c.tax, func(t *testing.T) {
			in := Input{Format: c.format, FASTA: fixtureRecords(t, c.fasta), FASTAName: c.fasta}
			if c.tax != "" {
				in.Taxonomy, in.TaxonomyName = openFixture(t, c.tax), c.tax
			}
			refs, st, err := BuildFrom(in)
			if err != nil {
				t.Fatal(err)
			}
			skipped := 0
			for _, n := range st.Skipped {
				skipped += n
			}
			if st.Input != c.input || st.Duplicates != c.dups || skipped != c.skip || len(refs) != 4 {
				t.Errorf("stats %+v, %d references; want input %d, duplicates %d, skipped %d, 4 references", st, len(refs), c.input, c.dups, c.skip)
			}
			got := map[string]string{}
			for _, r := range refs {
				got[r.ID] = r.Lineage.String()
				// Every fixture sequence is a 240-base DNA prefix of a gold record.
				if len(r.Seq) != 240 || bytes.ContainsAny(r.Seq, "Uu-.acgt") {
					t.Errorf("%s: sequence %d bases, %.20s…", r.ID, len(r.Seq), r.Seq)
				}
			}
			for id, want := range c.want {
				if got[id] != want {
					t.Errorf("%s: lineage\n  %s\nwant\n  %s", id, got[id], want)
				}
			}
		})
	}
}

func TestBuildFromSameSequencesEveryFormat(t *testing.T) {
	// The eight fixtures hold the same four sequences: their databases must
	// hold the same sequence set whatever the format.
	seqsOf := func(format Format, fasta, tax string) string {
		in := Input{Format: format, FASTA: fixtureRecords(t, fasta), FASTAName: fasta}
		if tax != "" {
			in.Taxonomy, in.TaxonomyName = openFixture(t, tax), tax
		}
		refs, _, err := BuildFrom(in)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, r := range refs {
			s = append(s, string(r.Seq))
		}
		return strings.Join(sorted(s), ",")
	}
	want := seqsOf(FormatGG2, "gg2.fna", "gg2_taxonomy.tsv")
	for _, c := range [][3]string{{"silva", "silva.fasta", ""}, {"gtdb", "gtdb_ssu.fna.gz", ""}, {"rdp", "rdp_trainset.fa", ""},
		{"emu", "emu_species_taxid.fasta", "emu_taxonomy.tsv"}, {"sintax", "sintax.fa.zst", ""}, {"qiime2", "qiime2_seqs.fasta", "qiime2_taxonomy.tsv"}} {
		if got := seqsOf(Format(c[0]), c[1], c[2]); got != want {
			t.Errorf("%s: sequences differ from gg2.fna's", c[1])
		}
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestBuildFromErrors(t *testing.T) {
	const seq = "ACGTACGTAC\n"
	for _, c := range []struct {
		name       string
		format     Format
		fasta, tax string
		file       string // file the error must name
		line       int
		msg        string
	}{
		{"bad base", FormatSintax, ">a;tax=d:Bacteria;\nACGT\nACXT\n", "", "in.fa", 1, `character 'X'`},
		{"no id", FormatSintax, "> a;tax=d:Bacteria;\nACGT\n", "", "in.fa", 1, "empty sequence id"},
		{"empty file", FormatSintax, "", "", "in.fa", 0, "no sequences"},
		{"empty sequence", FormatSintax, ">a;tax=d:Bacteria;\n>b;tax=d:Bacteria;\n" + seq, "", "in.fa", 1, "empty sequence"},
		{"sintax without tax", FormatSintax, ">a\n" + seq, "", "in.fa", 1, "no ;tax= field"},
		{"sintax bad rank", FormatSintax, ">a;tax=d:Bacteria,x:Foo;\n" + seq, "", "in.fa", 1, `unknown rank letter "x"`},
		{"duplicate id", FormatSintax, ">a;tax=d:Bacteria;\n" + seq + ">a;tax=d:Bacteria;\nGGGG\n", "", "in.fa", 3, "id a repeated (first on line 1)"},
		{"no lineage", FormatRDP, ">a\tRoot\n" + seq, "", "in.fa", 1, "no lineage"},
		{"rdp too deep", FormatRDP, ">a\tRoot;A;B;C;D;E;F;G;H\n" + seq, "", "in.fa", 1, "8 ranks"},
		{"gg2 id missing", FormatGG2, ">x\n" + seq + ">y\n" + seq, "Feature ID\tTaxon\nx\td__Bacteria\n", "in.fa", 3, `id "y" is not in taxonomy file tax.tsv`},
		{"gg2 id repeated", FormatGG2, ">x\n" + seq, "x\td__Bacteria\nx\td__Archaea\n", "tax.tsv", 2, "repeated (first on line 1)"},
		{"gg2 bad lineage", FormatGG2, ">x\n" + seq, "x\td__Bacteria; q__Foo\n", "in.fa", 1, "tax.tsv:1: lineage field"},
		{"gg2 no taxonomy column", FormatGG2, ">x\n" + seq, "x\n", "tax.tsv", 1, "want ID<TAB>lineage"},
		{"gtdb header without lineage", FormatGTDB, ">RS_1~c [location=1..9]\n" + seq, "", "in.fa", 1, "no GTDB lineage"},
		{"silva deep path", FormatSILVA, ">a.1.9 Bacteria;A;B;C;D;E;F;G;Org name\n" + seq, "", "in.fa", 1, "rank file"},
		{"silva path not in ranks", FormatSILVA, ">a.1.9 Bacteria;Foo;Org name\n" + seq, "Bacteria;\t2\tdomain\t\t138\n", "in.fa", 1, `"Bacteria;Foo;" is not in rank file`},
		{"emu column missing", FormatEmu, ">1:emu_db:1\n" + seq, "tax_id\tspecies\tgenus\n", "tax.tsv", 1, `no "superkingdom" column`},
		{"emu taxid missing", FormatEmu, ">9:emu_db:1\n" + seq, "tax_id\tspecies\tgenus\tfamily\torder\tclass\tphylum\tsuperkingdom\n1\tA b\tA\tF\tO\tC\tP\tBacteria\n", "in.fa", 1, `tax_id "9"`},
		{"gaps and blanks are fine, digits not", FormatSintax, ">a;tax=d:Bacteria;\nAC-GT..\nAC GT 12\n", "", "in.fa", 1, `character '1'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := Input{Format: c.format, FASTA: fastaRecords(c.fasta, "in.fa"), FASTAName: "in.fa"}
			if c.tax != "" {
				in.Taxonomy, in.TaxonomyName = strings.NewReader(c.tax), "tax.tsv"
			}
			_, _, err := BuildFrom(in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.File != c.file || pe.Line != c.line || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %q (file %s line %d), want %s:%d and %q", err, pe.File, pe.Line, c.file, c.line, c.msg)
			}
		})
	}
}

func TestBuildFromTaxonomyFileRules(t *testing.T) {
	if _, _, err := BuildFrom(Input{Format: FormatGG2, FASTA: fastaRecords(">x\nACGT\n", "x.fa"), FASTAName: "x.fa"}); err == nil || !strings.Contains(err.Error(), "needs a taxonomy file") {
		t.Errorf("gg2 without taxonomy: %v", err)
	}
	if _, _, err := BuildFrom(Input{Format: FormatSintax, FASTA: fastaRecords(">x\nACGT\n", "x.fa"), Taxonomy: strings.NewReader(""), TaxonomyName: "t.tsv"}); err == nil || !strings.Contains(err.Error(), "takes no taxonomy file") {
		t.Errorf("sintax with taxonomy: %v", err)
	}
	if _, err := ParseFormat("SILVA"); err != nil {
		t.Error(err)
	}
	if _, err := ParseFormat("blast"); err == nil || !strings.Contains(err.Error(), "gold, silva, gtdb") {
		t.Errorf("ParseFormat(blast) = %v", err)
	}
}

func TestLineageReaders(t *testing.T) {
	for _, c := range []struct {
		in, want string
		read     func(string) (string, error)
	}{
		{"D_0__Bacteria;D_1__Firmicutes;D_2__Clostridia;D_3__Clostridiales;D_4__Lachnospiraceae;D_5__Roseburia", "d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Lachnospiraceae;g__Roseburia", viaAny},
		{"k__Bacteria; p__Firmicutes; c__; o__Clostridiales", "d__Bacteria;p__Firmicutes", viaAny}, // gap ends the lineage
		{"Bacteria;Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;uncultured", "d__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__Lachnospiraceae", viaAny},
		{`Root;Bacteria;"Bacteroidetes";Bacteroidia`, "d__Bacteria;p__Bacteroidetes;c__Bacteroidia", viaAny},
		{"d:Bacteria,p:Firmicutes_A,g:Blautia", "d__Bacteria;p__Firmicutes_A", viaSintax}, // ranks skipped: stop
		{"k:Bacteria,p:Bacillota,c:Clostridia,o:Lachnospirales,f:Lachnospiraceae,g:Blautia,s:Blautia_obeum", "d__Bacteria;p__Bacillota;c__Clostridia;o__Lachnospirales;f__Lachnospiraceae;g__Blautia;s__Blautia obeum", viaSintax},
	} {
		got, err := c.read(c.in)
		if err != nil || got != c.want {
			t.Errorf("%q → %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := prefixedLineage("p__Firmicutes;d__Bacteria"); err == nil {
		t.Error("out-of-order ranks accepted")
	}
}

func viaAny(s string) (string, error) {
	l, err := anyLineage(s)
	return l.String(), err
}

func viaSintax(s string) (string, error) {
	l, err := sintaxLineage(s)
	return l.String(), err
}
