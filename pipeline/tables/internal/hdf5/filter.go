package hdf5

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// unfilter reverses the filter pipeline (applied in reverse order).
func (d *Dataset) unfilter(b []byte, want, es uint64) ([]byte, error) {
	for i := len(d.filters) - 1; i >= 0; i-- {
		switch d.filters[i].id {
		case 1:
			out, err := inflate(b, int(want))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", d.path, err)
			}
			b = out
		case 2:
			b = unshuffle(b, int(es))
		case 3:
			if len(b) < 4 {
				return nil, fmt.Errorf("%s: fletcher32 chunk too short", d.path)
			}
			sum := binary.LittleEndian.Uint32(b[len(b)-4:])
			b = b[:len(b)-4]
			if fletcher32(b) != sum && bswap16pair(fletcher32(b)) != sum {
				return nil, fmt.Errorf("%s: fletcher32 checksum mismatch: %w", d.path, errCorrupt)
			}
		}
	}
	return b, nil
}

func inflate(b []byte, want int) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("deflate filter: %w", err)
	}
	out := make([]byte, 0, want)
	buf := bytes.NewBuffer(out)
	n, err := io.Copy(buf, io.LimitReader(zr, int64(want)+1))
	if err != nil {
		return nil, fmt.Errorf("deflate filter: %w", err)
	}
	if n > int64(want) {
		return nil, fmt.Errorf("deflate filter: chunk inflates past its %d bytes: %w", want, errCorrupt)
	}
	return buf.Bytes(), nil
}

// Reading failed because the stream was not what its header promised.
var errCorrupt = errors.New("corrupt data")

func unshuffle(b []byte, es int) []byte {
	if es <= 1 || len(b)%es != 0 {
		return b
	}
	n := len(b) / es
	out := make([]byte, len(b))
	for j := range es {
		for i := range n {
			out[i*es+j] = b[j*n+i]
		}
	}
	return out
}

// fletcher32 is HDF5's checksum (H5_checksum_fletcher32) over 16-bit
// big-endian words, reduced in blocks of 360 words as libhdf5 does.
func fletcher32(b []byte) uint32 {
	var s1, s2 uint32
	reduce := func() {
		s1 = s1&0xffff + s1>>16
		s2 = s2&0xffff + s2>>16
	}
	words := len(b) / 2
	for i := 0; i < words; {
		n := min(words-i, 360)
		for range n {
			s1 += uint32(b[2*i])<<8 | uint32(b[2*i+1])
			s2 += s1
			i++
		}
		reduce()
	}
	if len(b)%2 == 1 {
		s1 += uint32(b[len(b)-1]) << 8
		s2 += s1
		reduce()
	}
	reduce()
	return s2<<16 | s1
}

func bswap16pair(v uint32) uint32 { return v<<16 | v>>16 }
