package hdf5

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

func sampleFile(t *testing.T) []byte {
	t.Helper()
	w := NewWriter()
	r := w.Root()
	r.AttrString("id", "a table")
	r.AttrInts("shape", []int64{3, 2})
	r.AttrInt("nnz", 4)
	g := r.Group("observation")
	g.Strings("ids", []uint64{3}, []string{"OTU1", "OTU2", "é"})
	g.Group("matrix").Float64s("data", []uint64{4}, []float64{1.5, 2, 3, 4})
	g.Group("matrix").Int32s("indptr", []uint64{4}, []int32{0, 1, 3, 4})
	g.Group("metadata").Strings("taxonomy", []uint64{3, 2}, []string{"k__A", "p__B", "k__A", "", "Unassigned", ""})
	g.Group("group-metadata")
	r.Group("sample").Int32s("empty", []uint64{0}, nil)
	b, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriteReadBack(t *testing.T) {
	b := sampleFile(t)
	if b2 := sampleFile(t); !slices.Equal(b, b2) {
		t.Fatal("two writes differ")
	}
	f, err := Open(b)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.Dataset("observation/ids")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := d.Strings(); err != nil || !slices.Equal(s, []string{"OTU1", "OTU2", "é"}) {
		t.Errorf("ids %q %v", s, err)
	}
	d, _ = f.Dataset("observation/metadata/taxonomy")
	if s, err := d.Strings(); err != nil || !slices.Equal(s, []string{"k__A", "p__B", "k__A", "", "Unassigned", ""}) || !slices.Equal(d.Dims(), []uint64{3, 2}) {
		t.Errorf("taxonomy %q %v", s, err)
	}
	d, _ = f.Dataset("observation/matrix/data")
	if v, err := d.Float64s(); err != nil || !slices.Equal(v, []float64{1.5, 2, 3, 4}) {
		t.Errorf("data %v %v", v, err)
	}
	d, _ = f.Dataset("observation/matrix/indptr")
	if v, err := d.Float64s(); err != nil || !slices.Equal(v, []float64{0, 1, 3, 4}) {
		t.Errorf("indptr %v %v", v, err)
	}
	d, _ = f.Dataset("sample/empty")
	if v, err := d.Float64s(); err != nil || len(v) != 0 {
		t.Errorf("empty %v %v", v, err)
	}
}

// h5check prints what h5py (over libhdf5) reads from the file.
const h5check = `
import sys, h5py
f = h5py.File(sys.argv[1], "r")
print(sorted(f.attrs.items()))
def show(name, o):
    if isinstance(o, h5py.Dataset):
        v = o[()]
        print(name, o.shape, o.dtype.kind, [x.decode() if isinstance(x, bytes) else x for x in v.flatten().tolist()])
    else:
        print(name)
f.visititems(show)
`

// TestWriteReadByLibhdf5 checks the file with h5py (Debian python3-h5py,
// libhdf5 1.10.8); skipped when it is missing outside CI.
func TestWriteReadByLibhdf5(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import h5py").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("h5py missing: %v", err)
		}
		t.Skip("needs python3-h5py")
	}
	path := filepath.Join(t.TempDir(), "w.h5")
	if err := os.WriteFile(path, sampleFile(t), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", h5check, path).CombinedOutput()
	if err != nil {
		t.Fatalf("h5py: %v\n%s", err, out)
	}
	want := `[('id', 'a table'), ('nnz', 4), ('shape', array([3, 2]))]
observation
observation/group-metadata
observation/ids (3,) O ['OTU1', 'OTU2', 'é']
observation/matrix
observation/matrix/data (4,) f [1.5, 2.0, 3.0, 4.0]
observation/matrix/indptr (4,) i [0, 1, 3, 4]
observation/metadata
observation/metadata/taxonomy (3, 2) O ['k__A', 'p__B', 'k__A', '', 'Unassigned', '']
sample
sample/empty (0,) i []
`
	if string(out) != want {
		t.Errorf("h5py read\n%s\nwant\n%s", out, want)
	}
}

// TestWriteManyStrings spreads 130,000 distinct strings over three global
// heap collections and has both readers check them.
func TestWriteManyStrings(t *testing.T) {
	n := 130000
	v := make([]string, n)
	for i := range v {
		v[i] = "taxon " + strconv.Itoa(i)
	}
	w := NewWriter()
	w.Root().Strings("s", []uint64{uint64(n)}, v)
	b, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(b)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := f.Dataset("s")
	got, err := d.Strings()
	if err != nil || !slices.Equal(got, v) {
		t.Fatalf("read back: %v", err)
	}
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import h5py").Run(); err != nil {
		t.Skip("needs python3-h5py")
	}
	path := filepath.Join(t.TempDir(), "s.h5")
	os.WriteFile(path, b, 0o644)
	out, err := exec.Command(py, "-c", `import sys, h5py
s = h5py.File(sys.argv[1], "r")["s"][()]
print(len(s), s[0].decode(), s[-1].decode(), len(set(s)))`, path).CombinedOutput()
	if err != nil || string(out) != "130000 taxon 0 taxon 129999 130000\n" {
		t.Errorf("h5py: %v %s", err, out)
	}
}
