package plots

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/zonula/zonula/pipeline/qc"
)

func svg(t *testing.T, p *plot.Plot) []byte {
	t.Helper()
	c := vgsvg.NewWith(vgsvg.UseWH(12*vg.Centimeter, 8*vg.Centimeter), vgsvg.EmbedFonts(true))
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFiguresRenderDeterministically(t *testing.T) {
	shares := []Share{{"Bacteroides", 22.5}, {"Faecalibacterium", 10.1}, {"other (12 genera)", 3}, {"unclassified", 4.2}}
	bins := []qc.Bin{{Lo: 0, Hi: 50}, {Lo: 1400, Hi: 1450, Count: 30}, {Lo: 1450, Hi: 1500, Count: 90}, {Lo: 1500, Hi: 1550, Count: 12}}
	makers := map[string]func() (*plot.Plot, error){
		"genera": func() (*plot.Plot, error) { return TopGenera(shares) },
		"phyla":  func() (*plot.Plot, error) { return Phyla(shares) },
		"length": func() (*plot.Plot, error) { return LengthHistogram(bins) },
		"percentiles": func() (*plot.Plot, error) {
			return PercentileGauges([]Position{{"Shannon", 12}, {"Butyrate producers", 88}})
		},
		"rarefaction": func() (*plot.Plot, error) {
			return Rarefaction([]int{0, 50, 100}, []float64{0, 11.5, 14.2}, "Expected genera")
		},
	}
	for name, mk := range makers {
		p1, err := mk()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p2, _ := mk()
		a, b := svg(t, p1), svg(t, p2)
		if !bytes.Equal(a, b) || len(a) < 1000 {
			t.Errorf("%s: SVG not deterministic or empty (%d bytes)", name, len(a))
		}
		x, y := png(t, p1), png(t, p2)
		if !bytes.Equal(x, y) || !bytes.HasPrefix(x, []byte("\x89PNG")) {
			t.Errorf("%s: PNG not deterministic or not a PNG (%d bytes)", name, len(x))
		}
	}
	if !bytes.Contains(svg(t, mustPlot(TopGenera(shares))), []byte("Faecalibacterium")) {
		t.Error("genus names missing from the SVG")
	}
}

func png(t *testing.T, p *plot.Plot) []byte {
	t.Helper()
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(12*vg.Centimeter, 8*vg.Centimeter), vgimg.UseDPI(96))}
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustPlot(p *plot.Plot, err error) *plot.Plot {
	if err != nil {
		panic(err)
	}
	return p
}

func TestFigureErrors(t *testing.T) {
	if _, err := TopGenera(nil); err == nil {
		t.Error("no bars accepted")
	}
	if _, err := LengthHistogram([]qc.Bin{{Lo: 0, Hi: 50}}); err == nil {
		t.Error("empty histogram accepted")
	}
}

func TestRemainderBarsAreGrey(t *testing.T) {
	withRest := svg(t, mustPlot(TopGenera([]Share{{"Bacteroides", 22.5}, {"unclassified", 4.2}})))
	without := svg(t, mustPlot(TopGenera([]Share{{"Bacteroides", 22.5}, {"Prevotella", 4.2}})))
	grey := []byte("fill:#999999")
	if !bytes.Contains(withRest, grey) || bytes.Contains(without, grey) {
		t.Error("the unclassified bar is not grey, or a taxon bar is")
	}
}

