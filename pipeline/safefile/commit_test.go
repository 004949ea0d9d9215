package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// commitSet writes files name → content into dir as one committed set.
func commitSet(t *testing.T, dir, marker string, files map[string]string) {
	t.Helper()
	if _, err := WriteAll(dir, marker, func(s *Stage) error {
		for name, content := range files {
			if err := s.WriteFile(name, []byte(content)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// listDir returns the names in dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestCommitSwapsOwnedDirectory: a directory holding only the set it last
// got is replaced whole: the old set's extra files go, the manifest lists
// the new set, no lock or staging is left (beside it either).
func TestCommitSwapsOwnedDirectory(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "S01")
	commitSet(t, dir, "run.json", map[string]string{"abundance.tsv": "old", "report.pdf": "old pdf", "run.json": "old"})
	before, _ := os.Stat(dir)
	commitSet(t, dir, "run.json", map[string]string{"abundance.tsv": "new", "run.json": "new"})
	after, _ := os.Stat(dir)
	if os.SameFile(before, after) {
		t.Error("the directory was not swapped")
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{ManifestFile, "abundance.tsv", "run.json"}) {
		t.Errorf("directory holds %v", got)
	}
	if got := listDir(t, parent); !slices.Equal(got, []string{"S01"}) {
		t.Errorf("parent holds %v, want only S01", got)
	}
	if err := VerifyManifest(dir); err != nil {
		t.Error(err)
	}
	m, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	if !strings.HasSuffix(string(m), "  run.json\n") || strings.Count(string(m), "\n") != 2 {
		t.Errorf("manifest:\n%s", m)
	}
}

// TestCommitKeepsForeignFiles: with a file zonula did not write in the
// directory, the set is moved in file by file; the foreign file stays,
// the old set's extra files go.
func TestCommitKeepsForeignFiles(t *testing.T) {
	dir := t.TempDir()
	commitSet(t, dir, "run.json", map[string]string{"a.tsv": "old", "b.tsv": "old", "run.json": "old"})
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(dir)
	commitSet(t, dir, "run.json", map[string]string{"a.tsv": "new", "run.json": "new"})
	after, _ := os.Stat(dir)
	if !os.SameFile(before, after) {
		t.Error("a directory with a foreign file was swapped")
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{ManifestFile, "a.tsv", "notes.txt", "run.json"}) {
		t.Errorf("directory holds %v", got)
	}
	if err := VerifyManifest(dir); err != nil {
		t.Error(err)
	}
}

func TestVerifyManifest(t *testing.T) {
	dir := t.TempDir()
	commitSet(t, dir, "", map[string]string{"a.tsv": "a", "b.tsv": "b"})
	if err := VerifyManifest(dir); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "b.tsv"), []byte("changed"), 0o644)
	if err := VerifyManifest(dir); !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "b.tsv differs") {
		t.Errorf("changed file: %v", err)
	}
	os.Remove(filepath.Join(dir, "a.tsv"))
	if err := VerifyManifest(dir); !errors.Is(err, ErrIncomplete) {
		t.Errorf("missing file: %v", err)
	}
	os.Remove(filepath.Join(dir, ManifestFile))
	if err := VerifyManifest(dir); !errors.Is(err, ErrIncomplete) {
		t.Errorf("no manifest: %v", err)
	}
}

// TestCheckFiles: the files a reader names must match the manifest; one
// the manifest does not list must be absent; without a manifest the
// marker must be there; only the named files count.
func TestCheckFiles(t *testing.T) {
	dir := t.TempDir()
	commitSet(t, dir, "run.json", map[string]string{"a.tsv": "a", "b.tsv": "b", "run.json": "{}"})
	if err := CheckFiles(dir, "run.json", "a.tsv", "b.tsv", "absent.tsv"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "b.tsv"), []byte("changed"), 0o644)
	if err := CheckFiles(dir, "run.json", "a.tsv"); err != nil {
		t.Errorf("b.tsv changed, only a.tsv read: %v", err)
	}
	if err := CheckFiles(dir, "run.json", "a.tsv", "b.tsv"); !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "b.tsv differs") {
		t.Errorf("changed file: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "c.tsv"), []byte("new"), 0o644)
	if err := CheckFiles(dir, "run.json", "c.tsv"); !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "c.tsv is not in") {
		t.Errorf("file the manifest does not list: %v", err)
	}
	os.Remove(filepath.Join(dir, ManifestFile))
	if err := CheckFiles(dir, "run.json", "b.tsv"); err != nil {
		t.Errorf("no manifest, marker there (a set from before manifests): %v", err)
	}
	os.Remove(filepath.Join(dir, "run.json"))
	if err := CheckFiles(dir, "run.json", "a.tsv"); !errors.Is(err, ErrIncomplete) {
		t.Errorf("neither manifest nor marker: %v", err)
	}
}

