package tables

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables/internal/hdf5"
)

// Limits on what a table file may make zonula hold, so that a hostile or
// mistaken file (/dev/zero, a gzip bomb, a line of a gigabyte) fails with a
// *ParseError in a moment instead of filling memory. Tables are held in
// memory whole (about ten to fifty times their text in the parsed form), so
// compression is what could make a small file costly.
const (
	// MaxTableLine is the longest line of a text table: a row of 100,000
	// samples is about a megabyte.
	MaxTableLine = 16 << 20
	// MaxInflation is how many times its compressed size a gzip-compressed
	// table or a .qza member may inflate to, beyond its first
	// minInflationCheck bytes. Abundance tables compress 3 to 10 times (a
	// 90 % sparse TSV of 500 samples: 6); a gigabyte of zeros or of one
	// repeated row, 200 to 1,000 times.
	MaxInflation = 10
	// minInflationCheck is what any compressed table may inflate to.
	minInflationCheck = 16 << 20
)

// inflateLimit is how far a compressed table or member of compressed bytes
// may inflate: MaxInflation times, at least minInflationCheck, at most
// ceiling.
func inflateLimit(compressed, ceiling int64) int64 {
	return min(ceiling, max(minInflationCheck, MaxInflation*compressed))
}

// readTableFile reads a table file within the limits: at most limit bytes
// on disk and, for a gzip-compressed file, after decompression (and no
// more than inflateLimit); a text table (anything but HDF5, zip and JSON)
// with no NUL byte and no line over MaxTableLine. Errors name the file: a
// *ParseError, or the *fs.PathError of os.Open.
func readTableFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var size int64 // 0 for pipes and devices
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(2)
	if !bytes.Equal(head, []byte{0x1f, 0x8b}) {
		return readBoundedTable(path, br, limit, "")
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, &ParseError{File: path, Where: "gzip", Err: err}
	}
	if size > 0 {
		limit = inflateLimit(size, limit)
	}
	return readBoundedTable(path, zr, limit, "gzip")
}

// readBoundedTable reads r (a table's bytes, decompressed by where when
// not "") within limit, as readTableFile says.
func readBoundedTable(path string, r io.Reader, limit int64, where string) ([]byte, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(512)
	b := safefile.Bounds{MaxBytes: limit}
	if !hdf5.IsHDF5(head) && !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		if t := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf"); len(t) == 0 || t[0] != '{' { // BIOM 1.0 JSON may be one line
			b.MaxLine, b.Text = MaxTableLine, true
		}
	}
	data, err := safefile.ReadBounded(br, b)
	if err != nil {
		return nil, tableReadError(path, where, err)
	}
	return data, nil
}

// tableReadError turns a read error into a *ParseError naming the file,
// the line for a line too long or binary data, and what to do for a file
// too large.
func tableReadError(path, where string, err error) error {
	var be *safefile.BoundsError
	if !errors.As(err, &be) {
		if where != "" {
			err = fmt.Errorf("%w (truncated or damaged file?)", err)
		}
		return &ParseError{File: path, Where: where, Err: err}
	}
	switch {
	case errors.Is(err, safefile.ErrBinary):
		return &ParseError{File: path, Line: be.Line, Where: where, Err: errors.New("binary data: want a text, BIOM or .qza table")}
	case errors.Is(err, safefile.ErrTooLarge) && where != "":
		size := fmt.Sprintf("%d bytes", be.Limit)
		if be.Limit >= 1<<20 {
			size = fmt.Sprintf("%d MiB", be.Limit>>20)
		}
		return &ParseError{File: path, Where: where, Err: fmt.Errorf("decompresses to more than %s (%d times its size at most): decompress it first if it is a real table", size, MaxInflation)}
	}
	return &ParseError{File: path, Line: be.Line, Where: where, Err: err}
}