func TestCohortFiguresRenderDeterministically(t *testing.T) {
	makers := map[string]func() (*plot.Plot, error){
		"stacked": func() (*plot.Plot, error) {
			return StackedShares([]string{"s1", "s2", "s3"}, []string{"Bacteroides", "Akkermansia", "other (3 genera)", "unclassified"},
				[][]float64{{50, 40, 60}, {30, 0, 10}, {15, 50, 20}, {5, 10, 10}})
		},
		"pcoa": func() (*plot.Plot, error) {
			return Ordination([]Point{{0.1, 0.2, 0}, {-0.3, 0.1, 1}, {0.2, -0.1, 0}}, []string{"a", "b"}, "PC1 (60 %)", "PC2 (30 %)")
		},
		"strip": func() (*plot.Plot, error) {
			return GroupStrip([]string{"a", "b"}, [][]float64{{1.5, 1.7, 1.6}, {2.1, 2.0}}, "Shannon")
		},
	}
	for name, mk := range makers {
		p1, err := mk()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p2, _ := mk()
		a, b := svg(t, p1), svg(t, p2)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renderings differ", name)
		}
		if !bytes.Contains(a, []byte("<svg")) {
			t.Errorf("%s: no SVG", name)
		}
	}
	if _, err := StackedShares([]string{"s1"}, []string{"A"}, [][]float64{{-1}}); err == nil {
		t.Error("negative share accepted")
	}
	if _, err := Ordination([]Point{{0, 0, 3}}, []string{"a"}, "", ""); err == nil {
		t.Error("point in an unknown group accepted")
	}
	var labels []string
	for _, tk := range (distinctTicks{}).Ticks(1.7, 1.92) {
		if tk.Label != "" {
			if slices.Contains(labels, tk.Label) {
				t.Errorf("tick label %q twice", tk.Label)
			}
			labels = append(labels, tk.Label)
		}
	}
	if len(labels) < 2 {
		t.Errorf("tick labels %q", labels)
	}
	for _, tk := range (distinctTicks{}).Ticks(-0.17, 0.17) {
		if tk.Label != "" && tk.Label != strconv.FormatFloat(tk.Value, 'f', -1, 64) && tk.Label != strconv.FormatFloat(tk.Value, 'f', 2, 64) {
			t.Errorf("tick %v labelled %q", tk.Value, tk.Label)
		}
	}
	if m := median([]float64{3, 1, 2, 10}); m != 2.5 {
		t.Errorf("median = %v, want 2.5", m)
	}
}

func TestPercentileGaugesAndRarefactionRejectBadData(t *testing.T) {
	for name, mk := range map[string]func() (*plot.Plot, error){
		"no gauges":          func() (*plot.Plot, error) { return PercentileGauges(nil) },
		"percentile above":   func() (*plot.Plot, error) { return PercentileGauges([]Position{{"Shannon", 101}}) },
		"percentile NaN":     func() (*plot.Plot, error) { return PercentileGauges([]Position{{"Shannon", math.NaN()}}) },
		"one point":          func() (*plot.Plot, error) { return Rarefaction([]int{10}, []float64{3}, "y") },
		"lengths differ":     func() (*plot.Plot, error) { return Rarefaction([]int{0, 10}, []float64{0}, "y") },
		"rarefaction is NaN": func() (*plot.Plot, error) { return Rarefaction([]int{0, 10}, []float64{0, math.NaN()}, "y") },
	} {
		if _, err := mk(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Every measure is named on the gauge figure, first on top.
	out := svg(t, mustPlot(PercentileGauges([]Position{{"Shannon", 12}, {"Mucus-layer taxa", 60}})))
	i, j := bytes.Index(out, []byte("Shannon")), bytes.Index(out, []byte("Mucus-layer taxa"))
	if i < 0 || j < 0 {
		t.Fatalf("measure names missing from the gauge SVG")
	}
}

// TestNoNeedlessDecimals checks every figure's numeric axes: tick labels
// carry no decimals that add nothing ("5", not "5.0").
func TestNoNeedlessDecimals(t *testing.T) {
	p, err := Rarefaction([]int{0, 1000, 2000, 3000, 4000}, []float64{0, 5.2, 6.6, 7.4, 8}, "Expected genera")
	if err != nil {
		t.Fatal(err)
	}
	bars, err := TopGenera([]Share{{"Escherichia", 52}, {"Bacteroides", 12.5}, {"unclassified", 0}})
	if err != nil {
		t.Fatal(err)
	}
	for name, ax := range map[string]plot.Axis{"rarefaction x": p.X, "rarefaction y": p.Y, "genera x": bars.X} {
		for _, tk := range ax.Tick.Marker.Ticks(ax.Min, ax.Max) {
			if strings.HasSuffix(tk.Label, ".0") || strings.Contains(tk.Label, ".00") {
				t.Errorf("%s: tick label %q", name, tk.Label)
			}
		}
	}
}
