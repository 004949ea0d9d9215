package main

import (
	"bytes"
	"strings"
	"testing"

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
