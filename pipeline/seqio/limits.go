package seqio

import (
	"errors"
	"fmt"
	"io"
)

// Limits that keep untrusted input from taking unbounded memory or time.
// Memory per record is bounded by the read length (a Scanner holds one
// line and one record; a BAMReader one record), and a decompressor may not
// inflate far beyond what real sequencing data does.
const (
	// DefaultMaxReadLength is the longest read, in bases, a Scanner or
	// BAMReader accepts unless SetMaxReadLength says otherwise: 1 MiB,
	// far above any 16S amplicon (about 1,500 bases) and above most
	// ultra-long nanopore reads.
	DefaultMaxReadLength = 1 << 20
	// lineSlack is what a line may hold beyond the read length: a header
	// with its tags.
	lineSlack = 64 << 10
	// MaxRatio is how many times its compressed size a gzip, zstd or bzip2
	// input may decompress to, once more than minRatioCheck (4 MiB) have
	// come out. Sequencing data compresses about 3 to 10 times (HiFi FASTQ.gz:
	// 3; zonula's reads.tsv.gz: 8); a gigabyte of zeros gzips 1,000 to 1.
	MaxRatio = 100
	// minRatioCheck is how much any input may decompress to before its
	// ratio is checked, so that small files are never refused; small
	// enough that a bomb of valid reads (one read repeated) is refused
	// after about a thousand reads, within a second.
	minRatioCheck = 4 << 20
)

// Errors about input that breaks a limit; a *ParseError wraps them.
var (
	// ErrReadTooLong reports a read longer than the read-length limit.
	ErrReadTooLong = errors.New("read longer than the read-length limit")
	// ErrLineTooLong reports a line longer than any record may need.
	ErrLineTooLong = errors.New("line longer than the read-length limit allows")
	// ErrBomb reports a compressed input that inflates more than MaxRatio
	// times its size: not sequencing data, perhaps a decompression bomb.
	ErrBomb = errors.New("decompresses to more than 100 times its compressed size (not sequencing data; a decompression bomb?)")
)

// limitDetail says how to lift the read-length limit.
func limitDetail(limit int) string {
	return fmt.Sprintf("the limit is %d bases; zonula's --max-read-length raises it", limit)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// ratioGuard fails a decompressed stream with ErrBomb once it has produced
// more than minRatioCheck bytes and more than MaxRatio times the compressed
// bytes consumed so far (in).
type ratioGuard struct {
	r      io.Reader
	in     *countingReader
	out    int64
	format string
}

func (g *ratioGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.out += int64(n)
	if g.out > minRatioCheck && g.out > MaxRatio*g.in.n {
		return n, fmt.Errorf("%s: %w: %d MiB from %d KiB", g.format, ErrBomb, g.out>>20, g.in.n>>10)
	}
	return n, err
}
