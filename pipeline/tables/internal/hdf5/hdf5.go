// Package hdf5 reads the subset of HDF5 that BIOM 2.1 tables use: groups
// (symbol tables or compact link messages), and one- or two-dimensional
// datasets of integers, floats and strings (fixed-length or variable-length
// in the global heap), stored compact, contiguous or chunked (version-1
// B-tree index or a single chunk), with the deflate, shuffle and fletcher32
// filters. It is written from the HDF5 File Format Specification 3.0 and
// checks every offset against the file, so damaged or hostile files give an
// error, never a panic or an unbounded allocation.
//
// It reads what h5py and libhdf5 write by default (superblock 0, version-1
// object headers: biom-format, QIIME 2) and the "latest" layout (superblock
// 2/3, version-2 object headers) as far as the features above go. Attributes,
// dense (fractal-heap) groups, compound types and chunk indexes other than
// the B-tree and single-chunk ones are not read and give an error naming
// what is missing.
package hdf5

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// errUnsupported is wrapped by errors about HDF5 features this package does
// not read.
var errUnsupported = errors.New("unsupported HDF5 feature")

// MaxDatasetBytes caps the decoded size of one dataset (1 GiB); a dataset
// may also not decode to more than about 1,100 times the file's size
// (deflate's ratio is at most 1032:1; BIOM writes every chunk).
const MaxDatasetBytes = 1 << 30

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

// header reads all messages of the object header at addr, following
// continuation blocks.
func (f *File) header(addr uint64) ([]message, error) {
	var msgs []message
	type block struct{ addr, n uint64 }
	r := f.reader(addr, 0)
	if r.err != nil {
		return nil, r.err
	}
	v2 := r.pos+4 <= r.end && string(f.data[r.pos:r.pos+4]) == "OHDR"
	var queue []block
	var flags uint8
	if v2 {
		r.skip(4)
		if v := r.u8(); v != 2 {
			return nil, fmt.Errorf("object header at %#x: version %d", addr, v)
		}
		flags = r.u8()
		if flags&0x20 != 0 {
			r.skip(16)
		}
		if flags&0x10 != 0 {
			r.skip(4)
		}
		size := r.uint(1 << (flags & 3))
		queue = append(queue, block{r.pos - f.base, size})
	} else {
		if v := r.u8(); v != 1 {
			return nil, fmt.Errorf("object header at %#x: version %d, want 1 or OHDR", addr, v)
		}
		r.skip(1)
		r.u16() // message count (continuations counted too)
		r.u32()
		size := uint64(r.u32())
		r.skip(4) // pad to 8
		queue = append(queue, block{r.pos - f.base, size})
	}
	if r.err != nil {
		return nil, fmt.Errorf("object header at %#x: %w", addr, r.err)
	}
	for n := 0; len(queue) > 0; n++ {
		if n > 1000 {
			return nil, fmt.Errorf("object header at %#x: too many continuation blocks", addr)
		}
		b := queue[0]
		queue = queue[1:]
		br := f.reader(b.addr, b.n)
		if br.err == nil && br.end-br.pos < b.n {
			return nil, fmt.Errorf("object header block at %#x runs past the end of the file", b.addr)
		}
		gap := uint64(0)
		if v2 && n > 0 {
			gap = 4 // a continuation block ends in its checksum
		}
		for br.err == nil && br.end-br.pos > gap {
			var typ, size uint16
			var mflags uint8
			if v2 {
				if br.end-br.pos-gap < 4 {
					break
				}
				typ = uint16(br.u8())
				size = br.u16()
				mflags = br.u8()
				if flags&0x04 != 0 {
					br.skip(2)
				}
			} else {
				if br.end-br.pos < 8 {
					break
				}
				typ = br.u16()
				size = br.u16()
				mflags = br.u8()
				br.skip(3)
			}
			data := br.bytes(uint64(size))
			if br.err != nil {
				break
			}
			if mflags&0x02 != 0 { // shared message: not used by BIOM
				return nil, fmt.Errorf("object header at %#x: shared message type %d: %w", addr, typ, errUnsupported)
			}
			if typ == 0x10 { // continuation
				cr := f.msgReader(message{typ, data})
				ca, cl := cr.off(), cr.length()
				if cr.err != nil {
					return nil, fmt.Errorf("object header at %#x: bad continuation message", addr)
				}
				start := ca
				if v2 {
					start, cl = ca+4, cl-min(cl, 4) // skip "OCHK"; gap handles the checksum
					if r := f.reader(ca, 4); r.err == nil {
						r.sig("OCHK")
						if r.err != nil {
							return nil, r.err
						}
					}
				}
				queue = append(queue, block{start, cl})
				continue
			}
			msgs = append(msgs, message{typ, data})
		}
		if br.err != nil {
			return nil, fmt.Errorf("object header at %#x: %w", addr, br.err)
		}
	}
	return msgs, nil
}

// msgReader returns a reader over a message's bytes.
func (f *File) msgReader(m message) *reader {
	g := &File{data: m.data, offSize: f.offSize, lenSize: f.lenSize}
	return &reader{f: g, end: uint64(len(m.data))}
}

