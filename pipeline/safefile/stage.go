package safefile

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// Names of what a Stage makes, so that the leftovers of a killed command can
// be told from anything else and removed (removeStale, under the lock):
//
//   - StagePrefix + 16 hex digits: a staging directory inside the output
//     directory, for a commit that moves files into it one by one;
//   - SwapPrefix + 16 hex digits (of the output directory's name) + "-" +
//     16 hex digits: a staging directory beside the output directory,
//     holding the new set in "out/", swapped in whole.
const (
	StagePrefix = ".zonula-partial-"
	SwapPrefix  = ".zonula-swap-"
)

var (
	stageName = regexp.MustCompile(`^\.zonula-partial-[0-9a-f]+$`) // older zonula: decimal digits
	swapName  = regexp.MustCompile(`^\.zonula-swap-([0-9a-f]{16})-[0-9a-f]{16}$`)
)

// Stage is the one way a command's outputs reach their directory: every
// file is written into a hidden staging directory on the same file
// system, and Commit puts the complete set in place, so that a reader of
// the directory sees either the complete old set or the complete new one
// (see Commit). A Stage holds the directory's lock (LockDir) from NewStage
// to Commit or Discard; a command that fails or is cancelled before Commit
// leaves the directory as it was (Discard removes the staging directory).
type Stage struct {
	dir  string // the output directory, symbolic links resolved
	root string // the staging directory made, removed by Discard
	tmp  string // where files are staged: root/out beside dir, or root in it
	lock *Lock
	own  bool // Discard releases lock
}

// NewStage locks dir (creating it if needed; LockDir, which also removes
// the staging directories of killed commands) and makes a staging
// directory for it. A directory locked by another process gives a
// *LockedError and is left untouched.
func NewStage(dir string) (*Stage, error) {
	l, err := LockDir(dir)
	if err != nil {
		return nil, err
	}
	s, err := l.Stage()
	if err != nil {
		l.Unlock()
		return nil, err
	}
	s.own = true
	return s, nil
}

// Stage makes a staging directory for the locked directory; the lock stays
// the caller's (Discard and Commit leave it held).
func (l *Lock) Stage() (*Stage, error) {
	dir := l.dir
	s := &Stage{dir: dir, lock: l}
	// Beside dir, when dir can be swapped with it: the same file system,
	// a writable parent. Else inside dir.
	parent := filepath.Dir(dir)
	if sameDevice(dir, parent) && parent != dir {
		root := filepath.Join(parent, swapPrefixOf(dir)+randomHex())
		if err := mkdir(root); err == nil {
			s.root, s.tmp = root, filepath.Join(root, "out")
			if err := mkdir(s.tmp); err == nil {
				return s, nil
			}
			os.RemoveAll(root)
		}
	}
	s.root = filepath.Join(dir, StagePrefix+randomHex())
	if err := mkdir(s.root); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	s.tmp = s.root
	return s, nil
}

// swapPrefixOf is the name prefix of dir's swap staging directories.
func swapPrefixOf(dir string) string {
	sum := sha256.Sum256([]byte(filepath.Base(dir)))
	return SwapPrefix + hex.EncodeToString(sum[:8]) + "-"
}

func randomHex() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func mkdir(path string) error {
	crashpoint("mkdir")
	return os.Mkdir(path, 0o755)
}

// sameDevice reports whether a and b are on the same file system.
func sameDevice(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && deviceOf(sa) == deviceOf(sb)
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

// Discard removes the staging directory and whatever it still holds, and
// releases the lock NewStage took; it is safe to call after Commit and
// more than once.
func (s *Stage) Discard() error {
	err := s.removeRoot()
	if s.own {
		s.own = false
		if uerr := s.lock.Unlock(); err == nil {
			err = uerr
		}
	}
	return err
}

func (s *Stage) removeRoot() error {
	if s.root == "" {
		return nil
	}
	crashpoint("remove")
	if err := os.RemoveAll(s.root); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	s.root = ""
	return nil
}

// WriteAll stages dir's outputs with write and commits them (marker last;
// see Commit), or leaves dir as it was when write fails. It returns the
// names committed.
func WriteAll(dir, marker string, write func(*Stage) error) ([]string, error) {
	return writeAll(NewStage(dir))(marker, write)
}

// WriteAll is the package's WriteAll for a directory whose lock the caller
// holds.
func (l *Lock) WriteAll(marker string, write func(*Stage) error) ([]string, error) {
	return writeAll(l.Stage())(marker, write)
}

// writeAll is WriteAll on a stage just made (or its error).
func writeAll(s *Stage, err error) func(string, func(*Stage) error) ([]string, error) {
	return func(marker string, write func(*Stage) error) ([]string, error) {
		if err != nil {
			return nil, err
		}
		defer s.Discard()
		if err := write(s); err != nil {
			return nil, err
		}
		return s.Commit(marker)
	}
}

// removeStale removes what killed commands left of their staging for dir:
// staging directories inside it and its swap directories beside it, found
// by their exact names. The caller holds dir's lock.
func removeStale(dir string) {
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if e.IsDir() && stageName.MatchString(e.Name()) {
				crashpoint("remove")
				os.RemoveAll(filepath.Join(dir, e.Name()))
			}
		}
	}
	prefix := swapPrefixOf(dir)
	parent := filepath.Dir(dir)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && swapName.MatchString(e.Name()) && e.Name()[:len(prefix)] == prefix {
			crashpoint("remove")
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}
