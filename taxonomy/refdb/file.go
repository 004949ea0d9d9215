package refdb

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"

	"github.com/zonula/zonula/taxonomy"
)

// magic opens every database file; the header JSON follows on the same line.
const magic = "zonula-db"

// ErrCorrupt reports a database file that fails its checksum or layout checks.
var ErrCorrupt = errors.New("database file is corrupt")

// Write stores refs with header h as a database file: one line
// "zonula-db <json header>\n", then the zstd-compressed payload, which is one
// line per reference: "id<TAB>lineage<TAB>sequence\n" with the lineage as
// taxonomy.Lineage.String writes it. h.Format, Sequences, Bases, Genera and
// SHA256 are filled in by Write; the output depends only on h and refs.
func Write(w io.Writer, h Header, refs []Reference) error {
	var payload bytes.Buffer
	genera := map[string]bool{}
	var bases int64
	for i, r := range refs {
		if r.ID == "" || strings.ContainsAny(r.ID, "\t\n") {
			return fmt.Errorf("reference %d: id %q is empty or holds a tab or newline", i+1, r.ID)
		}
		if len(r.Seq) == 0 {
			return fmt.Errorf("reference %s: empty sequence", r.ID)
		}
		payload.WriteString(r.ID)
		payload.WriteByte('\t')
		payload.WriteString(r.Lineage.String())
		payload.WriteByte('\t')
		payload.Write(r.Seq)
		payload.WriteByte('\n')
		if g := r.Lineage.Name(taxonomy.Genus); g != "" {
			genera[g] = true
		}
		bases += int64(len(r.Seq))
	}
	sum := sha256.Sum256(payload.Bytes())
	h.Format = FormatVersion
	h.Sequences = len(refs)
	h.Bases = bases
	h.Genera = len(genera)
	h.SHA256 = hex.EncodeToString(sum[:])
	h.Compression = "zstd"
	hj, err := json.Marshal(h)
	if err != nil {
		return err
	}
	enc, err := zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.SpeedBestCompression),
		zstd.WithWindowSize(1<<24),
		zstd.WithEncoderConcurrency(1),
		zstd.WithZeroFrames(true))
	if err != nil {
		return err
	}
	compressed := enc.EncodeAll(payload.Bytes(), nil)
	if err := enc.Close(); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "%s %s\n", magic, hj); err != nil {
		return err
	}
	_, err = w.Write(compressed)
	return err
}

// ReadHeader reads only the header of a database file.
func ReadHeader(r io.Reader) (Header, error) {
	br := bufio.NewReader(r)
	return readHeader(br)
}

func readHeader(br *bufio.Reader) (Header, error) {
	var h Header
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return h, err
	}
	rest, ok := strings.CutPrefix(line, magic+" ")
	if !ok {
		return h, fmt.Errorf("%w: not a zonula database (no %q header)", ErrCorrupt, magic)
	}
	if err := json.Unmarshal([]byte(rest), &h); err != nil {
		return h, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	if h.Format != FormatVersion {
		return h, fmt.Errorf("%w: format version %d, this zonula reads %d (rebuild it with 'zonula db build')", ErrCorrupt, h.Format, FormatVersion)
	}
	return h, nil
}

// Read loads a database file and checks its payload against the header's
// checksum and counts.
func Read(r io.Reader) (*DB, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	h, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	dec, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<26))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	payload, err := io.ReadAll(dec)
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrCorrupt, err)
	}
	sum := sha256.Sum256(payload)
	if got := hex.EncodeToString(sum[:]); got != h.SHA256 {
		return nil, fmt.Errorf("%w: checksum %s, header says %s", ErrCorrupt, got[:12], h.ShortID())
	}
	refs := make([]Reference, 0, h.Sequences)
	for n := 1; len(payload) > 0; n++ {
		i := bytes.IndexByte(payload, '\n')
		if i < 0 {
			return nil, fmt.Errorf("%w: record %d: no line end", ErrCorrupt, n)
		}
		line := payload[:i]
		payload = payload[i+1:]
		f := bytes.Split(line, []byte{'\t'})
		if len(f) != 3 {
			return nil, fmt.Errorf("%w: record %d: %d fields, want 3", ErrCorrupt, n, len(f))
		}
		lin, err := taxonomy.ParsePrefixed(string(f[1]))
		if err != nil {
			return nil, fmt.Errorf("%w: record %d: %v", ErrCorrupt, n, err)
		}
		refs = append(refs, Reference{ID: string(f[0]), Lineage: lin, Seq: f[2]})
	}
	if len(refs) != h.Sequences {
		return nil, fmt.Errorf("%w: %d references, header says %d", ErrCorrupt, len(refs), h.Sequences)
	}
	return &DB{Header: h, Refs: refs}, nil
}