// children returns the links of the group whose object header is at addr.
func (f *File) children(addr uint64) (map[string]uint64, error) {
	msgs, err := f.header(addr)
	if err != nil {
		return nil, err
	}
	out := map[string]uint64{}
	isGroup := false
	for _, m := range msgs {
		switch m.typ {
		case 0x11: // symbol table
			isGroup = true
			r := f.msgReader(m)
			bt, heap := r.off(), r.off()
			if r.err != nil {
				return nil, fmt.Errorf("group at %#x: symbol table message: %w", addr, r.err)
			}
			if err := f.symbolTable(bt, heap, out); err != nil {
				return nil, fmt.Errorf("group at %#x: %w", addr, err)
			}
		case 0x06: // link
			isGroup = true
			name, target, err := f.link(m)
			if err != nil {
				return nil, fmt.Errorf("group at %#x: %w", addr, err)
			}
			if name != "" {
				out[name] = target
			}
		case 0x02: // link info
			isGroup = true
			r := f.msgReader(m)
			r.skip(1)
			fl := r.u8()
			if fl&1 != 0 {
				r.skip(8)
			}
			if heap := r.off(); r.err == nil && !f.undefined(heap) {
				return nil, fmt.Errorf("group at %#x stores its links in a fractal heap (dense group): %w", addr, errUnsupported)
			}
		}
	}
	if !isGroup {
		return nil, fmt.Errorf("object at %#x is not a group", addr)
	}
	return out, nil
}

// link decodes a hard link message; soft and external links are skipped.
func (f *File) link(m message) (string, uint64, error) {
	r := f.msgReader(m)
	if v := r.u8(); v != 1 {
		return "", 0, fmt.Errorf("link message version %d", v)
	}
	fl := r.u8()
	typ := uint8(0)
	if fl&0x08 != 0 {
		typ = r.u8()
	}
	if fl&0x04 != 0 {
		r.skip(8)
	}
	if fl&0x10 != 0 {
		r.skip(1)
	}
	n := r.uint(1 << (fl & 3))
	name := string(r.bytes(n))
	if typ != 0 {
		return "", 0, r.err
	}
	target := r.off()
	if r.err != nil {
		return "", 0, fmt.Errorf("link message: %w", r.err)
	}
	return name, target, nil
}

// symbolTable walks a version-1 group B-tree and its local heap.
func (f *File) symbolTable(btree, heap uint64, out map[string]uint64) error {
	hr := f.reader(heap, 0)
	hr.sig("HEAP")
	hr.skip(4)
	segSize := hr.length()
	hr.length()
	segAddr := hr.off()
	if hr.err != nil {
		return fmt.Errorf("local heap at %#x: %w", heap, hr.err)
	}
	seg := f.reader(segAddr, segSize).bytes(segSize)
	if seg == nil {
		return fmt.Errorf("local heap at %#x: data segment outside the file", heap)
	}
	return f.walkBTree(btree, 0, 0, func(child uint64, _ []byte) error {
		sr := f.reader(child, 0)
		sr.sig("SNOD")
		sr.skip(2)
		n := sr.u16()
		for i := 0; i < int(n) && sr.err == nil; i++ {
			nameOff := sr.off()
			obj := sr.off()
			sr.skip(8 + 16)
			if nameOff >= uint64(len(seg)) {
				return fmt.Errorf("symbol table node at %#x: name offset %d outside the heap", child, nameOff)
			}
			name := seg[nameOff:]
			if j := bytes.IndexByte(name, 0); j >= 0 {
				name = name[:j]
			}
			out[string(name)] = obj
		}
		if sr.err != nil {
			return fmt.Errorf("symbol table node at %#x: %w", child, sr.err)
		}
		return nil
	})
}

// walkBTree visits the leaf children of a version-1 B-tree of the given node
// type (0 groups, 1 chunks). keyLen is the size of a key for type 1; visit
// gets each child address and, for chunks, the key before it.
func (f *File) walkBTree(addr uint64, typ uint8, keyLen int, visit func(child uint64, key []byte) error) error {
	var walk func(addr uint64, depth int) error
	seen := map[uint64]bool{}
	walk = func(addr uint64, depth int) error {
		if depth > 64 || seen[addr] {
			return fmt.Errorf("B-tree at %#x: loop or too deep", addr)
		}
		seen[addr] = true
		r := f.reader(addr, 0)
		r.sig("TREE")
		if t := r.u8(); r.err == nil && t != typ {
			return fmt.Errorf("B-tree node at %#x has type %d, want %d", addr, t, typ)
		}
		level := r.u8()
		n := r.u16()
		r.off()
		r.off()
		kl := uint64(f.lenSize)
		if typ == 1 {
			kl = uint64(keyLen)
		}
		for i := 0; i < int(n); i++ {
			key := r.bytes(kl)
			child := r.off()
			if r.err != nil {
				break
			}
			var err error
			if level > 0 {
				err = walk(child, depth+1)
			} else {
				err = visit(child, key)
			}
			if err != nil {
				return err
			}
		}
		if r.err != nil {
			return fmt.Errorf("B-tree node at %#x: %w", addr, r.err)
		}
		return nil
	}
	return walk(addr, 0)
}

// lookup finds the object header address of a slash-separated path.
func (f *File) lookup(path string) (uint64, error) {
	addr := f.root
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if part == "" {
			continue
		}
		kids, err := f.children(addr)
		if err != nil {
			return 0, err
		}
		next, ok := kids[part]
		if !ok {
			return 0, fmt.Errorf("no %q in the file (looking for %s)", part, path)
		}
		addr = next
	}
	return addr, nil
}

// Has reports whether an object exists at path.
func (f *File) Has(path string) bool {
	_, err := f.lookup(path)
	return err == nil
}

// Reading failed because the stream was not what its header promised.
var errCorrupt = errors.New("corrupt data")

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
