package hdf5

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
)

// errUnsupported is wrapped by errors about HDF5 features this package does
// not read.
var errUnsupported = errors.New("unsupported HDF5 feature")

// MaxDatasetBytes caps the decoded size of one dataset (1 GiB); a dataset
// may also not decode to more than about 1,100 times the file's size
// (deflate's ratio is at most 1032:1; BIOM writes every chunk).
const MaxDatasetBytes = 1 << 30

// The datasets read from one file may decode to at most decodeFloor bytes
// plus decodeRatio times the file's size in all: a BIOM table's counts and
// indices decode to a few times their compressed size, while a gigabyte of
// zeros fits in two megabytes of deflated chunks (a decompression bomb,
// which would otherwise be allocated whole).
const (
	decodeFloor = 16 << 20
	decodeRatio = 20
)

var signature = []byte("\x89HDF\r\n\x1a\n")

// IsHDF5 reports whether data starts with the HDF5 signature.
func IsHDF5(data []byte) bool { return bytes.HasPrefix(data, signature) }

// File is an HDF5 file held in memory. It is safe for concurrent reads.
type File struct {
	data          []byte
	base          uint64
	offSize       int // size of offsets (addresses)
	lenSize       int // size of lengths
	root          uint64
	rootSymTable  [2]uint64 // b-tree, heap from the superblock's cache (v0/1)
	hasRootCached bool
	decoded       atomic.Int64 // bytes of datasets decoded so far (decodeRatio)
}

// Open parses the superblock of an HDF5 file held in data.
func Open(data []byte) (*File, error) {
	at := -1
	for off := 0; off+8 <= len(data); off = max(512, off*2) {
		if bytes.Equal(data[off:off+8], signature) {
			at = off
			break
		}
	}
	if at < 0 {
		return nil, errors.New("no HDF5 signature")
	}
	f := &File{data: data}
	r := f.reader(uint64(at)+8, 0)
	version := r.u8()
	var eof uint64
	switch version {
	case 0, 1:
		r.skip(4) // free-space, root symtable, reserved, shared header versions
		f.offSize, f.lenSize = int(r.u8()), int(r.u8())
		r.skip(1)
		r.skip(4) // group K values
		r.skip(4) // consistency flags
		if version == 1 {
			r.skip(4)
		}
		if err := f.checkSizes(); err != nil {
			return nil, err
		}
		f.base = r.off()
		r.off() // free space
		eof = r.off()
		r.off() // driver info
		// Root group symbol table entry.
		r.off() // link name offset
		f.root = r.off()
		cache := r.u32()
		r.skip(4)
		if cache == 1 {
			f.rootSymTable = [2]uint64{r.off(), r.off()}
			f.hasRootCached = true
		}
	case 2, 3:
		f.offSize, f.lenSize = int(r.u8()), int(r.u8())
		if err := f.checkSizes(); err != nil {
			return nil, err
		}
		r.skip(1)
		f.base = r.off()
		r.off() // superblock extension
		eof = r.off()
		f.root = r.off()
	default:
		return nil, fmt.Errorf("superblock version %d: %w", version, errUnsupported)
	}
	if r.err != nil {
		return nil, fmt.Errorf("superblock: %w", r.err)
	}
	if end := f.base + eof; end < eof || end > uint64(len(data)) {
		return nil, fmt.Errorf("truncated file: %d bytes, the superblock says %d", len(data), end)
	}
	return f, nil
}

func (f *File) checkSizes() error {
	for _, s := range []int{f.offSize, f.lenSize} {
		if s != 2 && s != 4 && s != 8 {
			return fmt.Errorf("superblock: offset or length size %d: %w", s, errUnsupported)
		}
	}
	return nil
}

// reader decodes little-endian fields from the file at an address. Errors
// are sticky: after one, every read returns zero and err says what ran out.
type reader struct {
	f   *File
	pos uint64 // absolute position in data
	end uint64 // limit (exclusive)
	err error
}

// reader returns a reader at file address addr (relative to the base) that
// may read n bytes (0: to the end of the file).
func (f *File) reader(addr uint64, n uint64) *reader {
	r := &reader{f: f, pos: addr + f.base, end: uint64(len(f.data))}
	if addr+f.base < addr {
		r.err = errors.New("address overflow")
	}
	if n > 0 && r.pos+n >= r.pos && r.pos+n < r.end {
		r.end = r.pos + n
	}
	if r.pos > r.end {
		r.err = fmt.Errorf("address %#x beyond the end of the file (%d bytes)", addr, len(f.data))
	}
	return r
}

func (r *reader) bytes(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if n > r.end-r.pos {
		r.err = fmt.Errorf("structure at %#x runs past the end of its block or the file", r.pos)
		return nil
	}
	b := r.f.data[r.pos : r.pos+n]
	r.pos += n
	return b
}

func (r *reader) skip(n uint64) { r.bytes(n) }

