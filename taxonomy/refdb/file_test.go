package refdb

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestFormat2Blocks(t *testing.T) {
	refs := syntheticRefs(t, 8000) // about 12 MB: three blocks
	var buf bytes.Buffer
	h, err := Write(&buf, Header{Name: "blocks"}, refs)
	if err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if len(h.Blocks) < 3 || h.Format != 2 || h.Sequences != 8000 {
		t.Fatalf("header: format %d, %d blocks, %d sequences", h.Format, len(h.Blocks), h.Sequences)
	}
	// The checksum is what coreutils prints for the bytes after the header line.
	body := data[bytes.IndexByte(data, '\n')+1:]
	if s := sha256.Sum256(body); hex.EncodeToString(s[:]) != h.SHA256 {
		t.Errorf("header sha256 %s is not the sha256 of the frames", h.ShortID())
	}
	db, err := Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for i := range refs {
		if db.Refs[i].ID != refs[i].ID || db.Refs[i].Lineage != refs[i].Lineage || !bytes.Equal(db.Refs[i].Seq, refs[i].Seq) {
			t.Fatalf("reference %d differs after the round trip", i)
		}
	}
	// Appending to one sequence must not overwrite the next.
	next := bytes.Clone(db.Refs[1].Seq)
	_ = append(db.Refs[0].Seq, 'N')
	if !bytes.Equal(db.Refs[1].Seq, next) {
		t.Error("sequences share capacity")
	}
	hdrLen := len(data) - len(body)
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"flipped byte in block 2", flip(data, hdrLen+h.Blocks[0].Compressed+h.Blocks[1].Compressed/2)},
		{"truncated", data[:len(data)-100]},
		{"trailing data", append(bytes.Clone(data), 'x')},
		{"sequence count", []byte(strings.Replace(string(data), `"sequences":8000`, `"sequences":8001`, 1))},
		{"block size", []byte(strings.Replace(string(data), `"size":`, `"size":1`, 1))},
		{"huge block", []byte(strings.Replace(string(data), `"zsize":`, `"zsize":9`, 1))},
	} {
		if _, err := Read(bytes.NewReader(c.data)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", c.name, err)
		}
	}
}

func flip(data []byte, i int) []byte {
	d := bytes.Clone(data)
	d[i] ^= 0x55
	return d
}

func FuzzRead(f *testing.F) {
	refs, _, _ := Build(testRefs(), GoldLineage)
	var buf bytes.Buffer
	Write(&buf, Header{Name: "fuzz"}, refs)
	f.Add(buf.Bytes())
	f.Add([]byte("zonula-db {\"format\":2,\"sequences\":1,\"blocks\":[{\"refs\":1,\"size\":5,\"zsize\":3}]}\nabc"))
	f.Fuzz(func(t *testing.T, data []byte) {
		db, err := Read(bytes.NewReader(data))
		if err == nil && len(db.Refs) != db.Header.Sequences {
			t.Fatalf("%d references, header says %d", len(db.Refs), db.Header.Sequences)
		}
	})
}

func FuzzBuildFrom(f *testing.F) {
	f.Add(">a;tax=d:Bacteria,p:Firmicutes,g:Blautia;\nACGU\n>b;tax=k:Bacteria;\r\nac-gt\n", "")
	f.Add(">x\tRoot;Bacteria;Firmicutes\nACGT\n", "x\tBacteria;Firmicutes;\n")
	f.Fuzz(func(t *testing.T, fasta, tax string) {
		for _, format := range Formats() {
			in := Input{Format: format, FASTA: fastaRecords(fasta, "f"), FASTAName: "f"}
			if format.TaxonomyFile() != "none" && tax != "" {
				in.Taxonomy, in.TaxonomyName = strings.NewReader(tax), "t"
			}
			refs, _, err := BuildFrom(in)
			var pe *ParseError
			if err != nil && !errors.As(err, &pe) && !strings.Contains(err.Error(), "taxonomy file") {
				t.Fatalf("%s: error without a position: %v", format, err)
			}
			for _, r := range refs {
				if r.Lineage.Depth() < 0 || len(r.Seq) == 0 {
					t.Fatalf("%s: reference %+v", format, r)
				}
			}
		}
	})
}

// TestHeaderLimit: a file that does not open with the magic, or whose
// header line never ends (/dev/zero, a huge line), fails at once.
func TestHeaderLimit(t *testing.T) {
	for name, r := range map[string]io.Reader{
		"zeros":     bytes.NewReader(make([]byte, 1<<20)),
		"long line": io.MultiReader(strings.NewReader("zonula-db {"), bytes.NewReader(bytes.Repeat([]byte(" "), maxHeaderLine+1))),
	} {
		if _, err := ReadHeader(r); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "header line of at most 16 MiB") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
