package qc

import "github.com/zonula/zonula/pipeline/seqio"

// complementBase maps IUPAC bases (either case) to their complements, upper
// case; other bytes map to themselves.
var complementBase = func() (t [256]byte) {
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

// ReverseComplement turns rec into its other strand in place: the bases
// reversed and complemented (IUPAC codes to their complements, U to A) and
// the qualities reversed.
func ReverseComplement(rec *seqio.Record) {
	s := rec.Seq
	for i, j := 0, len(s)-1; i <= j; i, j = i+1, j-1 {
		s[i], s[j] = complementBase[s[j]], complementBase[s[i]]
	}
	q := rec.Qual
	for i, j := 0, len(q)-1; i < j; i, j = i+1, j-1 {
		q[i], q[j] = q[j], q[i]
	}
}
