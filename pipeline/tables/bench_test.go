package tables

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/zonula/zonula/taxonomy"
)

// benchTable writes a BIOM 2.1 table of 1,000 samples × 20,000 taxa with
// Debian's python3-biom-format: about 5 % of cells non-zero (1.0 M
// counts), a Greengenes-style taxonomy of 7 levels per taxon (20,000
// species in 2,000 genera, 400 families, 100 orders, 40 classes, 10
// phyla), seeded so every run writes the same table.
const benchTable = `
import sys, numpy as np, scipy.sparse as sp, biom, h5py
rng = np.random.default_rng(1)
nobs, nsamp = 20000, 1000
m = sp.random(nobs, nsamp, density=0.05, format="csc", random_state=rng,
              data_rvs=lambda n: rng.integers(1, 500, n)).astype(float)
tax = [["k__Bacteria", "p__P%d" % (i % 10), "c__C%d" % (i % 40), "o__O%d" % (i % 100),
        "f__F%d" % (i % 400), "g__G%d" % (i % 2000), "s__G%d sp%d" % (i % 2000, i)] for i in range(nobs)]
t = biom.Table(m, ["OTU%d" % i for i in range(nobs)], ["S%d" % j for j in range(nsamp)],
               observation_metadata=[{"taxonomy": x} for x in tax])
with h5py.File(sys.argv[1], "w") as f:
    t.to_hdf5(f, "zonula benchmark")
`

// BenchmarkReadBIOM2Large reads a 1,000 × 20,000 BIOM 2.1 table into one
// Profile per sample (every rank). The table is generated once per run in
// a temporary directory (needs /usr/bin/python3 with biom-format).
func BenchmarkReadBIOM2Large(b *testing.B) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import biom, h5py, scipy").Run(); err != nil {
		b.Skipf("needs python3-biom-format: %v", err)
	}
	path := filepath.Join(b.TempDir(), "large.biom")
	if out, err := exec.Command(py, "-c", benchTable, path).CombinedOutput(); err != nil {
		b.Fatalf("writing the table: %v\n%s", err, out)
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	samples := 0
	for b.Loop() {
		ps, err := ReadTables(path, ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(ps) != 1000 || len(ps[0].AtRank(taxonomy.Species)) < 500 {
			b.Fatalf("%d profiles, %d species rows", len(ps), len(ps[0].AtRank(taxonomy.Species)))
		}
		samples += len(ps)
	}
	b.ReportMetric(float64(samples)/b.Elapsed().Seconds(), "samples/s")
}
