package metrics

import (
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
)

// DistanceMatrix is a symmetric n × n matrix of dissimilarities between
// samples, with a zero diagonal, as scikit-bio's DistanceMatrix and R's dist.
// Values may be NaN where a distance is undefined (for example Bray–Curtis
// between two empty samples); PCoA and Permanova refuse such matrices.
type DistanceMatrix struct {
	ids  []string
	data []float64 // n*n, row-major
}

// NewDistanceMatrix returns a DistanceMatrix over ids from full rows
// (rows[i][j] = d(ids[i], ids[j])). It checks that the matrix is square,
// symmetric (exactly), has a zero diagonal and no negative or infinite value,
// and that ids are unique. The rows are copied.
func NewDistanceMatrix(ids []string, rows [][]float64) (*DistanceMatrix, error) {
	if err := uniqueNames("sample", ids); err != nil {
		return nil, err
	}
	n := len(ids)
	if len(rows) != n {
		return nil, fmt.Errorf("metrics: %d ids but %d rows of distances", n, len(rows))
	}
	d := &DistanceMatrix{ids: append([]string(nil), ids...), data: make([]float64, n*n)}
	for i, r := range rows {
		if len(r) != n {
			return nil, fmt.Errorf("metrics: distance row %q has %d values, want %d", ids[i], len(r), n)
		}
		copy(d.data[i*n:], r)
	}
	for i := range n {
		if v := d.data[i*n+i]; v != 0 {
			return nil, fmt.Errorf("metrics: distance of %q to itself is %g, want 0", ids[i], v)
		}
		for j := range i {
			a, b := d.data[i*n+j], d.data[j*n+i]
			if !(a == b || math.IsNaN(a) && math.IsNaN(b)) {
				return nil, fmt.Errorf("metrics: distances %q–%q (%g) and %q–%q (%g) differ", ids[i], ids[j], a, ids[j], ids[i], b)
			}
			if a < 0 || math.IsInf(a, 0) {
				return nil, fmt.Errorf("metrics: distance %q–%q is %g, want finite and ≥ 0", ids[i], ids[j], a)
			}
		}
	}
	return d, nil
}

// Len returns the number of samples n.
func (d *DistanceMatrix) Len() int { return len(d.ids) }

// IDs returns a copy of the sample names, in matrix order.
func (d *DistanceMatrix) IDs() []string { return append([]string(nil), d.ids...) }

// At returns the distance between samples i and j (0-based).
func (d *DistanceMatrix) At(i, j int) float64 { return d.data[i*len(d.ids)+j] }

// Condensed returns the upper triangle row by row, d(0,1), d(0,2), …,
// d(n−2,n−1), as scipy's squareform and R's dist store it.
func (d *DistanceMatrix) Condensed() []float64 {
	n := len(d.ids)
	out := make([]float64, 0, n*(n-1)/2)
	for i := range n {
		out = append(out, d.data[i*n+i+1:(i+1)*n]...)
	}
	return out
}

// checkDefined returns an error naming the first undefined (NaN) distance.
func (d *DistanceMatrix) checkDefined() error {
	n := len(d.ids)
	for i := range n {
		for j := i + 1; j < n; j++ {
			if math.IsNaN(d.data[i*n+j]) {
				return fmt.Errorf("metrics: distance %q–%q is undefined (NaN; an empty sample?)", d.ids[i], d.ids[j])
			}
		}
	}
	return nil
}

// Metric is a beta-diversity measure that Distances can compute for every
// pair of samples. The values are made by BrayCurtisMetric, JaccardMetric,
// AitchisonMetric, WeightedUniFracMetric and UnweightedUniFracMetric.
type Metric struct {
	name string
	// prepare turns the validated matrix into a pair function; it is called
	// once, and the function it returns must be safe for concurrent use.
	prepare func(m *CountMatrix) (func(i, j int) float64, error)
}

// Name returns the metric's name, such as "braycurtis".
func (mt Metric) Name() string { return mt.name }

