package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// groupColors are the Okabe–Ito colours (black last) for groups and taxa.
var groupColors = []color.Color{
	blue, orange, green,
	color.RGBA{204, 121, 167, 255}, // reddish purple
	color.RGBA{86, 180, 233, 255},  // sky blue
	color.RGBA{213, 94, 0, 255},    // vermillion
	color.RGBA{240, 228, 66, 255},  // yellow
	color.RGBA{0, 0, 0, 255},
}

// taxonColors extends the palette with lighter tints for stacked bars of up
// to 12 named taxa; remainders ("other", "unclassified") are greys.
var taxonColors = append(append([]color.Color{}, groupColors[:7]...),
	color.RGBA{128, 185, 216, 255}, // blue tint
	color.RGBA{243, 207, 128, 255}, // orange tint
	color.RGBA{128, 207, 185, 255}, // green tint
	color.RGBA{230, 188, 211, 255}, // purple tint
	color.RGBA{234, 175, 128, 255}, // vermillion tint
)

// GroupColor returns the colour of the i-th group (cycling after eight).
func GroupColor(i int) color.Color { return groupColors[i%len(groupColors)] }

var glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.RingGlyph{}, draw.PyramidGlyph{}, draw.BoxGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}

// StackedShares draws one vertical bar per sample, stacked from the shares
// (percent) of each taxon: shares[t][s] is taxon t in sample s. Taxa are
// stacked bottom-up in the order given; names starting "other" or equal to
// "unclassified" are grey. A legend sits right of the bars; sample names
// label the bars when there are at most 60 of them.
func StackedShares(samples, taxa []string, shares [][]float64) (*plot.Plot, error) {
	if len(samples) == 0 || len(taxa) == 0 || len(shares) != len(taxa) {
		return nil, fmt.Errorf("plots: stacked bars need samples and one share row per taxon")
	}
	if len(taxa) > len(taxonColors)+2 {
		return nil, fmt.Errorf("plots: %d taxa in stacked bars, at most %d", len(taxa), len(taxonColors)+2)
	}
	p := newPlot()
	p.Y.Label.Text = "Share of reads (%)"
	p.Y.Min, p.Y.Max = 0, 100
	n := len(samples)
	width := vg.Length(math.Max(1, math.Min(14, 300/float64(n)))) * vg.Millimeter
	var below *plotter.BarChart
	named, greys := 0, 0
	var legend []*plotter.BarChart
	for t, name := range taxa {
		if len(shares[t]) != n {
			return nil, fmt.Errorf("plots: taxon %q has %d shares for %d samples", name, len(shares[t]), n)
		}
		v := make(plotter.Values, n)
		for s, x := range shares[t] {
			if math.IsNaN(x) || x < 0 {
				return nil, fmt.Errorf("plots: %s in %s has share %v", name, samples[s], x)
			}
			v[s] = x
		}
		bars, err := plotter.NewBarChart(v, width)
		if err != nil {
			return nil, err
		}
		bars.LineStyle.Width = 0
		if isRemainder(name) {
			bars.Color = []color.Color{color.RGBA{170, 170, 170, 255}, color.RGBA{210, 210, 210, 255}}[greys%2]
			greys++
		} else {
			bars.Color = taxonColors[named%len(taxonColors)]
			named++
		}
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
		legend = append(legend, bars)
	}
	// The legend lists the top of the stack first, as it is drawn.
	for i := len(legend) - 1; i >= 0; i-- {
		p.Legend.Add(taxa[i], legend[i])
	}
	p.Legend.Top = true
	p.Legend.Left = false
	// Room right of the bars for the legend.
	xmax := float64(n) - 0.4 + math.Max(3.2, 0.45*float64(n))
	p.X.Min, p.X.Max = -0.6, xmax
	if n <= 60 {
		p.NominalX(samples...)
		p.X.Min, p.X.Max = -0.6, xmax // NominalX resets the range
		p.X.Tick.Label.Rotation = math.Pi / 2
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	} else {
		p.X.Label.Text = fmt.Sprintf("%d samples", n)
		p.X.Tick.Marker = plot.ConstantTicks(nil)
	}
	return p, nil
}

// Point is one sample in a scatter plot.
type Point struct {
	X, Y  float64
	Group int // index into the group names
}

