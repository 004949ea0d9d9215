// Package dna holds the nucleotide arithmetic every stage shares: complements
// with IUPAC codes, Phred error probabilities.
package dna

import "math"

// complement is ComplementBase's table.
var complement = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
	}
	const from, to = "ACGTURYSWKMBDHVN", "TGCAAYRSWMKVHDBN"
	for i := range len(from) {
		t[from[i]] = to[i]
		t[from[i]-'A'+'a'] = to[i]
	}
	return t
}()

// ComplementBase returns the complement of base b, in upper case, for the
// IUPAC nucleotide codes in either case: A↔T, C↔G, R↔Y, K↔M, B↔V, D↔H; S,
// W and N are their own complements; RNA U (read as T) gives A. Any other
// byte ('-', '.', '*', '=', letters that are no code, non-ASCII bytes) is
// returned as it is.
func ComplementBase(b byte) byte { return complement[b] }

// Complement complements every base of s in place (ComplementBase),
// without reversing it.
func Complement(s []byte) {
	for i, b := range s {
		s[i] = complement[b]
	}
}

// ReverseComplement turns s into its other strand in place: the bases
// reversed and each complemented as ComplementBase does.
func ReverseComplement(s []byte) {
	for i, j := 0, len(s)-1; i <= j; i, j = i+1, j-1 {
		s[i], s[j] = complement[s[j]], complement[s[i]]
	}
}

// phredError is PhredError's table.
var phredError = func() (t [256]float64) {
	for i := range t {
		t[i] = math.Pow(10, -float64(max(0, i-33))/10)
	}
	return t
}()

// PhredError returns the error probability 10^(−q/10) of the Phred+33
// quality byte b, q = b − 33; bytes below '!' count as q = 0 (probability
// 1). The values are math.Pow's, looked up in a table.
func PhredError(b byte) float64 { return phredError[b] }
