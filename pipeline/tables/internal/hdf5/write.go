package hdf5

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Writer builds a small HDF5 file in memory in the layout libhdf5 calls
// "earliest" (superblock 0, version-1 object headers, symbol-table groups
// with one B-tree leaf, contiguous uncompressed datasets, variable-length
// UTF-8 strings in global heap collections), which every HDF5 reader,
// h5py and biom-format included, reads. Groups hold at most 8 links.
// Output bytes depend only on what was added.
type Writer struct {
	root *Group
}

// Group is a group being built. Create children with Group and the
// dataset methods; names must be unique within a group.
type Group struct {
	name  string
	kids  []*Group
	sets  []*wdataset
	attrs []wattr
}

type wdataset struct {
	name  string
	dims  []uint64
	kind  Kind
	f64   []float64
	i32   []int32
	strs  []string
	attrs []wattr
}

type wattr struct {
	name string
	kind Kind // Int (int64), String
	ints []int64
	str  string
	dims []uint64 // nil: scalar
}

// NewWriter returns a Writer with an empty root group.
func NewWriter() *Writer { return &Writer{root: &Group{}} }

// Root returns the root group.
func (w *Writer) Root() *Group { return w.root }

// Group returns the child group name, creating it.
func (g *Group) Group(name string) *Group {
	for _, k := range g.kids {
		if k.name == name {
			return k
		}
	}
	k := &Group{name: name}
	g.kids = append(g.kids, k)
	return k
}

// Float64s adds a float64 dataset with the given dimensions.
func (g *Group) Float64s(name string, dims []uint64, v []float64) {
	g.sets = append(g.sets, &wdataset{name: name, dims: dims, kind: Float, f64: v})
}

// Int32s adds an int32 dataset with the given dimensions.
func (g *Group) Int32s(name string, dims []uint64, v []int32) {
	g.sets = append(g.sets, &wdataset{name: name, dims: dims, kind: Int, i32: v})
}

// Strings adds a variable-length UTF-8 string dataset.
func (g *Group) Strings(name string, dims []uint64, v []string) {
	g.sets = append(g.sets, &wdataset{name: name, dims: dims, kind: String, strs: v})
}

// AttrString sets a scalar variable-length string attribute.
func (g *Group) AttrString(name, v string) {
	g.attrs = append(g.attrs, wattr{name: name, kind: String, str: v})
}

// AttrInt sets a scalar int64 attribute.
func (g *Group) AttrInt(name string, v int64) {
	g.attrs = append(g.attrs, wattr{name: name, kind: Int, ints: []int64{v}})
}

// AttrInts sets a one-dimensional int64 attribute.
func (g *Group) AttrInts(name string, v []int64) {
	g.attrs = append(g.attrs, wattr{name: name, kind: Int, ints: v, dims: []uint64{uint64(len(v))}})
}

const (
	leafK     = 4  // group leaf node K: a symbol table node holds 2K entries
	internalK = 16 // group internal node K
	undefAddr = math.MaxUint64
)

// heapRef locates a string in a global heap collection.
type heapRef struct {
	coll  int
	index uint32
}

type wbuf struct {
	bytes.Buffer
	strs  map[string]heapRef
	colls [][]string
	caddr []uint64
}

func (b *wbuf) u8(v uint8)   { b.WriteByte(v) }
func (b *wbuf) u16(v uint16) { b.Write(binary.LittleEndian.AppendUint16(nil, v)) }
func (b *wbuf) u32(v uint32) { b.Write(binary.LittleEndian.AppendUint32(nil, v)) }
func (b *wbuf) u64(v uint64) { b.Write(binary.LittleEndian.AppendUint64(nil, v)) }
func (b *wbuf) pad8() {
	for b.Len()%8 != 0 {
		b.WriteByte(0)
	}
}
func (b *wbuf) addr() uint64 { return uint64(b.Len()) }

