package tables

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// biomCheck loads a BIOM file with the biom-format Python package and prints
// what zonula's tests compare: shape, sample ids, matrix type, and for each
// observation its id, taxonomy and count.
const biomCheck = `
import sys, biom
t = biom.load_table(sys.argv[1])
print("shape", *t.shape)
print("samples", *t.ids(axis="sample"))
print("dtype", t.matrix_data.dtype.kind)
for oid, md in zip(t.ids(axis="observation"), t.metadata(axis="observation")):
    print(oid, "|", ";".join(md["taxonomy"]), "|", repr(float(t.get_value_by_ids(oid, t.ids(axis="sample")[0]))))
`

// TestBIOMLoadsInBiomFormat checks that Debian's python3-biom-format (biom
// 2.1.12 on bookworm) reads WriteBIOM's output as zonula means it. Install it
// with: apt-get install -y python3-biom-format. Skipped when /usr/bin/python3
// cannot import biom. Where the biom command is on PATH, the files must also
// pass biom validate-table.
func TestBIOMLoadsInBiomFormat(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import biom").Run(); err != nil {
		if os.Getenv("CI") != "" { // CI installs it (scripts/install-test-deps.sh)
			t.Fatalf("%s cannot import biom: %v", py, err)
		}
		t.Skipf("%s cannot import biom (%v); apt-get install -y python3-biom-format to run this check", py, err)
	}
	for golden, want := range map[string]string{
		"testdata/genus.biom.golden": `shape 4 1
samples S1
dtype f
d__Bacteria;p__Bacteroidota;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides | d__Bacteria;p__Bacteroidota;c__Bacteroidia;o__Bacteroidales;f__Bacteroidaceae;g__Bacteroides | 3.0
d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae;g__Faecalibacterium | d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae;g__Faecalibacterium | 3.0
d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Lachnospiraceae;g__Roseburia | d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Lachnospiraceae;g__Roseburia | 1.0
unclassified | unclassified | 3.0
`,
		"testdata/species-fractional.biom.golden": `shape 3 1
samples S2
dtype f
d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii | d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Oscillospiraceae;g__Faecalibacterium;s__Faecalibacterium prausnitzii | 2.5
d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Lachnospiraceae;g__Roseburia;s__Roseburia intestinalis | d__Bacteria;p__Bacillota;c__Clostridia;o__Eubacteriales;f__Lachnospiraceae;g__Roseburia;s__Roseburia intestinalis | 0.3333333333333333
unclassified | unclassified | 5.0
`,
	} {
		if biomCLI, err := exec.LookPath("biom"); err == nil {
			out, err := exec.Command(biomCLI, "validate-table", "-i", golden).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "is a valid BIOM-formatted file") {
				t.Errorf("biom validate-table -i %s: %v\n%s", golden, err, out)
			}
		}
		out, err := exec.Command(py, "-c", biomCheck, golden).CombinedOutput()
		if err != nil {
			t.Errorf("biom.load_table(%s): %v\n%s", golden, err, out)
			continue
		}
		if got := string(out); got != want {
			t.Errorf("biom.load_table(%s) read\n%s\nwant\n%s", golden, got, want)
		}
	}
}
