package safefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFile is the lock of an output directory: one process at a time holds
// an exclusive flock on it and has written its process id into it.
const LockFile = ".zonula.lock"

// Lock is a held output-directory lock (LockDir).
type Lock struct {
	dir     string   // absolute, symbolic links resolved
	f       *os.File // nil for a lock this process already held
	created bool     // LockDir made dir: Unlock removes it if empty
}

// LockedError reports an output directory another process is writing.
type LockedError struct {
	Dir string
	PID int // 0 when the holder has not written it yet
}

func (e *LockedError) Error() string {
	holder := "another zonula"
	if e.PID > 0 {
		holder = fmt.Sprintf("another zonula (pid %d)", e.PID)
	}
	return fmt.Sprintf("%s is being written by %s: wait for it to finish, or write elsewhere (lock: %s)", e.Dir, holder, filepath.Join(e.Dir, LockFile))
}

// LockDir takes the lock of dir, creating dir if needed: an exclusive,
// non-blocking flock on dir/.zonula.lock, holding this process's id. A
// directory locked by another process gives a *LockedError naming it, and
// nothing is changed. A directory this process has locked already (a batch
// writing its own combined files) gives a Lock whose Unlock does nothing.
// Holding the lock, LockDir removes the staging directories that killed
// commands left for dir (inside it, and beside it), by their exact names.
//
// Unlock removes the lock file; a waiting locker that opened it before
// then finds it no longer linked and opens it again.
func LockDir(dir string) (*Lock, error) {
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	l := &Lock{dir: abs, created: errors.Is(statErr, os.ErrNotExist)}
	path := filepath.Join(abs, LockFile)
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("output directory: %w", err)
		}
		if err := flock(f); err != nil {
			f.Close()
			if !errors.Is(err, errLocked) {
				return nil, fmt.Errorf("locking %s: %w", path, err)
			}
			pid := lockHolder(path)
			if pid == os.Getpid() {
				return &Lock{dir: abs}, nil
			}
			return nil, &LockedError{Dir: dir, PID: pid}
		}
		if !stillLinked(f, path) { // unlinked by its last holder meanwhile
			f.Close()
			continue
		}
		crashpoint("write")
		f.Truncate(0)
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		l.f = f
		removeStale(abs)
		return l, nil
	}
	return nil, fmt.Errorf("locking %s: the lock file keeps changing", path)
}

// lockHolder reads the process id a lock file holds; 0 if none.
func lockHolder(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// stillLinked reports whether path still names the open file f.
func stillLinked(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// Dir returns the locked directory (absolute, symbolic links resolved).
func (l *Lock) Dir() string { return l.dir }

// Unlock releases the lock: it removes the lock file, closes it (which
// drops the flock) and, when LockDir created the directory and it is
// empty, removes the directory too, so a command that failed leaves
// nothing behind. It is safe to call more than once.
func (l *Lock) Unlock() error {
	if l.f == nil {
		return nil
	}
	path := filepath.Join(l.dir, LockFile)
	if stillLinked(l.f, path) {
		crashpoint("remove")
		os.Remove(path)
	}
	err := l.f.Close()
	l.f = nil
	if l.created {
		os.Remove(l.dir) // only if empty
	}
	return err
}