func (r *reader) u8() uint8 {
	b := r.bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *reader) u16() uint16 {
	b := r.bytes(2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

func (r *reader) u32() uint32 {
	b := r.bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *reader) uint(n int) uint64 {
	b := r.bytes(uint64(n))
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

func (r *reader) off() uint64 { return r.uint(r.f.offSize) }
func (r *reader) length() uint64 {
	return r.uint(r.f.lenSize)
}

func (r *reader) sig(s string) {
	if b := r.bytes(4); b != nil && string(b) != s {
		r.err = fmt.Errorf("expected %q at %#x, found %q", s, r.pos-4, b)
	}
}

// undefined reports whether an address is the "undefined" all-ones value.
func (f *File) undefined(a uint64) bool {
	return a == math.MaxUint64>>(64-8*f.offSize)
}

// message is one object header message.
type message struct {
	typ  uint16
	data []byte
}

// headerBlock is a run of object header messages: the first one after the
// header's prefix, or a continuation block.
type headerBlock struct{ addr, n uint64 }

// objectHeader is an object header being read.
type objectHeader struct {
	f     *File
	addr  uint64 // of the header, for errors
	v2    bool   // version 2 ("OHDR"); else version 1
	flags uint8  // version 2 header flags
}

// header reads all messages of the object header at addr, following
// continuation blocks.
func (f *File) header(addr uint64) ([]message, error) {
	h := &objectHeader{f: f, addr: addr}
	first, err := h.prefix()
	if err != nil {
		return nil, err
	}
	var msgs []message
	queue := []headerBlock{first}
	for n := 0; len(queue) > 0; n++ {
		if n > 1000 {
			return nil, fmt.Errorf("object header at %#x: too many continuation blocks", addr)
		}
		b := queue[0]
		queue = queue[1:]
		more, err := h.block(b, n > 0, &msgs)
		if err != nil {
			return nil, err
		}
		queue = append(queue, more...)
	}
	return msgs, nil
}

// prefix reads the header's version and flags and returns its first block.
func (h *objectHeader) prefix() (headerBlock, error) {
	f, addr := h.f, h.addr
	r := f.reader(addr, 0)
	if r.err != nil {
		return headerBlock{}, r.err
	}
	h.v2 = r.pos+4 <= r.end && string(f.data[r.pos:r.pos+4]) == "OHDR"
	var size uint64
	if h.v2 {
		r.skip(4)
		if v := r.u8(); v != 2 {
			return headerBlock{}, fmt.Errorf("object header at %#x: version %d", addr, v)
		}
		h.flags = r.u8()
		if h.flags&0x20 != 0 {
			r.skip(16)
		}
		if h.flags&0x10 != 0 {
			r.skip(4)
		}
		size = r.uint(1 << (h.flags & 3))
	} else {
		if v := r.u8(); v != 1 {
			return headerBlock{}, fmt.Errorf("object header at %#x: version %d, want 1 or OHDR", addr, v)
		}
		r.skip(1)
		r.u16() // message count (continuations counted too)
		r.u32()
		size = uint64(r.u32())
		r.skip(4) // pad to 8
	}
	if r.err != nil {
		return headerBlock{}, fmt.Errorf("object header at %#x: %w", addr, r.err)
	}
	return headerBlock{r.pos - f.base, size}, nil
}

// block appends the messages of one header block to msgs and returns the
// continuation blocks it names. cont says b is a continuation block.
func (h *objectHeader) block(b headerBlock, cont bool, msgs *[]message) ([]headerBlock, error) {
	f, addr := h.f, h.addr
	br := f.reader(b.addr, b.n)
	if br.err == nil && br.end-br.pos < b.n {
		return nil, fmt.Errorf("object header block at %#x runs past the end of the file", b.addr)
	}
	gap := uint64(0)
	if h.v2 && cont {
		gap = 4 // a continuation block ends in its checksum
	}
	var more []headerBlock
	for br.err == nil && br.end-br.pos > gap {
		typ, size, mflags, ok := h.messagePrefix(br, gap)
		if !ok {
			break
		}
		data := br.bytes(uint64(size))
		if br.err != nil {
			break
		}
		if mflags&0x02 != 0 { // shared message: not used by BIOM
			return nil, fmt.Errorf("object header at %#x: shared message type %d: %w", addr, typ, errUnsupported)
		}
		if typ != 0x10 {
			*msgs = append(*msgs, message{typ, data})
			continue
		}
		c, err := h.continuation(data)
		if err != nil {
			return nil, err
		}
		more = append(more, c)
	}
	if br.err != nil {
		return nil, fmt.Errorf("object header at %#x: %w", addr, br.err)
	}
	return more, nil
}

// messagePrefix reads a message's type, size and flags; ok is false when
// the block has no room for another message (the rest is padding).
func (h *objectHeader) messagePrefix(br *reader, gap uint64) (typ, size uint16, mflags uint8, ok bool) {
	if h.v2 {
		if br.end-br.pos-gap < 4 {
			return 0, 0, 0, false
		}
		typ = uint16(br.u8())
		size = br.u16()
		mflags = br.u8()
		if h.flags&0x04 != 0 {
			br.skip(2)
		}
		return typ, size, mflags, true
	}
	if br.end-br.pos < 8 {
		return 0, 0, 0, false
	}
	typ = br.u16()
	size = br.u16()
	mflags = br.u8()
	br.skip(3)
	return typ, size, mflags, true
}

// continuation decodes a continuation message into the block it names.
func (h *objectHeader) continuation(data []byte) (headerBlock, error) {
	f := h.f
	cr := f.bytesReader(data)
	ca, cl := cr.off(), cr.length()
	if cr.err != nil {
		return headerBlock{}, fmt.Errorf("object header at %#x: bad continuation message", h.addr)
	}
	start := ca
	if h.v2 {
		start, cl = ca+4, cl-min(cl, 4) // skip "OCHK"; gap handles the checksum
		if r := f.reader(ca, 4); r.err == nil {
			r.sig("OCHK")
			if r.err != nil {
				return headerBlock{}, r.err
			}
		}
	}
	return headerBlock{start, cl}, nil
}

// bytesReader returns a reader over b (a message, a layout, an element)
// that decodes addresses and lengths with the file's sizes.
func (f *File) bytesReader(b []byte) *reader {
	g := &File{data: b, offSize: f.offSize, lenSize: f.lenSize}
	return &reader{f: g, end: uint64(len(b))}
}
