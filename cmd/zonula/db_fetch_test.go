package main

import (
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
