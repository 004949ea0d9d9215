package safefile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := WriteFile(p, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	st, _ := os.Stat(p)
	if string(b) != "hello" || st.Mode().Perm() != 0o644 {
		t.Errorf("got %q mode %v", b, st.Mode())
	}
}

func TestWriteFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	os.WriteFile(p, []byte("old"), 0o644)
	boom := errors.New("boom")
	err := Write(p, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	b, _ := os.ReadFile(p)
	entries, _ := os.ReadDir(dir)
	if string(b) != "old" || len(entries) != 1 {
		t.Errorf("after a failed write: content %q, %d entries", b, len(entries))
	}
}

func TestCheckNotInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "reads.fq")
	os.WriteFile(in, []byte("x"), 0o644)
	link := filepath.Join(dir, "link.fq")
	os.Symlink(in, link)
	if err := CheckNotInput(link, []string{in}); !errors.Is(err, ErrOverwriteInput) {
		t.Errorf("link to input: err = %v", err)
	}
	if err := CheckNotInput(filepath.Join(dir, "new"), []string{in}); err != nil {
		t.Errorf("new file: %v", err)
	}
}
