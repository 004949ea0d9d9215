package metrics

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// refTol is the relative (and absolute, for values near 0) tolerance against
// the reference tools.
const refTol = 1e-9

// refDoc is testdata/refvalues.json, written by scripts/refvalues.sh with
// Debian bookworm's scikit-bio and vegan (versions in its provenance block).
type refDoc struct {
	Provenance map[string]any `json:"provenance"`
	Alpha      []struct {
		Name   string                     `json:"name"`
		Counts []float64                  `json:"counts"`
		Skbio  map[string]json.RawMessage `json:"skbio"`
		Vegan  map[string]json.RawMessage `json:"vegan"`
	} `json:"alpha"`
	Beta []struct {
		Name  string                     `json:"name"`
		A     []float64                  `json:"a"`
		B     []float64                  `json:"b"`
		Skbio map[string]json.RawMessage `json:"skbio"`
		Vegan map[string]json.RawMessage `json:"vegan"`
	} `json:"beta"`
}

func loadRef(t *testing.T) *refDoc {
	t.Helper()
	b, err := os.ReadFile("testdata/refvalues.json")
	if err != nil {
		t.Fatal(err)
	}
	var d refDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("testdata/refvalues.json: %v", err)
	}
	if len(d.Alpha) == 0 || len(d.Beta) == 0 {
		t.Fatal("testdata/refvalues.json has no values; run scripts/refvalues.sh")
	}
	return &d
}

// refValue decodes one reference value: a number, "NaN", "Inf", "-Inf", or
// "error: ..." (ok false, with the message).
func refValue(raw json.RawMessage) (v float64, msg string, ok bool) {
	if err := json.Unmarshal(raw, &v); err == nil {
		return v, "", true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, "undecodable " + string(raw), false
	}
	switch s {
	case "NaN":
		return math.NaN(), "", true
	case "Inf":
		return math.Inf(1), "", true
	case "-Inf":
		return math.Inf(-1), "", true
	}
	return 0, s, false
}

// same reports whether got equals want within refTol; NaN equals NaN and
// infinities must match exactly.
func same(got, want float64) bool {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		return math.IsNaN(want) && math.IsNaN(got)
	case math.IsInf(want, 0) || math.IsInf(got, 0):
		return got == want
	}
	return scalar.EqualWithinAbsOrRel(got, want, refTol, refTol)
}

// convention is a documented choice where the references disagree with each
// other or with zonula, or refuse the input. want is zonula's value; follows
// names the reference zonula agrees with there ("skbio", "vegan" or "" for
// neither), and the test checks that reference really has that value. The
// other reference is not compared for that vector and metric. Each choice is
// also stated in the metric's doc comment.
type convention struct {
	vector, metric string
	want           float64
	follows        string
	why            string
}

var nan = math.NaN()

var alphaConventions = []convention{
	// Empty sample: scikit-bio's NaN (0/0), not vegan's rowSums-with-na.rm values.
	{"all_zero", "shannon", nan, "skbio", "empty sample; vegan gives 0"},
	{"all_zero", "shannon_base2", nan, "skbio", "empty sample; vegan gives 0"},
	{"all_zero", "shannon_base10", nan, "skbio", "empty sample; vegan gives 0"},
	{"all_zero", "simpson", nan, "skbio", "empty sample; vegan gives 1"},
	{"all_zero", "inverse_simpson", nan, "skbio", "empty sample; vegan gives Inf"},
	{"all_zero", "pielou", nan, "skbio", "empty sample; vegan's 0/log(0) gives -0"},
	{"all_zero", "ace", 0, "", "empty sample: no rare taxa, S_abund = 0; skbio raises IndexError, vegan NaN"},
	// No rare taxon: ACE = S_abund (scikit-bio); vegan's C_ace = 1 − 0/0 is NaN.
	{"one_taxon", "ace", 1, "skbio", "no rare taxa; vegan NaN"},
	{"one_taxon_padded", "ace", 1, "skbio", "no rare taxa; vegan NaN"},
	{"abundant_only", "ace", 3, "skbio", "no rare taxa; vegan NaN"},
	// Every rare taxon a singleton: undefined; skbio raises, vegan NaN, zonula NaN.
	{"one_read", "ace", nan, "vegan", "C_ace = 0; skbio raises ValueError"},
	{"one_read_padded", "ace", nan, "vegan", "C_ace = 0; skbio raises ValueError"},
	{"all_singletons", "ace", nan, "vegan", "C_ace = 0; skbio raises ValueError"},
}

var betaConventions = []convention{
	// Two empty samples: the union is empty, 0/0; scipy (skbio) returns 0.
	{"both_empty", "jaccard", nan, "vegan", "empty union; scipy ≥ 1.2 gives 0"},
}

func findConvention(cs []convention, vector, metric string) *convention {
	for i := range cs {
		if cs[i].vector == vector && cs[i].metric == metric {
			return &cs[i]
		}
	}
	return nil
}

var alphaFuncs = map[string]func([]float64) float64{
	"observed":        Observed,
	"shannon":         Shannon,
	"shannon_base2":   func(c []float64) float64 { return ShannonBase(c, 2) },
	"shannon_base10":  func(c []float64) float64 { return ShannonBase(c, 10) },
	"simpson":         Simpson,
	"inverse_simpson": InverseSimpson,
	"pielou":          Pielou,
	"chao1":           Chao1,
	"chao1_classic":   Chao1Classic, // scikit-bio only: vegan has no classic form
	"ace":             ACE,
	"goods_coverage":  GoodsCoverage,
}

