package refdb

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"runtime"
	"slices"
	"strings"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/sync/errgroup"

	"github.com/zonula/zonula/taxonomy"
)

// magic opens every database file; the header JSON follows on the same line.
const magic = "zonula-db"

// ErrCorrupt reports a database file that fails its checksum or layout checks.
var ErrCorrupt = errors.New("database file is corrupt")

// Limits that keep a damaged header from making Read allocate without bound.
const (
	blockTarget  = 4 << 20  // Write starts a new block once this many payload bytes are in one
	maxBlockSize = 64 << 20 // Read refuses blocks (compressed or not) larger than this
)

// Block describes one independently compressed part of a format-2 payload.
type Block struct {
	Refs       int `json:"refs"`  // references (lines) in the block
	Size       int `json:"size"`  // uncompressed bytes
	Compressed int `json:"zsize"` // bytes of its zstd frame in the file
}

// Write stores refs with header h as a database file (format 3) and returns
// the header as written: one line
// "zonula-db <json header>\n", then the payload as a run of zstd frames, one
// per Block listed in the header. The payload is one line per reference,
// "id<TAB>lineage<TAB>sequence\n", lineage as taxonomy.Lineage.String writes
// it, cut into blocks of whole lines of about 4 MiB that are compressed in
// parallel and read back in parallel. The header's SHA256 is the SHA-256 of
// the whole file with the header's own "sha256" value empty: the header line
// as written but with "sha256":"" in place of the checksum, then the
// compressed frames. It covers the header (the genus cohesion that sets
// identity floors, the counts, the names) as well as the sequences, so an
// edited header fails Read like an edited sequence; hashing the compressed
// bytes is ten times less work on load than hashing the sequences. (Format
// 2 hashed the frames only: "tail -n +2 DB | sha256sum".)
// h.Format, Sequences, Bases, Genera, Blocks and SHA256 are filled in by
// Write; the output depends only on h and refs.
func Write(w io.Writer, h Header, refs []Reference) (Header, error) {
	genera := map[string]bool{}
	var bases int64
	var blocks [][]byte
	var counts []int
	cur := make([]byte, 0, blockTarget+4096)
	n := 0
	for i, r := range refs {
		if r.ID == "" || strings.ContainsAny(r.ID, "\t\n") {
			return h, fmt.Errorf("reference %d: id %q is empty or holds a tab or newline", i+1, r.ID)
		}
		if len(r.Seq) == 0 || bytes.ContainsAny(r.Seq, "\t\n") {
			return h, fmt.Errorf("reference %s: sequence is empty or holds a tab or newline", r.ID)
		}
		cur = append(cur, r.ID...)
		cur = append(cur, '\t')
		cur = append(cur, r.Lineage.String()...)
		cur = append(cur, '\t')
		cur = append(cur, r.Seq...)
		cur = append(cur, '\n')
		n++
		if g := r.Lineage.Name(taxonomy.Genus); g != "" {
			genera[g] = true
		}
		bases += int64(len(r.Seq))
		if len(cur) >= blockTarget {
			blocks, counts = append(blocks, cur), append(counts, n)
			cur, n = make([]byte, 0, blockTarget+4096), 0
		}
	}
	if n > 0 {
		blocks, counts = append(blocks, cur), append(counts, n)
	}
	workers := runtime.GOMAXPROCS(0)
	enc, err := zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.SpeedBestCompression),
		zstd.WithWindowSize(blockTarget*2),
		zstd.WithEncoderConcurrency(workers),
		zstd.WithEncoderCRC(false), // the header's SHA-256 covers every frame
		zstd.WithZeroFrames(true))
	if err != nil {
		return h, err
	}
	defer enc.Close()
	compressed := make([][]byte, len(blocks))
	h.Blocks = make([]Block, len(blocks))
	var g errgroup.Group
	g.SetLimit(workers)
	for i := range blocks {
		g.Go(func() error {
			compressed[i] = enc.EncodeAll(blocks[i], nil)
			h.Blocks[i] = Block{Refs: counts[i], Size: len(blocks[i]), Compressed: len(compressed[i])}
			blocks[i] = nil
			return nil
		})
	}
	_ = g.Wait()
	h.Format = FormatVersion
	h.Sequences = len(refs)
	h.Bases = bases
	h.Genera = len(genera)
	h.Compression = "zstd"
	h.SHA256 = ""
	blank, err := headerLine(h)
	if err != nil {
		return h, err
	}
	sum := sha256.New()
	sum.Write(blank)
	for _, c := range compressed {
		sum.Write(c)
	}
	h.SHA256 = hex.EncodeToString(sum.Sum(nil))
	line, err := headerLine(h)
	if err != nil {
		return h, err
	}
	if _, err := w.Write(line); err != nil {
		return h, err
	}
	for _, c := range compressed {
		if _, err := w.Write(c); err != nil {
			return h, err
		}
	}
	return h, nil
}

