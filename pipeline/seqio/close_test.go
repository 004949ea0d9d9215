package seqio

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"
)

// manyReads returns FASTQ large enough that decoders run ahead of the reader.
func manyReads(n int) []byte {
	var b bytes.Buffer
	seq := strings.Repeat("ACGT", 300)
	for i := range n {
		fmt.Fprintf(&b, "@r%d\n%s\n+\n%s\n", i, seq, strings.Repeat("I", len(seq)))
	}
	return b.Bytes()
}

// settledGoroutines waits until the goroutine count is at most want, or a
// second has passed, and returns the count.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(time.Second); n > want && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	return n
}

// Closing NewReader's reader after reading one record must stop the gzip and
// zstd decoders' goroutines (the zstd decoder leaked them before).
func TestNewReaderCloseStopsDecoders(t *testing.T) {
	plain := manyReads(3000)
	var gz, zs bytes.Buffer
	gw := pgzip.NewWriter(&gz)
	gw.Write(plain)
	gw.Close()
	zw, err := zstd.NewWriter(&zs)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(plain)
	zw.Close()
	for _, c := range []struct {
		name string
		data []byte
	}{{"gzip", gz.Bytes()}, {"zstd", zs.Bytes()}} {
		before := settledGoroutines(0)
		const opens = 20
		for range opens {
			dec, err := NewReader(bytes.NewReader(c.data))
			if err != nil {
				t.Fatal(err)
			}
			sc := NewScanner(dec, c.name)
			if !sc.Scan() {
				t.Fatalf("%s: %v", c.name, sc.Err())
			}
			if err := dec.Close(); err != nil {
				t.Errorf("%s: Close: %v", c.name, err)
			}
			if err := dec.Close(); err != nil { // idempotent
				t.Errorf("%s: second Close: %v", c.name, err)
			}
		}
		if after := settledGoroutines(before); after > before {
			t.Errorf("%s: %d goroutines before %d opens, %d after closing them all", c.name, before, opens, after)
		}
	}
}

func TestOpenRecordsCloseStopsDecoders(t *testing.T) {
	var gz bytes.Buffer
	gw := pgzip.NewWriter(&gz)
	gw.Write(manyReads(3000))
	gw.Close()
	path := t.TempDir() + "/r.fastq.gz"
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	before := settledGoroutines(0)
	for range 10 {
		rr, c, err := OpenRecords(path)
		if err != nil {
			t.Fatal(err)
		}
		if !rr.Scan() {
			t.Fatal(rr.Err())
		}
		c.Close()
	}
	if after := settledGoroutines(before); after > before {
		t.Errorf("%d goroutines before, %d after", before, after)
	}
}
