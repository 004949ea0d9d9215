package profile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
)

// spill holds each read's compact record on disk between the stream and
// the second pass (Tally.Finish): the per-read table needs the abundances
// the EM gets from every read, and memory must not grow with the input.
// A record is the read id, what QC made of it and, for a passed read, its
// classification as the second pass needs it: about 20 bytes beside the
// id (see put).
type spill struct {
	f   *os.File
	w   *bufio.Writer
	buf []byte
}

// Record kinds.
const (
	spillFiltered byte = iota
	spillPassed
	spillEM // passed, and in the community EM
)

func newSpill(dir string) (*spill, error) {
	f, err := os.CreateTemp(dir, ".zonula-reads-*.spill")
	if err != nil {
		return nil, fmt.Errorf("per-read spill file: %w", err)
	}
	return &spill{f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

// record is one read as the spill holds it.
type record struct {
	id     string
	kind   byte
	reason string // filtered reads
	a      classify.Assignment
	class  int32 // EM reads: their evidence class (classify.Community)
	unit   uint32
}

// put appends one read's record: the id; the kind; for a filtered read its
// reason; for a passed read the status, rank and below-floor rank, the
// clipped flag, the best (and for chimeras the second) reference, the
// identity, error rate and confidence, the call's unit, and for an EM read
// its class with the best edits and length of its evidence.
func (s *spill) put(r *record) error {
	b := binary.AppendUvarint(s.buf[:0], uint64(len(r.id)))
	b = append(b, r.id...)
	b = append(b, r.kind)
	if r.kind == spillFiltered {
		b = binary.AppendUvarint(b, uint64(len(r.reason)))
		b = append(b, r.reason...)
	} else {
		a := &r.a
		clipped := byte(0)
		if a.Clipped > 0 {
			clipped = 1
		}
		b = append(b, byte(a.Status), byte(a.Rank+1), byte(a.BelowFloor+1), clipped)
		ref := uint64(0)
		if a.Reference != "" {
			ref = uint64(a.Best) + 1
		}
		b = binary.AppendUvarint(b, ref)
		if a.Status == classify.Chimera {
			b = binary.AppendUvarint(b, uint64(a.Second))
		}
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(a.Identity))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(a.ErrorRate))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(a.Confidence))
		b = binary.AppendUvarint(b, uint64(r.unit))
		if r.kind == spillEM {
			b = binary.AppendUvarint(b, uint64(r.class))
			b = binary.AppendUvarint(b, uint64(a.Evidence.Best))
			b = binary.AppendUvarint(b, uint64(a.Evidence.Length))
			b = binary.AppendUvarint(b, uint64(a.Evidence.RivalGap)) // 0: no rival
			if a.Evidence.RivalGap > 0 {
				b = binary.AppendUvarint(b, uint64(a.Evidence.Rival.Unit))
				b = binary.AppendUvarint(b, uint64(a.Evidence.Rival.Extra))
			}
		}
	}
	s.buf = b
	_, err := s.w.Write(b)
	return err
}

// rewind flushes what was written and returns a reader from the start.
func (s *spill) rewind() (*spillReader, error) {
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return &spillReader{br: bufio.NewReaderSize(s.f, 1<<16)}, nil
}

// close removes the spill file.
func (s *spill) close() error {
	err := s.f.Close()
	if rmErr := os.Remove(s.f.Name()); err == nil {
		err = rmErr
	}
	return err
}

var errSpill = errors.New("per-read spill file is corrupt")

// spillReader reads records back; its first error sticks.
type spillReader struct {
	br  *bufio.Reader
	err error
}

func (s *spillReader) uvarint() uint64 {
	if s.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(s.br)
	if err != nil {
		s.err = errSpill
	}
	return v
}

func (s *spillReader) bytes(n uint64) []byte {
	if s.err != nil || n > 1<<20 {
		s.err = errSpill
		return nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(s.br, b); err != nil {
		s.err = errSpill
	}
	return b
}

func (s *spillReader) f64() float64 {
	b := s.bytes(8)
	if s.err != nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// get reads the next record into r (the reference's name is left to the
// caller: Reference holds a placeholder when there is one); io.EOF at the
// end.
func (s *spillReader) get(r *record) error {
	n, err := binary.ReadUvarint(s.br)
	if err == io.EOF {
		return err // at a record boundary
	} else if err != nil {
		return errSpill
	}
	*r = record{id: string(s.bytes(n))}
	k := s.bytes(1)
	if s.err != nil {
		return s.err
	}
	r.kind = k[0]
	if r.kind == spillFiltered {
		r.reason = string(s.bytes(s.uvarint()))
		return s.err
	}
	head := s.bytes(4)
	if s.err != nil {
		return s.err
	}
	a := &r.a
	a.Status, a.Rank, a.BelowFloor = classify.Status(head[0]), taxonomy.Rank(head[1])-1, taxonomy.Rank(head[2])-1
	a.Clipped = int(head[3])
	if ref := s.uvarint(); ref > 0 {
		a.Best, a.Reference = uint32(ref-1), "?"
	}
	if a.Status == classify.Chimera {
		a.Second = uint32(s.uvarint())
	}
	a.Identity, a.ErrorRate, a.Confidence = s.f64(), s.f64(), s.f64()
	r.unit = uint32(s.uvarint())
	if r.kind == spillEM {
		r.class = int32(s.uvarint())
		a.Evidence.Best = int32(s.uvarint())
		a.Evidence.Length = int(s.uvarint())
		if a.Evidence.RivalGap = int32(s.uvarint()); a.Evidence.RivalGap > 0 {
			a.Evidence.Rival.Unit = uint32(s.uvarint())
			a.Evidence.Rival.Extra = int32(s.uvarint())
		}
	}
	return s.err
}
