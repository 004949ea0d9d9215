package safefile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// StagePrefix begins the name of every staging directory NewStage makes, so
// that the leftovers of a killed run can be told from anything else.
const StagePrefix = ".zonula-partial-"

// Stage is the one way a command's outputs reach their directory: every
// file is first written into a hidden staging directory inside it (on the
// same file system), and Commit moves them all into place once each is
// complete, the completeness marker last. A command that fails or is
// cancelled before Commit leaves the directory as it was (Discard removes
// the staging directory).
type Stage struct {
	dir, tmp string
}

// NewStage creates dir if needed and a new staging directory inside it.
func NewStage(dir string) (*Stage, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, StagePrefix)
	if err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	return &Stage{dir: dir, tmp: tmp}, nil
}

// Dir returns the staging directory, for writers that take a directory and
// name their own files.
func (s *Stage) Dir() string { return s.tmp }

// Path returns where the output called name is staged.
func (s *Stage) Path(name string) string { return filepath.Join(s.tmp, name) }

// Write stages the output called name with Write; errors name the file.
func (s *Stage) Write(name string, fn func(w io.Writer) error) error {
	if err := Write(s.Path(name), fn); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// WriteFile stages the output called name with data as its content.
func (s *Stage) WriteFile(name string, data []byte) error {
	return s.Write(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Commit moves every staged file into the output directory, in name order
// but with last (the file whose presence says the others are complete, such
// as run.json; "" for none) strictly after all others, syncs the directory
// and removes the staging directory. It returns the names moved, in the
// order moved.
func (s *Stage) Commit(last string) ([]string, error) {
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Name() != last {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	if last != "" && len(names) < len(entries) {
		names = append(names, last)
	}
	for i, name := range names {
		if err := os.Rename(s.Path(name), filepath.Join(s.dir, name)); err != nil {
			return names[:i], fmt.Errorf("moving %s into place: %w", name, err)
		}
	}
	if err := syncDir(s.dir); err != nil {
		return names, err
	}
	return names, s.Discard()
}

// Discard removes the staging directory and whatever it still holds; it is
// safe to call after Commit and more than once.
func (s *Stage) Discard() error {
	if err := os.RemoveAll(s.tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// syncDir flushes a directory's entries (the renames into it) to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}

// WriteAll stages dir's outputs with write and commits them (marker last;
// see Commit), or leaves dir as it was when write fails. It returns the
// names committed.
func WriteAll(dir, marker string, write func(*Stage) error) ([]string, error) {
	s, err := NewStage(dir)
	if err != nil {
		return nil, err
	}
	defer s.Discard()
	if err := write(s); err != nil {
		return nil, err
	}
	return s.Commit(marker)
}
