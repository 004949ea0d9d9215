// Package classify assigns 16S reads to taxa against a reference database:
// k-mer candidates, bit-parallel alignment for identity, rank-wise identity
// floors, and the lowest common ancestor of near-tied references.
package classify
