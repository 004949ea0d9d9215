// Package safefile is how zonula touches the file system safely: output
// files written atomically (a temporary file renamed over the target only
// once complete), a command's outputs committed as one set (Stage: the
// complete old set or the complete new one, never a mix), one writer per
// output directory (LockDir), and untrusted inputs read within bounds
// (ReadBounded), so that a reader never sees a half-written output, a
// failed or killed command leaves nothing it did not finish, and a hostile
// file cannot fill memory.
package safefile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates path by calling fn with a buffered writer on a temporary file
// in the same directory, then flushes, sets mode 0644, syncs, closes and
// renames it to path. On any error the temporary file is removed and path is
// left as it was.
func Write(path string, fn func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	crashpoint("create")
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(crashWriter{f}, 1<<16)
	if err = fn(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	crashpoint("chmod")
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	crashpoint("fsync")
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	crashpoint("rename")
	return os.Rename(f.Name(), path)
}

// crashWriter marks every write to an output file as a crash point.
type crashWriter struct{ w io.Writer }

func (c crashWriter) Write(p []byte) (int, error) {
	crashpoint("write")
	return c.w.Write(p)
}

// WriteFile is Write for data already in memory.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// ErrOverwriteInput is returned by CheckNotInput.
var ErrOverwriteInput = errors.New("output would overwrite an input")

// CheckNotInput returns an error wrapping ErrOverwriteInput when out names
// the same file as one of inputs (by os.SameFile, so links and different
// spellings count). Paths that do not exist yet are fine.
func CheckNotInput(out string, inputs []string) error {
	oi, err := os.Stat(out)
	if err != nil {
		return nil
	}
	for _, in := range inputs {
		ii, err := os.Stat(in)
		if err == nil && os.SameFile(oi, ii) {
			return fmt.Errorf("%w: %s is the input %s", ErrOverwriteInput, out, in)
		}
	}
	return nil
}
