package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// DatabaseOf describes db for provenance. Its SHA256 is the checksum of
// what the classifier used, header and sequences (refdb.DB.SHA256): for a
// format 3 file its header's checksum; for an older file, whose header
// checksum leaves the header out, the one computed on load, so that two
// files differing only in their headers (genus identity floors) are never
// recorded as one.
func DatabaseOf(db *refdb.DB, name string) report.Database {
	h := db.Header
	if name == "" {
		name = h.Name
	}
	return report.Database{Name: name + " (" + h.Name + ")", Version: h.Version, Source: h.Source, Sequences: h.Sequences, SHA256: db.SHA256}
}

// inputHash hashes and counts the raw bytes of one input as they stream
// past, and adds them to a run-wide counter that progress reporting reads
// from another goroutine.
type inputHash struct {
	path     string
	h        hash.Hash
	n        int64
	consumed *atomic.Int64 // nil: no run-wide count
}

func newInputHash(path string, consumed *atomic.Int64) *inputHash {
	return &inputHash{path: path, h: sha256.New(), consumed: consumed}
}

func (c *inputHash) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	if c.consumed != nil {
		c.consumed.Add(int64(len(p)))
	}
	return c.h.Write(p)
}

// file describes the input by the bytes hashed so far.
func (c *inputHash) file() report.InputFile {
	return report.InputFile{Path: c.path, Bytes: c.n, SHA256: hex.EncodeToString(c.h.Sum(nil))}
}

// HashFile returns a file's size and sha256, as run.json records inputs.
func HashFile(path string) (report.InputFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return report.InputFile{Path: path}, &InputError{Path: path, Err: err}
	}
	defer f.Close()
	h := newInputHash(path, nil)
	if _, err := io.Copy(h, f); err != nil {
		return report.InputFile{Path: path}, &InputError{Path: path, Err: err}
	}
	return h.file(), nil
}

// HashInputs describes the inputs of a command that reads tables and sample
// directories (report, cohort, compare): each path as given with its size
// and sha256. A directory's checksum is the sha256 of a manifest listing,
// for each of the files read from it (sources, in order), its sha256 and
// its path relative to the directory; its size is theirs summed.
func HashInputs(paths, sources []string) ([]report.InputFile, error) {
	var out []report.InputFile
	for _, path := range paths {
		st, err := os.Stat(path)
		if err != nil {
			return nil, &InputError{Path: path, Err: err}
		}
		if !st.IsDir() {
			f, err := HashFile(path)
			if err != nil {
				return nil, err
			}
			out = append(out, f)
			continue
		}
		f, err := hashDirectory(path, sources)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// hashDirectory is HashInputs for one directory.
func hashDirectory(dir string, sources []string) (report.InputFile, error) {
	var manifest strings.Builder
	var total int64
	for _, src := range sources {
		rel, err := filepath.Rel(dir, src)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		f, err := HashFile(src)
		if err != nil {
			return report.InputFile{}, err
		}
		total += f.Bytes
		fmt.Fprintf(&manifest, "%s  %s\n", f.SHA256, filepath.ToSlash(rel))
	}
	sum := sha256.Sum256([]byte(manifest.String()))
	return report.InputFile{Path: dir, Bytes: total, SHA256: hex.EncodeToString(sum[:])}, nil
}
