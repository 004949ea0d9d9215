package hdf5

import "fmt"

// elemSize returns the bytes one element takes as stored: the datatype's
// size, or for variable-length strings a global heap reference (length,
// collection address, object index).
func (d *Dataset) elemSize() uint64 {
	if d.dt.vlen {
		return uint64(4 + d.f.offSize + 4)
	}
	return uint64(d.dt.size)
}

// raw returns the dataset's elements as stored, in row-major order.
func (d *Dataset) raw() ([]byte, error) {
	n := d.Len()
	es := d.elemSize()
	// Deflate expands at most 1032:1, so a dataset cannot honestly decode
	// to much more than 1032 times the file: refuse before allocating.
	limit := min(uint64(MaxDatasetBytes), 1100*uint64(len(d.f.data))+1<<20)
	if n > limit/max(es, 1) {
		return nil, fmt.Errorf("%s: %d elements of %d bytes exceed the limit for this file (%d bytes)", d.path, n, es, limit)
	}
	total := n * es
	budget := decodeFloor + decodeRatio*int64(len(d.f.data))
	if used := d.f.decoded.Add(int64(total)); used > budget {
		return nil, fmt.Errorf("%s: the datasets decode to more than %d MiB, %d times the file's size (a decompression bomb?)", d.path, budget>>20, decodeRatio)
	}
	r := d.f.bytesReader(d.layout)
	switch v := r.u8(); v {
	case 1, 2:
		return d.rawV1(r, v, total, es)
	case 3, 4:
		return d.rawV3(r, v, total, es)
	default:
		return nil, d.unsupportedLayout(v, 0)
	}
}

// unsupportedLayout is the error for a layout message this package does
// not read.
func (d *Dataset) unsupportedLayout(version, class uint8) error {
	return fmt.Errorf("%s: layout version %d class %d: %w", d.path, version, class, errUnsupported)
}

// rawV1 reads data laid out by a version 1 or 2 layout message: compact,
// contiguous, or chunked with a B-tree index.
func (d *Dataset) rawV1(r *reader, v uint8, total, es uint64) ([]byte, error) {
	rank := int(r.u8())
	class := r.u8()
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
		chunk := chunkDims(r, rank)
		if r.err != nil {
			return nil, r.err
		}
		return d.readChunks(addr, chunk, total, es, (*chunked).btree)
	}
	return nil, d.unsupportedLayout(v, class)
}

// rawV3 reads data laid out by a version 3 or 4 layout message: compact,
// contiguous, or chunked (a B-tree index in version 3, a single chunk or
// a fixed array in version 4).
func (d *Dataset) rawV3(r *reader, v uint8, total, es uint64) ([]byte, error) {
	class := r.u8()
	switch class {
	case 0:
		size := uint64(r.u16())
		return d.exact(r.bytes(size), total, r.err)
	case 1:
		addr := r.off()
		r.length()
		return d.contiguous(addr, total, r.err)
	case 2:
		if v == 4 {
			return d.rawChunkedV4(r, total, es)
		}
		rank := int(r.u8())
		addr := r.off()
		chunk := chunkDims(r, rank)
		if r.err != nil {
			return nil, fmt.Errorf("%s: layout: %w", d.path, r.err)
		}
		return d.readChunks(addr, chunk, total, es, (*chunked).btree)
	}
	return nil, d.unsupportedLayout(v, class)
}

// chunkDims reads rank 4-byte chunk dimensions.
func chunkDims(r *reader, rank int) []uint64 {
	chunk := make([]uint64, rank)
	for i := range chunk {
		chunk[i] = uint64(r.u32())
	}
	return chunk
}

// rawChunkedV4 reads a chunked dataset of a version 4 layout message,
// after its class: flags, chunk dimensions, then the chunk index.
func (d *Dataset) rawChunkedV4(r *reader, total, es uint64) ([]byte, error) {
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
	switch idx := r.u8(); idx {
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
		return d.singleChunk(addr, size, total, es)
	case 3: // fixed array
		r.u8() // page bits
		addr := r.off()
		if r.err != nil {
			return nil, fmt.Errorf("%s: layout: %w", d.path, r.err)
		}
		return d.readChunks(addr, chunkDims, total, es, (*chunked).fixedArray)
	default:
		return nil, fmt.Errorf("%s: chunk index type %d (B-tree v1, single-chunk and fixed-array indexes are read): %w", d.path, idx, errUnsupported)
	}
}

// singleChunk reads a dataset stored as one (possibly filtered) chunk of
// size bytes at addr.
func (d *Dataset) singleChunk(addr, size, total, es uint64) ([]byte, error) {
	b := d.f.reader(addr, size).bytes(size)
	if b == nil {
		return nil, fmt.Errorf("%s: chunk at %#x outside the file", d.path, addr)
	}
	out, err := d.unfilter(b, total, es)
	if err != nil {
		return nil, err
	}
	return d.exact(out, total, nil)
}

// exact returns the first total bytes of b, the data of a compact dataset
// or a single chunk; err is the layout reader's.
func (d *Dataset) exact(b []byte, total uint64, err error) ([]byte, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: layout: %w", d.path, err)
	}
	if uint64(len(b)) < total {
		return nil, fmt.Errorf("%s: %d bytes of data, want %d", d.path, len(b), total)
	}
	return b[:total], nil
}

// contiguous returns the total bytes of a contiguous dataset at addr
// (zeros when no storage was allocated); err is the layout reader's.
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
