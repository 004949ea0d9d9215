package htmlout

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/zonula/zonula/report"
)

// Okabe–Ito colours plus two more, one per phylum in order of share; grey for
// reads not named at a rank.
var phylumColours = []string{"#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#6a3d9a", "#b15928"}

const (
	unnamedColour = "#c8ccd1"
	domainColour  = "#5f6b77"
)

// legendItem is one phylum in the sunburst's legend.
type legendItem struct {
	Name, Colour string
	Share        float64
}

// sunburst draws a hierarchy as nested rings of annular sectors, domain
// innermost, in inline SVG. Each segment carries a <title> with its name,
// rank and share, which browsers show on hover and screen readers read.
func sunburst(h *report.Hierarchy) (template.HTML, []legendItem) {
	const size, inner = 360.0, 34.0
	depth := treeDepth(h.Root)
	ring := (size/2 - inner - 4) / float64(max(depth, 1))
	colours := map[string]string{}
	var legend []legendItem
	for _, ph := range phyla(h.Root) {
		c := phylumColours[len(colours)%len(phylumColours)]
		colours[ph.Name] = c
		legend = append(legend, legendItem{Name: ph.Name, Colour: c, Share: ph.Share})
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="sunburst" viewBox="0 0 %g %g" role="img" aria-label="%s">`, size, size, template.HTMLEscapeString(h.Alt))
	c := size / 2
	fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="%g" fill="#f2f4f6"><title>all reads: 100 %%</title></circle>`, c, c, inner)
	var draw func(n *report.TreeNode, level int, a0 float64)
	draw = func(n *report.TreeNode, level int, a0 float64) {
		a := a0
		for _, ch := range n.Children {
			span := 2 * math.Pi * ch.Share
			if span <= 0 {
				continue
			}
			r0 := inner + float64(level)*ring
			colour := unnamedColour
			switch ch.Rank {
			case "domain":
				colour = domainColour
			case "unnamed":
			default:
				colour = lighten(colours[ch.Group], 0.13*float64(level-1))
			}
			fmt.Fprintf(&b, `<path d="%s" fill="%s" stroke="#fff" stroke-width="0.6"><title>%s (%s): %.1f %%</title></path>`,
				sector(c, r0, r0+ring, a, a+span), colour, template.HTMLEscapeString(ch.Name), template.HTMLEscapeString(ch.Rank), 100*ch.Share)
			draw(ch, level+1, a)
			a += span
		}
	}
	draw(h.Root, 0, -math.Pi/2)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()), legend // built from escaped names and numbers only
}

func treeDepth(n *report.TreeNode) int {
	d := 0
	for _, c := range n.Children {
		d = max(d, 1+treeDepth(c))
	}
	return d
}

// phyla lists the phylum nodes by descending share, then name.
func phyla(root *report.TreeNode) []*report.TreeNode {
	var out []*report.TreeNode
	var walk func(n *report.TreeNode)
	walk = func(n *report.TreeNode) {
		for _, c := range n.Children {
			if c.Rank == "phylum" {
				out = append(out, c)
			} else if c.Rank == "domain" || c.Rank == "root" {
				walk(c)
			}
		}
	}
	walk(root)
	slices.SortStableFunc(out, func(a, b *report.TreeNode) int {
		if a.Share != b.Share {
			if a.Share > b.Share {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// sector returns the SVG path of the ring segment between radii r0 and r1
// and angles a0 and a1 (radians, clockwise from 3 o'clock) around (c, c).
// A full circle is drawn as two halves, which SVG arcs need.
func sector(c, r0, r1, a0, a1 float64) string {
	if a1-a0 >= 2*math.Pi-1e-9 {
		mid := a0 + math.Pi
		return sector(c, r0, r1, a0, mid) + " " + sector(c, r0, r1, mid, a1)
	}
	large := 0
	if a1-a0 > math.Pi {
		large = 1
	}
	pt := func(r, a float64) (float64, float64) { return c + r*math.Cos(a), c + r*math.Sin(a) }
	x0, y0 := pt(r1, a0)
	x1, y1 := pt(r1, a1)
	x2, y2 := pt(r0, a1)
	x3, y3 := pt(r0, a0)
	return fmt.Sprintf("M%.2f %.2fA%.2f %.2f 0 %d 1 %.2f %.2fL%.2f %.2fA%.2f %.2f 0 %d 0 %.2f %.2fZ",
		x0, y0, r1, r1, large, x1, y1, x2, y2, r0, r0, large, x3, y3)
}

// lighten mixes a #rrggbb colour with white by t (0–1).
func lighten(hex string, t float64) string {
	if len(hex) != 7 {
		return unnamedColour
	}
	var r, g, b int
	fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b)
	mix := func(v int) int { return int(math.Round(float64(v) + (255-float64(v))*min(t, 0.8))) }
	return fmt.Sprintf("#%02x%02x%02x", mix(r), mix(g), mix(b))
}
