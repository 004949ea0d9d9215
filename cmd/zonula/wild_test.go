package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
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

// TestMetricsLogBaseAgainstReferences runs 'zonula metrics --log-base 2|e|10'
// on a table of the reference count vectors and compares Shannon with
// scikit-bio 0.5.8 and vegan 2.6-4 and classic Chao1 with scikit-bio
// (pipeline/metrics/testdata/refvalues.json, scripts/refvalues.sh), 1e-9.
func TestMetricsLogBaseAgainstReferences(t *testing.T) {
	data, err := os.ReadFile("../../pipeline/metrics/testdata/refvalues.json")
	if err != nil {
		t.Fatal(err)
	}
	type refVector struct {
		Name         string
		Counts       []float64
		Skbio, Vegan map[string]float64 // numeric values only
	}
	var raw struct {
		Alpha []struct {
			Name         string         `json:"name"`
			Counts       []float64      `json:"counts"`
			Skbio, Vegan map[string]any // numbers, or "NaN", "error: …"
		} `json:"alpha"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	numbers := func(m map[string]any) map[string]float64 {
		out := map[string]float64{}
		for k, x := range m {
			if f, ok := x.(float64); ok {
				out[k] = f
			}
		}
		return out
	}
	use := []string{"uneven5", "gut_like", "large_counts", "rare_mixed", "singleton_doubleton", "no_doubletons"}
	var ref struct{ Alpha []refVector }
	for _, r := range raw.Alpha {
		if slices.Contains(use, r.Name) {
			ref.Alpha = append(ref.Alpha, refVector{r.Name, r.Counts, numbers(r.Skbio), numbers(r.Vegan)})
		}
	}
	if len(ref.Alpha) != len(use) {
		t.Fatalf("%d reference vectors", len(ref.Alpha))
	}
	// Taxa as rows, one column per vector.
	width := 0
	for _, a := range ref.Alpha {
		width = max(width, len(a.Counts))
	}
	var b strings.Builder
	b.WriteString("#OTU ID")
	for _, a := range ref.Alpha {
		b.WriteString("\t" + a.Name)
	}
	b.WriteString("\n")
	for j := range width {
		b.WriteString("OTU" + strconv.Itoa(j))
		for _, a := range ref.Alpha {
			c := 0.0
			if j < len(a.Counts) {
				c = a.Counts[j]
			}
			b.WriteString("\t" + strconv.FormatFloat(c, 'f', -1, 64))
		}
		b.WriteString("\n")
	}
	table := filepath.Join(t.TempDir(), "counts.tsv")
	if err := os.WriteFile(table, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	near := func(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want)) }
	for base, key := range map[string]string{"2": "shannon_base2", "e": "shannon", "10": "shannon_base10"} {
		code, out, errs := zonula(t, "", "metrics", table, "--rank", "feature", "--log-base", base)
		if code != 0 {
			t.Fatalf("--log-base %s: exit %d: %s", base, code, errs)
		}
		sh, classic := alphaColumn(t, out, "shannon"), alphaColumn(t, out, "chao1_classic")
		for _, a := range ref.Alpha {
			if !near(sh[a.Name], a.Skbio[key]) || !near(sh[a.Name], a.Vegan[key]) {
				t.Errorf("%s base %s: shannon %.17g, skbio %.17g, vegan %.17g", a.Name, base, sh[a.Name], a.Skbio[key], a.Vegan[key])
			}
			if !near(classic[a.Name], a.Skbio["chao1_classic"]) {
				t.Errorf("%s: classic Chao1 %v, skbio %v", a.Name, classic[a.Name], a.Skbio["chao1_classic"])
			}
		}
	}
	if code, _, errs := zonula(t, "", "metrics", table, "--log-base", "3"); code != exitUsage || !strings.Contains(errs, "--log-base") {
		t.Errorf("--log-base 3: exit %d: %s", code, errs)
	}
}

// TestCohortWildTables: 'zonula cohort' takes the table-import flags of
// 'zonula metrics': a mothur .shared with its .cons.taxonomy gives every
// sample genus reads, and a --label the taxonomy was not made for is bad
// input.
func TestCohortWildTables(t *testing.T) {
	shared := filepath.Join(wildFixtures, "mothur", "final.shared")
	tax := filepath.Join(wildFixtures, "mothur", "final.0.03.cons.taxonomy")
	out := filepath.Join(t.TempDir(), "cohort")
	if code, _, errs := zonula(t, "", "cohort", "--format", "none", "-q", "-o", out, shared, "--taxonomy", tax); code != 0 {
		t.Fatalf("cohort with --taxonomy: exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(filepath.Join(out, "alpha.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(rows) < 3 {
		t.Fatalf("alpha.tsv has %d rows", len(rows))
	}
	for _, row := range rows[1:] {
		if f := strings.Split(row, "\t"); len(f) < 3 || f[2] == "0" {
			t.Errorf("sample without genus reads: %q", row)
		}
	}
	if code, _, errs := zonula(t, "", "cohort", "--format", "none", "-q", "-o", out+"2", shared, "--taxonomy", tax, "--label", "unique"); code != exitBadInput ||
		!strings.Contains(errs, `is for label "0.03"`) {
		t.Errorf("--label against the taxonomy: exit %d: %s", code, errs)
	}
}
