package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

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

// readInput streams one file in batches of batchSize reads, hashing its raw
// bytes as they are read and adding their number to consumed.
func readInput(ctx context.Context, path string, stdin io.Reader, consumed *atomic.Int64, send func(*batch) error) (report.InputFile, error) {
	raw, closeRaw, err := openRaw(path, stdin)
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
	for {
		if err := ctx.Err(); err != nil {
			return h.file(), err
		}
		b := &batch{done: make(chan struct{})}
		for len(b.recs) < batchSize && sc.Scan() {
			b.recs = append(b.recs, sc.Record().Clone())
		}
		if len(b.recs) > 0 {
			b.results = make([]profile.Read, len(b.recs))
			if err := send(b); err != nil {
				return h.file(), err
			}
		}
		if len(b.recs) < batchSize {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return h.file(), wrapInput(path, err)
	}
	// Hash whatever the decoder left unread (e.g. trailing padding).
	if _, err := io.Copy(h, raw); err != nil {
		return h.file(), &InputError{Path: path, Err: err}
	}
	return h.file(), nil
}

// openRaw opens a reads input as it is on disk; "-" is stdin.
func openRaw(path string, stdin io.Reader) (io.Reader, func(), error) {
	if path == "-" {
		if stdin == nil {
			return nil, nil, &InputError{Path: path, Err: errors.New("standard input is not available")}
		}
		return stdin, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &InputError{Path: path, Err: err}
	}
	return f, func() { f.Close() }, nil
}

// InputError is a problem with an input file that is not a parse error at a
// record: missing, unreadable, or of an unknown format.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// InputFile names the input at fault.
func (e *InputError) InputFile() string { return e.Path }

// wrapInput returns err as an *InputError naming path, unless it already
// names the record at fault (*seqio.ParseError).
func wrapInput(path string, err error) error {
	var pe *seqio.ParseError
	if errors.As(err, &pe) {
		return err
	}
	return &InputError{Path: path, Err: err}
}
