package dna

import (
	"math"
	"strings"
	"testing"
)

func TestComplementBase(t *testing.T) {
	// IUPAC: a code's complement stands for the complements of its bases
	// (R = A|G, so its complement is T|C = Y).
	pairs := map[byte]byte{
		'A': 'T', 'C': 'G', 'G': 'C', 'T': 'A', 'U': 'A',
		'R': 'Y', 'Y': 'R', 'K': 'M', 'M': 'K', 'B': 'V', 'V': 'B', 'D': 'H', 'H': 'D',
		'S': 'S', 'W': 'W', 'N': 'N',
	}
	for b := range 256 {
		c := byte(b)
		want := c
		if p, ok := pairs[c]; ok {
			want = p
		} else if p, ok := pairs[c-'a'+'A']; ok && c >= 'a' && c <= 'z' {
			want = p
		}
		if got := ComplementBase(c); got != want {
			t.Errorf("ComplementBase(%q) = %q, want %q", c, got, want)
		}
	}
}

func TestReverseComplement(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"A", "T"},
		{"ACGTU", "AACGT"},
		{"acgtn", "NACGT"},
		{"AAGCRYN-.*=", "=*.-NRYGCTT"},
		{"GATTACA", "TGTAATC"},
	} {
		s := []byte(c.in)
		ReverseComplement(s)
		if string(s) != c.want {
			t.Errorf("ReverseComplement(%q) = %q, want %q", c.in, s, c.want)
		}
		// Twice gives the sequence back, upper-cased, U as T.
		ReverseComplement(s)
		if want := strings.ReplaceAll(strings.ToUpper(c.in), "U", "T"); string(s) != want {
			t.Errorf("ReverseComplement twice of %q = %q, want %q", c.in, s, want)
		}
	}
	s := []byte("ACGTRYKM")
	Complement(s)
	if string(s) != "TGCAYRMK" {
		t.Errorf("Complement = %q, want TGCAYRMK", s)
	}
}

func TestPhredError(t *testing.T) {
	for _, c := range []struct {
		b    byte
		want float64
	}{
		{'!', 1}, {' ', 1}, {0, 1}, // q = 0, and bytes below '!' count as 0
		{'+', 0.1},                // q = 10
		{'5', 0.01},               // q = 20
		{'?', 0.001},              // q = 30
		{'I', 1e-4},               // q = 40
		{'~', math.Pow(10, -9.3)}, // q = 93, the highest Phred+33 byte
	} {
		if got := PhredError(c.b); math.Abs(got-c.want) > 1e-15*c.want {
			t.Errorf("PhredError(%q) = %g, want %g", c.b, got, c.want)
		}
	}
}
