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
			if d.filters, err = parseFilters(f.bytesReader(m.data)); err != nil {
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
	r := f.bytesReader(m.data)
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

// parseFilters decodes a filter pipeline message read by r; filters other
// than deflate, shuffle and fletcher32 are unsupported.
func parseFilters(r *reader) ([]filter, error) {
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
