package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zonula/zonula/pipeline"
)

func TestProgressChoice(t *testing.T) {
	var b bytes.Buffer
	if _, ok := newProgress(&b, true).(pipeline.NoProgress); !ok {
		t.Error("--quiet does not silence progress")
	}
	p, ok := newProgress(&b, false).(*logProgress)
	if !ok {
		t.Fatal("a non-terminal writer does not get plain log lines")
	}
	p.every = 0
	p.Bytes(250, 1000)
	p.Reads(40, 38)
	p.Stage("classifying")
	if out := b.String(); !strings.Contains(out, "40 reads read (25 % of input), 38 passed QC") || !strings.Contains(out, "zonula: classifying") {
		t.Errorf("log progress printed %q", out)
	}
}

// A run that fails half-way leaves its bar unfinished; Close must still stop
// the bar's goroutines.
func TestBarProgressCloseAfterFailure(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 5 {
		var b bytes.Buffer
		p := newBarProgress(&b)
		p.Bytes(10, 100)
		p.Reads(5, 4)
		p.Close()
	}
	after := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); after > before && time.Now().Before(deadline); after = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	if after > before {
		t.Errorf("%d goroutines before, %d after closing 5 unfinished bars", before, after)
	}
}
