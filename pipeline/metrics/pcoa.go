package metrics

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Ordination is the result of PCoA: sample coordinates on principal axes.
type Ordination struct {
	// IDs names the samples, in the distance matrix's order.
	IDs []string
	// Eigenvalues of the Gower-centred matrix in decreasing order, one per
	// axis; negative ones (non-Euclidean distances) are set to 0.
	Eigenvalues []float64
	// ProportionExplained[k] = λ_k / Σ λ (with the negative λ set to 0).
	ProportionExplained []float64
	// Coordinates[i][k] is sample i on axis k: u_ik √λ_k.
	Coordinates [][]float64
}

// PCoA runs principal coordinate analysis (Gower 1966; classical
// multidimensional scaling) on d, as scikit-bio 0.5.8 pcoa(d) (method
// "eigh") does:
//
//	A = −½ D∘D,  B = (I − 11ᵀ/n) A (I − 11ᵀ/n),  B = U Λ Uᵀ,
//
// eigenvalues sorted in decreasing order, negative ones and their vectors
// set to 0, coordinates U √Λ, and proportions λ_k / Σ λ. There is one axis
// per sample. The eigendecomposition is gonum's mat.EigenSym.
//
// Axis signs are arbitrary in every implementation; zonula fixes them so the
// coordinate of largest magnitude on each axis is positive (the first such
// sample on a tie), which makes the output deterministic; compare with
// scikit-bio up to the sign of each axis. Axes with equal eigenvalues may
// be any rotation of each other, as in every implementation. Errors: fewer
// than 2 samples, an undefined (NaN) distance, or a failed decomposition.
func PCoA(d *DistanceMatrix) (*Ordination, error) {
	n := d.Len()
	if n < 2 {
		return nil, fmt.Errorf("metrics: PCoA needs at least 2 samples, got %d", n)
	}
	if err := d.checkDefined(); err != nil {
		return nil, err
	}
	// Gower centring of A = −½ d²: B_ij = A_ij − r_i − r_j + g.
	a := make([]float64, n*n)
	for k, v := range d.data {
		a[k] = -0.5 * v * v
	}
	row := make([]float64, n)
	var grand float64
	for i := range n {
		for j := range n {
			row[i] += a[i*n+j]
		}
		grand += row[i]
		row[i] /= float64(n)
	}
	grand /= float64(n * n)
	b := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			b.SetSym(i, j, a[i*n+j]-row[i]-row[j]+grand)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(b, true) {
		return nil, fmt.Errorf("metrics: PCoA: eigendecomposition failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	order := make([]int, n)
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(x, y int) bool { return vals[order[x]] > vals[order[y]] })

	o := &Ordination{IDs: d.IDs(), Eigenvalues: make([]float64, n), ProportionExplained: make([]float64, n), Coordinates: make([][]float64, n)}
	for i := range o.Coordinates {
		o.Coordinates[i] = make([]float64, n)
	}
	var sum float64
	for k, c := range order {
		lambda := vals[c]
		if lambda < 0 {
			lambda = 0
		}
		o.Eigenvalues[k] = lambda
		sum += lambda
		s := math.Sqrt(lambda)
		// Sign: the largest |u_ik| positive.
		big, sign := 0.0, 1.0
		for i := range n {
			if v := vecs.At(i, c); math.Abs(v) > big {
				big = math.Abs(v)
				sign = math.Copysign(1, v)
			}
		}
		for i := range n {
			o.Coordinates[i][k] = sign * vecs.At(i, c) * s
		}
	}
	for k, lambda := range o.Eigenvalues {
		if sum > 0 {
			o.ProportionExplained[k] = lambda / sum
		}
	}
	return o, nil
}
