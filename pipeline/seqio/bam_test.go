package seqio

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bamRec is one record for writeBAM.
type bamRec struct {
	name string
	flag uint16
	seq  string
	qual []byte // raw Phred values; nil writes 0xFF (no qualities)
	aux  []byte // encoded optional fields
}

// bamBody encodes the decompressed BAM stream: header, one reference, records.
func bamBody(header string, recs []bamRec) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	w32 := func(v int32) { binary.Write(&b, le, v) }
	b.WriteString("BAM\x01")
	w32(int32(len(header)))
	b.WriteString(header)
	w32(1) // one reference, as an aligned file would have
	w32(5)
	b.WriteString("chr1\x00")
	w32(1000)
	code := map[byte]byte{}
	for i, c := range "=ACMGRSVTWYHKDBN" {
		code[byte(c)] = byte(i)
	}
	for _, r := range recs {
		var rec bytes.Buffer
		wr := func(v any) { binary.Write(&rec, le, v) }
		wr(int32(-1))              // refID
		wr(int32(-1))              // pos
		wr(uint8(len(r.name) + 1)) // l_read_name
		wr(uint8(255))             // mapq
		wr(uint16(4680))           // bin
		wr(uint16(0))              // n_cigar_op
		wr(r.flag)                 // flag
		wr(int32(len(r.seq)))      // l_seq
		wr(int32(-1))              // next refID
		wr(int32(-1))              // next pos
		wr(int32(0))               // tlen
		rec.WriteString(r.name + "\x00")
		for i := 0; i < len(r.seq); i += 2 {
			v := code[r.seq[i]] << 4
			if i+1 < len(r.seq) {
				v |= code[r.seq[i+1]]
			}
			rec.WriteByte(v)
		}
		if r.qual == nil {
			rec.Write(bytes.Repeat([]byte{0xff}, len(r.seq)))
		} else {
			rec.Write(r.qual)
		}
		rec.Write(r.aux)
		w32(int32(rec.Len()))
		b.Write(rec.Bytes())
	}
	return b.Bytes()
}

// bgzf compresses data as BGZF: gzip members of at most 64 KiB input, each
// with the BC extra field, then the standard empty end-of-file block.
func bgzf(t testing.TB, data []byte, blockSize int) []byte {
	var out bytes.Buffer
	block := func(p []byte) {
		var m bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&m, gzip.BestSpeed)
		zw.Header.Extra = []byte{'B', 'C', 2, 0, 0, 0} // BSIZE patched below
		zw.Write(p)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		mb := m.Bytes()
		binary.LittleEndian.PutUint16(mb[16:], uint16(len(mb)-1))
		out.Write(mb)
	}
	for len(data) > 0 {
		n := min(blockSize, len(data))
		block(data[:n])
		data = data[n:]
	}
	block(nil)
	return out.Bytes()
}

func readAllRecords(t testing.TB, data []byte) ([]*Record, error) {
	t.Helper()
	dec, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	rr := NewRecordReader(dec, "in.bam")
	var recs []*Record
	for rr.Scan() {
		recs = append(recs, rr.Record().Clone())
	}
	return recs, rr.Err()
}

