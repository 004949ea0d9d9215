package safefile

import (
	"os"
	"path/filepath"
)

// FreeBytes returns the bytes free to an unprivileged user on the file
// system that holds dir, or of its nearest existing parent when dir does
// not exist yet; ok is false where that cannot be told.
func FreeBytes(dir string) (free int64, ok bool) {
	for {
		if _, err := os.Stat(dir); err == nil {
			return freeBytes(dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return 0, false
		}
		dir = parent
	}
}