// intern assigns a heap slot to a non-empty string.
func (b *wbuf) intern(s string) {
	if s == "" {
		return
	}
	if _, ok := b.strs[s]; ok {
		return
	}
	if len(b.colls) == 0 || len(b.colls[len(b.colls)-1]) >= 60000 {
		b.colls = append(b.colls, nil)
	}
	c := len(b.colls) - 1
	b.colls[c] = append(b.colls[c], s)
	b.strs[s] = heapRef{c, uint32(len(b.colls[c]))}
}

// vlen encodes a string as a variable-length element: length, collection
// address, object index.
func (b *wbuf) vlen(out []byte, s string) []byte {
	if s == "" {
		return append(out, make([]byte, 16)...)
	}
	r := b.strs[s]
	out = binary.LittleEndian.AppendUint32(out, uint32(len(s)))
	out = binary.LittleEndian.AppendUint64(out, b.caddr[r.coll])
	return binary.LittleEndian.AppendUint32(out, r.index)
}

// Bytes lays the file out and returns it.
func (w *Writer) Bytes() ([]byte, error) {
	b := &wbuf{strs: map[string]heapRef{}}
	var collect func(g *Group) error
	collect = func(g *Group) error {
		if len(g.kids)+len(g.sets) > 2*leafK {
			return fmt.Errorf("hdf5: group %q has %d links, at most %d", g.name, len(g.kids)+len(g.sets), 2*leafK)
		}
		for _, a := range g.attrs {
			b.intern(a.str)
		}
		for _, d := range g.sets {
			n := uint64(1)
			for _, x := range d.dims {
				n *= x
			}
			if got := uint64(len(d.f64) + len(d.i32) + len(d.strs)); got != n {
				return fmt.Errorf("hdf5: dataset %q has %d values for dimensions %v", d.name, got, d.dims)
			}
			for _, s := range d.strs {
				if !utf8.ValidString(s) {
					return fmt.Errorf("hdf5: dataset %q: string %q is not UTF-8", d.name, s)
				}
				b.intern(s)
			}
		}
		for _, k := range g.kids {
			if err := collect(k); err != nil {
				return err
			}
		}
		return nil
	}
	if err := collect(w.root); err != nil {
		return nil, err
	}
	// Superblock, patched at the end.
	b.Write(signature)
	b.Write([]byte{0, 0, 0, 0, 0, 8, 8, 0})
	b.u16(leafK)
	b.u16(internalK)
	b.u32(0)
	b.u64(0)         // base address
	b.u64(undefAddr) // free space
	eofAt := b.Len()
	b.u64(0) // end of file
	b.u64(undefAddr)
	rootEntry := b.Len()
	b.Write(make([]byte, 40))
	// Global heap collections.
	for _, c := range b.colls {
		b.pad8()
		b.caddr = append(b.caddr, b.addr())
		size := uint64(16)
		for _, s := range c {
			size += 16 + uint64((len(s)+7)&^7)
		}
		size += 16 // free-space object header
		total := max(size, 4096)
		b.Write([]byte("GCOL"))
		b.Write([]byte{1, 0, 0, 0})
		b.u64(total)
		for i, s := range c {
			b.u16(uint16(i + 1))
			b.u16(0)
			b.u32(0)
			b.u64(uint64(len(s)))
			b.WriteString(s)
			b.pad8()
		}
		// Free space: object 0 spanning the rest of the collection.
		b.u16(0)
		b.u16(0)
		b.u32(0)
		b.u64(total - (size - 16))
		b.Write(make([]byte, total-size))
	}
	rootHeader, btree, heap := w.writeGroup(b, w.root)
	b.pad8()
	out := b.Bytes()
	binary.LittleEndian.PutUint64(out[eofAt:], uint64(len(out)))
	e := out[rootEntry:]
	binary.LittleEndian.PutUint64(e[0:], 0)
	binary.LittleEndian.PutUint64(e[8:], rootHeader)
	binary.LittleEndian.PutUint32(e[16:], 1)
	binary.LittleEndian.PutUint64(e[24:], btree)
	binary.LittleEndian.PutUint64(e[32:], heap)
	return out, nil
}

