package metrics

import (
	"bytes"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestParseNewick(t *testing.T) {
	tr, err := ParseNewick([]byte(" ( (A:0.1, 'b c''d':2e-1)0.95:0.3 [a comment],\n g__C_x:0.4 ) Root ;\n"), "t.nwk")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tr.Tips(), []string{"A", "b c'd", "g__C_x"}; !slices.Equal(got, want) {
		t.Errorf("Tips() = %q, want %q", got, want)
	}
	if tr.Len() != 5 || tr.Root() != 4 || tr.Name(4) != "Root" || tr.Parent(4) != -1 {
		t.Fatalf("shape: len %d root %d name %q parent %d", tr.Len(), tr.Root(), tr.Name(4), tr.Parent(4))
	}
	// Post-order: A, b c'd, (0.95), g__C_x, Root.
	wantNames := []string{"A", "b c'd", "0.95", "g__C_x", "Root"}
	wantLen := []float64{0.1, 0.2, 0.3, 0.4, 0}
	wantParent := []int{2, 2, 4, 4, -1}
	for i := range tr.Len() {
		if tr.Name(i) != wantNames[i] || tr.Length(i) != wantLen[i] || tr.Parent(i) != wantParent[i] {
			t.Errorf("node %d = %q:%v parent %d, want %q:%v parent %d", i, tr.Name(i), tr.Length(i), tr.Parent(i), wantNames[i], wantLen[i], wantParent[i])
		}
		if tr.IsTip(i) != (i == 0 || i == 1 || i == 3) {
			t.Errorf("IsTip(%d) = %v", i, tr.IsTip(i))
		}
	}
}

func TestParseNewickSingleTipAndDeep(t *testing.T) {
	tr, err := ParseNewick([]byte("A:1;"), "one")
	if err != nil || tr.Len() != 1 || tr.Name(0) != "A" || !tr.IsTip(0) || tr.Length(0) != 1 {
		t.Fatalf("single tip: %v %+v", err, tr)
	}
	// 100 000 levels of nesting: the parser is iterative.
	const depth = 100000
	s := strings.Repeat("(", depth) + "A" + strings.Repeat(")", depth) + ";"
	tr, err = ParseNewick([]byte(s), "deep")
	if err != nil || tr.Len() != depth+1 || tr.Parent(0) != 1 {
		t.Fatalf("deep tree: %v", err)
	}
}

func TestParseNewickErrors(t *testing.T) {
	for _, c := range []struct {
		in        string
		line, col int
		msg       string
	}{
		{"", 1, 1, "unexpected end"},
		{"(A,B)", 1, 6, "';'"},
		{"(A,B);x", 1, 7, "after the tree"},
		{"(A,B;", 1, 5, "',' or ')'"},
		{"(A,,B);", 1, 4, "tip name"},
		{"(A:x,B);", 1, 4, "not a finite number"},
		{"(A:-1,B);", 1, 4, "negative"},
		{"(A:NaN,B);", 1, 4, "not a finite number"},
		{"(A:,B);", 1, 4, "not followed"},
		{"(A,\n'B);", 2, 1, "never closed"},
		{"(A,B)[x;", 1, 6, "comment"},
		{"();", 1, 2, "tip name"},
		{"(A,(B,C);", 1, 9, "',' or ')'"},
	} {
		_, err := ParseNewick([]byte(c.in), "bad.nwk")
		var ne *NewickError
		if !errors.As(err, &ne) {
			t.Errorf("%q: error %v is not a *NewickError", c.in, err)
			continue
		}
		if ne.Line != c.line || ne.Column != c.col || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "bad.nwk:") {
			t.Errorf("%q: got %v (line %d col %d), want line %d col %d containing %q", c.in, err, ne.Line, ne.Column, c.line, c.col, c.msg)
		}
	}
}

func TestReadNewickTestdata(t *testing.T) {
	f, err := os.Open("testdata/tree.nwk")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := ReadNewick(f, "testdata/tree.nwk")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tr.Tips()); n != 11 {
		t.Errorf("tree.nwk has %d tips, want 11", n)
	}
}

func FuzzParseNewick(f *testing.F) {
	for _, s := range []string{
		"((A:0.1,B:0.2)0.9:0.3,C:0.4);",
		"('a b':1,'c''d':2)[x]r:0;",
		"A;",
		"(A,(B,(C,D)));",
		"(,);",
		"((A:1e-3,B:1E2):.5,C);",
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("testdata/tree.nwk"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := ParseNewick(data, "fuzz")
		if err != nil {
			var ne *NewickError
			if !errors.As(err, &ne) {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		// A parsed tree is consistent: post-order, one root, tips named.
		for i := range tr.Len() {
			p := tr.Parent(i)
			if (p == -1) != (i == tr.Root()) || p != -1 && p <= i {
				t.Fatalf("node %d has parent %d (root %d)", i, p, tr.Root())
			}
			if tr.IsTip(i) && tr.Name(i) == "" {
				t.Fatalf("tip %d has no name", i)
			}
			if l := tr.Length(i); !(l >= 0) {
				t.Fatalf("node %d length %v", i, l)
			}
		}
	})
}

// TestReadNewickBinary: binary data, such as /dev/zero, fails at its first
// block with the file named.
func TestReadNewickBinary(t *testing.T) {
	_, err := ReadNewick(io.MultiReader(strings.NewReader("((A:1,B:2):1,\n"), bytes.NewReader(make([]byte, 1<<20))), "tree.nwk")
	var ne *NewickError
	if !errors.As(err, &ne) || ne.File != "tree.nwk" || ne.Line != 2 || !strings.Contains(err.Error(), "binary data") {
		t.Errorf("binary tree: %v", err)
	}
}
