package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/zonula/zonula/pipeline/profile"
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/taxonomy/classify"
)

// batchSize is the number of reads a worker classifies at a time.
const batchSize = 256

// batch is a run of consecutive reads that one worker checks and
// classifies; done closes when results holds their outcomes.
type batch struct {
	recs    []*seqio.Record
	results []profile.Read
	done    chan struct{}
	// noQualityError is the error rate its reads without informative
	// qualities are classified at (set by errorRateGate).
	noQualityError float64
}

// runReads streams every input through QC and the classifier, tallies the
// reads (profile.Tally, whose community EM settles their calls) and writes
// the per-read table to readsPath (gzip when it ends in ".gz") in input
// order. Each read's record waits for the EM in a temporary file beside
// readsPath (the run's staging directory). It returns the tally and the
// inputs with their checksums.
func runReads(ctx context.Context, cfg Config, clf *classify.Classifier, threads int, readsPath string, prog Progress) (*profile.Result, []report.InputFile, error) {
	var pf *qc.PrimerFinder
	if cfg.Primers != nil {
		var err error
		if pf, err = qc.NewPrimerFinder(*cfg.Primers); err != nil {
			return nil, nil, fmt.Errorf("primers: %w", err)
		}
	}
	tally, err := profile.New(cfg.Sample, cfg.QC, clf, filepath.Dir(readsPath))
	if err != nil {
		return nil, nil, err
	}
	defer tally.Close()
	meter := newInputMeter(cfg.Inputs, prog)
	prog.Stage("classifying")
	var done, passed int64
	inputs, err := classifyInOrder(ctx, cfg, clf, pf, threads, &meter.read, func(b *batch) error {
		tally.SetNoQualityErrorRate(b.noQualityError)
		for i, rec := range b.recs {
			r := b.results[i]
			if err := tally.Add(rec, r); err != nil {
				return err
			}
			done++
			if r.Passed {
				passed++
			}
		}
		meter.report(done, passed)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	// The per-read table follows the community EM, which needs every read:
	// the tally writes it from its records in a second pass.
	prog.Stage("profiling")
	var res *profile.Result
	err = safefile.Write(readsPath, func(out io.Writer) error {
		table, err := newReadsTable(out, readsPath)
		if err != nil {
			return err
		}
		if res, err = tally.Finish(table.add); err != nil {
			return err
		}
		return table.close()
	})
	if err != nil {
		return nil, nil, err
	}
	if res.QC.InputReads == 0 {
		return nil, nil, &seqio.ParseError{File: cfg.Inputs[0], Err: seqio.ErrEmpty}
	}
	return res, inputs, nil
}

// classifyInOrder reads every input in batches, checks and classifies
// them on threads workers, and calls emit with each batch in input order
// (so output is the same for any number of threads). Reads without
// informative qualities wait for their error rate (errorRateGate). It
// returns the inputs with their sizes and checksums.
func classifyInOrder(ctx context.Context, cfg Config, clf *classify.Classifier, pf *qc.PrimerFinder, threads int,
	consumed *atomic.Int64, emit func(*batch) error) ([]report.InputFile, error) {
	var inputs []report.InputFile
	g, gctx := errgroup.WithContext(ctx)
	work := make(chan *batch, threads)
	order := make(chan *batch, 2*threads)
	g.Go(func() error { // the sole reader of the inputs
		defer close(work)
		defer close(order)
		gate := &errorRateGate{known: cfg.NoQualityErrorRate > 0, rate: cfg.NoQualityErrorRate,
			newWorker: clf.NewWorker, qc: cfg.QC, pf: pf, send: func(b *batch) error {
				for _, ch := range []chan *batch{work, order} { // work first: every ordered batch runs
					select {
					case ch <- b:
					case <-gctx.Done():
						return gctx.Err()
					}
				}
				return nil
			}}
		for _, path := range cfg.Inputs {
			f, err := readInput(gctx, path, cfg.Stdin, cfg.MaxReadLength, consumed, gate.add)
			if err != nil {
				return err
			}
			inputs = append(inputs, f)
		}
		return gate.flush()
	})
	for range threads {
		g.Go(func() error {
			w := clf.NewWorker() // own buffers: a worker is not goroutine-safe
			for b := range work {
				for i, rec := range b.recs {
					b.results[i] = checkRead(w, rec, cfg.QC, pf, b.noQualityError)
				}
				close(b.done)
			}
			return nil
		})
	}
	g.Go(func() error { // in input order
		for b := range order {
			select {
			case <-b.done:
			case <-gctx.Done():
				return gctx.Err()
			}
			if err := emit(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return inputs, nil
}

// checkRead filters, orients and classifies one read. With a PrimerFinder
// the read goes through qc.Inspect (primer search and trimming, the read
// flags, then the filters); a read whose primers lie on the antisense strand
// is reverse-complemented in place before classification. Reads that pass
// are classified, at the error rate their qualities give or, for reads
// without informative ones, at noQualityError; the classifier orients
// reads itself (by reference k-mers) and its orientation is final.
func checkRead(w *classify.Worker, rec *seqio.Record, o qc.Options, pf *qc.PrimerFinder, noQualityError float64) profile.Read {
	r := qcRead(rec, o, pf)
	if !r.Passed {
		return r
	}
	if informativeQualities(rec.Qual) {
		r.Assignment = w.Classify(rec.Seq, rec.Qual)
	} else {
		r.Assignment = w.ClassifyAt(rec.Seq, noQualityError)
	}
	if r.Assignment.Reverse {
		r.Reverse = !r.Reverse
		r.Disagree = r.ByPrimers && r.Assignment.Reference != ""
	}
	return r
}

// qcRead applies the QC filters to rec and, when primers are searched,
// trims them and turns an antisense read to the sense strand (in place).
func qcRead(rec *seqio.Record, o qc.Options, pf *qc.PrimerFinder) profile.Read {
	var r profile.Read
	if pf == nil {
		r.Passed, r.Reason = qc.Check(rec, o)
		return r
	}
	r.Inspected = true
	r.QC = qc.Inspect(rec, o, pf)
	r.Passed, r.Reason = r.QC.OK, r.QC.Reason
	if m := r.QC.Primers; m.Found() > 0 {
		r.ByPrimers = true
		if m.Antisense {
			qc.ReverseComplement(rec)
			r.Reverse = true
		}
	}
	return r
}

// inputMeter tells progress how far through the inputs a run is: reads
// done and passed, and, for a ByteProgress, raw input bytes consumed (read
// is added to by the input reader) of their total size.
type inputMeter struct {
	prog  Progress
	bytes ByteProgress // nil when prog does not take bytes
	read  atomic.Int64
	total int64 // regular files' sizes; stdin and pipes count 0
}

func newInputMeter(inputs []string, prog Progress) *inputMeter {
	m := &inputMeter{prog: prog}
	m.bytes, _ = prog.(ByteProgress)
	for _, path := range inputs {
		if st, err := os.Stat(path); err == nil && path != "-" && st.Mode().IsRegular() {
			m.total += st.Size()
		}
	}
	return m
}

// report passes the counts on, once per batch.
func (m *inputMeter) report(done, passed int64) {
	m.prog.Reads(done, passed)
	if m.bytes != nil {
		m.bytes.Bytes(m.read.Load(), m.total)
	}
}
