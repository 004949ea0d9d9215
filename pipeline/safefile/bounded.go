package safefile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Bounds limit what ReadBounded takes from an untrusted input, so that a
// hostile or mistaken file (/dev/zero, a FIFO that never ends, a line of a
// gigabyte) fails fast with a message instead of filling memory.
type Bounds struct {
	// MaxBytes is the most the input may hold (required).
	MaxBytes int64
	// MaxLine, when > 0, is the longest line, in bytes without its "\n".
	MaxLine int
	// Text refuses NUL bytes, which no text format holds: binary data
	// fails at its first block instead of at MaxBytes.
	Text bool
}

// Errors a *BoundsError wraps.
var (
	ErrTooLarge    = errors.New("larger than the limit")
	ErrLineTooLong = errors.New("line longer than the limit")
	ErrBinary      = errors.New("binary data (NUL bytes) in a text file")
)

// BoundsError says which bound an input broke and where: Line is the
// 1-based line (for ErrLineTooLong and ErrBinary; 0 for ErrTooLarge).
type BoundsError struct {
	Line  int
	Limit int64
	Err   error
}

func (e *BoundsError) Error() string {
	switch {
	case errors.Is(e.Err, ErrBinary):
		return e.Err.Error() + ": want text"
	case e.Limit >= 1<<20:
		return fmt.Sprintf("%v of %d MiB", e.Err, e.Limit>>20)
	case e.Limit >= 1<<10:
		return fmt.Sprintf("%v of %d KiB", e.Err, e.Limit>>10)
	}
	return fmt.Sprintf("%v of %d bytes", e.Err, e.Limit)
}

// Unwrap returns ErrTooLarge, ErrLineTooLong or ErrBinary.
func (e *BoundsError) Unwrap() error { return e.Err }

// ReadBounded reads r to its end, as io.ReadAll does, but stops with a
// *BoundsError as soon as the input breaks b: more than b.MaxBytes bytes,
// a line longer than b.MaxLine, or (b.Text) a NUL byte. Other read errors
// are returned as they are. Memory stays within about twice the bound.
func ReadBounded(r io.Reader, b Bounds) ([]byte, error) {
	var (
		data    []byte
		buf     = make([]byte, 64<<10)
		line    = 1
		lineLen int // bytes of the current line so far
	)
	for {
		n, err := r.Read(buf)
		chunk := buf[:n]
		if int64(len(data)+n) > b.MaxBytes {
			return nil, &BoundsError{Limit: b.MaxBytes, Err: ErrTooLarge}
		}
		if b.Text {
			if i := bytes.IndexByte(chunk, 0); i >= 0 {
				return nil, &BoundsError{Line: line + bytes.Count(chunk[:i], []byte{'\n'}), Err: ErrBinary}
			}
		}
		if b.MaxLine > 0 {
			for rest := chunk; ; {
				i := bytes.IndexByte(rest, '\n')
				if i < 0 {
					lineLen += len(rest)
					break
				}
				lineLen += i
				if lineLen > b.MaxLine {
					break
				}
				line, lineLen, rest = line+1, 0, rest[i+1:]
			}
			if lineLen > b.MaxLine {
				return nil, &BoundsError{Line: line, Limit: int64(b.MaxLine), Err: ErrLineTooLong}
			}
		} else if b.Text {
			line += bytes.Count(chunk, []byte{'\n'})
		}
		data = append(data, chunk...)
		if errors.Is(err, io.EOF) {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
