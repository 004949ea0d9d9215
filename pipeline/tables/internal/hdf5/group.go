package hdf5

import (
	"bytes"
	"fmt"
	"strings"
)

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
			r := f.bytesReader(m.data)
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
			r := f.bytesReader(m.data)
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
	r := f.bytesReader(m.data)
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
			return fmt.Errorf("version-1 B-tree at %#x: loop or too deep", addr)
		}
		seen[addr] = true
		r := f.reader(addr, 0)
		r.sig("TREE")
		if t := r.u8(); r.err == nil && t != typ {
			return fmt.Errorf("version-1 B-tree node at %#x has type %d, want %d", addr, t, typ)
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
			return fmt.Errorf("version-1 B-tree node at %#x: %w", addr, r.err)
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
