// Package plots draws the report's figures with gonum/plot. Every function is
// deterministic: the same data give the same figure, byte for byte, in any
// backend. Colours are from the Okabe–Ito palette, which colour-blind readers
// can tell apart.
package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"

	"github.com/zonula/zonula/pipeline/qc"
)

// Okabe–Ito colours (Okabe & Ito 2008).
var (
	blue   = color.RGBA{0, 114, 178, 255}
	orange = color.RGBA{230, 159, 0, 255}
	green  = color.RGBA{0, 158, 115, 255}
	grey   = color.RGBA{153, 153, 153, 255}
)

// newPlot returns a plot whose text is all in Liberation Sans, the face the
// PDF report embeds, so that text measured while laying out the figure is the
// text drawn, and whose axis ticks carry no needless decimals ("5", not
// "5.0"; distinctTicks).
func newPlot() *plot.Plot {
	p := plot.New()
	for _, t := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		t.Font.Variant = "Sans"
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = distinctTicks{}, distinctTicks{}
	return p
}

// Share is one bar: a name and its percentage.
type Share struct {
	Name    string
	Percent float64
}

// TopGenera draws a horizontal bar chart of genus shares in the order given,
// the first on top. Bars named "unclassified" or starting "other" are grey.
func TopGenera(items []Share) (*plot.Plot, error) {
	return horizontalBars(items, "Share of reads (%)", blue)
}

// Phyla draws a horizontal bar chart of phylum shares in the order given,
// the first on top; "unclassified" is grey.
func Phyla(items []Share) (*plot.Plot, error) {
	return horizontalBars(items, "Share of reads (%)", green)
}

func horizontalBars(items []Share, xlabel string, fill color.Color) (*plot.Plot, error) {
	if len(items) == 0 {
		return nil, fmt.Errorf("plots: no bars to draw")
	}
	p := newPlot()
	p.X.Label.Text = xlabel
	p.X.Min = 0
	// Bars are drawn bottom-up; reverse so the first item is on top.
	n := len(items)
	values := make(plotter.Values, n)
	names := make([]string, n)
	maxv := 0.0
	for i, it := range items {
		if math.IsNaN(it.Percent) || it.Percent < 0 {
			return nil, fmt.Errorf("plots: bar %q has value %v", it.Name, it.Percent)
		}
		values[n-1-i] = it.Percent
		names[n-1-i] = it.Name
		maxv = max(maxv, it.Percent)
	}
	// Remainder bars ("other …", "unclassified") are grey so that they do
	// not read as taxa; each colour is its own chart with zeros elsewhere.
	named, rest := make(plotter.Values, n), make(plotter.Values, n)
	var anyNamed, anyRest bool
	for i, v := range values {
		if isRemainder(names[i]) {
			rest[i], anyRest = v, true
		} else {
			named[i], anyNamed = v, true
		}
	}
	grid := plotter.NewGrid()
	grid.Horizontal.Width = 0 // vertical lines only, behind the bars
	p.Add(grid)
	for _, set := range []struct {
		v   plotter.Values
		c   color.Color
		use bool
	}{{named, fill, anyNamed}, {rest, grey, anyRest}} {
		if !set.use {
			continue
		}
		bars, err := plotter.NewBarChart(set.v, vg.Points(11))
		if err != nil {
			return nil, err
		}
		bars.Horizontal = true
		bars.Color = set.c
		bars.LineStyle.Width = 0
		p.Add(bars)
	}
	p.NominalY(names...)
	p.X.Max = math.Max(1, maxv*1.08)
	return p, nil
}

// isRemainder reports whether a bar is a remainder rather than a taxon:
// "unclassified" or a name starting "other".
func isRemainder(name string) bool {
	return name == "unclassified" || strings.HasPrefix(name, "other")
}

// LengthHistogram draws the read-length distribution from QC bins, leaving
// out empty bins at either end.
func LengthHistogram(bins []qc.Bin) (*plot.Plot, error) {
	first, last := -1, -1
	for i, b := range bins {
		if b.Count > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil, fmt.Errorf("plots: no reads to draw")
	}
	h := &plotter.Histogram{FillColor: orange}
	h.LineStyle.Width = vg.Points(0.5)
	h.LineStyle.Color = color.White
	for _, b := range bins[first : last+1] {
		h.Bins = append(h.Bins, plotter.HistogramBin{Min: b.Lo, Max: b.Hi, Weight: float64(b.Count)})
	}
	h.Width = bins[first].Hi - bins[first].Lo
	p := newPlot()
	p.X.Label.Text = "Read length (bases)"
	p.Y.Label.Text = "Reads"
	p.Add(plotter.NewGrid(), h)
	return p, nil
}
