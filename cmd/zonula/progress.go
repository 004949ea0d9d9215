package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/zonula/zonula/pipeline"
)

// newProgress picks how a run reports progress on w: nothing with --quiet,
// a progress bar when w is a terminal, else a plain line every few seconds
// (for logs and batch systems).
func newProgress(w io.Writer, quiet bool) pipeline.Progress {
	switch {
	case quiet:
		return pipeline.NoProgress{}
	case isTerminal(w):
		return newBarProgress(w)
	}
	return newLogProgress(w)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// barProgress draws one bar over the input bytes read, with reads counted.
type barProgress struct {
	mu     sync.Mutex
	p      *mpb.Progress
	bar    *mpb.Bar
	reads  int64
	passed int64
}

func newBarProgress(w io.Writer) *barProgress {
	return &barProgress{p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithRefreshRate(150*time.Millisecond))}
}

func (b *barProgress) Reads(done, passed int64) {
	b.mu.Lock()
	b.reads, b.passed = done, passed
	b.mu.Unlock()
}

func (b *barProgress) Bytes(read, total int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar == nil {
		b.bar = b.p.AddBar(max(total, 1),
			mpb.PrependDecorators(decor.Name("classifying "), decor.Any(func(decor.Statistics) string {
				b.mu.Lock()
				defer b.mu.Unlock()
				return fmt.Sprintf("%d reads, %d passed", b.reads, b.passed)
			})),
			mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.AverageETA(decor.ET_STYLE_GO)))
	}
	if total > 0 {
		b.bar.SetCurrent(min(read, total))
	}
}

func (b *barProgress) Stage(name string) {
	if name != "metrics" {
		return
	}
	b.mu.Lock()
	bar := b.bar
	b.mu.Unlock()
	if bar != nil {
		bar.SetTotal(-1, true) // complete at whatever was read
	}
	b.p.Wait()
}

// Close stops the bar's drawing goroutine. A run that fails before the
// "metrics" stage never completes the bar; without Close the goroutine
// would keep drawing it. After a finished run it does nothing more.
func (b *barProgress) Close() { b.p.Shutdown() }
