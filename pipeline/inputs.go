package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/zonula/zonula/pipeline/cohort"
	"github.com/zonula/zonula/pipeline/profile"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/report"
)

// ExpandInputs returns inputs with every directory replaced by the read
// files directly inside it, sorted by name (seqio.ReadFilesIn): an ONT
// barcode directory such as fastq_pass/barcode01/ is read as one sample.
// Files, "-" and paths that do not exist pass unchanged (opening them
// reports the problem). A directory without read files gives an
// *InputError naming it that wraps seqio.ErrNoReads; when it holds barcode
// directories instead (a whole fastq_pass/), the error says to run each
// barcode as its own sample.
//
// To list the barcodes of a run for many samples, use seqio.FindBarcodes.
func ExpandInputs(inputs []string) ([]string, error) {
	var out []string
	for _, in := range inputs {
		st, err := os.Stat(in)
		if in == "-" || err != nil || !st.IsDir() {
			out = append(out, in)
			continue
		}
		files, err := seqio.ReadFilesIn(in)
		if err != nil {
			if errors.Is(err, seqio.ErrNoReads) {
				if bc, berr := seqio.FindBarcodes(in); berr == nil && len(bc) > 0 {
					err = fmt.Errorf("%w directly inside; it holds %d barcode directories (%s, …): give one barcode directory per sample, or use 'zonula batch'", seqio.ErrNoReads, len(bc), bc[0].Name)
				} else {
					err = fmt.Errorf("%w in this directory (want *.fastq.gz, *.fq, *.fasta, *.bam, …)", seqio.ErrNoReads)
				}
			}
			return nil, &InputError{Path: in, Err: err}
		}
		out = append(out, files...)
	}
	return out, nil
}

// maxBatchBytes bounds the bytes of reads in one batch (as batchSize
// bounds their number), so that the batches in flight hold a few MiB each
// whatever the read lengths.
const maxBatchBytes = 4 << 20

// readInput streams one file in batches of at most batchSize reads and
// maxBatchBytes bytes, hashing its raw bytes as they are read and adding
// their number to consumed. Reads longer than maxReadLength bases (≤ 0:
// seqio.DefaultMaxReadLength) stop it with a *seqio.ParseError. Opening and reading
// return as soon as ctx is done, even while blocked on a pipe or FIFO that
// nobody writes to.
func readInput(ctx context.Context, path string, stdin io.Reader, maxReadLength int, consumed *atomic.Int64, send func(*batch) error) (report.InputFile, error) {
	raw, closeRaw, err := openRaw(ctx, path, stdin)
	if err != nil {
		return report.InputFile{Path: path}, err
	}
	defer closeRaw()
	h := newInputHash(path, consumed)
	dec, err := seqio.NewReader(io.TeeReader(raw, h))
	if err != nil {
		return h.file(), wrapInput(path, err)
	}
	// Close stops the decompressor's goroutines, also on an early return.
	defer dec.Close()
	sc := seqio.NewRecordReader(dec, path) // FASTQ, FASTA or unaligned BAM
	sc.SetMaxReadLength(maxReadLength)
	for {
		if err := ctx.Err(); err != nil {
			return h.file(), err
		}
		b := &batch{done: make(chan struct{})}
		size := 0
		for len(b.recs) < batchSize && size < maxBatchBytes && sc.Scan() {
			r := sc.Record().Clone()
			b.recs = append(b.recs, r)
			size += len(r.ID) + len(r.Desc) + len(r.Seq) + len(r.Qual)
		}
		if len(b.recs) > 0 {
			b.results = make([]profile.Read, len(b.recs))
			if err := send(b); err != nil {
				return h.file(), err
			}
		}
		if len(b.recs) < batchSize && size < maxBatchBytes {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return h.file(), wrapInput(path, err)
	}
	// Hash whatever the decoder left unread (e.g. trailing padding).
	if _, err := io.Copy(h, raw); err != nil {
		return h.file(), wrapInput(path, err)
	}
	return h.file(), nil
}

// openRaw opens a reads input as it is on disk; "-" is stdin. The reader
// returned gives up with ctx's error once ctx is done (cancelReader), and so
// does the open itself, which blocks on a FIFO until a writer opens it.
func openRaw(ctx context.Context, path string, stdin io.Reader) (io.Reader, func(), error) {
	if path == "-" {
		if stdin == nil {
			return nil, nil, &InputError{Path: path, Err: errors.New("standard input is not available")}
		}
		return &cancelReader{ctx: ctx, r: stdin}, func() {}, nil
	}
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	abandon := make(chan struct{})
	go func() {
		f, err := os.Open(path)
		select {
		case ch <- opened{f, err}:
		case <-abandon:
			if f != nil {
				f.Close()
			}
		}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			return nil, nil, &InputError{Path: path, Err: o.err}
		}
		return &cancelReader{ctx: ctx, r: o.f}, func() { o.f.Close() }, nil
	case <-ctx.Done():
		close(abandon)
		return nil, nil, ctx.Err()
	}
}

// cancelReader reads r on another goroutine, into its own buffer, so that
// a Read blocked in the system (a pipe without a writer, a FIFO, a hung
// network mount) returns ctx's error as soon as ctx is done. After that
// the reader is spent: the abandoned read may still complete, into a
// buffer nobody reads.
type cancelReader struct {
	ctx   context.Context
	r     io.Reader
	buf   []byte
	spent bool
}

func (c *cancelReader) Read(p []byte) (int, error) {
	if c.spent || c.ctx.Err() != nil {
		c.spent = true
		return 0, c.ctx.Err()
	}
	if len(p) > cap(c.buf) {
		c.buf = make([]byte, max(len(p), 64<<10))
	}
	buf := c.buf[:len(p)]
	type result struct {
		n   int
		err error
	}
	ch := make(chan result, 1)
	go func() {
		n, err := c.r.Read(buf)
		ch <- result{n, err}
	}()
	select {
	case r := <-ch:
		return copy(p, buf[:r.n]), r.err
	case <-c.ctx.Done():
		c.spent, c.buf = true, nil
		return 0, c.ctx.Err()
	}
}

// InputError is a problem with an input file that is not a parse error at a
// record: missing, unreadable, or of an unknown format. It is cohort's type
// (cohort, below pipeline, cannot use pipeline's), so both packages' input
// errors are one.
type InputError = cohort.InputError

// wrapInput returns err as an *InputError naming path, unless it already
// names the record at fault (*seqio.ParseError).
func wrapInput(path string, err error) error {
	var pe *seqio.ParseError
	if errors.As(err, &pe) {
		return err
	}
	return &InputError{Path: path, Err: err}
}
