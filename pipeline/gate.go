package pipeline

import (
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/taxonomy/classify"
)

// informativeQualities reports whether qual can tell a read's error rate:
// present, and not one value throughout, as FASTA turned into FASTQ gets
// (seqtk seq -F, or a fixed "I" or "!" per base), which would claim no
// errors or a quarter of the bases wrong whatever the read is like.
func informativeQualities(qual []byte) bool {
	for _, q := range qual {
		if q != qual[0] {
			return true
		}
	}
	return false
}

// estimateReads is how many QC-passed reads without informative qualities
// the error-rate estimate is made from; fewer when the input ends, or when
// maxHeldBatches batches (4,096 reads) have not yielded them, so that a run
// of mostly filtered reads is not held in memory.
const (
	estimateReads  = 256
	maxHeldBatches = 16
)

// errorRateGate holds a run's batches back until the error rate for its
// reads without informative qualities is known, then lets them go in input
// order, each carrying it (batch.noQualityError). The rate is the
// configured one, or estimated (classify.Worker.EstimateErrorRate) from
// the first estimateReads such reads that pass QC (copies are checked); a
// run whose reads all have qualities is never held.
type errorRateGate struct {
	known   bool
	rate    float64
	pending []*batch
	seqs    [][]byte
	// newWorker gives the classifier worker the estimate runs on.
	newWorker func() *classify.Worker
	qc        qc.Options
	pf        *qc.PrimerFinder
	send      func(*batch) error
}

// add passes b on, or holds it until the rate is known.
func (g *errorRateGate) add(b *batch) error {
	if g.known {
		b.noQualityError = g.rate
		return g.send(b)
	}
	held := len(g.pending) > 0
	for _, rec := range b.recs {
		if informativeQualities(rec.Qual) {
			continue
		}
		held = true
		if c := rec.Clone(); qcRead(c, g.qc, g.pf).Passed {
			g.seqs = append(g.seqs, c.Seq)
		}
	}
	if !held {
		return g.send(b) // all reads so far have qualities: nothing to wait for
	}
	g.pending = append(g.pending, b)
	if len(g.seqs) < estimateReads && len(g.pending) < maxHeldBatches {
		return nil
	}
	return g.flush()
}

// flush settles the rate, estimating it from the reads gathered, and sends
// the held batches; classifyInOrder calls it once more when the input ends.
func (g *errorRateGate) flush() error {
	if !g.known {
		g.known = true
		if len(g.seqs) > 0 {
			g.rate = g.newWorker().EstimateErrorRate(g.seqs)
		}
		g.seqs = nil
	}
	for _, b := range g.pending {
		b.noQualityError = g.rate
		if err := g.send(b); err != nil {
			return err
		}
	}
	g.pending = nil
	return nil
}
