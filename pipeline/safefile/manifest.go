package safefile

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ManifestFile lists the files of the set last committed into a directory,
// one line "SHA256  NAME" each, as sha256sum writes them (so `sha256sum -c
// .zonula-manifest` checks them). Commit writes it with every set; it is
// how a later commit knows which files are zonula's, and how
// VerifyManifest tells a complete set.
const ManifestFile = ".zonula-manifest"

// writeManifest hashes the staged files names in dir and writes the
// manifest there.
func writeManifest(dir string, names []string) error {
	var b bytes.Buffer
	for _, n := range names {
		sum, err := hashFile(filepath.Join(dir, n))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, n)
	}
	return Write(filepath.Join(dir, ManifestFile), func(w io.Writer) error {
		_, err := w.Write(b.Bytes())
		return err
	})
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ErrIncomplete is wrapped by VerifyManifest's errors.
var ErrIncomplete = errors.New("not a complete set of outputs")

// maxManifest bounds the manifest read (a set of a few dozen files).
const maxManifest = 1 << 20

// readManifest returns the names dir's manifest lists with their sums.
func readManifestSums(dir string) (names, sums []string, err error) {
	f, err := os.Open(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, maxManifest))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 || name == "" || strings.ContainsAny(name, "/\\") || name == "." || name == ".." {
			return nil, nil, fmt.Errorf("%s: malformed line %q", ManifestFile, sc.Text())
		}
		names, sums = append(names, name), append(sums, sum)
	}
	return names, sums, sc.Err()
}

// readManifest returns the names dir's manifest lists; nil without one.
func readManifest(dir string) ([]string, error) {
	names, _, err := readManifestSums(dir)
	return names, err
}

// VerifyManifest checks that dir holds the complete set its manifest
// lists: every file present with the SHA-256 recorded. The error (wrapping
// ErrIncomplete) names the first file that is missing or differs, or the
// missing manifest of a set whose commit did not finish.
func VerifyManifest(dir string) error {
	names, sums, err := readManifestSums(dir)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrIncomplete, err)
	}
	for i, n := range names {
		sum, err := hashFile(filepath.Join(dir, n))
		if err != nil {
			return fmt.Errorf("%w: %v", ErrIncomplete, err)
		}
		if sum != sums[i] {
			return fmt.Errorf("%w: %s differs from its checksum in %s", ErrIncomplete, n, ManifestFile)
		}
	}
	return nil
}

// CheckFiles checks, before names of dir are read, that they belong to one
// complete set: when dir has a manifest, each of names it lists must match
// its checksum, and each it does not list must be absent; without one,
// marker (the file a commit writes last, such as run.json) must be there,
// as in sets committed before manifests existed. A directory a commit was
// killed in lacks its marker and keeps its old manifest, which no longer
// matches the new files. The error wraps ErrIncomplete and names the file.
// Only the named files are hashed, not the whole set.
func CheckFiles(dir, marker string, names ...string) error {
	listed, sums, err := readManifestSums(dir)
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, marker)); err != nil {
			return fmt.Errorf("%w: %s has neither %s nor %s (a run killed before it finished?)", ErrIncomplete, dir, ManifestFile, marker)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrIncomplete, dir, err)
	}
	for _, n := range names {
		path := filepath.Join(dir, n)
		i := slices.Index(listed, n)
		if i < 0 {
			if _, err := os.Stat(path); err == nil {
				return fmt.Errorf("%w: %s is not in %s (written by an interrupted run?)", ErrIncomplete, path, ManifestFile)
			}
			continue
		}
		sum, err := hashFile(path)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrIncomplete, err)
		}
		if sum != sums[i] {
			return fmt.Errorf("%w: %s differs from its checksum in %s (a run killed while replacing it?)", ErrIncomplete, path, ManifestFile)
		}
	}
	return nil
}
