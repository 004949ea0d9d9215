package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// refBeta is testdata/refvalues_beta.json, written by scripts/refvalues.sh
// (scripts/refvalues_beta.py and .R) with Debian bookworm's scikit-bio 0.5.8,
// vegan 2.6-4 and R 4.2.2; versions in its provenance block.
type refBeta struct {
	Provenance map[string]any `json:"provenance"`
	Tables     []struct {
		Name    string                     `json:"name"`
		Samples []string                   `json:"samples"`
		Taxa    []string                   `json:"taxa"`
		Counts  [][]float64                `json:"counts"`
		Groups  []string                   `json:"groups"`
		Skbio   map[string]json.RawMessage `json:"skbio"`
		Vegan   map[string]json.RawMessage `json:"vegan"`
	} `json:"tables"`
	Rarefy       map[string]map[string]json.RawMessage `json:"rarefy"`
	RarefyDepths []int                                 `json:"rarefy_depths"`
	BH           map[string]json.RawMessage            `json:"bh"`
}

func loadRefBeta(t *testing.T) *refBeta {
	t.Helper()
	b, err := os.ReadFile("testdata/refvalues_beta.json")
	if err != nil {
		t.Fatal(err)
	}
	var d refBeta
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("testdata/refvalues_beta.json: %v", err)
	}
	if len(d.Tables) == 0 || len(d.Rarefy) == 0 || len(d.BH) == 0 {
		t.Fatal("testdata/refvalues_beta.json is incomplete; run scripts/refvalues.sh")
	}
	return &d
}

// refVector decodes a list of reference values ("NaN" allowed); a string
// "error: ..." gives ok false and the message.
func refVector(t *testing.T, raw json.RawMessage) (v []float64, msg string, ok bool) {
	t.Helper()
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return nil, s, false
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		t.Fatalf("undecodable reference %s", raw)
	}
	for _, it := range items {
		x, m, isNum := refValue(it)
		if !isNum {
			t.Fatalf("reference item %s: %s", it, m)
		}
		v = append(v, x)
	}
	return v, "", true
}

func refMatrix(t *testing.T, raw json.RawMessage) ([][]float64, string, bool) {
	t.Helper()
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return nil, s, false
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatalf("undecodable reference matrix %s", raw)
	}
	var out [][]float64
	for _, r := range rows {
		v, _, _ := refVector(t, r)
		out = append(out, v)
	}
	return out, "", true
}

func sameVector(got, want []float64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d values, want %d", len(got), len(want))
	}
	for i := range got {
		if !same(got[i], want[i]) {
			return fmt.Errorf("value %d = %.17g, want %.17g", i, got[i], want[i])
		}
	}
	return nil
}

