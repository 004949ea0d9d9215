//go:build !unix

package safefile

import (
	"errors"
	"os"
)

// errLocked is never returned where flock does not exist: there, output
// directories are not locked.
var errLocked = errors.New("locked")

// flock does nothing where the system has no flock.
func flock(*os.File) error { return nil }

// deviceOf returns 0: without it, staging goes inside the output directory.
func deviceOf(os.FileInfo) uint64 { return 0 }
