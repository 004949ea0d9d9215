package refdb

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
)

// blankedSum is what coreutils prints for a database file with its header's
// checksum value removed: sed '1s/"sha256":"[0-9a-f]*"/"sha256":""/' DB | sha256sum.
func blankedSum(data []byte) string {
	nl := bytes.IndexByte(data, '\n')
	line := regexp.MustCompile(`"sha256":"[0-9a-f]*"`).ReplaceAll(data[:nl+1], []byte(`"sha256":""`))
	s := sha256.Sum256(append(line, data[nl+1:]...))
	return hex.EncodeToString(s[:])
}

func TestFormat3Blocks(t *testing.T) {
	refs := syntheticRefs(t, 8000) // about 12 MB: three blocks
	var buf bytes.Buffer
	h, err := Write(&buf, Header{Name: "blocks", GenusCohesion: map[string]float64{"Blautia": 0.95}}, refs)
	if err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if len(h.Blocks) < 3 || h.Format != 3 || h.Sequences != 8000 {
		t.Fatalf("header: format %d, %d blocks, %d sequences", h.Format, len(h.Blocks), h.Sequences)
	}
	// The checksum covers the header (its own value blanked) and the frames.
	if got := blankedSum(data); got != h.SHA256 {
		t.Errorf("header sha256 %s is not the sha256 of the blanked header and the frames (%s)", h.ShortID(), got[:12])
	}
	body := data[bytes.IndexByte(data, '\n')+1:]
	db, err := Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if db.SHA256 != h.SHA256 {
		t.Errorf("loaded checksum %s, header %s", db.SHA256, h.SHA256)
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
		{"edited genus floor", []byte(strings.Replace(string(data), `"Blautia":0.95`, `"Blautia":0.5`, 1))},
		{"edited name", []byte(strings.Replace(string(data), `"name":"blocks"`, `"name":"blockz"`, 1))},
		{"checksum removed", []byte(strings.Replace(string(data), `"sha256":"`+h.SHA256+`"`, `"sha256":""`, 1))},
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

// asFormat2 rewrites a format 3 file as format 2 wrote it: the same
// frames, the header's checksum over the frames alone.
func asFormat2(t *testing.T, data []byte) []byte {
	t.Helper()
	nl := bytes.IndexByte(data, '\n')
	var h Header
	if err := json.Unmarshal(data[len(magic)+1:nl], &h); err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(data[nl+1:])
	h.Format, h.SHA256 = 2, hex.EncodeToString(s[:])
	line, err := headerLine(h)
	if err != nil {
		t.Fatal(err)
	}
	return append(line, data[nl+1:]...)
}

// TestFormat2StillRead: a format 2 file reads; its header's checksum covers
// only the frames, so an edited header is not detected, but the checksum
// Read computes over header and frames (DB.SHA256) tells the two apart.
func TestFormat2StillRead(t *testing.T) {
	var buf bytes.Buffer
	if _, err := Write(&buf, Header{Name: "v2", GenusCohesion: map[string]float64{"Blautia": 0.95}}, syntheticRefs(t, 50)); err != nil {
		t.Fatal(err)
	}
	v2 := asFormat2(t, buf.Bytes())
	db, err := Read(bytes.NewReader(v2))
	if err != nil {
		t.Fatal(err)
	}
	if db.Header.Format != 2 || db.SHA256 == db.Header.SHA256 || db.SHA256 != blankedSum(v2) {
		t.Errorf("format %d, loaded checksum %s, header %s", db.Header.Format, db.SHA256, db.Header.SHA256)
	}
	edited := []byte(strings.Replace(string(v2), `"Blautia":0.95`, `"Blautia":0.5`, 1))
	db2, err := Read(bytes.NewReader(edited))
	if err != nil {
		t.Fatalf("format 2 with an edited header: %v (its checksum does not cover the header)", err)
	}
	if db2.SHA256 == db.SHA256 || db2.Header.SHA256 != db.Header.SHA256 {
		t.Errorf("edited format 2 header: loaded checksums %s and %s should differ", db.SHA256[:12], db2.SHA256[:12])
	}
}
