package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const refdbFixtures = "../../testdata/refdb"

func TestDBBuildEveryFormat(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		format, fasta, tax string
		inputs             string
	}{
		{"silva", "silva.fasta", "silva-ranks.txt", "5"},
		{"gtdb", "gtdb_ssu.fna.gz", "gtdb_taxonomy.tsv", "4"},
		{"gg2", "gg2.fna", "gg2_taxonomy.tsv", "4"},
		{"rdp", "rdp_trainset.fa", "", "4"},
		{"rdp", "trainset19.rdp.fasta", "trainset19.rdp.tax", "4"},
		{"emu", "emu_species_taxid.fasta", "emu_taxonomy.tsv", "5"},
		{"sintax", "sintax.fa.zst", "", "4"},
		{"qiime2", "qiime2_seqs.fasta", "qiime2_taxonomy.tsv", "4"},
	} {
		out := filepath.Join(dir, c.format+"-"+c.fasta+".zdb")
		args := []string{"db", "build", "--format", c.format, filepath.Join(refdbFixtures, c.fasta), "-o", out, "--date", "2026-01-02"}
		if c.tax != "" {
			args = append(args, "--taxonomy", filepath.Join(refdbFixtures, c.tax))
		}
		code, stdout, stderr := zonula(t, "", args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
			continue
		}
		for _, want := range []string{"sequences\t4\n", "input_sequences\t" + c.inputs + "\n", "built\t2026-01-02\n", "format\t2\n"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s %s: output lacks %q:\n%s", c.format, c.fasta, want, stdout)
			}
		}
		if c.format == "silva" && !strings.Contains(stderr, "skipped 1 eukaryotic") {
			t.Errorf("silva: skipped records not reported: %q", stderr)
		}
		// The file loads, checksum included.
		if code, _, stderr := zonula(t, "", "db", "info", out); code != 0 {
			t.Errorf("db info %s: exit %d: %s", out, code, stderr)
		}
		// Same input, same bytes.
		again := out + ".again"
		args[6] = again
		zonula(t, "", args...)
		a, _ := os.ReadFile(out)
		b, _ := os.ReadFile(again)
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: two builds differ", out)
		}
	}
}

func TestDBBuildErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.fa")
	os.WriteFile(bad, []byte(">a;tax=d:Bacteria;\nACGT\nAC!T\n"), 0o644)
	fx := func(n string) string { return filepath.Join(refdbFixtures, n) }
	out := filepath.Join(dir, "o.zdb")
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"bad base names line", []string{"--format", "sintax", bad}, exitBadInput, bad + ":3: record 1 (a;tax=d:Bacteria;): character '!'"},
		{"missing taxonomy", []string{"--format", "gg2", fx("gg2.fna")}, exitUsage, "needs --taxonomy"},
		{"unexpected taxonomy", []string{"--format", "sintax", fx("sintax.fa.zst"), "--taxonomy", fx("gg2_taxonomy.tsv")}, exitUsage, "takes no --taxonomy"},
		{"unknown format", []string{"--format", "blast", fx("gg2.fna")}, exitUsage, "unknown database format"},
		{"bad date", []string{"--format", "sintax", fx("sintax.fa.zst"), "--date", "today"}, exitUsage, "YYYY-MM-DD"},
		{"missing file", []string{"--format", "sintax", filepath.Join(dir, "none.fa")}, exitBadInput, "none.fa"},
		{"id not in table", []string{"--format", "gg2", fx("gtdb_ssu.fna.gz"), "--taxonomy", fx("gg2_taxonomy.tsv")}, exitBadInput, "gtdb_ssu.fna.gz:1: record 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := zonula(t, "", append(append([]string{"db", "build"}, c.args...), "-o", out)...)
			if code != c.code || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, c.code, c.msg)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a failed build left an output file")
			}
		})
	}
}

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

