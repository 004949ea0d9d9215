package classify

import (
	"slices"

	"github.com/zonula/zonula/taxonomy/dna"
)

// ErrorRate returns the mean per-base error probability implied by Phred+33
// qualities, Σ 10^(-q/10) / n (dna.PhredError); 0 when qual is empty.
func ErrorRate(qual []byte) float64 {
	if len(qual) == 0 {
		return 0
	}
	var sum float64
	for _, q := range qual {
		sum += dna.PhredError(q)
	}
	return sum / float64(len(qual))
}

// maxErrorRate caps the error rate a read is classified at.
const maxErrorRate = 0.25

// estimateQuantile is the quantile of 1 − I, over a sample's aligned
// reads, that EstimateErrorRate takes as their identity loss: low enough
// that reads of taxa without a close relative in the database, whose
// divergence adds to their errors, weigh little. On simulated FASTA reads
// from the embedded database (0.4 %, 3 % and 7.5 % error) it gave 0.0021,
// 0.024 and 0.065, against median losses of 0.0041, 0.030 and 0.073; on
// reads from sequences held out of the database 0.009, 0.033 and 0.074.
const estimateQuantile = 0.10

// minEstimateReads is the fewest aligned reads EstimateErrorRate needs.
const minEstimateReads = 20

// EstimateErrorRate estimates the error rate of a sample's reads that have
// no qualities, from some of them (seqs, as QC passed them): each is aligned
// as ClassifyAt does, and with q the 10th percentile (estimateQuantile) of
// 1 − I over the reads that aligned (not chimeras), the estimate is
// e = q / 1.2, so that the identity floors, lowered by 1.2e, are lowered by
// the identity the sample's closest-matched reads lose. It returns 0 when
// fewer than 20 reads aligned. The result depends only on seqs.
func (w *Worker) EstimateErrorRate(seqs [][]byte) float64 {
	var loss []float64
	for _, s := range seqs {
		if a := w.ClassifyAt(s, 0); a.Identity > 0 && a.Status != Chimera {
			loss = append(loss, 1-a.Identity)
		}
	}
	if len(loss) < minEstimateReads {
		return 0
	}
	slices.Sort(loss)
	q := loss[int(estimateQuantile*float64(len(loss)))]
	return min(q/floorErrorFactor, maxErrorRate)
}
