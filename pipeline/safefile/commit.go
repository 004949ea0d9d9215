package safefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Commit puts the staged set in place of the directory's previous outputs
// and returns the names committed, in name order with last (the file whose
// presence says the others are complete, such as run.json; "" for none)
// strictly after all others. A manifest of the set (ManifestFile: the
// SHA-256 of every file, as sha256sum writes it) is committed with it.
//
// When the directory holds nothing but the set its last commit listed in
// its manifest (and the lock), the new set is swapped in whole: the staging
// directory, beside it, becomes the output directory with one atomic
// rename (renameat2 RENAME_EXCHANGE), so a reader at any moment, and after
// a kill at any point, finds the complete old set or the complete new one.
// Old files that the new set lacks go with the old directory.
//
// Otherwise (files zonula did not write are in the directory, it is the
// working directory, or the file system cannot exchange) the files are
// moved in one by one: the old marker is removed first, the files renamed
// in name order, files the old manifest lists that the new set lacks
// removed, then the new manifest renamed over the old one, and last
// strictly last. Killed in between, the directory lacks its marker and its
// manifest does not verify, which is how readers and VerifyManifest tell
// an incomplete set; the old manifest, kept to the end, still names the
// old files for the next commit to clear.
//
// Either way the directory is synced and the staging directory removed.
func (s *Stage) Commit(last string) ([]string, error) {
	names, err := s.stagedNames(last)
	if err != nil {
		return nil, err
	}
	if err := writeManifest(s.tmp, names); err != nil {
		return nil, err
	}
	if err := syncDir(s.tmp); err != nil {
		return nil, err
	}
	old, owned := s.ownedSet()
	if owned && s.tmp != s.root {
		err := s.swap()
		if err == nil {
			return names, s.removeRoot()
		}
		if !errors.Is(err, errNoExchange) {
			return nil, err
		}
	}
	if err := s.moveEach(names, last, old); err != nil {
		return nil, err
	}
	return names, s.removeRoot()
}

// stagedNames lists the staged files in name order, last at the end.
func (s *Stage) stagedNames(last string) ([]string, error) {
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return nil, err
	}
	var names []string
	found := false
	for _, e := range entries {
		switch e.Name() {
		case last:
			found = true
		case ManifestFile, LockFile:
		default:
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	if last != "" && found {
		names = append(names, last)
	}
	return names, nil
}

// ownedSet returns the names the directory's manifest lists (nil without
// one) and whether the directory holds nothing else but its lock and
// manifest, and is not the working directory: then it is zonula's to
// replace whole.
func (s *Stage) ownedSet() ([]string, bool) {
	old, _ := readManifest(s.dir)
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return old, false
	}
	for _, e := range entries {
		if n := e.Name(); n != LockFile && n != ManifestFile && !slices.Contains(old, n) {
			return old, false
		}
	}
	if wd, err := os.Stat("."); err == nil {
		if st, err := os.Stat(s.dir); err == nil && os.SameFile(wd, st) {
			return old, false
		}
	}
	return old, true
}

// swap exchanges the staging directory with the output directory: the
// lock file is linked into the new set first (so the lock stays on the
// same file), the mode copied, and the parent synced after. The old set is
// then in the staging directory, which the caller removes.
func (s *Stage) swap() error {
	crashpoint("link")
	if err := os.Link(filepath.Join(s.dir, LockFile), filepath.Join(s.tmp, LockFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w: %v", errNoExchange, err)
	}
	if st, err := os.Stat(s.dir); err == nil {
		crashpoint("chmod")
		os.Chmod(s.tmp, st.Mode().Perm())
	}
	crashpoint("exchange")
	if err := exchange(s.tmp, s.dir); err != nil {
		os.Remove(filepath.Join(s.tmp, LockFile))
		return err
	}
	return syncDir(filepath.Dir(s.dir))
}

// moveEach moves the staged files into the output directory one by one
// (see Commit); old lists the previous set, whose files the new set lacks
// are removed.
func (s *Stage) moveEach(names []string, last string, old []string) error {
	if last != "" {
		crashpoint("remove")
		if err := os.Remove(filepath.Join(s.dir, last)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if err := syncDir(s.dir); err != nil {
			return err
		}
	}
	body := names
	if last != "" {
		body = names[:len(names)-1]
	}
	if err := s.move(body); err != nil {
		return err
	}
	for _, n := range old {
		if !slices.Contains(names, n) {
			crashpoint("remove")
			os.Remove(filepath.Join(s.dir, n))
		}
	}
	if err := s.move([]string{ManifestFile}); err != nil {
		return err
	}
	if last != "" {
		if err := s.move([]string{last}); err != nil {
			return err
		}
	}
	return syncDir(s.dir)
}

func (s *Stage) move(names []string) error {
	for _, name := range names {
		crashpoint("rename")
		if err := os.Rename(s.Path(name), filepath.Join(s.dir, name)); err != nil {
			return fmt.Errorf("moving %s into place: %w", name, err)
		}
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
	crashpoint("fsync")
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}

// errNoExchange is returned by exchange where the system or the file
// system cannot swap two directories atomically.
var errNoExchange = errors.New("cannot exchange directories atomically here")