func TestDBFetchRefusals(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := zonula(t, "", "db", "fetch", "--dir", dir, "silva-138.2")
	if code != exitDatabase || !strings.Contains(stderr, "no sha256") || !strings.Contains(stderr, "--sha256") {
		t.Errorf("unverifiable entry: exit %d, %q", code, stderr)
	}
	code, _, stderr = zonula(t, "", "db", "fetch", "--dir", dir, "nope")
	if code != exitUsage || !strings.Contains(stderr, "silva-138.2") {
		t.Errorf("unknown entry: exit %d, %q", code, stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("refused fetches wrote %d files", len(ents))
	}
}

func TestDBFetchFromCatalogueFile(t *testing.T) {
	fna, _ := os.ReadFile(filepath.Join(refdbFixtures, "gg2.fna"))
	tax, _ := os.ReadFile(filepath.Join(refdbFixtures, "gg2_taxonomy.tsv"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data := map[string][]byte{"/gg2.fna": fna, "/tax.tsv": tax, "/cut.fna": fna}[r.URL.Path]
		if data == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		if r.URL.Path != "/cut.fna" {
			w.Write(data)
			return
		}
		w.Write(data[:100])
		w.(http.Flusher).Flush()
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	sha := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	cat := filepath.Join(t.TempDir(), "catalogue.json")
	entry := func(name, fastaPath, fastaSum string) string {
		return `{"name":"` + name + `","version":"1","released":"2024-09-01","format":"gg2","license":"test","citation":"test",
		"files":[{"role":"fasta","url":"` + srv.URL + fastaPath + `","sha256":"` + fastaSum + `"},
		         {"role":"taxonomy","url":"` + srv.URL + `/tax.tsv","sha256":"` + sha(tax) + `"}]}`
	}
	os.WriteFile(cat, []byte("["+entry("tiny", "/gg2.fna", sha(fna))+","+entry("wrong", "/gg2.fna", sha(tax))+","+
		entry("cut", "/cut.fna", sha(fna))+","+entry("unpinned", "/gg2.fna", "")+"]"), 0o644)
	dir := t.TempDir()
	code, stdout, stderr := zonula(t, "", "db", "fetch", "--catalogue", cat, "--dir", dir, "tiny")
	if code != 0 || !strings.Contains(stdout, "sequences\t4\n") || !strings.Contains(stderr, "downloading gg2.fna") {
		t.Fatalf("fetch tiny: exit %d\n%s%s", code, stdout, stderr)
	}
	t.Setenv("ZONULA_DB_DIR", dir)
	if code, stdout, _ := zonula(t, "", "db", "info", "tiny"); code != 0 || !strings.Contains(stdout, "built\t2024-09-01") {
		t.Errorf("db info tiny after fetch: exit %d\n%s", code, stdout)
	}
	for _, c := range []struct {
		name, msg string
		code      int
		extra     []string
	}{
		{"wrong", "does not match its checksum", exitDatabase, nil},
		{"cut", "interrupted", exitDatabase, nil},
		{"unpinned", "no sha256", exitDatabase, nil},
		{"unpinned", "", 0, []string{"--sha256", "fasta=" + sha(fna)}},
	} {
		args := append([]string{"db", "fetch", "--catalogue", cat, "--dir", dir, c.name}, c.extra...)
		code, _, stderr := zonula(t, "", args...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, %q; want exit %d and %q", args, code, stderr, c.code, c.msg)
		}
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "tiny.zdb unpinned.zdb" {
		t.Errorf("database directory holds %v, want only tiny.zdb and unpinned.zdb", names)
	}
	os.WriteFile(cat, []byte(`[{"name":"x","format":"blast","files":[]}]`), 0o644)
	if code, _, stderr := zonula(t, "", "db", "fetch", "--catalogue", cat, "--dir", dir, "x"); code != exitBadInput || !strings.Contains(stderr, "blast") {
		t.Errorf("bad catalogue: exit %d, %q", code, stderr)
	}
}
