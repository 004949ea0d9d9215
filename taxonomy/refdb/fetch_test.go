package refdb

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/klauspost/compress/gzip"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// server serves files by path; "/cut/…" paths announce the full length, send
// half the body and drop the connection.
func server(t *testing.T, files map[string][]byte, hits *atomic.Int32) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		cut := strings.HasPrefix(r.URL.Path, "/cut/")
		data, ok := files[strings.TrimPrefix(r.URL.Path, "/cut")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		if !cut {
			w.Write(data)
			return
		}
		w.Write(data[:len(data)/2])
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// dirFiles lists what a failed fetch left behind.
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestFetchBuildsAndInstalls(t *testing.T) {
	fna, tax := fixture(t, "gg2.fna"), fixture(t, "gg2_taxonomy.tsv")
	var hits atomic.Int32
	srv := server(t, map[string][]byte{"/gg2.fna": fna, "/tax.tsv": tax}, &hits)
	e := Entry{Name: "tiny-gg2", Version: "2024.09", Released: "2024-09-01", Format: FormatGG2, License: "test",
		Files: []CatalogueFile{
			{Role: "fasta", URL: srv.URL + "/gg2.fna", SHA256: sum(fna), Size: int64(len(fna))},
			{Role: "taxonomy", URL: srv.URL + "/tax.tsv", SHA256: sum(tax)},
		}}
	dir := filepath.Join(t.TempDir(), "dbs")
	var last int64
	path, h, err := Fetch(context.Background(), e, withReaders(FetchOptions{Dir: dir, Progress: func(_ string, done, total int64) { last = done }}))
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "tiny-gg2.zdb") || h.Name != "tiny-gg2" || h.Built != "2024-09-01" || h.Sequences != 4 {
		t.Errorf("path %s, header %+v", path, h)
	}
	if last != int64(len(tax)) {
		t.Errorf("last progress %d, want %d", last, len(tax))
	}
	if got := dirFiles(t, dir); len(got) != 1 || got[0] != "tiny-gg2.zdb" {
		t.Errorf("directory holds %v, want only tiny-gg2.zdb", got)
	}
	first, _ := os.ReadFile(path)
	db, err := Read(bytes.NewReader(first))
	if err != nil || len(db.Refs) != 4 {
		t.Fatalf("installed database: %v", err)
	}
	// A second fetch gives the same bytes: the header holds no clock.
	if _, _, err := Fetch(context.Background(), e, withReaders(FetchOptions{Dir: dir})); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(path)
	if !bytes.Equal(first, second) {
		t.Error("two fetches of the same files differ")
	}
	list, err := ListInstalled(dir)
	if err != nil || len(list) != 1 || list[0].Name != "tiny-gg2" || list[0].Header.Sequences != 4 {
		t.Errorf("ListInstalled = %+v, %v", list, err)
	}
}

