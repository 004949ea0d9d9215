package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Position is one measure's percentile (0–100) in a reference set.
type Position struct {
	Name       string
	Percentile float64
}

// PercentileGauges draws one compact horizontal gauge per measure, the
// first on top: a grey track from 0 to 100 with the middle half of the
// reference set (25–75) shaded and the sample's percentile marked by a
// dot. The positions are drawn as given; nothing is computed.
func PercentileGauges(items []Position) (*plot.Plot, error) {
	if len(items) == 0 {
		return nil, fmt.Errorf("plots: no percentiles to draw")
	}
	n := len(items)
	names := make([]string, n)
	marks := make(plotter.XYs, n)
	p := newPlot()
	p.X.Label.Text = "Percentile in the reference set (50 = its middle)"
	p.X.Min, p.X.Max = 0, 100
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "0"}, {Value: 25, Label: "25"}, {Value: 50, Label: "50"}, {Value: 75, Label: "75"}, {Value: 100, Label: "100"}})
	for i, it := range items {
		if math.IsNaN(it.Percentile) || it.Percentile < 0 || it.Percentile > 100 {
			return nil, fmt.Errorf("plots: percentile of %q is %v, not in 0–100", it.Name, it.Percentile)
		}
		y := float64(n - 1 - i) // first on top
		names[n-1-i] = it.Name
		marks[i] = plotter.XY{X: it.Percentile, Y: y}
		track, err := plotter.NewLine(plotter.XYs{{X: 0, Y: y}, {X: 100, Y: y}})
		if err != nil {
			return nil, err
		}
		track.LineStyle.Width = vg.Points(5)
		track.LineStyle.Color = color.RGBA{225, 225, 225, 255}
		mid, err := plotter.NewLine(plotter.XYs{{X: 25, Y: y}, {X: 75, Y: y}})
		if err != nil {
			return nil, err
		}
		mid.LineStyle.Width = vg.Points(5)
		mid.LineStyle.Color = color.RGBA{190, 190, 190, 255}
		p.Add(track, mid)
	}
	centre, err := plotter.NewLine(plotter.XYs{{X: 50, Y: -0.5}, {X: 50, Y: float64(n) - 0.5}})
	if err != nil {
		return nil, err
	}
	centre.LineStyle.Width = vg.Points(0.5)
	centre.LineStyle.Color = grey
	centre.LineStyle.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	dots, err := plotter.NewScatter(marks)
	if err != nil {
		return nil, err
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: blue, Radius: vg.Points(4.5), Shape: draw.CircleGlyph{}}
	p.Add(centre, dots)
	p.NominalY(names...)
	return p, nil
}

// Rarefaction draws a rarefaction curve: expected taxa (y) against reads
// subsampled (x), points joined by a line and marked. depths and expected
// must have the same length, at least two points, and hold no NaN.
func Rarefaction(depths []int, expected []float64, ylabel string) (*plot.Plot, error) {
	if len(depths) != len(expected) || len(depths) < 2 {
		return nil, fmt.Errorf("plots: rarefaction needs matching depths and values, at least 2 (got %d and %d)", len(depths), len(expected))
	}
	xys := make(plotter.XYs, len(depths))
	for i, d := range depths {
		if math.IsNaN(expected[i]) || math.IsInf(expected[i], 0) {
			return nil, fmt.Errorf("plots: rarefaction value at depth %d is %v", d, expected[i])
		}
		xys[i] = plotter.XY{X: float64(d), Y: expected[i]}
	}
	p := newPlot()
	p.X.Label.Text = "Reads named to a genus, subsampled"
	p.Y.Label.Text = ylabel
	p.X.Min, p.Y.Min = 0, 0
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, err
	}
	line.LineStyle.Color = blue
	line.LineStyle.Width = vg.Points(1.5)
	points.GlyphStyle = draw.GlyphStyle{Color: blue, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	p.Add(plotter.NewGrid(), line, points)
	return p, nil
}
