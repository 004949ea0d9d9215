package hdf5

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Kind is the kind of value a dataset holds.
type Kind int

// Dataset element kinds.
const (
	Int    Kind = iota // fixed-point, signed or not
	Float              // IEEE 754, 4 or 8 bytes
	String             // fixed-length or variable-length string
)

type datatype struct {
	kind      Kind
	size      int  // bytes per element as stored
	signed    bool // Int
	bigEndian bool
	vlen      bool // String: variable-length (global heap)
}

// Dataset is a dataset's description; its values are decoded on demand.
type Dataset struct {
	f       *File
	path    string
	dims    []uint64
	dt      datatype
	layout  []byte // layout message
	filters []filter
}

type filter struct {
	id   uint16
	data []uint32
}

// Dataset opens the dataset at path ("observation/matrix/data").
func (f *File) Dataset(path string) (*Dataset, error) {
	addr, err := f.lookup(path)
	if err != nil {
		return nil, err
	}
	msgs, err := f.header(addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	d := &Dataset{f: f, path: path}
	var haveSpace, haveType bool
	for _, m := range msgs {
		switch m.typ {
		case 0x01:
			if d.dims, err = f.dataspace(m); err != nil {
				return nil, fmt.Errorf("%s: dataspace: %w", path, err)
			}
			haveSpace = true
		case 0x03:
			if d.dt, err = parseDatatype(m.data); err != nil {
				return nil, fmt.Errorf("%s: datatype: %w", path, err)
			}
			haveType = true
		case 0x08:
			d.layout = m.data
		case 0x0B:
			if d.filters, err = parseFilters(m.data); err != nil {
				return nil, fmt.Errorf("%s: filter pipeline: %w", path, err)
			}
		}
	}
	if !haveSpace || !haveType || d.layout == nil {
		return nil, fmt.Errorf("%s is not a dataset", path)
	}
	return d, nil
}

// Dims returns the dataset's dimensions.
func (d *Dataset) Dims() []uint64 { return d.dims }

// Len returns the number of elements (the product of the dimensions).
func (d *Dataset) Len() uint64 {
	n := uint64(1)
	for _, x := range d.dims {
		n *= x
	}
	return n
}

func (f *File) dataspace(m message) ([]uint64, error) {
	r := f.msgReader(m)
	v := r.u8()
	rank := int(r.u8())
	r.u8() // flags
	switch v {
	case 1:
		r.skip(5)
	case 2:
		r.skip(1) // type
	default:
		return nil, fmt.Errorf("version %d: %w", v, errUnsupported)
	}
	dims := make([]uint64, rank)
	n := uint64(1)
	for i := range dims {
		dims[i] = r.length()
		if dims[i] != 0 && n > math.MaxUint64/dims[i] {
			return nil, fmt.Errorf("dimensions overflow")
		}
		n *= dims[i]
	}
	return dims, r.err
}

func parseDatatype(b []byte) (datatype, error) {
	if len(b) < 8 {
		return datatype{}, fmt.Errorf("message too short")
	}
	class := b[0] & 0x0F
	bits := uint32(b[1]) | uint32(b[2])<<8 | uint32(b[3])<<16
	size := int(binary.LittleEndian.Uint32(b[4:8]))
	dt := datatype{size: size, bigEndian: bits&1 != 0}
	switch class {
	case 0:
		dt.kind, dt.signed = Int, bits&0x08 != 0
		if size != 1 && size != 2 && size != 4 && size != 8 {
			return dt, fmt.Errorf("integer of %d bytes: %w", size, errUnsupported)
		}
	case 1:
		dt.kind = Float
		if size != 4 && size != 8 || bits&0x40 != 0 {
			return dt, fmt.Errorf("float of %d bytes: %w", size, errUnsupported)
		}
	case 3:
		dt.kind, dt.bigEndian = String, false
		if size < 1 {
			return dt, fmt.Errorf("string of %d bytes", size)
		}
	case 9:
		if bits&0x0F != 1 {
			return dt, fmt.Errorf("variable-length sequence: %w", errUnsupported)
		}
		dt.kind, dt.vlen, dt.bigEndian = String, true, false
	default:
		return dt, fmt.Errorf("datatype class %d: %w", class, errUnsupported)
	}
	return dt, nil
}

func parseFilters(b []byte) ([]filter, error) {
	r := &reader{f: &File{data: b}, end: uint64(len(b))}
	v := r.u8()
	n := int(r.u8())
	if v == 1 {
		r.skip(6)
	} else if v != 2 {
		return nil, fmt.Errorf("version %d: %w", v, errUnsupported)
	}
	var out []filter
	for i := 0; i < n && r.err == nil; i++ {
		id := r.u16()
		nameLen := uint16(0)
		if v == 1 || id >= 256 {
			nameLen = r.u16()
		}
		r.u16() // flags
		nd := int(r.u16())
		if v == 1 {
			r.skip(uint64((nameLen + 7) &^ 7))
		} else {
			r.skip(uint64(nameLen))
		}
		fl := filter{id: id}
		for j := 0; j < nd && r.err == nil; j++ {
			fl.data = append(fl.data, r.u32())
		}
		if v == 1 && nd%2 == 1 {
			r.skip(4)
		}
		switch id {
		case 1, 2, 3:
		default:
			return nil, fmt.Errorf("filter %d (only deflate, shuffle and fletcher32 are read): %w", id, errUnsupported)
		}
		out = append(out, fl)
	}
	return out, r.err
}

// raw returns the dataset's elements as stored, in row-major order.
func (d *Dataset) raw() ([]byte, error) {
	n := d.Len()
	es := uint64(d.dt.size)
	if d.dt.vlen {
		es = uint64(4 + d.f.offSize + 4)
	}
	// Deflate expands at most 1032:1, so a dataset cannot honestly decode
	// to much more than 1032 times the file: refuse before allocating.
	limit := min(uint64(MaxDatasetBytes), 1100*uint64(len(d.f.data))+1<<20)
	if n > limit/max(es, 1) {
		return nil, fmt.Errorf("%s: %d elements of %d bytes exceed the limit for this file (%d bytes)", d.path, n, es, limit)
	}
	total := n * es
	r := d.f.msgReader(message{data: d.layout})
	v := r.u8()
	var class uint8
	switch v {
	case 1, 2:
		rank := int(r.u8())
		class = r.u8()
		r.skip(5)
		switch class {
		case 0:
			r.skip(uint64(4 * rank))
			size := uint64(r.u32())
			return d.exact(r.bytes(size), total, r.err)
		case 1:
			addr := r.off()
			return d.contiguous(addr, total, r.err)
		case 2:
			addr := r.off()
			chunk := make([]uint64, rank)
			for i := range chunk {
				chunk[i] = uint64(r.u32())
			}
			if r.err != nil {
				return nil, r.err
			}
			return d.chunkedBTree(addr, chunk, total, es)
		}
	case 3, 4:
		class = r.u8()
		switch class {
		case 0:
			size := uint64(r.u16())
			return d.exact(r.bytes(size), total, r.err)
		case 1:
			addr := r.off()
			r.length()
			return d.contiguous(addr, total, r.err)
		case 2:
			if v == 3 {
				rank := int(r.u8())
				addr := r.off()
				chunk := make([]uint64, rank)
				for i := range chunk {
					chunk[i] = uint64(r.u32())
				}
				if r.err != nil {
					return nil, fmt.Errorf("%s: layout: %w", d.path, r.err)
				}
				return d.chunkedBTree(addr, chunk, total, es)
			}
			flags := r.u8()
			rank := int(r.u8())
			enc := int(r.u8())
			if enc < 1 || enc > 8 {
				return nil, fmt.Errorf("%s: layout: bad dimension size %d", d.path, enc)
			}
			chunkDims := make([]uint64, rank)
			for i := range chunkDims {
				chunkDims[i] = r.uint(enc)
			}
			idx := r.u8()
			switch idx {
			case 1: // single chunk
				size := total
				if flags&0x02 != 0 {
					size = r.length()
					r.u32()
				}
				addr := r.off()
				if r.err != nil {
					return nil, fmt.Errorf("%s: layout: %w", d.path, r.err)
				}
				b := d.f.reader(addr, size).bytes(size)
				if b == nil {
					return nil, fmt.Errorf("%s: chunk at %#x outside the file", d.path, addr)
				}
				out, err := d.unfilter(b, total, es)
				if err != nil {
					return nil, err
				}
				return d.exact(out, total, nil)
			case 3: // fixed array
				r.u8() // page bits
				addr := r.off()
				if r.err != nil {
					return nil, fmt.Errorf("%s: layout: %w", d.path, r.err)
				}
				return d.chunkedFixedArray(addr, chunkDims, total, es)
			}
			return nil, fmt.Errorf("%s: chunk index type %d (B-tree v1, single-chunk and fixed-array indexes are read): %w", d.path, idx, errUnsupported)
		}
	}
	return nil, fmt.Errorf("%s: layout version %d class %d: %w", d.path, v, class, errUnsupported)
}

func (d *Dataset) exact(b []byte, total uint64, err error) ([]byte, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: layout: %w", d.path, err)
	}
	if uint64(len(b)) < total {
		return nil, fmt.Errorf("%s: %d bytes of data, want %d", d.path, len(b), total)
	}
	return b[:total], nil
}