func loadTree(t *testing.T, name string) *Tree {
	t.Helper()
	path := "testdata/" + name + ".nwk"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ParseNewick(b, path)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestBetaTablesReference compares Bray–Curtis, Jaccard, Aitchison, CLR,
// multiplicative replacement, Faith PD and UniFrac with scikit-bio 0.5.8
// (and vegan 2.6-4 where it has the metric) on testdata/beta_table.tsv and
// beta_edge.tsv, using 1 and 2 workers.
func TestBetaTablesReference(t *testing.T) {
	d := loadRefBeta(t)
	for _, tb := range d.Tables {
		m := &CountMatrix{Samples: tb.Samples, Taxa: tb.Taxa, Counts: tb.Counts}
		check := func(what string, metric Metric, refs ...json.RawMessage) {
			t.Helper()
			for _, workers := range []int{1, 2} {
				dm, err := Distances(m, metric, workers)
				for k, raw := range refs {
					want, msg, ok := refVector(t, raw)
					if !ok {
						if err == nil {
							t.Errorf("%s %s: reference %d refused (%s) but zonula gave no error", tb.Name, what, k, msg)
						}
						continue
					}
					if err != nil {
						t.Errorf("%s %s: %v", tb.Name, what, err)
						continue
					}
					if e := sameVector(dm.Condensed(), want); e != nil {
						t.Errorf("%s %s (workers %d) vs reference %d: %v", tb.Name, what, workers, k, e)
					}
				}
			}
		}
		check("braycurtis", BrayCurtisMetric(), tb.Skbio["braycurtis"], tb.Vegan["braycurtis"])
		check("jaccard", JaccardMetric(), tb.Skbio["jaccard"], tb.Vegan["jaccard"])
		check("aitchison p=1", AitchisonMetric(1), tb.Skbio["aitchison_p1"], tb.Vegan["aitchison_p1"])
		check("aitchison multiplicative replacement", AitchisonReplacementMetric(0), tb.Skbio["aitchison_mr"])

		if want, _, ok := refMatrix(t, tb.Skbio["clr_p1"]); ok {
			for i, row := range m.Counts {
				got, err := CLR(row, 1)
				if err != nil {
					t.Fatal(err)
				}
				if e := sameVector(got, want[i]); e != nil {
					t.Errorf("%s CLR(%s, 1): %v", tb.Name, m.Samples[i], e)
				}
			}
		}
		if want, _, ok := refMatrix(t, tb.Skbio["multiplicative_replacement"]); ok {
			for i, row := range m.Counts {
				got, err := MultiplicativeReplacement(row, 0)
				if err != nil {
					t.Fatal(err)
				}
				if e := sameVector(got, want[i]); e != nil {
					t.Errorf("%s MultiplicativeReplacement(%s): %v", tb.Name, m.Samples[i], e)
				}
			}
		}

		for _, treeName := range []string{"tree", "tree_rootlen", "tree_nolength"} {
			var ref map[string]json.RawMessage
			if err := json.Unmarshal(tb.Skbio[treeName], &ref); err != nil {
				t.Fatalf("%s: no skbio values for %s", tb.Name, treeName)
			}
			tr := loadTree(t, treeName)
			pd, err := FaithPDs(m, tr)
			if want, msg, ok := refVector(t, ref["faith_pd"]); !ok {
				if err == nil {
					t.Errorf("%s %s Faith PD: skbio refused (%s), zonula gave %v", tb.Name, treeName, msg, pd)
				}
			} else if err != nil {
				t.Errorf("%s %s Faith PD: %v", tb.Name, treeName, err)
			} else if e := sameVector(pd, want); e != nil {
				t.Errorf("%s %s Faith PD: %v", tb.Name, treeName, e)
			}
			for i, row := range m.Counts { // the one-sample form agrees
				one, err1 := FaithPD(row, m.Taxa, tr)
				if (err1 == nil) != (err == nil) || err == nil && !same(one, pd[i]) {
					t.Errorf("%s %s FaithPD(%s) = %v, %v; FaithPDs gave %v, %v", tb.Name, treeName, m.Samples[i], one, err1, pd[i], err)
				}
			}
			check(treeName+" unweighted UniFrac", UnweightedUniFracMetric(tr), ref["unweighted_unifrac"])
			check(treeName+" weighted UniFrac", WeightedUniFracMetric(tr, false), ref["weighted_unifrac"])
			check(treeName+" weighted normalized UniFrac", WeightedUniFracMetric(tr, true), ref["weighted_normalized_unifrac"])
		}
	}
}

// TestPCoAReference compares PCoA with scikit-bio 0.5.8 pcoa (eigenvalues,
// proportions, coordinates up to the sign of each axis) and the positive
// eigenvalues with vegan's cmdscale.
func TestPCoAReference(t *testing.T) {
	d := loadRefBeta(t)
	tb := d.Tables[0]
	m := &CountMatrix{Samples: tb.Samples, Taxa: tb.Taxa, Counts: tb.Counts}
	for name, metric := range map[string]Metric{
		"braycurtis": BrayCurtisMetric(), "aitchison_p1": AitchisonMetric(1),
		"unweighted_unifrac": UnweightedUniFracMetric(loadTree(t, "tree")),
	} {
		dm, err := Distances(m, metric, 2)
		if err != nil {
			t.Fatal(err)
		}
		o, err := PCoA(dm)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(tb.Skbio["pcoa_"+name], &raw); err != nil {
			t.Fatalf("pcoa_%s: %v", name, err)
		}
		eig, _, _ := refVector(t, raw["eigvals"])
		prop, _, _ := refVector(t, raw["proportion_explained"])
		coords, _, _ := refMatrix(t, raw["coordinates"])
		// Eigenvalues that are 0 up to rounding are compared absolutely.
		tol := 1e-9 * eig[0]
		for k := range eig {
			if math.Abs(o.Eigenvalues[k]-eig[k]) > max(tol, 1e-9*math.Abs(eig[k])) {
				t.Errorf("%s eigenvalue %d = %.17g, skbio %.17g", name, k, o.Eigenvalues[k], eig[k])
			}
			if math.Abs(o.ProportionExplained[k]-prop[k]) > 1e-9 {
				t.Errorf("%s proportion %d = %.17g, skbio %.17g", name, k, o.ProportionExplained[k], prop[k])
			}
			if eig[k] <= tol || k+1 < len(eig) && math.Abs(eig[k]-eig[k+1]) < 1e-6*eig[0] || k > 0 && math.Abs(eig[k]-eig[k-1]) < 1e-6*eig[0] {
				continue // null or degenerate axis: any rotation is right
			}
			sign := 1.0
			for i := range coords {
				if math.Abs(coords[i][k]) > 1e-6 {
					sign = math.Copysign(1, coords[i][k]*o.Coordinates[i][k])
					break
				}
			}
			for i := range coords {
				if g, w := o.Coordinates[i][k], sign*coords[i][k]; math.Abs(g-w) > 1e-9*max(1, math.Abs(w)) {
					t.Errorf("%s coordinate %s axis %d = %.17g, skbio %.17g (sign-aligned)", name, o.IDs[i], k, g, w)
				}
			}
		}
		if name == "braycurtis" {
			cmd, _, _ := refVector(t, tb.Vegan["cmdscale_bray_eig"])
			for k, v := range cmd {
				if v > tol && !same(o.Eigenvalues[k], v) {
					t.Errorf("bray eigenvalue %d = %.17g, vegan cmdscale %.17g", k, o.Eigenvalues[k], v)
				}
			}
		}
		// Deterministic sign: the largest |coordinate| of each axis is positive.
		for k := range o.Eigenvalues {
			big, v := 0.0, 0.0
			for i := range o.Coordinates {
				if a := math.Abs(o.Coordinates[i][k]); a > big+1e-12 {
					big, v = a, o.Coordinates[i][k]
				}
			}
			if v < 0 {
				t.Errorf("%s axis %d: largest coordinate %v is negative", name, k, v)
			}
		}
	}
}

// exactPermanovaP enumerates every relabelling of the samples (those with
// the same group sizes) and returns the exact p-value #{F* ≥ F} / #all,
// an independent check of the permutation p-value on small tables. strict
// counts only F* clearly above F: where F* ties F up to rounding,
// scikit-bio's plain F* ≥ F counts a tie or not depending on rounding, so
// its p lies between the two.
func exactPermanovaP(t *testing.T, dm *DistanceMatrix, groups []string) (p, strict float64) {
	t.Helper()
	obs, err := Permanova(dm, groups, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	n := len(groups)
	labels := slices.Clone(groups)
	slices.Sort(labels)
	var hits, above, all int
	// Distinct permutations of the sorted multiset of labels.
	for {
		r, err := Permanova(dm, labels, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		all++
		if r.F >= obs.F-1e-12*obs.F {
			hits++
		}
		if r.F > obs.F+1e-12*obs.F {
			above++
		}
		// next permutation
		i := n - 2
		for i >= 0 && labels[i] >= labels[i+1] {
			i--
		}
		if i < 0 {
			break
		}
		j := n - 1
		for labels[j] <= labels[i] {
			j--
		}
		labels[i], labels[j] = labels[j], labels[i]
		slices.Reverse(labels[i+1:])
	}
	return float64(hits) / float64(all), float64(above) / float64(all)
}

// TestPermanovaReference: F equals scikit-bio permanova's and vegan
// adonis2's, R² equals adonis2's, and the p-values (zonula's, scikit-bio's,
// vegan's, 9,999 permutations each) agree with the exact enumeration within
// 4 standard errors.
func TestPermanovaReference(t *testing.T) {
	d := loadRefBeta(t)
	tb := d.Tables[0]
	m := &CountMatrix{Samples: tb.Samples, Taxa: tb.Taxa, Counts: tb.Counts}
	for name, metric := range map[string]Metric{
		"braycurtis": BrayCurtisMetric(), "aitchison_p1": AitchisonMetric(1),
		"unweighted_unifrac": UnweightedUniFracMetric(loadTree(t, "tree")),
	} {
		dm, err := Distances(m, metric, 2)
		if err != nil {
			t.Fatal(err)
		}
		const perms = 9999
		r, err := Permanova(dm, tb.Groups, perms, 42)
		if err != nil {
			t.Fatal(err)
		}
		var sk map[string]float64
		if err := json.Unmarshal(tb.Skbio["permanova_"+name], &sk); err != nil {
			t.Fatal(err)
		}
		if !same(r.F, sk["F"]) {
			t.Errorf("%s F = %.17g, skbio %.17g", name, r.F, sk["F"])
		}
		exact, strict := exactPermanovaP(t, dm, tb.Groups)
		se := math.Sqrt(exact * (1 - exact) / perms)
		pvals := map[string]float64{"zonula": r.P, "skbio": sk["p9999"]}
		if raw, ok := tb.Vegan["adonis2_"+name+"_F"]; ok {
			f, _, _ := refVector(t, raw)
			r2, _, _ := refVector(t, tb.Vegan["adonis2_"+name+"_R2"])
			p, _, _ := refVector(t, tb.Vegan["adonis2_"+name+"_p9999"])
			if !same(r.F, f[0]) || !same(r.R2, r2[0]) {
				t.Errorf("%s F, R² = %.17g, %.17g; vegan adonis2 %.17g, %.17g", name, r.F, r.R2, f[0], r2[0])
			}
			pvals["vegan"] = p[0]
		}
		for who, p := range pvals {
			lo := exact
			if who == "skbio" {
				lo = strict
			}
			if p < lo-4*se-1.0/(perms+1) || p > exact+4*se+1.0/(perms+1) {
				t.Errorf("%s p-value (%s) %v, exact %v (strict %v, SE %.4f)", name, who, p, exact, strict, se)
			}
		}
		again, _ := Permanova(dm, tb.Groups, perms, 42)
		if again.P != r.P {
			t.Errorf("%s: same seed gave p %v then %v", name, r.P, again.P)
		}
	}
}

// TestRarefactionReference compares ExpectedRichness with vegan rarefy on
// every vector of alpha_counts.tsv; vegan's NA (depth > N, where vegan itself
// returns S_obs with a warning) is zonula's NaN.
func TestRarefactionReference(t *testing.T) {
	d := loadRefBeta(t)
	ref := loadRef(t)
	for _, v := range ref.Alpha {
		raw, ok := d.Rarefy[v.Name]["rarefy"]
		if !ok {
			t.Errorf("%s: no vegan rarefy values", v.Name)
			continue
		}
		want, _, _ := refVector(t, raw)
		got := RarefactionCurve(v.Counts, d.RarefyDepths)
		if e := sameVector(got, want); e != nil {
			t.Errorf("%s rarefy at %v: %v (got %v)", v.Name, d.RarefyDepths, e, got)
		}
	}
}

// TestWelchCLRReference compares Welch's test of each taxon's CLR values
// with R t.test on decostand(x, "clr", pseudocount = 1) and the BH q-values
// with p.adjust(p, "BH").
func TestWelchCLRReference(t *testing.T) {
	d := loadRefBeta(t)
	tb := d.Tables[0]
	clr := make([][]float64, len(tb.Counts))
	for i, row := range tb.Counts {
		v, err := CLR(row, 1)
		if err != nil {
			t.Fatal(err)
		}
		clr[i] = v
	}
	names := slices.Compact(slices.Sorted(slices.Values(tb.Groups)))
	var tv, df, p []float64
	for j := range tb.Taxa {
		var a, b []float64
		for i, g := range tb.Groups {
			if g == names[0] {
				a = append(a, clr[i][j])
			} else {
				b = append(b, clr[i][j])
			}
		}
		r := WelchTest(a, b)
		tv, df, p = append(tv, r.T), append(df, r.DF), append(p, r.P)
		if m1, _ := meanVar(a); !same(r.Diff, m1-mean(b)) || (r.T > 0) != (r.Diff > 0) || !(r.Low < r.Diff && r.Diff < r.High) {
			t.Errorf("%s: diff %v, t %v, CI %v–%v", tb.Taxa[j], r.Diff, r.T, r.Low, r.High)
		}
	}
	for _, c := range []struct {
		key string
		got []float64
	}{{"welch_t", tv}, {"welch_df", df}, {"welch_p", p}, {"welch_q", BenjaminiHochberg(p)}} {
		want, _, _ := refVector(t, tb.Vegan[c.key])
		if e := sameVector(c.got, want); e != nil {
			t.Errorf("%s: %v", c.key, e)
		}
	}
}

func mean(x []float64) float64 {
	m, _ := meanVar(x)
	return m
}

func TestBenjaminiHochbergReference(t *testing.T) {
	d := loadRefBeta(t)
	in, _, _ := refVector(t, d.BH["input"])
	want, _, _ := refVector(t, d.BH["p.adjust_BH"])
	if e := sameVector(BenjaminiHochberg(in), want); e != nil {
		t.Errorf("BH vs R p.adjust: %v", e)
	}
	if q := BenjaminiHochberg(nil); len(q) != 0 {
		t.Errorf("BH(nil) = %v", q)
	}
}

func TestRefBetaProvenance(t *testing.T) {
	d := loadRefBeta(t)
	for _, k := range []string{"scikit-bio", "vegan", "R"} {
		if v, _ := d.Provenance[k].(string); v == "" || strings.Contains(v, "unknown") {
			t.Errorf("provenance has no %s version", k)
		}
	}
}
