package seqio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy/dna"
)

// BAM flag bits that change how a record is read.
const (
	bamFlagReverse       = 0x10
	bamFlagSecondary     = 0x100
	bamFlagSupplementary = 0x800
)

// Limits that keep a corrupt BAM from asking for absurd allocations: a
// record may hold its read (bases packed two to a byte, and qualities) and
// up to bamTagRoom bytes of name, CIGAR and tags (a nanopore move table of
// a megabase read is under 2 MB).
const (
	bamTagRoom = 8 << 20
	maxBAMRefs = 1 << 24
)

// BAMReader reads unaligned (or aligned) BAM records as Records, the way
// Dorado and PacBio (hifi_reads.bam) write them. It satisfies RecordReader.
//
// Per record: ID is the read name; Seq is the stored sequence, upper case,
// reverse-complemented (and Qual reversed) when the reverse-strand flag 0x10
// is set, so every Record is the read as sequenced; Qual is Phred+33 (values
// above 93 are capped at '~'), or nil when the BAM stores no qualities (0xFF);
// Desc holds the optional tags in SAM text form separated by tabs (as
// `samtools fastq -T '*'` writes them), e.g. "RG:Z:run1\tqs:i:17".
// Secondary (0x100) and supplementary (0x800) alignments are skipped, so an
// aligned BAM yields each read once.
//
// Malformed input gives a *ParseError wrapping ErrBadBAM (and ErrTruncated when
// the input ends inside a record); Line is 0 and Detail names the byte offset
// in the decompressed stream.
type BAMReader struct {
	r    *bufio.Reader
	name string
	off  int64 // bytes of the decompressed stream consumed
	nrec int
	rec  Record
	buf  []byte
	err  error
	done bool
	hdr  string
	// release frees the decompressor NewBAMReader made; nil otherwise.
	release func() error
	maxRead int // longest read in bases (SetMaxReadLength)
}

// SetMaxReadLength sets the longest read, in bases, the reader accepts
// (n ≤ 0 keeps DefaultMaxReadLength). A longer read, or a record larger
// than such a read and 8 MiB of name and tags, stops the scan with a
// *ParseError wrapping ErrReadTooLong.
func (b *BAMReader) SetMaxReadLength(n int) {
	if n > 0 {
		b.maxRead = n
	}
}

// NewBAMReader returns a BAMReader of r, a BAM file as stored (BGZF, i.e.
// gzip, or uncompressed); name is used in errors. It reads the BAM header
// and fails when r is not BAM. Close the reader when done: it stops the
// BGZF decompressor's goroutines (it does not close r).
func NewBAMReader(r io.Reader, name string) (*BAMReader, error) {
	dec, err := NewReader(r)
	if err != nil {
		return nil, err
	}
	bs, ok := dec.(*bamStream)
	if !ok {
		dec.Close()
		return nil, &ParseError{File: name, Err: ErrBadBAM, Detail: "no BAM magic at the start of the input"}
	}
	b := newBAMReader(bs.r, name)
	if b.err != nil {
		bs.Close()
		return nil, b.err
	}
	b.release = bs.Close
	return b, nil
}

// Close releases the decompressor of a BAMReader made by NewBAMReader; for
// one made by NewRecordReader it does nothing (close NewReader's reader).
func (b *BAMReader) Close() error {
	if b.release == nil {
		return nil
	}
	rel := b.release
	b.release = nil
	return rel()
}

// newBAMReader reads the header of the decompressed BAM stream r. A header
// error is kept in b.err and reported by the first Scan.
func newBAMReader(r io.Reader, name string) *BAMReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<20)
	}
	b := &BAMReader{r: br, name: name, maxRead: DefaultMaxReadLength}
	b.readHeader()
	return b
}

// Header returns the SAM header text stored in the BAM (the @HD, @RG and @PG
// lines), up to its first mebibyte.
func (b *BAMReader) Header() string { return b.hdr }

