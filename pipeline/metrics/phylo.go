package metrics

import (
	"fmt"
	"math"
)

// Conventions of the phylogenetic metrics (Faith PD, UniFrac), all those of
// scikit-bio 0.5.8 (skbio.diversity.alpha.faith_pd, beta_diversity
// "unweighted_unifrac" / "weighted_unifrac"):
//
//   - Every taxon of the table must be a tip of the tree, found by exact
//     name; tips not in the table count as zero. Duplicate tip names are an
//     error. A missing branch length is 0.
//   - A branch is "observed" in a sample when the sample has a count > 0 at
//     a tip below it.
//   - The root's own length, if the Newick gives one, is a branch like any
//     other (scikit-bio counts it too): it adds to Faith PD of every non-empty
//     sample and to the denominator of unweighted UniFrac.

// phylo binds a tree to a list of taxa.
type phylo struct {
	tree *Tree
	col  []int // taxon index → tip node
}

func bindTree(tree *Tree, taxa []string) (*phylo, error) {
	if tree == nil || tree.Len() == 0 {
		return nil, fmt.Errorf("metrics: no tree")
	}
	tips := make(map[string]int)
	for i := range tree.Len() {
		if i != tree.Root() && !tree.hasLen[i] {
			what := "an internal node"
			if tree.name[i] != "" {
				what = fmt.Sprintf("node %q", tree.name[i])
			}
			return nil, fmt.Errorf("metrics: %s of the tree has no branch length; Faith PD and UniFrac need every branch's length", what)
		}
		if !tree.IsTip(i) {
			continue
		}
		if _, dup := tips[tree.name[i]]; dup {
			return nil, fmt.Errorf("metrics: tree has two tips named %q", tree.name[i])
		}
		tips[tree.name[i]] = i
	}
	p := &phylo{tree: tree, col: make([]int, len(taxa))}
	for j, s := range taxa {
		node, ok := tips[s]
		if !ok {
			return nil, fmt.Errorf("metrics: taxon %q is not a tip of the tree", s)
		}
		p.col[j] = node
	}
	return p, nil
}

// nodeSums sets out[v] to the sum of counts at the tips below node v (v
// included). out has Len() entries.
func (p *phylo) nodeSums(counts, out []float64) {
	clear(out)
	for j, c := range counts {
		out[p.col[j]] += c
	}
	for v := range len(out) - 1 { // post-order: children first; root last
		out[p.tree.parent[v]] += out[v]
	}
}

// tipDepths returns, for every node, the sum of branch lengths from it up to
// and including the root's own length (scikit-bio's tip distances).
func (t *Tree) depths() []float64 {
	d := make([]float64, t.Len())
	root := t.Root()
	d[root] = t.length[root]
	for v := root - 1; v >= 0; v-- { // reverse post-order: parents first
		d[v] = d[t.parent[v]] + t.length[v]
	}
	return d
}

// FaithPD returns Faith's (1992) phylogenetic diversity of one sample: the
// total length of the branches that connect the root to the taxa with a
// count > 0,
//
//	PD = Σ_b l_b · [some taxon below b has c > 0],
//
// as scikit-bio faith_pd(counts, otu_ids, tree). taxa names counts' entries
// and must all be tips of tree (see the conventions above). An empty sample
// gives 0. Invalid counts or unknown taxa are errors.
func FaithPD(counts []float64, taxa []string, tree *Tree) (float64, error) {
	if len(counts) != len(taxa) {
		return math.NaN(), fmt.Errorf("metrics: %d counts for %d taxa", len(counts), len(taxa))
	}
	if err := CheckCounts(counts); err != nil {
		return math.NaN(), err
	}
	p, err := bindTree(tree, taxa)
	if err != nil {
		return math.NaN(), err
	}
	return p.faith(counts, make([]float64, tree.Len())), nil
}

func (p *phylo) faith(counts, buf []float64) float64 {
	p.nodeSums(counts, buf)
	var pd float64
	for v, s := range buf {
		if s > 0 {
			pd += p.tree.length[v]
		}
	}
	return pd
}

// FaithPDs returns FaithPD of every sample of m, in sample order.
func FaithPDs(m *CountMatrix, tree *Tree) ([]float64, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	p, err := bindTree(tree, m.Taxa)
	if err != nil {
		return nil, err
	}
	buf := make([]float64, tree.Len())
	out := make([]float64, len(m.Counts))
	for i, row := range m.Counts {
		out[i] = p.faith(row, buf)
	}
	return out, nil
}