func TestFetchArchives(t *testing.T) {
	// A QIIME 2 artifact is a zip whose data/ folder holds the file; mothur
	// ships its RDP pair in one .tgz.
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for name, data := range map[string][]byte{"0f1e/data/dna-sequences.fasta": fixture(t, "gg2.fna"), "0f1e/metadata.yaml": []byte("uuid: 0f1e\n")} {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	var tbuf bytes.Buffer
	gz := gzip.NewWriter(&tbuf)
	tw := tar.NewWriter(gz)
	for _, name := range []string{"trainset19.rdp.fasta", "trainset19.rdp.tax"} {
		data := fixture(t, name)
		tw.WriteHeader(&tar.Header{Name: "trainset19_072023.rdp/" + name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		tw.Write(data)
	}
	tw.Close()
	gz.Close()
	tax := fixture(t, "gg2_taxonomy.tsv")
	var hits atomic.Int32
	srv := server(t, map[string][]byte{"/seqs.qza": zbuf.Bytes(), "/tax.tsv": tax, "/rdp.tgz": tbuf.Bytes()}, &hits)
	dir := t.TempDir()
	for _, e := range []Entry{
		{Name: "zip", Format: FormatGG2, Files: []CatalogueFile{
			{Role: "fasta", URL: srv.URL + "/seqs.qza", SHA256: sum(zbuf.Bytes()), Archive: "zip", Member: "/data/dna-sequences.fasta"},
			{Role: "taxonomy", URL: srv.URL + "/tax.tsv", SHA256: sum(tax)}}},
		{Name: "tar", Format: FormatRDP, Files: []CatalogueFile{
			{Role: "fasta", URL: srv.URL + "/rdp.tgz", Archive: "tar", Member: ".rdp.fasta"},
			{Role: "taxonomy", URL: srv.URL + "/rdp.tgz", Archive: "tar", Member: ".rdp.tax"}}},
	} {
		before := hits.Load()
		_, h, err := Fetch(context.Background(), e, withReaders(FetchOptions{Dir: dir, SHA256: map[string]string{"": sum(tbuf.Bytes())}}))
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if h.Sequences != 4 {
			t.Errorf("%s: %d sequences", e.Name, h.Sequences)
		}
		if e.Name == "tar" && hits.Load()-before != 1 {
			t.Errorf("the archive serving two files was downloaded %d times", hits.Load()-before)
		}
	}
}

func TestFetchInstallsNothingOnFailure(t *testing.T) {
	fna, tax := fixture(t, "gg2.fna"), fixture(t, "gg2_taxonomy.tsv")
	var hits atomic.Int32
	srv := server(t, map[string][]byte{"/gg2.fna": fna, "/tax.tsv": tax, "/bad.tsv": []byte("G000020225\tq__Nope\n")}, &hits)
	entry := func(fastaPath, taxPath, fastaSum string) Entry {
		return Entry{Name: "tiny", Format: FormatGG2, Files: []CatalogueFile{
			{Role: "fasta", URL: srv.URL + fastaPath, SHA256: fastaSum},
			{Role: "taxonomy", URL: srv.URL + taxPath, SHA256: sum(tax)}}}
	}
	bad := entry("/gg2.fna", "/bad.tsv", sum(fna))
	bad.Files[1].SHA256 = sum([]byte("G000020225\tq__Nope\n"))
	wrongSize := entry("/gg2.fna", "/tax.tsv", sum(fna))
	wrongSize.Files[0].Size = int64(len(fna)) + 1
	for _, c := range []struct {
		name string
		e    Entry
		opts map[string]string
		is   error
		msg  string
	}{
		{"checksum mismatch", entry("/gg2.fna", "/tax.tsv", sum(tax)), nil, ErrChecksum, "sha256 " + sum(fna)},
		{"size mismatch", wrongSize, nil, ErrChecksum, "catalogue says"},
		{"connection dropped", entry("/cut/gg2.fna", "/tax.tsv", sum(fna)), nil, nil, "interrupted"},
		{"not found", entry("/none.fna", "/tax.tsv", sum(fna)), nil, nil, "404"},
		{"no checksum", entry("/gg2.fna", "/tax.tsv", ""), nil, ErrNoChecksum, "no sha256"},
		{"override wrong", entry("/gg2.fna", "/tax.tsv", ""), map[string]string{"fasta": sum(tax)}, ErrChecksum, "expected " + sum(tax)},
		{"bad override", entry("/gg2.fna", "/tax.tsv", ""), map[string]string{"fasta": "abc"}, nil, "not 64 hex digits"},
		{"build fails", bad, nil, nil, "bad.tsv:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			old := []byte("an older database\n")
			os.WriteFile(filepath.Join(dir, "tiny.zdb"), old, 0o644)
			before := hits.Load()
			_, _, err := Fetch(context.Background(), c.e, withReaders(FetchOptions{Dir: dir, SHA256: c.opts}))
			if err == nil || (c.is != nil && !errors.Is(err, c.is)) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("err = %v, want %v containing %q", err, c.is, c.msg)
			}
			if got := dirFiles(t, dir); len(got) != 1 {
				t.Errorf("directory holds %v after a failed fetch", got)
			}
			if now, _ := os.ReadFile(filepath.Join(dir, "tiny.zdb")); !bytes.Equal(now, old) {
				t.Error("a failed fetch replaced the installed database")
			}
			if c.is == ErrNoChecksum && hits.Load() != before {
				t.Error("fetch downloaded a file it could not verify")
			}
		})
	}
}

func TestFetchNeedsRecords(t *testing.T) {
	var hits atomic.Int32
	srv := server(t, map[string][]byte{}, &hits)
	e := Entry{Name: "x", Format: FormatSintax, Files: []CatalogueFile{{Role: "fasta", URL: srv.URL + "/x.fa", SHA256: sum(nil)}}}
	dir := t.TempDir()
	if _, _, err := Fetch(context.Background(), e, FetchOptions{Dir: dir}); err == nil || !strings.Contains(err.Error(), "FetchOptions.Records") {
		t.Errorf("err = %v, want one naming FetchOptions.Records", err)
	}
	if hits.Load() != 0 || len(dirFiles(t, dir)) != 0 {
		t.Error("a fetch that cannot read its records downloaded or wrote something")
	}
}

func TestFetchCancelled(t *testing.T) {
	fna := fixture(t, "gg2.fna")
	var hits atomic.Int32
	srv := server(t, map[string][]byte{"/gg2.fna": fna}, &hits)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	e := Entry{Name: "x", Format: FormatSintax, Files: []CatalogueFile{{Role: "fasta", URL: srv.URL + "/gg2.fna", SHA256: sum(fna)}}}
	if _, _, err := Fetch(ctx, e, withReaders(FetchOptions{Dir: dir})); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if got := dirFiles(t, dir); len(got) != 0 {
		t.Errorf("directory holds %v", got)
	}
}

func TestCatalogue(t *testing.T) {
	es, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, e := range es {
		if names[e.Name] {
			t.Errorf("name %s twice", e.Name)
		}
		names[e.Name] = true
		if _, err := ParseFormat(string(e.Format)); err != nil && e.Format != FormatZonula {
			t.Errorf("%s: %v", e.Name, err)
		}
		if e.Version == "" || e.License == "" || e.Citation == "" || len(e.Released) != 10 || len(e.Files) == 0 {
			t.Errorf("%s: incomplete entry %+v", e.Name, e)
		}
		for _, f := range e.Files {
			if !strings.HasPrefix(f.URL, "https://") || strings.Contains(f.URL, "latest") {
				t.Errorf("%s: URL %s is not a pinned https URL", e.Name, f.URL)
			}
			if f.SHA256 == "" && e.Note == "" {
				t.Errorf("%s: no sha256 and no note saying how to check %s", e.Name, f.URL)
			}
			if f.SHA256 != "" && len(f.SHA256) != 64 {
				t.Errorf("%s: sha256 %q", e.Name, f.SHA256)
			}
		}
	}
	for _, want := range []string{"silva-138.2", "gtdb-r220", "gtdb-r226", "gg2-2024.09", "emu-default", "rdp-19"} {
		if !names[want] {
			t.Errorf("catalogue lacks %s", want)
		}
	}
}