// Record returns the current record, valid until the next Scan.
func (b *BAMReader) Record() *Record { return &b.rec }

// Err returns nil after a clean end of input, else the first error.
func (b *BAMReader) Err() error { return b.err }

func (b *BAMReader) fail(err error, detail string) {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("%w: %w", ErrBadBAM, ErrTruncated)
	case errors.Is(err, ErrReadTooLong), errors.Is(err, ErrBomb):
		// not malformed: too much of it
	case !errors.Is(err, ErrBadBAM):
		err = fmt.Errorf("%w: %w", ErrBadBAM, err)
	}
	id := ""
	if b.nrec > 0 {
		id = b.rec.ID
	}
	if detail != "" {
		detail += ", "
	}
	detail += fmt.Sprintf("at byte %d of the decompressed BAM", b.off)
	b.err = &ParseError{File: b.name, Record: b.nrec, ID: id, Err: err, Detail: detail}
	b.done = true
}

func (b *BAMReader) readFull(n int) ([]byte, error) {
	// Grow as data arrives so that a corrupt length cannot allocate much more
	// than the input holds.
	b.buf = b.buf[:0]
	for len(b.buf) < n {
		chunk := min(n-len(b.buf), 1<<20)
		start := len(b.buf)
		b.buf = append(b.buf, make([]byte, chunk)...)
		m, err := io.ReadFull(b.r, b.buf[start:])
		b.off += int64(m)
		if err != nil {
			return nil, err
		}
	}
	return b.buf, nil
}

func (b *BAMReader) int32() (int32, error) {
	p, err := b.readFull(4)
	if err != nil {
		return 0, err
	}
	return int32(binary.LittleEndian.Uint32(p)), nil
}

func (b *BAMReader) skip(n int64) error {
	m, err := io.CopyN(io.Discard, b.r, n)
	b.off += m
	if err == nil && m < n {
		err = io.ErrUnexpectedEOF
	}
	return err
}

func (b *BAMReader) readHeader() {
	p, err := b.readFull(4)
	if err != nil {
		b.fail(err, "reading the magic")
		return
	}
	if string(p) != string(magicBAM) {
		b.fail(ErrBadBAM, fmt.Sprintf("magic %q, want \"BAM\\x01\"", p))
		return
	}
	lText, err := b.int32()
	if err != nil {
		b.fail(err, "reading the header length")
		return
	}
	if lText < 0 {
		b.fail(ErrBadBAM, fmt.Sprintf("negative header length %d", lText))
		return
	}
	keep := min(int(lText), 1<<20)
	if p, err = b.readFull(keep); err != nil {
		b.fail(err, "reading the header text")
		return
	}
	b.hdr = strings.TrimRight(string(p), "\x00")
	if err := b.skip(int64(lText) - int64(keep)); err != nil {
		b.fail(err, "reading the header text")
		return
	}
	nRef, err := b.int32()
	if err != nil {
		b.fail(err, "reading the reference count")
		return
	}
	if nRef < 0 || nRef > maxBAMRefs {
		b.fail(ErrBadBAM, fmt.Sprintf("bad reference count %d", nRef))
		return
	}
	for i := range int(nRef) {
		lName, err := b.int32()
		if err != nil {
			b.fail(err, "reading the reference dictionary")
			return
		}
		if lName < 1 || lName > 1<<16 {
			b.fail(ErrBadBAM, fmt.Sprintf("reference %d: bad name length %d", i+1, lName))
			return
		}
		if err := b.skip(int64(lName) + 4); err != nil {
			b.fail(err, "reading the reference dictionary")
			return
		}
	}
}

// Scan advances to the next record and reports whether there is one.
func (b *BAMReader) Scan() bool {
	for !b.done {
		if b.err != nil {
			b.done = true
			return false
		}
		if _, err := b.r.Peek(1); err != nil {
			b.done = true
			if !errors.Is(err, io.EOF) {
				b.fail(err, "")
			}
			return false
		}
		b.nrec++
		flag, ok := b.readRecord()
		if !ok {
			return false
		}
		if flag&(bamFlagSecondary|bamFlagSupplementary) != 0 {
			b.nrec--
			continue
		}
		return true
	}
	return false
}

