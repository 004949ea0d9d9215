package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonula/zonula/pipeline/safefile"
)

func TestCheckRunSampleName(t *testing.T) {
	for name, ok := range map[string]bool{
		"S01":                                 true,
		"my sample (week 8)":                  true,
		"Stuhlprobe Müller 🦠":                 true, // fonts fall back in the PDF
		strings.Repeat("S", MaxSampleName):    true,
		strings.Repeat("S", MaxSampleName+40): false,
		"a\tb":                                false,
		"line\nend":                           false,
		"bad\xffutf8":                         false,
	} {
		if err := CheckRunSampleName(name); (err == nil) != ok || err != nil && !errors.Is(err, ErrSampleName) {
			t.Errorf("%q: %v", name, err)
		}
	}
}

// TestRunRefusesLongSampleNameAtOnce: a sample name too long for the output
// file names fails before any read is read and leaves nothing.
func TestRunRefusesLongSampleNameAtOnce(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	_, err := Run(context.Background(), Config{Inputs: []string{"does-not-matter.fq"}, OutDir: out, Sample: strings.Repeat("S", 240)}, nil)
	if !errors.Is(err, ErrSampleName) || !strings.Contains(err.Error(), "240 characters") {
		t.Errorf("error %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was created", out)
	}
}

func TestSpaceWarning(t *testing.T) {
	dir := t.TempDir()
	free, ok := safefile.FreeBytes(dir)
	if !ok {
		t.Skip("free space unknown here")
	}
	small := filepath.Join(dir, "small.fq")
	os.WriteFile(small, []byte("@r\nA\n+\nI\n"), 0o644)
	if w := SpaceWarning(filepath.Join(dir, "out"), []string{small}, 1); w != "" {
		t.Errorf("small input: %q", w)
	}
	// A sparse file whose tenth is more than the free space.
	huge := filepath.Join(dir, "huge.fq")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(10*free + 10<<30); err != nil {
		t.Skip("cannot make a sparse file that large:", err)
	}
	if w := SpaceWarning(filepath.Join(dir, "out"), []string{huge}, 1); !strings.Contains(w, "MiB free for") {
		t.Errorf("huge input: %q", w)
	}
}
