package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const refdbFixtures = "../../testdata/refdb"

func TestDBInstalledNames(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ZONULA_DB_DIR", dir)
	if code, _, stderr := zonula(t, "", "db", "build", "--format", "sintax", filepath.Join(refdbFixtures, "sintax.fa.zst"),
		"--name", "tiny", "--version", "1", "-o", filepath.Join(dir, "tiny.zdb")); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	// An installed name resolves like a path, for db info and --db.
	code, stdout, stderr := zonula(t, "", "db", "info", "tiny")
	if code != 0 || !strings.Contains(stdout, "name\ttiny\n") {
		t.Errorf("db info tiny: exit %d, %s%s", code, stdout, stderr)
	}
	if _, err := loadDB("tiny"); err != nil {
		t.Errorf("loadDB(tiny): %v", err)
	}
	code, _, stderr = zonula(t, "", "db", "info", "silva-138.2")
	if code != exitDatabase || !strings.Contains(stderr, "zonula db fetch silva-138.2") || !strings.Contains(stderr, dir) {
		t.Errorf("missing installed name: exit %d, %q", code, stderr)
	}
	code, stdout, _ = zonula(t, "", "db", "list")
	if code != 0 {
		t.Fatalf("db list: exit %d", code)
	}
	for _, want := range []string{"Installed in " + dir, "tiny ", "embedded ", "silva-138.2 ", "gtdb-r226 ", "emu-default ", "needs --sha256"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("db list lacks %q:\n%s", want, stdout)
		}
	}
	// --dir wins over the environment.
	other := t.TempDir()
	if _, stdout, _ := zonula(t, "", "db", "list", "--dir", other); strings.Contains(stdout, "tiny ") || !strings.Contains(stdout, other) {
		t.Errorf("db list --dir %s:\n%s", other, stdout)
	}
}

func TestDBDirDefaults(t *testing.T) {
	root := t.TempDir()
	xdg, home, env, flag := filepath.Join(root, "data"), filepath.Join(root, "home"), filepath.Join(root, "env"), filepath.Join(root, "flag")
	t.Setenv("ZONULA_DB_DIR", "")
	t.Setenv("XDG_DATA_HOME", xdg)
	if d, _ := dbDir(""); d != filepath.Join(xdg, "zonula") {
		t.Errorf("XDG: %s", d)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", home)
	if d, _ := dbDir(""); d != filepath.Join(home, ".local", "share", "zonula") {
		t.Errorf("home: %s", d)
	}
	t.Setenv("ZONULA_DB_DIR", env)
	if d, _ := dbDir(""); d != env {
		t.Errorf("env: %s", d)
	}
	if d, _ := dbDir(flag); d != flag {
		t.Errorf("flag: %s", d)
	}
}

// TestDBInfoEditedHeader: the checksum of a database file covers its header,
// so a file whose genus identity floors were edited fails with exit 4, and
// runs record that checksum.
func TestDBInfoEditedHeader(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "tiny.zdb")
	if code, _, stderr := zonula(t, "", "db", "build", "--format", "sintax", filepath.Join(refdbFixtures, "sintax.fa.zst"), "-o", db); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	code, stdout, _ := zonula(t, "", "db", "info", db)
	if code != 0 || !strings.Contains(stdout, "format\t3\n") || !strings.Contains(stdout, "checksum\tcovers the header and the sequences\n") {
		t.Fatalf("db info: exit %d\n%s", code, stdout)
	}
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(dir, "edited.zdb")
	os.WriteFile(edited, []byte(strings.Replace(string(data), `"name":"`, `"name":"edited `, 1)), 0o644)
	code, _, stderr := zonula(t, "", "db", "info", edited)
	if code != exitDatabase || !strings.Contains(stderr, "checksum of its header and sequences") {
		t.Errorf("edited header: exit %d, %q; want %d", code, stderr, exitDatabase)
	}
}