// Ordination draws samples on two PCoA axes, one colour and glyph per group,
// with a legend of the group names.
func Ordination(points []Point, groups []string, xlabel, ylabel string) (*plot.Plot, error) {
	if len(points) == 0 || len(groups) == 0 {
		return nil, fmt.Errorf("plots: no points to draw")
	}
	byGroup := make([]plotter.XYs, len(groups))
	for _, pt := range points {
		if pt.Group < 0 || pt.Group >= len(groups) || math.IsNaN(pt.X) || math.IsNaN(pt.Y) {
			return nil, fmt.Errorf("plots: bad point %+v", pt)
		}
		byGroup[pt.Group] = append(byGroup[pt.Group], plotter.XY{X: pt.X, Y: pt.Y})
	}
	p := newPlot()
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.X.Tick.Marker, p.Y.Tick.Marker = distinctTicks{}, distinctTicks{}
	p.Add(plotter.NewGrid())
	for g, xys := range byGroup {
		if len(xys) == 0 {
			continue
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle.Color = GroupColor(g)
		s.GlyphStyle.Shape = glyphs[g%len(glyphs)]
		s.GlyphStyle.Radius = vg.Points(3.5)
		p.Add(s)
		p.Legend.Add(groups[g], s)
	}
	p.Legend.Top = true
	// Room above the points for the legend: one line per group.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pt := range points {
		lo, hi = min(lo, pt.Y), max(hi, pt.Y)
	}
	if span := hi - lo; span > 0 {
		p.Y.Min, p.Y.Max = lo-0.05*span, hi+span*(0.1+0.08*float64(len(groups)))
	}
	return p, nil
}

// GroupStrip draws each group's values as points in its own column (spread
// sideways so equal values stay visible) with a bar at the group's median.
// values[g] are the values of group g.
func GroupStrip(groups []string, values [][]float64, ylabel string) (*plot.Plot, error) {
	if len(groups) == 0 || len(values) != len(groups) {
		return nil, fmt.Errorf("plots: strip plot needs one value list per group")
	}
	p := newPlot()
	p.Y.Label.Text = ylabel
	p.Y.Tick.Marker = distinctTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	p.Add(grid)
	for g, vs := range values {
		var xys plotter.XYs
		var finite []float64
		for i, v := range vs {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			off := 0.0
			if len(vs) > 1 {
				off = 0.5 * (float64(i)/float64(len(vs)-1) - 0.5) // −0.25 … +0.25, by input order
			}
			xys = append(xys, plotter.XY{X: float64(g) + off, Y: v})
			finite = append(finite, v)
		}
		if len(xys) == 0 {
			continue
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle.Color = GroupColor(g)
		s.GlyphStyle.Shape = glyphs[g%len(glyphs)]
		s.GlyphStyle.Radius = vg.Points(3)
		m := median(finite)
		line, err := plotter.NewLine(plotter.XYs{{X: float64(g) - 0.35, Y: m}, {X: float64(g) + 0.35, Y: m}})
		if err != nil {
			return nil, err
		}
		line.LineStyle.Width = vg.Points(2)
		line.LineStyle.Color = grey
		p.Add(line, s)
	}
	p.NominalX(groups...)
	p.X.Min, p.X.Max = -0.6, float64(len(groups))-0.4
	return p, nil
}

// median of a non-empty slice (the mean of the middle two for even n).
func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// distinctTicks is gonum/plot's default ticker with labels given as few
// decimals as show every tick value exactly (the default can print 1.75 and
// 1.8 both as "1.8").
type distinctTicks struct{}

// Ticks implements plot.Ticker.
func (distinctTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for prec := 0; prec <= 10; prec++ {
		labels := make([]string, len(ticks))
		seen := map[string]bool{}
		ok := true
		for i, t := range ticks {
			if t.Label == "" {
				continue
			}
			labels[i] = strconv.FormatFloat(t.Value, 'f', prec, 64)
			if v, _ := strconv.ParseFloat(labels[i], 64); seen[labels[i]] || math.Abs(v-t.Value) > 1e-9*math.Max(1, math.Abs(t.Value)) {
				ok = false
				break
			}
			seen[labels[i]] = true
		}
		if ok {
			for i := range ticks {
				if ticks[i].Label != "" {
					ticks[i].Label = labels[i]
				}
			}
			return ticks
		}
	}
	return ticks
}