func (d *Dataset) contiguous(addr, total uint64, err error) ([]byte, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: layout: %w", d.path, err)
	}
	if total == 0 || d.f.undefined(addr) {
		return make([]byte, total), nil
	}
	b := d.f.reader(addr, total).bytes(total)
	if b == nil {
		return nil, fmt.Errorf("%s: data at %#x (%d bytes) outside the file", d.path, addr, total)
	}
	return b, nil
}

// chunkedBTree assembles a chunked dataset indexed by a version-1 B-tree.
// chunk holds the chunk dimensions and, last, the element size.
func (d *Dataset) chunkedBTree(addr uint64, chunk []uint64, total, es uint64) ([]byte, error) {
	rank := len(d.dims)
	if len(chunk) != rank+1 {
		return nil, fmt.Errorf("%s: chunk rank %d for a %d-dimensional dataset", d.path, len(chunk)-1, rank)
	}
	chunkBytes, err := d.chunkBytes(chunk[:rank], es)
	if err != nil {
		return nil, err
	}
	out := make([]byte, total)
	if total == 0 || d.f.undefined(addr) {
		return out, nil
	}
	keyLen := 8 + 8*(rank+1)
	err = d.f.walkBTree(addr, 1, keyLen, func(child uint64, key []byte) error {
		size := uint64(binary.LittleEndian.Uint32(key[0:4]))
		mask := binary.LittleEndian.Uint32(key[4:8])
		offs := make([]uint64, rank)
		for i := range offs {
			offs[i] = binary.LittleEndian.Uint64(key[8+8*i:])
			if offs[i] >= d.dims[i] || offs[i]%chunk[i] != 0 {
				return fmt.Errorf("%s: chunk offset %v outside the dataset %v", d.path, offs, d.dims)
			}
		}
		return d.placeChunk(out, child, size, mask, chunk[:rank], offs, chunkBytes, es)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// chunkedFixedArray assembles a chunked dataset indexed by a fixed array
// (layout v4, no paging): one entry per chunk in row-major chunk order.
// chunk holds the chunk dimensions and, last, the element size.
func (d *Dataset) chunkedFixedArray(addr uint64, chunk []uint64, total, es uint64) ([]byte, error) {
	rank := len(d.dims)
	if len(chunk) != rank+1 {
		return nil, fmt.Errorf("%s: chunk rank %d for a %d-dimensional dataset", d.path, len(chunk)-1, rank)
	}
	chunkBytes, err := d.chunkBytes(chunk[:rank], es)
	if err != nil {
		return nil, err
	}
	out := make([]byte, total)
	if total == 0 || d.f.undefined(addr) {
		return out, nil
	}
	h := d.f.reader(addr, 0)
	h.sig("FAHD")
	h.u8()
	client := h.u8()
	entrySize := uint64(h.u8())
	pageBits := h.u8()
	n := h.length()
	dblk := h.off()
	if h.err != nil {
		return nil, fmt.Errorf("%s: fixed array header: %w", d.path, h.err)
	}
	grid := make([]uint64, rank)
	want := uint64(1)
	for i := range grid {
		grid[i] = (d.dims[i] + chunk[i] - 1) / chunk[i]
		want *= grid[i]
	}
	if n != want {
		return nil, fmt.Errorf("%s: fixed array of %d chunks, want %d", d.path, n, want)
	}
	if pageBits < 64 && n > 1<<pageBits {
		return nil, fmt.Errorf("%s: paged fixed array: %w", d.path, errUnsupported)
	}
	b := d.f.reader(dblk, 0)
	b.sig("FADB")
	b.skip(2)
	b.off()
	offs := make([]uint64, rank)
	for k := uint64(0); k < n; k++ {
		caddr := b.off()
		size, mask := chunkBytes, uint32(0)
		if client == 1 {
			if entrySize < uint64(d.f.offSize)+5 {
				return nil, fmt.Errorf("%s: fixed array entry size %d", d.path, entrySize)
			}
			size = b.uint(int(min(entrySize-uint64(d.f.offSize)-4, 8)))
			mask = b.u32()
		}
		if b.err != nil {
			return nil, fmt.Errorf("%s: fixed array data block: %w", d.path, b.err)
		}
		rem := k
		for i := rank - 1; i >= 0; i-- {
			offs[i] = rem % grid[i] * chunk[i]
			rem /= grid[i]
		}
		if d.f.undefined(caddr) {
			continue
		}
		if err := d.placeChunk(out, caddr, size, mask, chunk[:rank], offs, chunkBytes, es); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (d *Dataset) chunkBytes(chunk []uint64, es uint64) (uint64, error) {
	n := es
	for _, c := range chunk {
		if c == 0 || c > MaxDatasetBytes {
			return 0, fmt.Errorf("%s: bad chunk dimension %d", d.path, c)
		}
		n *= c
		if n > MaxDatasetBytes {
			return 0, fmt.Errorf("%s: chunk larger than %d bytes", d.path, MaxDatasetBytes)
		}
	}
	return n, nil
}

// placeChunk reads, unfilters and copies one chunk into out.
func (d *Dataset) placeChunk(out []byte, addr, size uint64, mask uint32, chunk, offs []uint64, chunkBytes, es uint64) error {
	b := d.f.reader(addr, size).bytes(size)
	if b == nil {
		return fmt.Errorf("%s: chunk at %#x (%d bytes) outside the file", d.path, addr, size)
	}
	var err error
	if mask == 0 {
		if b, err = d.unfilter(b, chunkBytes, es); err != nil {
			return err
		}
	}
	if uint64(len(b)) != chunkBytes {
		return fmt.Errorf("%s: chunk at %#x holds %d bytes, want %d", d.path, addr, len(b), chunkBytes)
	}
	copyChunk(out, b, d.dims, chunk, offs, es)
	return nil
}

// copyChunk places a chunk's elements (row-major in the chunk) into the
// row-major dataset, clipping at the dataset's edges.
func copyChunk(out, b []byte, dims, chunk, offs []uint64, es uint64) {
	rank := len(dims)
	if rank == 0 {
		copy(out, b)
		return
	}
	idx := make([]uint64, rank) // position within the chunk, last dim excluded
	last := rank - 1
	rowLen := min(chunk[last], dims[last]-offs[last])
	for {
		// source offset in chunk, destination in out
		var src, dst uint64
		inside := true
		for i := range rank - 1 {
			if offs[i]+idx[i] >= dims[i] {
				inside = false
			}
			src = src*chunk[i] + idx[i]
			dst = dst*dims[i] + offs[i] + idx[i]
		}
		src = src * chunk[last] * es
		dst = (dst*dims[last] + offs[last]) * es
		if inside {
			copy(out[dst:dst+rowLen*es], b[src:src+rowLen*es])
		}
		i := rank - 2
		for ; i >= 0; i-- {
			idx[i]++
			if idx[i] < chunk[i] {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return
		}
	}
}

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
	n := int(d.Len())
	out := make([]string, n)
	if !d.dt.vlen {
		es := d.dt.size
		for i := range out {
			e := b[i*es : i*es+es]
			for len(e) > 0 && (e[len(e)-1] == 0 || e[len(e)-1] == ' ') {
				e = e[:len(e)-1]
			}
			if j := indexNUL(e); j >= 0 {
				e = e[:j]
			}
			out[i] = string(e)
		}
		return out, nil
	}
	es := 4 + d.f.offSize + 4
	heaps := map[uint64]map[uint32][]byte{}
	for i := range out {
		r := &reader{f: &File{data: b[i*es : i*es+es], offSize: d.f.offSize, lenSize: d.f.lenSize}, end: uint64(es)}
		length := r.u32()
		addr := r.off()
		idx := r.u32()
		if length == 0 && addr == 0 {
			continue
		}
		h, ok := heaps[addr]
		if !ok {
			if h, err = d.f.globalHeap(addr); err != nil {
				return nil, fmt.Errorf("%s: element %d: %w", d.path, i, err)
			}
			heaps[addr] = h
		}
		s, ok := h[idx]
		if !ok || uint32(len(s)) < length {
			return nil, fmt.Errorf("%s: element %d: object %d missing from the global heap at %#x", d.path, i, idx, addr)
		}
		out[i] = string(s[:length])
	}
	return out, nil
}

func indexNUL(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
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