var betaFuncs = map[string]func(a, b []float64) (float64, error){
	"braycurtis": BrayCurtis,
	"jaccard":    Jaccard,
}

// checkAgainst compares got with both references for one vector and metric.
func checkAgainst(t *testing.T, cs []convention, vector, metric string, got float64, refs map[string]map[string]json.RawMessage) {
	t.Helper()
	if c := findConvention(cs, vector, metric); c != nil {
		if !same(got, c.want) {
			t.Errorf("%s %s = %v, want %v (documented convention: %s)", vector, metric, got, c.want, c.why)
		}
		if c.follows != "" {
			raw, ok := refs[c.follows][metric]
			v, msg, isNum := refValue(raw)
			if !ok || !isNum || !same(v, c.want) {
				t.Errorf("%s %s: convention says zonula follows %s (%v), but %s gives %v %s", vector, metric, c.follows, c.want, c.follows, v, msg)
			}
		}
		return
	}
	compared := 0
	for _, tool := range []string{"skbio", "vegan"} {
		raw, ok := refs[tool][metric]
		if !ok {
			continue
		}
		want, msg, isNum := refValue(raw)
		if !isNum {
			t.Errorf("%s %s: %s refused (%s) and no convention is documented for it", vector, metric, tool, msg)
			continue
		}
		compared++
		if !same(got, want) {
			t.Errorf("%s %s = %.17g, %s gives %.17g", vector, metric, got, tool, want)
		}
	}
	if compared == 0 {
		t.Errorf("%s %s: no reference value to compare with", vector, metric)
	}
}

// TestAlphaReference compares every alpha metric with scikit-bio 0.5.8 and
// vegan 2.6-4 on each vector of testdata/alpha_counts.tsv.
func TestAlphaReference(t *testing.T) {
	d := loadRef(t)
	for _, v := range d.Alpha {
		refs := map[string]map[string]json.RawMessage{"skbio": v.Skbio, "vegan": v.Vegan}
		for metric, fn := range alphaFuncs {
			checkAgainst(t, alphaConventions, v.Name, metric, fn(v.Counts), refs)
		}
		// AlphaOf must agree with the single functions.
		a := AlphaOf(v.Counts, "genus")
		for metric, got := range map[string]float64{
			"observed": a.Observed, "shannon": a.Shannon, "simpson": a.Simpson,
			"inverse_simpson": a.InverseSimpson, "pielou": a.Pielou, "chao1": a.Chao1,
			"ace": a.ACE, "goods_coverage": a.GoodsCoverage,
		} {
			if want := alphaFuncs[metric](v.Counts); !same(got, want) {
				t.Errorf("%s: AlphaOf %s = %v, %s() = %v", v.Name, metric, got, metric, want)
			}
		}
	}
}

// TestSkbioShannonDefaultBase pins the trap the reference script avoids:
// scikit-bio 0.5.8's shannon() without base= is in bits.
func TestSkbioShannonDefaultBase(t *testing.T) {
	d := loadRef(t)
	if v, _ := d.Provenance["scikit-bio"].(string); !strings.HasPrefix(v, "0.5.") {
		t.Skipf("reference made with scikit-bio %s; the base-2 default is 0.5.x only", v)
	}
	for _, v := range d.Alpha {
		def, _, ok1 := refValue(v.Skbio["shannon_default_base"])
		b2, _, ok2 := refValue(v.Skbio["shannon_base2"])
		if !ok1 || !ok2 || !same(def, b2) {
			t.Errorf("%s: skbio default-base shannon %v, base 2 %v", v.Name, def, b2)
		}
	}
}

// TestBetaReference compares Bray–Curtis and Jaccard with scikit-bio (scipy)
// and vegan on each pair of testdata/beta_pairs.tsv.
func TestBetaReference(t *testing.T) {
	d := loadRef(t)
	for _, p := range d.Beta {
		refs := map[string]map[string]json.RawMessage{"skbio": p.Skbio, "vegan": p.Vegan}
		for metric, fn := range betaFuncs {
			got, err := fn(p.A, p.B)
			if err != nil {
				t.Errorf("%s %s: %v", p.Name, metric, err)
				continue
			}
			checkAgainst(t, betaConventions, p.Name, metric, got, refs)
			// Symmetric.
			if back, _ := fn(p.B, p.A); !same(back, got) {
				t.Errorf("%s %s not symmetric: %v vs %v", p.Name, metric, got, back)
			}
		}
	}
}

// TestConventionsUsed fails when a documented convention names a vector or
// metric that the reference file no longer has (a stale table).
func TestConventionsUsed(t *testing.T) {
	d := loadRef(t)
	alphaNames, betaNames := map[string]bool{}, map[string]bool{}
	for _, v := range d.Alpha {
		alphaNames[v.Name] = true
	}
	for _, p := range d.Beta {
		betaNames[p.Name] = true
	}
	for _, c := range alphaConventions {
		if !alphaNames[c.vector] || alphaFuncs[c.metric] == nil {
			t.Errorf("stale alpha convention %+v", c)
		}
	}
	for _, c := range betaConventions {
		if !betaNames[c.vector] || betaFuncs[c.metric] == nil {
			t.Errorf("stale beta convention %+v", c)
		}
	}
}