// writeGroup writes a group's children, then its local heap, symbol table
// node, B-tree and object header; it returns the header, B-tree and heap
// addresses.
func (w *Writer) writeGroup(b *wbuf, g *Group) (header, btree, heap uint64) {
	type link struct {
		name string
		addr uint64
	}
	var links []link
	for _, k := range g.kids {
		h, _, _ := w.writeGroup(b, k)
		links = append(links, link{k.name, h})
	}
	for _, d := range g.sets {
		links = append(links, link{d.name, writeDataset(b, d)})
	}
	slices.SortFunc(links, func(x, y link) int { return strings.Compare(x.name, y.name) })
	// Local heap: "" at 0, then the names, each NUL-terminated, 8-aligned.
	var seg []byte
	seg = append(seg, make([]byte, 8)...)
	offs := make([]uint64, len(links))
	for i, l := range links {
		offs[i] = uint64(len(seg))
		seg = append(seg, l.name...)
		seg = append(seg, 0)
		for len(seg)%8 != 0 {
			seg = append(seg, 0)
		}
	}
	// Room for a free block, as libhdf5 expects a heap it may grow.
	free := uint64(len(seg))
	seg = append(seg, make([]byte, 16)...)
	binary.LittleEndian.PutUint64(seg[free:], 1)    // next free block: none
	binary.LittleEndian.PutUint64(seg[free+8:], 16) // size of this free block
	b.pad8()
	heap = b.addr()
	b.Write([]byte("HEAP"))
	b.Write([]byte{0, 0, 0, 0})
	b.u64(uint64(len(seg)))
	b.u64(free)
	b.u64(heap + 32)
	b.Write(seg)
	// Symbol table node with all links (2K slots).
	b.pad8()
	snod := b.addr()
	b.Write([]byte("SNOD"))
	b.Write([]byte{1, 0})
	b.u16(uint16(len(links)))
	for i, l := range links {
		b.u64(offs[i])
		b.u64(l.addr)
		b.u32(0)
		b.u32(0)
		b.Write(make([]byte, 16))
	}
	b.Write(make([]byte, (2*leafK-len(links))*40))
	// B-tree leaf pointing at the node; keys are heap offsets of the
	// smallest ("") and largest names.
	b.pad8()
	btree = b.addr()
	b.Write([]byte("TREE"))
	b.u8(0)
	b.u8(0)
	if len(links) == 0 {
		b.u16(0)
	} else {
		b.u16(1)
	}
	b.u64(undefAddr)
	b.u64(undefAddr)
	b.u64(0)
	b.u64(snod)
	last := uint64(0)
	if len(links) > 0 {
		last = offs[len(links)-1]
	}
	b.u64(last)
	b.Write(make([]byte, (2*internalK-1)*16)) // unused key/child slots
	// Object header: symbol table message and attributes.
	var msgs []wmsg
	st := binary.LittleEndian.AppendUint64(nil, btree)
	st = binary.LittleEndian.AppendUint64(st, heap)
	msgs = append(msgs, wmsg{0x11, st})
	for _, a := range g.attrs {
		msgs = append(msgs, wmsg{0x0C, attrMessage(b, a)})
	}
	return writeHeader(b, msgs), btree, heap
}

type wmsg struct {
	typ  uint16
	data []byte
}

// writeHeader writes a version-1 object header holding msgs.
func writeHeader(b *wbuf, msgs []wmsg) uint64 {
	b.pad8()
	addr := b.addr()
	size := 0
	for _, m := range msgs {
		size += 8 + (len(m.data)+7)&^7
	}
	// Leave room like libhdf5 does (a header is at least 256 bytes in
	// h5py's files); the slack is a NIL message.
	slack := 0
	if size < 256 {
		slack = 256 - size
	}
	b.u8(1)
	b.u8(0)
	n := len(msgs)
	if slack > 0 {
		n++
	}
	b.u16(uint16(n))
	b.u32(1)
	b.u32(uint32(size + slack))
	b.u32(0)
	for _, m := range msgs {
		l := (len(m.data) + 7) &^ 7
		b.u16(m.typ)
		b.u16(uint16(l))
		b.u8(0)
		b.Write([]byte{0, 0, 0})
		b.Write(m.data)
		b.Write(make([]byte, l-len(m.data)))
	}
	if slack > 0 {
		b.u16(0)
		b.u16(uint16(slack - 8))
		b.Write(make([]byte, slack-4))
	}
	return addr
}

