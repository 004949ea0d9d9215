//go:build unix

package safefile

import (
	"errors"
	"os"
	"syscall"
)

// errLocked is flock's answer for a file another process has locked.
var errLocked = errors.New("locked")

// flock takes an exclusive flock on f without waiting.
func flock(f *os.File) error {
	crashpoint("flock")
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLocked
	}
	return err
}

// deviceOf returns the file system a file is on.
func deviceOf(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev)
	}
	return 0
}