// TestLockDir: a directory another process has locked is refused with its
// process id and left untouched; this process's own lock is lent; a
// released lock leaves nothing behind.
func TestLockDir(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, LockFile)
	other, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	// A lock on another open file description stands for another process.
	if err := syscall.Flock(int(other.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	other.WriteString("4242\n")
	_, err = NewStage(dir)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != 4242 || !strings.Contains(err.Error(), "another zonula (pid 4242)") {
		t.Fatalf("locked directory: %v", err)
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{LockFile}) {
		t.Errorf("a refused writer changed the directory: %v", got)
	}
	other.Close()

	l, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if pid := lockHolder(path); pid != os.Getpid() {
		t.Errorf("lock file holds pid %d, want %d", pid, os.Getpid())
	}
	lent, err := LockDir(dir)
	if err != nil || lent.f != nil {
		t.Fatalf("own lock not lent: %v", err)
	}
	lent.Unlock()
	if _, err := os.Stat(path); err != nil {
		t.Error("unlocking a lent lock removed the lock file")
	}
	l.Unlock()
	if got := listDir(t, dir); len(got) != 0 {
		t.Errorf("released lock left %v", got)
	}
	// A directory LockDir made is removed again when left empty.
	fresh := filepath.Join(dir, "new")
	l, err = LockDir(fresh)
	if err != nil {
		t.Fatal(err)
	}
	l.Unlock()
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("empty directory made by LockDir left behind: %v", err)
	}
}

// TestLockRemovesStaleStaging: staging directories of killed commands go,
// found by their exact names; anything else stays.
func TestLockRemovesStaleStaging(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "S01")
	mine := swapPrefixOf(dir) + "0123456789abcdef"
	others := swapPrefixOf(filepath.Join(parent, "S02")) + "0123456789abcdef"
	for _, d := range []string{
		filepath.Join(dir, StagePrefix+"1234567890"),           // older zonula's
		filepath.Join(dir, StagePrefix+"0123456789abcdef"),     // this one's
		filepath.Join(dir, StagePrefix+"notes"),                // not a staging name
		filepath.Join(parent, mine, "out"),                     // S01's swap
		filepath.Join(parent, others, "out"),                   // S02's swap
		filepath.Join(parent, SwapPrefix+"0123456789abcdef-x"), // not a swap name
	} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	l, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	if got := listDir(t, dir); !slices.Equal(got, []string{StagePrefix + "notes", LockFile}) {
		t.Errorf("S01 holds %v", got)
	}
	if got := listDir(t, parent); !slices.Equal(got, []string{SwapPrefix + "0123456789abcdef-x", others, "S01"}) {
		t.Errorf("parent holds %v", got)
	}
}

// TestCommitInWorkingDirectory: the working directory is never swapped
// away from under the shell.
func TestCommitInWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	commitSet(t, ".", "", map[string]string{"a.tsv": "old"})
	before, _ := os.Stat(dir)
	commitSet(t, ".", "", map[string]string{"a.tsv": "new"})
	after, _ := os.Stat(dir)
	if !os.SameFile(before, after) {
		t.Error("the working directory was swapped")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.tsv")); string(b) != "new" {
		t.Errorf("a.tsv holds %q", b)
	}
}