var bamBases = [16]byte{'=', 'A', 'C', 'M', 'G', 'R', 'S', 'V', 'T', 'W', 'Y', 'H', 'K', 'D', 'B', 'N'}

// bamPairs decodes one packed byte into its two bases.
var bamPairs = func() (t [256][2]byte) {
	for i := range t {
		t[i] = [2]byte{bamBases[i>>4], bamBases[i&15]}
	}
	return t
}()

func (b *BAMReader) readRecord() (flag uint16, ok bool) {
	size, err := b.int32()
	if err != nil {
		b.fail(err, "reading the record length")
		return 0, false
	}
	if size < 32 {
		b.fail(ErrBadBAM, fmt.Sprintf("bad record length %d", size))
		return 0, false
	}
	if int64(size) > 2*int64(b.maxRead)+bamTagRoom {
		b.fail(ErrReadTooLong, fmt.Sprintf("a record of %d bytes; %s", size, limitDetail(b.maxRead)))
		return 0, false
	}
	p, err := b.readFull(int(size))
	if err != nil {
		b.fail(err, "reading a record")
		return 0, false
	}
	le := binary.LittleEndian
	lName := int(p[8])
	nCigar := int(le.Uint16(p[12:]))
	flag = le.Uint16(p[14:])
	lSeq := int(int32(le.Uint32(p[16:])))
	if lName < 1 {
		b.fail(ErrBadBAM, "empty read name")
		return 0, false
	}
	if lSeq < 0 {
		b.fail(ErrBadBAM, fmt.Sprintf("negative sequence length %d", lSeq))
		return 0, false
	}
	if lSeq > b.maxRead {
		b.fail(ErrReadTooLong, fmt.Sprintf("%d bases; %s", lSeq, limitDetail(b.maxRead)))
		return 0, false
	}
	need := 32 + lName + 4*nCigar + (lSeq+1)/2 + lSeq
	if need > len(p) {
		b.fail(ErrBadBAM, fmt.Sprintf("record length %d is shorter than its fields (%d bytes)", size, need))
		return 0, false
	}
	name := p[32 : 32+lName]
	if name[lName-1] != 0 {
		b.fail(ErrBadBAM, "read name is not NUL-terminated")
		return 0, false
	}
	b.rec.ID = string(name[:lName-1])
	q := 32 + lName + 4*nCigar
	packed := p[q : q+(lSeq+1)/2]
	q += (lSeq + 1) / 2
	quals := p[q : q+lSeq]
	q += lSeq

	seq := b.rec.Seq[:0]
	for _, c := range packed {
		pr := bamPairs[c]
		seq = append(seq, pr[0], pr[1])
	}
	seq = seq[:lSeq]
	if lSeq > 0 && quals[0] == 0xff {
		b.rec.Qual = nil
	} else {
		if b.rec.Qual == nil {
			b.rec.Qual = make([]byte, 0, lSeq)
		}
		qual := b.rec.Qual[:0]
		for _, v := range quals {
			qual = append(qual, min(v, 93)+33)
		}
		b.rec.Qual = qual
	}
	if flag&bamFlagReverse != 0 {
		dna.ReverseComplement(seq) // of bamBases' codes: IUPAC and '='
		for i, j := 0, len(b.rec.Qual)-1; i < j; i, j = i+1, j-1 {
			b.rec.Qual[i], b.rec.Qual[j] = b.rec.Qual[j], b.rec.Qual[i]
		}
	}
	b.rec.Seq = seq
	desc, err := formatAux(p[q:])
	if err != nil {
		b.fail(err, "optional tags")
		return 0, false
	}
	b.rec.Desc = desc
	return flag, true
}

