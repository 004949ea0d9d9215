package metrics

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestPercentileMidRank(t *testing.T) {
	ref := []float64{1, 2, 3, 4, 5}
	for _, tc := range []struct{ v, want float64 }{
		{3, 50},   // the median: 2 below + ½ equal of 5
		{0, 0},    // below all
		{9, 100},  // above all
		{2.5, 40}, // 2 below, none equal
		{1, 10},   // ½ of 1 equal
	} {
		if p, ok := Percentile(ref, tc.v); !ok || p != tc.want {
			t.Errorf("Percentile(%v) = %v, %v; want %v", tc.v, p, ok, tc.want)
		}
	}
	// Ties: 100·(1 + ½·3)/5 = 50; all equal gives 50.
	if p, _ := Percentile([]float64{0, 2, 2, 2, 7}, 2); p != 50 {
		t.Errorf("ties: %v", p)
	}
	if p, _ := Percentile([]float64{0, 0, 0}, 0); p != 50 {
		t.Errorf("all equal: %v", p)
	}
	if _, ok := Percentile([]float64{math.NaN()}, 1); ok {
		t.Error("percentile among no finite values")
	}
	if _, ok := Percentile(ref, math.NaN()); ok {
		t.Error("percentile of NaN")
	}
}

// The set's binary search must agree with the linear count of Percentile.
func TestReferenceSetMatchesLinearCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 4))
	var vals []float64
	var rows []map[string]float64
	var names []string
	for i := range 200 {
		v := math.Round(rng.NormFloat64()*4) / 2 // many ties
		vals = append(vals, v)
		rows = append(rows, map[string]float64{"x": v})
		names = append(names, "s"+string(rune('A'+i%26))+strings.Repeat("+", i/26))
	}
	rs, err := NewReferenceSet(ReferenceMeta{Name: "test", Source: "generated"}, names, rows)
	if err != nil {
		t.Fatal(err)
	}
	for range 500 {
		v := math.Round(rng.NormFloat64()*5) / 2
		want, _ := Percentile(vals, v)
		got, ok := rs.Percentile("x", v)
		if !ok || math.Abs(got-want) > 1e-12 {
			t.Fatalf("Percentile(%v) = %v, linear count %v", v, got, want)
		}
	}
	if _, ok := rs.Percentile("y", 1); ok {
		t.Error("percentile of a metric the set lacks")
	}
	if rs.N() != 200 || rs.Name() != "test (n = 200)" {
		t.Errorf("N %d, Name %q", rs.N(), rs.Name())
	}
}

func TestReferenceTSVRoundTrip(t *testing.T) {
	rows := []map[string]float64{{"a": 0.1, "b": 1.0 / 3}, {"a": 0.2}, {"a": math.NaN(), "b": 2}}
	var buf bytes.Buffer
	if err := WriteReferenceTSV(&buf, ReferenceMeta{Name: "tiny", Source: "hand-made", Refs: []string{"R-X"}, Note: "made by hand"}, []string{"s1", "s2", "s3"}, rows); err != nil {
		t.Fatal(err)
	}
	want := "#zonula-reference-set\t1\n#name\ttiny\n#source\thand-made\n#refs\tR-X\n#note\tmade by hand\n#method\tother\nsample\ta\tb\n" +
		"s1\t0.10000000000000001\t0.33333333333333331\ns2\t0.20000000000000001\tNA\ns3\tNA\t2\n"
	if buf.String() != want {
		t.Errorf("TSV:\n%s\nwant:\n%s", buf.String(), want)
	}
	rs, err := ReadReferenceTSV(&buf, "tiny.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rs.Values("a"), []float64{0.1, 0.2}) || !slices.Equal(rs.Values("b"), []float64{1.0 / 3, 2}) ||
		rs.Source() != "hand-made" || rs.Note() != "made by hand" || !slices.Equal(rs.Refs(), []string{"R-X"}) || rs.N() != 3 {
		t.Errorf("read back: %v %v %q %v", rs.Values("a"), rs.Values("b"), rs.Source(), rs.Refs())
	}
}

func TestReadReferenceTSVErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		line int
		msg  string
	}{
		{"sample\ta\n", 1, "not a zonula reference set"},
		{"#zonula-reference-set\t1\nsample\ta\ns1\t0.1\t0.2\n", 3, "3 fields, want 2"},
		{"#zonula-reference-set\t1\nsample\ta\ns1\tlots\n", 3, `a: value "lots"`},
		{"#zonula-reference-set\t1\nsample\ta\n", 2, "no samples"},
		{"#zonula-reference-set\t1\nsample\ta\ns1\t1\ns1\t2\n", 4, "appears twice"},
	} {
		_, err := ReadReferenceTSV(strings.NewReader(tc.in), "ref.tsv")
		var re *RefSetError
		if !errors.As(err, &re) || re.Line != tc.line || re.File != "ref.tsv" || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: %v, want line %d and %q", tc.in, err, tc.line, tc.msg)
		}
	}
}

func TestEmbeddedReferenceSet(t *testing.T) {
	rs, err := EmbeddedReferenceSet()
	if err != nil {
		t.Fatal(err)
	}
	if rs.N() != 61 || !strings.Contains(rs.Name(), "lean") || !strings.Contains(rs.Source(), "LGPL-3") ||
		!slices.Equal(rs.Refs(), []string{"R-TUR09", "R-HOL12"}) {
		t.Errorf("embedded set: n %d, name %q, refs %v", rs.N(), rs.Name(), rs.Refs())
	}
	for _, m := range []string{"shannon", "simpson", "richness", "IDX-02", "IDX-04", "taxon:T-01", "taxon:T-07", "taxon:T-08", "taxon:T-10", "taxon:T-11", "sulfide", "oral"} {
		v := rs.Values(m)
		if len(v) != 61 {
			t.Errorf("%s: %d values, want 61", m, len(v))
			continue
		}
		// A value equal to the median of a metric without ties at the
		// median lands at 50; with ties, within the tied block.
		med := (v[30])
		p, _ := rs.Percentile(m, med)
		lo, _ := rs.Percentile(m, math.Nextafter(med, math.Inf(-1)))
		hi, _ := rs.Percentile(m, math.Nextafter(med, math.Inf(1)))
		if p < lo || p > hi || lo > 50 || hi < 50 {
			t.Errorf("%s: the median %v lands at %v (block %v–%v)", m, med, p, lo, hi)
		}
	}
	// Continuous metrics: the median is exactly at 50.
	for _, m := range []string{"shannon", "simpson", "IDX-04", "IDX-02"} {
		if p, _ := rs.Percentile(m, rs.Values(m)[30]); p != 50 {
			t.Errorf("%s: median at %v, want 50", m, p)
		}
	}
	again, _ := EmbeddedReferenceSet()
	for _, m := range rs.Metrics() {
		if !slices.Equal(rs.Values(m), again.Values(m)) {
			t.Errorf("%s differs between loads", m)
		}
	}
}

func FuzzReadReferenceTSV(f *testing.F) {
	f.Add([]byte("#zonula-reference-set\t1\n#name\tx\nsample\ta\tb\ns1\t1\tNA\n"))
	f.Add(twinsLean[:2000])
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ReadReferenceTSV(bytes.NewReader(data), "fuzz")
		var re *RefSetError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("error without a position: %v", err)
		}
		if err == nil {
			for _, m := range rs.Metrics() {
				rs.Percentile(m, 0.5)
			}
		}
	})
}
