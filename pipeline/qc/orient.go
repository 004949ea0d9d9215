package qc

import (
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/taxonomy/dna"
)

// ReverseComplement turns rec into its other strand in place: the bases
// reversed and complemented (IUPAC codes to their complements, U to A) and
// the qualities reversed (dna.ReverseComplement).
func ReverseComplement(rec *seqio.Record) {
	dna.ReverseComplement(rec.Seq)
	q := rec.Qual
	for i, j := 0, len(q)-1; i < j; i, j = i+1, j-1 {
		q[i], q[j] = q[j], q[i]
	}
}