func TestBAMWritten(t *testing.T) {
	long := strings.Repeat("ACGTTGCAAC", 150) // 1,500 bases: spans BGZF blocks below
	longQ := bytes.Repeat([]byte{30, 40, 12}, 500)
	aux := []byte("RGZrun1\x00qsC\x11")
	recs := []bamRec{
		{name: "m64011/1/ccs", seq: long, qual: longQ, aux: aux},
		{name: "odd", seq: "ACGTA", qual: []byte{0, 1, 93, 100, 255 - 1}},
		{name: "rev", flag: bamFlagReverse, seq: "AACGTN", qual: []byte{1, 2, 3, 4, 5, 6}},
		{name: "secondary", flag: bamFlagSecondary, seq: "AAAA", qual: []byte{1, 1, 1, 1}},
		{name: "supp", flag: bamFlagSupplementary, seq: "CCCC", qual: []byte{1, 1, 1, 1}},
		{name: "noqual", seq: "GGRY"},
		{name: "empty", seq: ""},
	}
	body := bamBody("@HD\tVN:1.6\n@RG\tID:run1\n", recs)
	for _, bs := range []int{7, 1000, 65280} {
		got, err := readAllRecords(t, bgzf(t, body, bs))
		if err != nil {
			t.Fatalf("block size %d: %v", bs, err)
		}
		if len(got) != 5 {
			t.Fatalf("block size %d: %d records, want 5 (secondary and supplementary skipped)", bs, len(got))
		}
		r := got[0]
		if r.ID != "m64011/1/ccs" || string(r.Seq) != long || r.Desc != "RG:Z:run1\tqs:i:17" {
			t.Errorf("record 1: id %q desc %q len %d", r.ID, r.Desc, len(r.Seq))
		}
		if r.Qual[0] != '?' || r.Qual[1] != 'I' || r.Qual[2] != '-' {
			t.Errorf("record 1 qualities %q, want Phred+33 \"?I-\"", r.Qual[:3])
		}
		if string(got[1].Seq) != "ACGTA" || string(got[1].Qual) != "!\"~~~" {
			t.Errorf("odd-length record: %q %q (qualities over 93 capped at '~')", got[1].Seq, got[1].Qual)
		}
		if string(got[2].Seq) != "NACGTT" || string(got[2].Qual) != "'&%$#\"" {
			t.Errorf("reverse-strand record: %q %q, want reverse complement NACGTT, reversed qualities", got[2].Seq, got[2].Qual)
		}
		if got[3].ID != "noqual" || got[3].Qual != nil || string(got[3].Seq) != "GGRY" {
			t.Errorf("record without qualities: %+v", got[3])
		}
		if got[4].ID != "empty" || len(got[4].Seq) != 0 {
			t.Errorf("empty record: %+v", got[4])
		}
	}
	// Uncompressed BAM is read too.
	if got, err := readAllRecords(t, body); err != nil || len(got) != 5 {
		t.Errorf("uncompressed BAM: %d records, %v", len(got), err)
	}
}