// Distances computes metric between every pair of samples of m, using up to
// workers goroutines (workers ≤ 0 means runtime.GOMAXPROCS(0)). The upper
// triangle is cut into tiles of tileRows × tileRows pairs, so the rows of a
// tile stay in cache, and the tiles are handed out to the workers one at a
// time. Each value is computed by the same code whatever the worker, so the
// result is identical for any number of workers.
func Distances(m *CountMatrix, metric Metric, workers int) (*DistanceMatrix, error) {
	if metric.prepare == nil {
		return nil, fmt.Errorf("metrics: zero Metric; use a constructor such as BrayCurtisMetric")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	pair, err := metric.prepare(m)
	if err != nil {
		return nil, err
	}
	n := len(m.Samples)
	d := &DistanceMatrix{ids: append([]string(nil), m.Samples...), data: make([]float64, n*n)}
	nb := (n + tileRows - 1) / tileRows
	var tiles [][2]int
	for bi := range nb {
		for bj := bi; bj < nb; bj++ {
			tiles = append(tiles, [2]int{bi, bj})
		}
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(len(tiles), 1))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(tiles) {
					return
				}
				bi, bj := tiles[k][0], tiles[k][1]
				for i := bi * tileRows; i < min((bi+1)*tileRows, n); i++ {
					for j := max(bj*tileRows, i+1); j < min((bj+1)*tileRows, n); j++ {
						v := pair(i, j)
						d.data[i*n+j] = v
						d.data[j*n+i] = v
					}
				}
			}
		}()
	}
	wg.Wait()
	return d, nil
}

// tileRows is the side of the square blocks of pairs Distances hands out:
// 16 rows of 2,000 taxa are 256 KB, so a tile's 32 rows fit in L2.
const tileRows = 16

// BrayCurtisMetric is the Bray–Curtis dissimilarity of BrayCurtis for every
// pair, on the counts as given (raw counts, as vegan vegdist(x, "bray") and
// scikit-bio beta_diversity("braycurtis")). For the depth-independent form,
// divide each row by its total first. Two empty samples give NaN.
func BrayCurtisMetric() Metric {
	return Metric{name: "braycurtis", prepare: func(m *CountMatrix) (func(i, j int) float64, error) {
		tot := m.rowTotals()
		return func(i, j int) float64 {
			s := tot[i] + tot[j]
			if s == 0 {
				return math.NaN()
			}
			return l1(m.Counts[i], m.Counts[j]) / s
		}, nil
	}}
}

// l1 returns Σ_k |a_k − b_k|; a and b have the same length.
func l1(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	k := 0
	for ; k+4 <= len(a); k += 4 {
		s0 += math.Abs(a[k] - b[k])
		s1 += math.Abs(a[k+1] - b[k+1])
		s2 += math.Abs(a[k+2] - b[k+2])
		s3 += math.Abs(a[k+3] - b[k+3])
	}
	for ; k < len(a); k++ {
		s0 += math.Abs(a[k] - b[k])
	}
	return (s0 + s1) + (s2 + s3)
}

// JaccardMetric is the presence/absence Jaccard distance of Jaccard for every
// pair (vegan vegdist(x, "jaccard", binary = TRUE)). Two empty samples give
// NaN.
func JaccardMetric() Metric {
	return Metric{name: "jaccard", prepare: func(m *CountMatrix) (func(i, j int) float64, error) {
		words := (len(m.Taxa) + 63) / 64
		present := make([][]uint64, len(m.Counts))
		for i, row := range m.Counts {
			present[i] = make([]uint64, words)
			for k, c := range row {
				if c > 0 {
					present[i][k/64] |= 1 << (k % 64)
				}
			}
		}
		return func(i, j int) float64 {
			var both, union int
			for k, a := range present[i] {
				b := present[j][k]
				both += bits.OnesCount64(a & b)
				union += bits.OnesCount64(a | b)
			}
			if union == 0 {
				return math.NaN()
			}
			return 1 - float64(both)/float64(union)
		}, nil
	}}
}