// branches returns the nodes whose branch has a length > 0 (the others add
// nothing to any UniFrac sum), and their lengths.
func (t *Tree) branches() (nodes []int, lengths []float64) {
	for v, l := range t.length {
		if l > 0 {
			nodes = append(nodes, v)
			lengths = append(lengths, l)
		}
	}
	return nodes, lengths
}

// UnweightedUniFracMetric is unweighted UniFrac (Lozupone & Knight 2005) on
// tree: the fraction of the observed branch length that leads to one sample
// only,
//
//	U = Σ_b l_b |x_b − y_b| / Σ_b l_b max(x_b, y_b),
//
// with x_b = 1 when sample x has a count > 0 below branch b, else 0. It
// equals scikit-bio beta_diversity("unweighted_unifrac", …, tree=tree,
// otu_ids=taxa). Two empty samples (no observed branch) give 0, as
// scikit-bio does. It is computed as an L1 distance between per-sample
// vectors l_b·x_b, one pass over the tree per sample (the Fast UniFrac
// idea); the denominator is (L_x + L_y + U_num) / 2 with L_x = Σ_b l_b x_b.
func UnweightedUniFracMetric(tree *Tree) Metric {
	return Metric{name: "unweighted_unifrac", prepare: func(m *CountMatrix) (func(i, j int) float64, error) {
		p, err := bindTree(tree, m.Taxa)
		if err != nil {
			return nil, err
		}
		nodes, lengths := tree.branches()
		vec, sums := make([][]float64, len(m.Counts)), make([]float64, len(m.Counts))
		buf := make([]float64, tree.Len())
		for i, row := range m.Counts {
			p.nodeSums(row, buf)
			v := make([]float64, len(nodes))
			for k, node := range nodes {
				if buf[node] > 0 {
					v[k] = lengths[k]
					sums[i] += lengths[k]
				}
			}
			vec[i] = v
		}
		return func(i, j int) float64 {
			u := l1(vec[i], vec[j])
			obs := (sums[i] + sums[j] + u) / 2
			if obs == 0 {
				return 0
			}
			return u / obs
		}, nil
	}}
}

// WeightedUniFracMetric is weighted UniFrac (Lozupone et al. 2007) on tree,
// on relative abundances p_xj = c_xj / N_x:
//
//	W = Σ_b l_b |P_xb − P_yb|,   P_xb = Σ_{tips j below b} p_xj,
//
// and, when normalized, W / Σ_j d_j (p_xj + p_yj) with d_j the distance
// from tip j to the root (root length included), which lies in [0, 1]. This
// is scikit-bio beta_diversity("weighted_unifrac", …, normalized=…). Empty
// samples follow scikit-bio: an empty sample's proportions are all 0, so W
// is Σ_j d_j p_yj against a non-empty y and 0 between two empty samples;
// normalized, two empty samples give 0 and one empty sample gives 1.
//
// Each sample becomes the vector of l_b·P_xb over branches with l_b > 0 (one
// post-order pass, the Fast UniFrac idea) and W is the L1 distance of two
// vectors, so all pairs cost O(n² · branches) with no per-pair tree walk.
func WeightedUniFracMetric(tree *Tree, normalized bool) Metric {
	name := "weighted_unifrac"
	if normalized {
		name = "weighted_normalized_unifrac"
	}
	return Metric{name: name, prepare: func(m *CountMatrix) (func(i, j int) float64, error) {
		p, err := bindTree(tree, m.Taxa)
		if err != nil {
			return nil, err
		}
		nodes, lengths := tree.branches()
		depth := tree.depths()
		tot := m.rowTotals()
		vec, dsum := make([][]float64, len(m.Counts)), make([]float64, len(m.Counts))
		buf := make([]float64, tree.Len())
		for i, row := range m.Counts {
			p.nodeSums(row, buf)
			v := make([]float64, len(nodes))
			if tot[i] > 0 {
				for k, node := range nodes {
					v[k] = lengths[k] * (buf[node] / tot[i])
				}
				for j, c := range row {
					dsum[i] += depth[p.col[j]] * (c / tot[i])
				}
			}
			vec[i] = v
		}
		return func(i, j int) float64 {
			if !normalized {
				return l1(vec[i], vec[j])
			}
			switch {
			case tot[i] == 0 && tot[j] == 0:
				return 0
			case tot[i] == 0 || tot[j] == 0:
				return 1
			}
			return l1(vec[i], vec[j]) / (dsum[i] + dsum[j])
		}, nil
	}}
}