// formatAux renders BAM optional fields as tab-separated SAM text.
func formatAux(p []byte) (string, error) {
	if len(p) == 0 {
		return "", nil
	}
	var sb strings.Builder
	le := binary.LittleEndian
	short := func() (string, error) { return "", fmt.Errorf("%w: tag field runs past the record", ErrBadBAM) }
	for len(p) > 0 {
		if len(p) < 3 {
			return short()
		}
		if sb.Len() > 0 {
			sb.WriteByte('\t')
		}
		tag, typ := p[:2], p[2]
		p = p[3:]
		sb.Write(tag)
		sb.WriteByte(':')
		switch typ {
		case 'A':
			if len(p) < 1 {
				return short()
			}
			sb.WriteString("A:")
			sb.WriteByte(p[0])
			p = p[1:]
		case 'c', 'C', 's', 'S', 'i', 'I':
			n := auxSize(typ)
			if len(p) < n {
				return short()
			}
			sb.WriteString("i:")
			sb.WriteString(strconv.FormatInt(auxInt(typ, p), 10))
			p = p[n:]
		case 'f':
			if len(p) < 4 {
				return short()
			}
			sb.WriteString("f:")
			sb.WriteString(strconv.FormatFloat(float64(math.Float32frombits(le.Uint32(p))), 'g', -1, 32))
			p = p[4:]
		case 'Z', 'H':
			end := 0
			for end < len(p) && p[end] != 0 {
				end++
			}
			if end == len(p) {
				return short()
			}
			sb.WriteByte(typ)
			sb.WriteByte(':')
			sb.Write(p[:end])
			p = p[end+1:]
		case 'B':
			if len(p) < 5 {
				return short()
			}
			sub := p[0]
			n := int(le.Uint32(p[1:]))
			p = p[5:]
			size := auxSize(sub)
			if size == 0 || sub == 'A' {
				return "", fmt.Errorf("%w: array tag of unknown type %q", ErrBadBAM, sub)
			}
			if n < 0 || n > len(p)/size {
				return short()
			}
			sb.WriteString("B:")
			sb.WriteByte(sub)
			for i := range n {
				sb.WriteByte(',')
				v := p[i*size:]
				if sub == 'f' {
					sb.WriteString(strconv.FormatFloat(float64(math.Float32frombits(le.Uint32(v))), 'g', -1, 32))
				} else {
					sb.WriteString(strconv.FormatInt(auxInt(sub, v), 10))
				}
			}
			p = p[n*size:]
		default:
			return "", fmt.Errorf("%w: tag %q of unknown type %q", ErrBadBAM, tag, typ)
		}
	}
	return sb.String(), nil
}

func auxSize(t byte) int {
	switch t {
	case 'A', 'c', 'C':
		return 1
	case 's', 'S':
		return 2
	case 'i', 'I', 'f':
		return 4
	}
	return 0
}

func auxInt(t byte, p []byte) int64 {
	le := binary.LittleEndian
	switch t {
	case 'c':
		return int64(int8(p[0]))
	case 'C':
		return int64(p[0])
	case 's':
		return int64(int16(le.Uint16(p)))
	case 'S':
		return int64(le.Uint16(p))
	case 'i':
		return int64(int32(le.Uint32(p)))
	}
	return int64(le.Uint32(p))
}

// ErrBadBAM is wrapped by every error about malformed BAM input.
var ErrBadBAM = errors.New("malformed BAM")

// bamStream is what NewReader returns for BAM input: the decompressed BAM
// bytes, which NewRecordReader decodes as records. Read as text (by a
// Scanner) it fails with ErrBAM. release frees the BGZF decompressor.
type bamStream struct {
	r       *bufio.Reader
	release func() error
}

func (b *bamStream) Read([]byte) (int, error) { return 0, ErrBAM }

// Close releases the decompressor; it is idempotent.
func (b *bamStream) Close() error {
	rel := b.release
	b.release = nil
	if rel == nil {
		return nil
	}
	return rel()
}