// headerLine is the first line of a database file with header h.
func headerLine(h Header) ([]byte, error) {
	hj, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	return []byte(magic + " " + string(hj) + "\n"), nil
}

// sumField is how the header's checksum appears in its JSON.
var sumField = []byte(`"sha256":"`)

// blankSum returns a header line with the value of its "sha256" field
// removed ("sha256":""), as format 3 hashes it; ok is false when the line
// has no such field holding 64 hex digits.
func blankSum(line []byte) (blank []byte, ok bool) {
	i := bytes.Index(line, sumField)
	if i < 0 {
		return line, false
	}
	v := i + len(sumField)
	if len(line) < v+65 || line[v+64] != '"' {
		return line, false
	}
	if _, err := hex.DecodeString(string(line[v : v+64])); err != nil {
		return line, false
	}
	return slices.Concat(line[:v], line[v+64:]), true
}

// ReadHeader reads only the header of a database file.
func ReadHeader(r io.Reader) (Header, error) {
	br := bufio.NewReader(r)
	h, _, err := readHeader(br)
	return h, err
}

// maxHeaderLine bounds the header line (a SILVA-sized database's, with
// its genus cohesion table, is under a megabyte).
const maxHeaderLine = 16 << 20

// readHeader parses the header line and returns it with the line as read.
func readHeader(br *bufio.Reader) (Header, []byte, error) {
	var h Header
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxHeaderLine || len(line) >= len(magic) && !strings.HasPrefix(string(line[:len(magic)]), magic) {
			return h, nil, fmt.Errorf("%w: not a zonula database (no %q header line of at most %d MiB)", ErrCorrupt, magic, maxHeaderLine>>20)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return h, nil, err
		}
		break
	}
	rest, ok := strings.CutPrefix(string(line), magic+" ")
	if !ok {
		return h, nil, fmt.Errorf("%w: not a zonula database (no %q header)", ErrCorrupt, magic)
	}
	if err := json.Unmarshal([]byte(rest), &h); err != nil {
		return h, nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	if h.Format < 1 || h.Format > FormatVersion {
		return h, nil, fmt.Errorf("%w: format version %d, this zonula reads 1 to %d (rebuild it with 'zonula db build')", ErrCorrupt, h.Format, FormatVersion)
	}
	return h, line, nil
}

// Read loads a database file and checks it against the header's checksum
// and counts: formats 2 and 3 block by block, decompressing, hashing and
// parsing blocks on every core; format 1 (one zstd stream, SHA-256 of the
// whole payload) as it was written. Format 3's checksum covers the header
// too (see Write); formats 1 and 2 cover the sequences only, so DB.SHA256,
// the checksum over header and payload that provenance records, is
// computed here for them.
func Read(r io.Reader) (*DB, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	h, line, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	blank, ok := blankSum(line)
	if !ok && h.Format >= 3 {
		return nil, fmt.Errorf("%w: header without a sha256 of 64 hex digits", ErrCorrupt)
	}
	whole := sha256.New() // the blanked header line, then the payload as stored
	whole.Write(blank)
	var db *DB
	if h.Format == 1 {
		db, err = readV1(br, h, whole)
	} else {
		db, err = readBlocks(br, h, whole)
	}
	if err != nil {
		return nil, err
	}
	db.SHA256 = hex.EncodeToString(whole.Sum(nil))
	return db, nil
}

// checkBlocks checks the header's block list against its sequence count.
func checkBlocks(h Header) error {
	total := 0
	for i, b := range h.Blocks {
		if b.Size <= 0 || b.Size > maxBlockSize || b.Compressed <= 0 || b.Compressed > maxBlockSize || b.Refs <= 0 {
			return fmt.Errorf("%w: block %d: sizes out of range", ErrCorrupt, i+1)
		}
		total += b.Refs
	}
	if total != h.Sequences {
		return fmt.Errorf("%w: blocks hold %d references, header says %d", ErrCorrupt, total, h.Sequences)
	}
	return nil
}

