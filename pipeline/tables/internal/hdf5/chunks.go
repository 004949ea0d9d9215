package hdf5

import (
	"encoding/binary"
	"fmt"
)

// chunked is a chunked dataset being assembled from its chunks.
type chunked struct {
	d          *Dataset
	chunk      []uint64 // chunk dimensions
	chunkBytes uint64   // bytes of an unfiltered chunk
	es         uint64   // element size
	out        []byte   // the dataset, row-major
}

// newChunked checks the chunk shape (chunk holds the chunk dimensions
// and, last, the element size) and allocates the dataset's total bytes.
func (d *Dataset) newChunked(chunk []uint64, total, es uint64) (*chunked, error) {
	rank := len(d.dims)
	if len(chunk) != rank+1 {
		return nil, fmt.Errorf("%s: chunk rank %d for a %d-dimensional dataset", d.path, len(chunk)-1, rank)
	}
	n, err := d.chunkBytes(chunk[:rank], es)
	if err != nil {
		return nil, err
	}
	return &chunked{d: d, chunk: chunk[:rank], chunkBytes: n, es: es, out: make([]byte, total)}, nil
}

// chunkBytes returns the size of one chunk of the given dimensions.
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

// readChunks assembles a chunked dataset whose chunk index, at addr, is
// walked by index. chunk holds the chunk dimensions and, last, the element
// size. A dataset without storage (undefined address) reads as zeros.
func (d *Dataset) readChunks(addr uint64, chunk []uint64, total, es uint64, index func(c *chunked, addr uint64) error) ([]byte, error) {
	c, err := d.newChunked(chunk, total, es)
	if err != nil {
		return nil, err
	}
	if total == 0 || d.f.undefined(addr) {
		return c.out, nil
	}
	if err := index(c, addr); err != nil {
		return nil, err
	}
	return c.out, nil
}

// btree places the chunks of a version-1 B-tree chunk index.
func (c *chunked) btree(addr uint64) error {
	d := c.d
	rank := len(d.dims)
	keyLen := 8 + 8*(rank+1)
	return d.f.walkBTree(addr, 1, keyLen, func(child uint64, key []byte) error {
		size := uint64(binary.LittleEndian.Uint32(key[0:4]))
		mask := binary.LittleEndian.Uint32(key[4:8])
		offs := make([]uint64, rank)
		for i := range offs {
			offs[i] = binary.LittleEndian.Uint64(key[8+8*i:])
			if offs[i] >= d.dims[i] || offs[i]%c.chunk[i] != 0 {
				return fmt.Errorf("%s: chunk offset %v outside the dataset %v", d.path, offs, d.dims)
			}
		}
		return c.place(child, size, mask, offs)
	})
}

// fixedArrayHeader is the header of a fixed-array chunk index.
type fixedArrayHeader struct {
	client    uint8  // 1: entries carry a filtered size and mask
	entrySize uint64 // bytes per entry
	pageBits  uint8
	n         uint64 // entries, one per chunk
	dblk      uint64 // data block address
}

// fixedArray places the chunks of a fixed-array chunk index (layout v4,
// no paging): one entry per chunk in row-major chunk order.
func (c *chunked) fixedArray(addr uint64) error {
	d := c.d
	fa, grid, err := d.readFixedArrayHeader(addr, c.chunk)
	if err != nil {
		return err
	}
	b := d.f.reader(fa.dblk, 0)
	b.sig("FADB")
	b.skip(2)
	b.off()
	rank := len(d.dims)
	offs := make([]uint64, rank)
	for k := uint64(0); k < fa.n; k++ {
		caddr := b.off()
		size, mask := c.chunkBytes, uint32(0)
		if fa.client == 1 {
			if fa.entrySize < uint64(d.f.offSize)+5 {
				return fmt.Errorf("%s: fixed array entry size %d", d.path, fa.entrySize)
			}
			size = b.uint(int(min(fa.entrySize-uint64(d.f.offSize)-4, 8)))
			mask = b.u32()
		}
		if b.err != nil {
			return fmt.Errorf("%s: fixed array data block: %w", d.path, b.err)
		}
		rem := k
		for i := rank - 1; i >= 0; i-- {
			offs[i] = rem % grid[i] * c.chunk[i]
			rem /= grid[i]
		}
		if d.f.undefined(caddr) {
			continue
		}
		if err := c.place(caddr, size, mask, offs); err != nil {
			return err
		}
	}
	return nil
}

// readFixedArrayHeader reads the fixed array header at addr and returns it
// with the number of chunks along each dimension, which it must match.
func (d *Dataset) readFixedArrayHeader(addr uint64, chunk []uint64) (fixedArrayHeader, []uint64, error) {
	var fa fixedArrayHeader
	h := d.f.reader(addr, 0)
	h.sig("FAHD")
	h.u8()
	fa.client = h.u8()
	fa.entrySize = uint64(h.u8())
	fa.pageBits = h.u8()
	fa.n = h.length()
	fa.dblk = h.off()
	if h.err != nil {
		return fa, nil, fmt.Errorf("%s: fixed array header: %w", d.path, h.err)
	}
	grid := make([]uint64, len(d.dims))
	want := uint64(1)
	for i := range grid {
		grid[i] = (d.dims[i] + chunk[i] - 1) / chunk[i]
		want *= grid[i]
	}
	if fa.n != want {
		return fa, nil, fmt.Errorf("%s: fixed array of %d chunks, want %d", d.path, fa.n, want)
	}
	if fa.pageBits < 64 && fa.n > 1<<fa.pageBits {
		return fa, nil, fmt.Errorf("%s: paged fixed array: %w", d.path, errUnsupported)
	}
	return fa, grid, nil
}

// place reads, unfilters (unless mask says the filters were skipped) and
// copies one chunk of size bytes at addr, whose first element is at offs.
func (c *chunked) place(addr, size uint64, mask uint32, offs []uint64) error {
	d := c.d
	b := d.f.reader(addr, size).bytes(size)
	if b == nil {
		return fmt.Errorf("%s: chunk at %#x (%d bytes) outside the file", d.path, addr, size)
	}
	var err error
	if mask == 0 {
		if b, err = d.unfilter(b, c.chunkBytes, c.es); err != nil {
			return err
		}
	}
	if uint64(len(b)) != c.chunkBytes {
		return fmt.Errorf("%s: chunk at %#x holds %d bytes, want %d", d.path, addr, len(b), c.chunkBytes)
	}
	copyChunk(c.out, b, d.dims, c.chunk, offs, c.es)
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
