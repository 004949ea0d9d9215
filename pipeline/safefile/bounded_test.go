package safefile

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// endless is an io.Reader of the same byte for ever, as /dev/zero.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestReadBounded(t *testing.T) {
	for _, c := range []struct {
		name string
		r    io.Reader
		b    Bounds
		want error
		line int
	}{
		{"within", strings.NewReader("a\nbb\nccc\n"), Bounds{MaxBytes: 9, MaxLine: 3, Text: true}, nil, 0},
		{"no final newline", strings.NewReader("a\nbbb"), Bounds{MaxBytes: 9, MaxLine: 3}, nil, 0},
		{"too large", strings.NewReader("0123456789"), Bounds{MaxBytes: 9}, ErrTooLarge, 0},
		{"line too long", strings.NewReader("a\nbb\ncccc\nd\n"), Bounds{MaxBytes: 99, MaxLine: 3}, ErrLineTooLong, 3},
		{"long line in small reads", iotest.OneByteReader(strings.NewReader("a\nbbbb")), Bounds{MaxBytes: 99, MaxLine: 3}, ErrLineTooLong, 2},
		{"nul", strings.NewReader("a\nb\x00"), Bounds{MaxBytes: 99, Text: true}, ErrBinary, 2},
		{"nul allowed", strings.NewReader("a\nb\x00"), Bounds{MaxBytes: 99}, nil, 0},
		{"dev zero", endless(0), Bounds{MaxBytes: 1 << 30, MaxLine: 1 << 20, Text: true}, ErrBinary, 1},
		{"endless line", endless('x'), Bounds{MaxBytes: 1 << 30, MaxLine: 1 << 20}, ErrLineTooLong, 1},
		{"endless lines", endless('\n'), Bounds{MaxBytes: 1 << 20, MaxLine: 10}, ErrTooLarge, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			data, err := ReadBounded(c.r, c.b)
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			if c.want == nil {
				if data == nil {
					t.Error("no data")
				}
				return
			}
			var be *BoundsError
			if !errors.As(err, &be) || be.Line != c.line || data != nil {
				t.Errorf("error %#v at line %d, want line %d and no data", err, be.Line, c.line)
			}
		})
	}
	if _, err := ReadBounded(iotest.ErrReader(io.ErrClosedPipe), Bounds{MaxBytes: 9}); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("read error: %v", err)
	}
}