// readBlocks reads the payload of a format 2 or 3 file, adding its bytes
// to whole, and checks the header's checksum: of whole (format 3) or of
// the payload alone (format 2).
func readBlocks(br *bufio.Reader, h Header, whole hash.Hash) (*DB, error) {
	if err := checkBlocks(h); err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(workers), zstd.WithDecoderMaxWindow(1<<26),
		zstd.WithDecoderMaxMemory(maxBlockSize))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	parts := make([][]Reference, len(h.Blocks))
	g, ctx := errgroup.WithContext(context.Background())
	type job struct {
		i    int
		data []byte
	}
	jobs := make(chan job, workers)
	var sum string
	g.Go(func() error {
		defer close(jobs)
		payload := sha256.New()
		d := io.MultiWriter(payload, whole)
		for i, b := range h.Blocks {
			buf := make([]byte, b.Compressed)
			if _, err := io.ReadFull(br, buf); err != nil {
				return fmt.Errorf("%w: block %d: %v", ErrCorrupt, i+1, err)
			}
			d.Write(buf)
			select {
			case jobs <- job{i, buf}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
			return fmt.Errorf("%w: data after the last block", ErrCorrupt)
		}
		if h.Format >= 3 {
			sum = hex.EncodeToString(whole.Sum(nil))
		} else {
			sum = hex.EncodeToString(payload.Sum(nil))
		}
		return nil
	})
	for range workers {
		g.Go(func() error {
			cache := map[string]taxonomy.Lineage{}
			for j := range jobs {
				b := h.Blocks[j.i]
				payload, err := dec.DecodeAll(j.data, make([]byte, 0, b.Size))
				if err != nil || len(payload) != b.Size {
					return fmt.Errorf("%w: block %d: %d bytes decoded of %d (%v)", ErrCorrupt, j.i+1, len(payload), b.Size, err)
				}
				if c := bytes.Count(payload, []byte{'\n'}); c != b.Refs {
					return fmt.Errorf("%w: block %d has %d lines, header says %d", ErrCorrupt, j.i+1, c, b.Refs)
				}
				refs := make([]Reference, b.Refs)
				if err := parsePayload(payload, refs, cache); err != nil {
					return fmt.Errorf("%w: block %d: %v", ErrCorrupt, j.i+1, err)
				}
				parts[j.i] = refs
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		if sum != "" && sum != h.SHA256 {
			// A damaged frame usually fails to decode first: name the cause.
			return nil, checksumError(h, sum)
		}
		return nil, err
	}
	if sum != h.SHA256 {
		return nil, checksumError(h, sum)
	}
	refs := make([]Reference, 0, h.Sequences)
	for _, p := range parts {
		refs = append(refs, p...)
	}
	return &DB{Header: h, Refs: refs}, nil
}

// checksumError reports a file whose checksum is not its header's.
func checksumError(h Header, sum string) error {
	what := "its sequences"
	if h.Format >= 3 {
		what = "its header and sequences"
	}
	return fmt.Errorf("%w: checksum of %s %s, header says %s (the file was changed or damaged)", ErrCorrupt, what, sum[:12], h.ShortID())
}

// parsePayload fills refs from payload lines "id\tlineage\tseq\n"; refs has
// one slot per line. Sequences alias payload (capacity clipped to their own
// line); lineages are parsed once per distinct string via cache.
func parsePayload(payload []byte, refs []Reference, cache map[string]taxonomy.Lineage) error {
	for n := range refs {
		i := bytes.IndexByte(payload, '\n')
		if i < 0 {
			return fmt.Errorf("record %d: no line end", n+1)
		}
		line := payload[:i:i]
		payload = payload[i+1:]
		t1 := bytes.IndexByte(line, '\t')
		if t1 <= 0 {
			return fmt.Errorf("record %d: want id<TAB>lineage<TAB>sequence", n+1)
		}
		t2 := bytes.IndexByte(line[t1+1:], '\t')
		if t2 < 0 || bytes.IndexByte(line[t1+1+t2+1:], '\t') >= 0 {
			return fmt.Errorf("record %d: want id<TAB>lineage<TAB>sequence", n+1)
		}
		t2 += t1 + 1
		linText := line[t1+1 : t2]
		lin, ok := cache[string(linText)]
		if !ok {
			var err error
			if lin, err = taxonomy.ParsePrefixed(string(linText)); err != nil {
				return fmt.Errorf("record %d: %v", n+1, err)
			}
			cache[string(linText)] = lin
		}
		refs[n] = Reference{ID: string(line[:t1]), Lineage: lin, Seq: line[t2+1:]}
	}
	if len(payload) != 0 {
		return errors.New("data after the last record")
	}
	return nil
}

// readV1 reads a format-1 payload: one zstd stream, SHA-256 of the whole
// uncompressed payload; the stream as stored is added to whole.
func readV1(br *bufio.Reader, h Header, whole hash.Hash) (*DB, error) {
	dec, err := zstd.NewReader(io.TeeReader(br, whole), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<26))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	payload, err := io.ReadAll(dec)
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrCorrupt, err)
	}
	io.Copy(whole, br) // whatever the decoder left: the file as stored
	sum := sha256.Sum256(payload)
	if got := hex.EncodeToString(sum[:]); got != h.SHA256 {
		return nil, checksumError(h, got)
	}
	if c := bytes.Count(payload, []byte{'\n'}); c != h.Sequences {
		return nil, fmt.Errorf("%w: %d references, header says %d", ErrCorrupt, c, h.Sequences)
	}
	refs := make([]Reference, h.Sequences)
	if err := parsePayload(payload, refs, map[string]taxonomy.Lineage{}); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return &DB{Header: h, Refs: refs}, nil
}
