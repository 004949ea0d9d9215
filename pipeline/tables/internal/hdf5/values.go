package hdf5

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// Float64s returns a numeric dataset's elements as float64, row-major.
func (d *Dataset) Float64s() ([]float64, error) {
	if d.dt.kind == String {
		return nil, fmt.Errorf("%s holds strings, want numbers", d.path)
	}
	b, err := d.raw()
	if err != nil {
		return nil, err
	}
	n := int(d.Len())
	out := make([]float64, n)
	es := d.dt.size
	var bo binary.ByteOrder = binary.LittleEndian
	if d.dt.bigEndian {
		bo = binary.BigEndian
	}
	for i := range out {
		e := b[i*es : i*es+es]
		switch {
		case d.dt.kind == Float && es == 8:
			out[i] = math.Float64frombits(bo.Uint64(e))
		case d.dt.kind == Float:
			out[i] = float64(math.Float32frombits(bo.Uint32(e)))
		default:
			out[i] = intValue(e, bo, d.dt.signed)
		}
	}
	return out, nil
}

func intValue(e []byte, bo binary.ByteOrder, signed bool) float64 {
	switch len(e) {
	case 1:
		if signed {
			return float64(int8(e[0]))
		}
		return float64(e[0])
	case 2:
		if signed {
			return float64(int16(bo.Uint16(e)))
		}
		return float64(bo.Uint16(e))
	case 4:
		if signed {
			return float64(int32(bo.Uint32(e)))
		}
		return float64(bo.Uint32(e))
	}
	if signed {
		return float64(int64(bo.Uint64(e)))
	}
	return float64(bo.Uint64(e))
}

// Strings returns a string dataset's elements, row-major; fixed-length
// strings lose their NUL or space padding.
func (d *Dataset) Strings() ([]string, error) {
	if d.dt.kind != String {
		return nil, fmt.Errorf("%s does not hold strings", d.path)
	}
	b, err := d.raw()
	if err != nil {
		return nil, err
	}
	out := make([]string, int(d.Len()))
	es := int(d.elemSize())
	if !d.dt.vlen {
		for i := range out {
			e := bytes.TrimRight(b[i*es:i*es+es], "\x00 ")
			if j := bytes.IndexByte(e, 0); j >= 0 {
				e = e[:j]
			}
			out[i] = string(e)
		}
		return out, nil
	}
	heaps := map[uint64]map[uint32][]byte{}
	for i := range out {
		if out[i], err = d.vlenString(b[i*es:i*es+es], heaps); err != nil {
			return nil, fmt.Errorf("%s: element %d: %w", d.path, i, err)
		}
	}
	return out, nil
}

// vlenString resolves a variable-length string element (length,
// collection address, object index) through the global heap collections
// read so far.
func (d *Dataset) vlenString(e []byte, heaps map[uint64]map[uint32][]byte) (string, error) {
	r := d.f.bytesReader(e)
	length := r.u32()
	addr := r.off()
	idx := r.u32()
	if length == 0 && addr == 0 {
		return "", nil
	}
	h, ok := heaps[addr]
	if !ok {
		var err error
		if h, err = d.f.globalHeap(addr); err != nil {
			return "", err
		}
		heaps[addr] = h
	}
	s, ok := h[idx]
	if !ok || uint32(len(s)) < length {
		return "", fmt.Errorf("object %d missing from the global heap at %#x", idx, addr)
	}
	return string(s[:length]), nil
}

// globalHeap reads a global heap collection.
func (f *File) globalHeap(addr uint64) (map[uint32][]byte, error) {
	r := f.reader(addr, 0)
	r.sig("GCOL")
	r.skip(4)
	size := r.length()
	if r.err != nil {
		return nil, fmt.Errorf("global heap at %#x: %w", addr, r.err)
	}
	hdr := uint64(8 + f.lenSize)
	if size < hdr {
		return nil, fmt.Errorf("global heap at %#x: size %d", addr, size)
	}
	r = f.reader(addr+hdr, size-hdr)
	if r.err == nil && r.end-r.pos < size-hdr {
		return nil, fmt.Errorf("global heap at %#x runs past the end of the file", addr)
	}
	out := map[uint32][]byte{}
	for r.err == nil && r.end-r.pos >= uint64(8+f.lenSize) {
		idx := r.u16()
		r.skip(6)
		n := r.length()
		if idx == 0 {
			break
		}
		data := r.bytes(n)
		r.skip(min((8-n%8)%8, r.end-r.pos))
		if r.err == nil {
			out[uint32(idx)] = data
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("global heap at %#x: %w", addr, r.err)
	}
	return out, nil
}
