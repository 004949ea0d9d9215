package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const wildFixtures = "../../testdata/tables/wild"

// alphaColumn returns column col of a metrics alpha TSV, by sample.
func alphaColumn(t *testing.T, tsv, col string) map[string]float64 {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(tsv), "\n")
	head := strings.Split(lines[0], "\t")
	k := -1
	for i, h := range head {
		if h == col {
			k = i
		}
	}
	if k < 0 {
		t.Fatalf("no column %q in %q", col, lines[0])
	}
	out := map[string]float64{}
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		v, _ := strconv.ParseFloat(f[k], 64)
		out[f[0]] = v
	}
	return out
}

// TestMetricsWildTables runs 'zonula metrics' on the mothur and kraken2
// outputs of scripts/make-wild-table-fixtures.sh.
func TestMetricsWildTables(t *testing.T) {
	shared := filepath.Join(wildFixtures, "mothur", "final.shared")
	tax := filepath.Join(wildFixtures, "mothur", "final.0.03.cons.taxonomy")
	// No lineages, default rank: the ASVs themselves, said on stderr.
	code, out, errs := zonula(t, "", "metrics", shared)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"mothur label unique of 4 (unique, 0.01, 0.02, 0.03); --label picks another", "no feature of the tables has a lineage down to genus", "103 features"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	reads, observed := alphaColumn(t, out, "reads"), alphaColumn(t, out, "observed")
	for s, n := range reads {
		if n == 0 || observed[s] < 10 {
			t.Errorf("%s: %v reads, %v observed", s, n, observed[s])
		}
	}
	// The same as --rank feature, byte for byte.
	if _, out2, _ := zonula(t, "", "metrics", shared, "--rank", "feature"); out2 != out {
		t.Errorf("fallback differs from --rank feature:\n%s\n%s", out, out2)
	}
	// An explicit rank no feature reaches is an error naming --rank feature.
	if code, _, errs := zonula(t, "", "metrics", shared, "--rank", "genus"); code != exitBadInput || !strings.Contains(errs, "--rank feature") {
		t.Errorf("explicit --rank genus: exit %d: %s", code, errs)
	}
	// The taxonomy picks its label, and genera appear; --label 0.01 reads fewer merged OTUs than unique.
	code, out, errs = zonula(t, "", "metrics", shared, "--taxonomy", tax)
	if code != 0 || !strings.Contains(errs, "mothur label 0.03 of 4") || strings.Contains(errs, "lineage") {
		t.Fatalf("with taxonomy: exit %d: %s", code, errs)
	}
	if g := alphaColumn(t, out, "observed"); g["F3D1"] < 3 || g["F3D1"] > 12 {
		t.Errorf("genera observed %v", g)
	}
	if code, _, errs := zonula(t, "", "metrics", shared, "--taxonomy", tax, "--label", "unique"); code != exitBadInput || !strings.Contains(errs, "is for label \"0.03\"") {
		t.Errorf("label against the taxonomy: exit %d: %s", code, errs)
	}
	// kraken2 with empty rank codes.
	code, out, errs = zonula(t, "", "metrics", filepath.Join(wildFixtures, "kraken2", "S1.kreport"))
	if code != 0 || alphaColumn(t, out, "observed")["S1"] != 8 {
		t.Errorf("kraken2 custom taxonomy: exit %d\n%s%s", code, out, errs)
	}
}
