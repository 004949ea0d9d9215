package classify

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// Limits that keep GenusCohesion linear in the database size: at most
// cohesionProbes members of a genus are tested, each against at most
// cohesionPool congeners, of which the cohesionAligned sharing the most
// k-mers are aligned.
const (
	cohesionProbes  = 32
	cohesionPool    = 256
	cohesionAligned = 4
	cohesionK       = 11
)

// GenusCohesion measures how tightly each genus of refs holds together: for
// every genus with at least two references it returns the lowest, over its
// members, of the identity between a member and its nearest congener,
//
//	cohesion(g) = min over m in g of max over m' in g, m' ≠ m of I(m, m'),
//
// where I(m, m') = 1 − d/|m| for the semi-global edit distance d of m
// against m' (as a read is scored against a reference). Rounded to 1e-4.
// A read from an unseen member of g is expected to find a congener at about
// that identity, so the classifier uses it as the genus's own identity floor
// (see Classifier.GenusFloor). Genera of one reference are absent, and so are
// placeholder groups ("Lachnospiraceae Incertae Sedis", "uncultured …"),
// whose members need not share an ancestor and whose spread says nothing of
// how far an unseen member may lie.
//
// For large genera the minimum is taken over cohesionProbes evenly spaced
// members, each compared with up to cohesionPool evenly spaced congeners
// (the cohesionAligned with most shared k-mers aligned), so the cost grows
// with the number of genera, not with the square of their sizes. The result
// depends only on refs; threads only sets the parallelism.
func GenusCohesion(refs []refdb.Reference, threads int) map[string]float64 {
	members := map[string][]int{}
	var names []string
	for i, r := range refs {
		g := r.Lineage.Name(taxonomy.Genus)
		if g == "" || placeholderGenus(g) {
			continue
		}
		if _, ok := members[g]; !ok {
			names = append(names, g)
		}
		members[g] = append(members[g], i)
	}
	slices.Sort(names)
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	values := make([]float64, len(names))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var al aligner
			for j := range jobs {
				values[j] = genusCohesion(refs, members[names[j]], &al)
			}
		}()
	}
	for j := range names {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	out := make(map[string]float64, len(names))
	for j, g := range names {
		if !math.IsNaN(values[j]) {
			out[g] = math.Round(values[j]*1e4) / 1e4
		}
	}
	return out
}

// DeriveHeader adds to a database header what the classifier derives from
// the database's references: GenusCohesion, computed with every core. zonula
// calls it for every database it builds or fetches (it fits
// refdb.FetchOptions.Derive); refdb cannot compute the values itself
// without importing the classifier.
func DeriveHeader(h *refdb.Header, refs []refdb.Reference) {
	h.GenusCohesion = GenusCohesion(refs, 0)
}

// genusCohesion is the cohesion of one genus whose references are idx; NaN
// for fewer than two.
func genusCohesion(refs []refdb.Reference, idx []int, al *aligner) float64 {
	if len(idx) < 2 {
		return math.NaN()
	}
	probes := evenlySpaced(idx, cohesionProbes)
	pool := evenlySpaced(idx, cohesionPool)
	kmers := make([][]uint32, len(pool))
	for i, r := range pool {
		kmers[i] = kmerSet(refs[r].Seq)
	}
	type scored struct{ pos, shared int }
	lowest := math.Inf(1)
	for _, p := range probes {
		pk := kmerSet(refs[p].Seq)
		var near []scored
		for i, r := range pool {
			if r != p {
				near = append(near, scored{i, sharedCount(pk, kmers[i])})
			}
		}
		slices.SortFunc(near, func(a, b scored) int {
			if a.shared != b.shared {
				return b.shared - a.shared
			}
			return a.pos - b.pos
		})
		al.setPattern(refs[p].Seq)
		m := float64(len(refs[p].Seq))
		best := 0.0
		for _, s := range near[:min(len(near), cohesionAligned)] {
			best = max(best, 1-float64(al.distance(refs[pool[s.pos]].Seq))/m)
		}
		lowest = min(lowest, best)
	}
	return lowest
}

// evenlySpaced returns xs when it has at most n elements, else n of them
// spread evenly from first to last.
func evenlySpaced(xs []int, n int) []int {
	if len(xs) <= n {
		return xs
	}
	out := make([]int, n)
	for i := range out {
		out[i] = xs[i*(len(xs)-1)/(n-1)]
	}
	return out
}

// kmerSet returns the sorted distinct k-mers (k = cohesionK) of seq.
func kmerSet(seq []byte) []uint32 {
	var xs []uint32
	eachKmer(seq, cohesionK, func(x uint32, _ int) { xs = append(xs, x) })
	slices.Sort(xs)
	return slices.Compact(xs)
}

// sharedCount returns the size of the intersection of two sorted sets.
func sharedCount(a, b []uint32) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// placeholderGenus reports whether a genus name stands for a group of
// uncertain placement rather than a genus.
func placeholderGenus(g string) bool {
	l := strings.ToLower(g)
	for _, w := range []string{"incertae sedis", "uncultured", "unclassified", "unidentified"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}