// TestBAMSamtools reads BAM files made by samtools and compares every
// record with samtools' own FASTQ conversion of the same file.
func TestBAMSamtools(t *testing.T) {
	for _, name := range []string{"tiny.samtools", "tiny.reverse", "tiny.tags"} {
		bamPath := filepath.Join("testdata", name+".bam")
		rr, c, err := OpenRecords(bamPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := rr.(*BAMReader); !ok {
			t.Fatalf("%s: OpenRecords gave %T, want *BAMReader", bamPath, rr)
		}
		var got []*Record
		for rr.Scan() {
			got = append(got, rr.Record().Clone())
		}
		c.Close()
		if err := rr.Err(); err != nil {
			t.Fatalf("%s: %v", bamPath, err)
		}
		want, err := readFASTQFile(filepath.Join("testdata", name+".fastq"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d records, samtools fastq has %d", name, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			wantQual := string(w.Qual)
			if g.Qual == nil { // samtools fills missing qualities with a constant
				wantQual = ""
			}
			if g.ID != w.ID || g.Desc != w.Desc || string(g.Seq) != string(w.Seq) || string(g.Qual) != wantQual {
				t.Errorf("%s record %d:\n got %q %q %q %q\nwant %q %q %q %q", name, i+1, g.ID, g.Desc, g.Seq, g.Qual, w.ID, w.Desc, w.Seq, wantQual)
			}
		}
	}
}

func readFASTQFile(path string) ([]*Record, error) {
	rr, c, err := OpenRecords(path)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var recs []*Record
	for rr.Scan() {
		recs = append(recs, rr.Record().Clone())
	}
	return recs, rr.Err()
}

func TestBAMErrors(t *testing.T) {
	good := bamBody("", []bamRec{{name: "a", seq: "ACGT", qual: []byte{1, 2, 3, 4}}, {name: "b", seq: "ACGT", qual: []byte{1, 2, 3, 4}}})
	badLen := bytes.Clone(good)
	// First record's block size sits after magic, l_text, n_ref and one ref.
	off := 4 + 4 + 4 + 4 + 5 + 4
	binary.LittleEndian.PutUint32(badLen[off:], 8)
	badTag := bamBody("", []bamRec{{name: "a", seq: "AC", qual: []byte{1, 2}, aux: []byte("XXq")}})
	for _, c := range []struct {
		name      string
		data      []byte
		truncated bool
		record    int
	}{
		{"truncated in record 2", bgzf(t, good[:len(good)-3], 1<<15), true, 2},
		{"truncated in header", good[:10], true, 0},
		{"bad block size", badLen, false, 1},
		{"unknown tag type", badTag, false, 1},
		{"negative header length", []byte("BAM\x01\xff\xff\xff\xff"), false, 0},
	} {
		_, err := readAllRecords(t, c.data)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, ErrBadBAM) {
			t.Errorf("%s: err = %v, want a ParseError wrapping ErrBadBAM", c.name, err)
			continue
		}
		if c.truncated != errors.Is(err, ErrTruncated) {
			t.Errorf("%s: err = %v, truncated %v", c.name, err, c.truncated)
		}
		if pe.Record != c.record || pe.File != "in.bam" {
			t.Errorf("%s: error at record %d of %q, want %d: %v", c.name, pe.Record, pe.File, c.record, err)
		}
	}
	// A BAM read as text by a Scanner still reports ErrBAM.
	dec, err := NewReader(bytes.NewReader(bgzf(t, good, 1<<15)))
	if err != nil || !IsBAM(dec) {
		t.Fatalf("BGZF BAM not detected: %v", err)
	}
	defer dec.Close()
	sc := NewScanner(dec, "x.bam")
	if sc.Scan() || !errors.Is(sc.Err(), ErrBAM) {
		t.Errorf("Scanner over BAM: %v, want ErrBAM", sc.Err())
	}
	if _, err := NewBAMReader(strings.NewReader("@r\nA\n+\nI\n"), "x.fq"); !errors.Is(err, ErrBadBAM) {
		t.Errorf("NewBAMReader(FASTQ) = %v, want ErrBadBAM", err)
	}
	f, _ := os.Open(filepath.Join("testdata", "tiny.tags.bam"))
	defer f.Close()
	br, err := NewBAMReader(f, "tiny.tags.bam")
	if err != nil || !strings.Contains(br.Header(), "@RG\tID:dorado1") {
		t.Errorf("NewBAMReader header %q, %v", br.Header(), err)
	}
}

func TestOpenRecordsFASTQ(t *testing.T) {
	rr, c, err := OpenRecords(filepath.Join("testdata", "tiny.fastq.bz2"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := rr.(*Scanner); !ok {
		t.Fatalf("OpenRecords(FASTQ) gave %T", rr)
	}
	if !rr.Scan() || rr.Record().ID != "r1" || rr.Scan() || rr.Err() != nil {
		t.Errorf("tiny.fastq.bz2: %v", rr.Err())
	}
	if _, _, err := OpenRecords(filepath.Join("testdata", "missing.fq")); err == nil {
		t.Error("missing file: no error")
	}
}

func FuzzBAMReader(f *testing.F) {
	f.Add(bamBody("@HD\tVN:1.6\n", []bamRec{{name: "a", seq: "ACGTN", qual: []byte{1, 2, 3, 4, 5}, aux: []byte("RGZx\x00qsC\x05")}}))
	f.Add(bamBody("", []bamRec{{name: "r", flag: bamFlagReverse, seq: "ACG"}, {name: "s", flag: bamFlagSecondary, seq: "A", qual: []byte{3}}}))
	f.Add(bamBody("", []bamRec{{name: "b", seq: "AC", qual: []byte{1, 2}, aux: []byte("mvBc\x02\x00\x00\x00\x01\x02pfBf\x01\x00\x00\x00\x00\x00\x80\x3f")}}))
	f.Add([]byte("BAM\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range [][]byte{data, bgzf(t, data, 1<<15)} {
			dec, err := NewReader(bytes.NewReader(in))
			if err != nil {
				return
			}
			defer dec.Close()
			rr := NewRecordReader(dec, "fuzz.bam")
			for rr.Scan() {
				r := rr.Record()
				if r.Qual != nil && len(r.Qual) != len(r.Seq) {
					t.Fatalf("record %s: %d qualities for %d bases", r.ID, len(r.Qual), len(r.Seq))
				}
				for _, q := range r.Qual {
					if q < '!' || q > '~' {
						t.Fatalf("quality byte %d outside Phred+33", q)
					}
				}
			}
			var pe *ParseError
			if err := rr.Err(); err != nil && !errors.As(err, &pe) {
				t.Fatalf("error without a position: %v", err)
			}
		}
	})
}
