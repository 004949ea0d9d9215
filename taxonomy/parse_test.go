package taxonomy

import (
	"strings"
	"testing"
)

var roseburia = Lineage{"Bacteria", "Firmicutes", "Clostridia", "Clostridiales", "Lachnospiraceae", "Roseburia", "Roseburia intestinalis"}

func TestParseLineage(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Lineage
	}{
		{"greengenes", "k__Bacteria; p__Firmicutes; c__Clostridia; o__Clostridiales; f__Lachnospiraceae; g__Roseburia; s__intestinalis", roseburia},
		{"greengenes empty ranks", "k__Bacteria; p__Firmicutes; c__Clostridia; o__Clostridiales; f__Lachnospiraceae; g__; s__", roseburia.Truncate(Family)},
		{"greengenes brackets", "k__Bacteria; p__Firmicutes; c__Clostridia; o__Clostridiales; f__Ruminococcaceae; g__[Ruminococcus]; s__gnavus",
			Lineage{"Bacteria", "Firmicutes", "Clostridia", "Clostridiales", "Ruminococcaceae", "Ruminococcus", "Ruminococcus gnavus"}},
		{"gtdb suffixes stripped", "d__Bacteria;p__Firmicutes_A;c__Clostridia;o__Oscillospirales;f__Ruminococcaceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii_C",
			Lineage{"Bacteria", "Firmicutes", "Clostridia", "Oscillospirales", "Ruminococcaceae", "Faecalibacterium", "Faecalibacterium prausnitzii"}},
		{"gtdb genus suffix", "d__Bacteria;p__Bacteroidota;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides_B", Lineage{"Bacteria", "Bacteroidota", "Bacteroidia", "Bacteroidales", "Bacteroidaceae", "Bacteroides"}},
		{"silva qiime D_", "D_0__Bacteria;D_1__Firmicutes;D_2__Clostridia;D_3__Clostridiales;D_4__Lachnospiraceae;D_5__Roseburia;D_6__Roseburia intestinalis", roseburia},
		{"silva plain", "Bacteria;Firmicutes;Clostridia;Clostridiales;Lachnospiraceae;Roseburia;", roseburia.Truncate(Genus)},
		{"silva family XI kept", "d__Bacteria; p__Firmicutes; c__Clostridia; o__Peptostreptococcales-Tissierellales; f__Family_XI; g__Anaerococcus",
			Lineage{"Bacteria", "Firmicutes", "Clostridia", "Peptostreptococcales-Tissierellales", "Family_XI", "Anaerococcus"}},
		{"silva uncultured", "d__Bacteria; p__Firmicutes; c__Clostridia; o__Oscillospirales; f__Ruminococcaceae; g__uncultured; s__uncultured_bacterium", Lineage{"Bacteria", "Firmicutes", "Clostridia", "Oscillospirales", "Ruminococcaceae"}},
		{"silva metagenome", "Bacteria;Firmicutes;Clostridia;Lachnospirales;Lachnospiraceae;Blautia;gut metagenome", Lineage{"Bacteria", "Firmicutes", "Clostridia", "Lachnospirales", "Lachnospiraceae", "Blautia"}},
		{"bare incertae sedis filled", "Bacteria;Firmicutes;Clostridia;Clostridiales;Incertae Sedis;Anaerovorax",
			Lineage{"Bacteria", "Firmicutes", "Clostridia", "Clostridiales", "Clostridiales incertae sedis", "Anaerovorax"}},
		{"gap filled", "k__Bacteria;p__Firmicutes;c__Clostridia;o__Clostridiales;f__;g__Faecalibacterium",
			Lineage{"Bacteria", "Firmicutes", "Clostridia", "Clostridiales", "Clostridiales incertae sedis", "Faecalibacterium"}},
		{"two gaps filled from one ancestor", "k__Bacteria;p__Firmicutes;c__Clostridia;o__;f__;g__Faecalibacterium",
			Lineage{"Bacteria", "Firmicutes", "Clostridia", "Clostridia incertae sedis", "Clostridia incertae sedis", "Faecalibacterium"}},
		{"qualified incertae sedis kept", "Bacteria;Firmicutes;Clostridia;Clostridiales;Clostridiales Incertae Sedis XIII;Anaerovorax",
			Lineage{"Bacteria", "Firmicutes", "Clostridia", "Clostridiales", "Clostridiales Incertae Sedis XIII", "Anaerovorax"}},
		{"rdp incertae sedis genus kept", "Root;Bacteria;Firmicutes;Erysipelotrichia;Erysipelotrichales;Erysipelotrichaceae;Erysipelotrichaceae_incertae_sedis",
			Lineage{"Bacteria", "Firmicutes", "Erysipelotrichia", "Erysipelotrichales", "Erysipelotrichaceae", "Erysipelotrichaceae_incertae_sedis"}},
		{"sintax", "d:Bacteria,p:Firmicutes,c:Clostridia,o:Clostridiales,f:Lachnospiraceae,g:Roseburia,s:Roseburia_intestinalis", roseburia},
		{"sintax skipped ranks", "tax=k:Bacteria,p:Firmicutes,g:Roseburia;",
			Lineage{"Bacteria", "Firmicutes", "Firmicutes incertae sedis", "Firmicutes incertae sedis", "Firmicutes incertae sedis", "Roseburia"}},
		{"metaphlan", "k__Bacteria|p__Firmicutes|c__Clostridia|o__Clostridiales|f__Lachnospiraceae|g__Roseburia|s__Roseburia_intestinalis|t__SGB4951", roseburia},
		{"metaphlan genus", "k__Bacteria|p__Firmicutes|c__Clostridia|o__Clostridiales|f__Lachnospiraceae|g__Roseburia", roseburia.Truncate(Genus)},
		{"quoted", `"k__Bacteria; p__Firmicutes"`, Lineage{"Bacteria", "Firmicutes"}},
		{"mothur unclassified", "Bacteria;Bacteroidetes;Bacteroidia;Bacteroidales;Porphyromonadaceae;Porphyromonadaceae_unclassified;",
			Lineage{"Bacteria", "Bacteroidetes", "Bacteroidia", "Bacteroidales", "Porphyromonadaceae"}},
		{"unassigned", "Unassigned", Lineage{}},
		{"unclassified", "unclassified", Lineage{}},
		{"empty", "  ", Lineage{}},
		{"zonula own", roseburia.String(), roseburia},
		{"kingdom only placeholder", "k__;p__Firmicutes", Lineage{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseLineage(tc.in)
			if err != nil {
				t.Fatalf("ParseLineage(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ParseLineage(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseLineageKeepSuffixes(t *testing.T) {
	got, err := ParseLineageWith("d__Bacteria;p__Firmicutes_A;c__Clostridia", ParseOptions{KeepSuffixes: true})
	if err != nil || got[Phylum] != "Firmicutes_A" {
		t.Fatalf("got %q, %v", got, err)
	}
	if CurrentPhylum(got[Phylum]) != "Bacillota" || CurrentPhylum("Bacillota_A") != "Bacillota" || CurrentPhylum("Desulfobacterota_I") != "Desulfobacterota" {
		t.Errorf("CurrentPhylum does not fold GTDB suffixes")
	}
}

func TestParseLineageErrors(t *testing.T) {
	for _, in := range []string{
		"p__Firmicutes;d__Bacteria",   // out of order
		"d__Bacteria;d__Archaea",      // twice
		"x__Bacteria",                 // unknown prefix
		"A;B;C;D;E;F;G;H",             // too deep
		"D_x__Bacteria",               // bad SILVA level
		"d__Bacteria;p__Fir\tmicutes", // tab
	} {
		if l, err := ParseLineage(in); err == nil {
			t.Errorf("ParseLineage(%q) = %q, want an error", in, l)
		}
	}
	// Mixed prefixed and plain fields follow positions after the prefix.
	l, err := ParseLineage("Bacteria;p__Firmicutes;Clostridia")
	if err != nil || l != (Lineage{"Bacteria", "Firmicutes", "Clostridia"}) {
		t.Errorf("mixed form: %q, %v", l, err)
	}
}

func TestStripGTDBSuffix(t *testing.T) {
	for in, want := range map[string]string{
		"Firmicutes_A": "Firmicutes", "Clostridium_AQ": "Clostridium", "Family_XI": "Family_XI", "Family_X": "Family_X",
		"Clostridium_sensu_stricto_1": "Clostridium_sensu_stricto_1", "UCG_A": "UCG_A", "Escherichia": "Escherichia",
		"Prevotella_ABC": "Prevotella_ABC", "_A": "_A", "Group_II": "Group_II",
	} {
		if got := StripGTDBSuffix(in); got != want {
			t.Errorf("StripGTDBSuffix(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseLineage(f *testing.F) {
	for _, s := range []string{"k__Bacteria; p__Firmicutes; g__", "D_0__Bacteria;D_1__X", "d:Bacteria,p:X", "a|b|t__x", "Root;Bacteria;;X", "D_99999999999__x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLineage(s)
		if err != nil {
			return
		}
		if l.Truncate(l.Depth()) != l {
			t.Fatalf("ParseLineage(%q) = %q has a gap", s, l)
		}
		for _, n := range l {
			if strings.ContainsAny(n, "\t\n;") {
				t.Fatalf("name %q", n)
			}
		}
	})
}