func dataspaceMsg(dims []uint64) []byte {
	out := []byte{1, byte(len(dims)), 0, 0, 0, 0, 0, 0}
	for _, d := range dims {
		out = binary.LittleEndian.AppendUint64(out, d)
	}
	return out
}

func datatypeMsg(k Kind, intSize int) []byte {
	switch k {
	case Int:
		out := []byte{0x10, 0x08, 0, 0}
		out = binary.LittleEndian.AppendUint32(out, uint32(intSize))
		out = binary.LittleEndian.AppendUint16(out, 0)
		return binary.LittleEndian.AppendUint16(out, uint16(8*intSize))
	case Float:
		out := []byte{0x11, 0x20, 63, 0}
		out = binary.LittleEndian.AppendUint32(out, 8)
		out = binary.LittleEndian.AppendUint16(out, 0)
		out = binary.LittleEndian.AppendUint16(out, 64)
		out = append(out, 52, 11, 0, 52)
		return binary.LittleEndian.AppendUint32(out, 1023)
	}
	// Variable-length UTF-8 string of unsigned bytes.
	out := []byte{0x19, 0x01, 0x01, 0}
	out = binary.LittleEndian.AppendUint32(out, 16)
	base := []byte{0x10, 0, 0, 0}
	base = binary.LittleEndian.AppendUint32(base, 1)
	base = binary.LittleEndian.AppendUint16(base, 0)
	base = binary.LittleEndian.AppendUint16(base, 8)
	return append(out, base...)
}

// writeDataset writes a contiguous dataset's data and object header.
func writeDataset(b *wbuf, d *wdataset) uint64 {
	var raw []byte
	intSize := 4
	switch d.kind {
	case Float:
		for _, v := range d.f64 {
			raw = binary.LittleEndian.AppendUint64(raw, math.Float64bits(v))
		}
	case Int:
		for _, v := range d.i32 {
			raw = binary.LittleEndian.AppendUint32(raw, uint32(v))
		}
	case String:
		for _, s := range d.strs {
			raw = b.vlen(raw, s)
		}
	}
	dataAddr := uint64(undefAddr)
	if len(raw) > 0 {
		b.pad8()
		dataAddr = b.addr()
		b.Write(raw)
	}
	layout := []byte{3, 1}
	layout = binary.LittleEndian.AppendUint64(layout, dataAddr)
	layout = binary.LittleEndian.AppendUint64(layout, uint64(len(raw)))
	msgs := []wmsg{
		{0x01, dataspaceMsg(d.dims)},
		{0x03, datatypeMsg(d.kind, intSize)},
		{0x05, []byte{2, 2, 2, 0}}, // fill value: late allocation, write if set, undefined
		{0x08, layout},
	}
	for _, a := range d.attrs {
		msgs = append(msgs, wmsg{0x0C, attrMessage(b, a)})
	}
	return writeHeader(b, msgs)
}

// attrMessage encodes a version-1 attribute message.
func attrMessage(b *wbuf, a wattr) []byte {
	name := append([]byte(a.name), 0)
	var dt, ds, data []byte
	if a.kind == String {
		dt = datatypeMsg(String, 0)
		ds = dataspaceMsg(nil)
		data = b.vlen(nil, a.str)
	} else {
		dt = datatypeMsg(Int, 8)
		ds = dataspaceMsg(a.dims)
		for _, v := range a.ints {
			data = binary.LittleEndian.AppendUint64(data, uint64(v))
		}
	}
	pad := func(x []byte) []byte { return append(x, make([]byte, (8-len(x)%8)%8)...) }
	out := []byte{1, 0}
	out = binary.LittleEndian.AppendUint16(out, uint16(len(name)))
	out = binary.LittleEndian.AppendUint16(out, uint16(len(dt)))
	out = binary.LittleEndian.AppendUint16(out, uint16(len(ds)))
	out = append(out, pad(name)...)
	out = append(out, pad(dt)...)
	out = append(out, pad(ds)...)
	return append(out, data...)
}
