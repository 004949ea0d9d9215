package refdb

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

//go:embed catalogue.json
var catalogueJSON []byte

// CatalogueFile is one file of a catalogued database.
type CatalogueFile struct {
	Role    string `json:"role"`              // "fasta", "taxonomy" (the format's taxonomy file) or "zonula" (a built database)
	URL     string `json:"url"`               // pinned: a release path, never "latest"
	SHA256  string `json:"sha256"`            // of the downloaded bytes; "" when the publisher gives none
	Size    int64  `json:"size,omitempty"`    // bytes; 0 when unknown
	Archive string `json:"archive,omitempty"` // "zip" or "tar" (tar may be gzip- or zstd-compressed); "" for a plain or compressed file
	Member  string `json:"member,omitempty"`  // in an archive: the one member whose path ends so
}

// Entry is a public reference database zonula knows how to fetch.
type Entry struct {
	Name        string          `json:"name"` // what 'zonula db fetch NAME' takes; also the installed file's name
	Version     string          `json:"version"`
	Released    string          `json:"released"` // YYYY-MM-DD; becomes the built database's date
	Format      Format          `json:"format"`   // BuildFrom format, or "zonula" for a ready database file
	Description string          `json:"description"`
	License     string          `json:"license"`
	Citation    string          `json:"citation"`
	Homepage    string          `json:"homepage"`
	Files       []CatalogueFile `json:"files"`
	Note        string          `json:"note,omitempty"` // how to check the files when no sha256 is pinned
}

// FormatZonula marks a catalogue entry whose file is already a database.
const FormatZonula Format = "zonula"

// Catalogue returns the embedded catalogue of public databases, sorted by
// name.
func Catalogue() ([]Entry, error) {
	es, err := ParseCatalogue(bytes.NewReader(catalogueJSON))
	if err != nil {
		return nil, fmt.Errorf("embedded catalogue: %w", err)
	}
	return es, nil
}

// ParseCatalogue reads a catalogue in the embedded one's JSON layout (a
// list of Entry), for mirrors and private databases, sorted by name. Each
// entry needs a name, a known format and files with a role and a URL.
func ParseCatalogue(r io.Reader) ([]Entry, error) {
	var es []Entry
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&es); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, e := range es {
		if e.Name == "" || strings.ContainsAny(e.Name, `/\ `) || seen[e.Name] {
			return nil, fmt.Errorf("entry %d: name %q is empty, repeated or holds a slash or space", i+1, e.Name)
		}
		seen[e.Name] = true
		if _, err := ParseFormat(string(e.Format)); err != nil && e.Format != FormatZonula {
			return nil, fmt.Errorf("entry %s: %w", e.Name, err)
		}
		if len(e.Files) == 0 {
			return nil, fmt.Errorf("entry %s: no files", e.Name)
		}
		for _, f := range e.Files {
			if f.URL == "" || (f.Role != "fasta" && f.Role != "taxonomy" && f.Role != "zonula") {
				return nil, fmt.Errorf("entry %s: file %q: want a URL and a role fasta, taxonomy or zonula", e.Name, f.URL)
			}
		}
	}
	slices.SortFunc(es, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return es, nil
}

// Lookup returns the catalogue entry called name.
func Lookup(es []Entry, name string) (Entry, bool) {
	for _, e := range es {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// ErrNoChecksum reports a catalogue file without a pinned sha256 when none
// was given: Fetch installs nothing it cannot verify.
var ErrNoChecksum = errors.New("no sha256 to check the download against")

// ErrChecksum reports a download whose sha256 or size differs from the
// expected one.
var ErrChecksum = errors.New("download does not match its checksum")

// FetchOptions tunes Fetch.
type FetchOptions struct {
	Dir    string       // database directory; created if missing
	Client *http.Client // nil: a client with a 30 s connect timeout
	// SHA256 supplies checksums the catalogue lacks (or replaces them), by
	// role ("fasta", "taxonomy"); the key "" applies to every file without
	// one, as for an archive that holds both.
	SHA256 map[string]string
	// Progress, if set, is called as bytes arrive (about every 1 MiB and at
	// the end of each file); total is -1 when the server gives no length.
	Progress func(file string, done, total int64)
	// Derive, if set, is called with a built database's header and
	// references before it is written, to add values derived from the
	// sequences (the classifier's genus cohesion); refdb cannot compute them
	// itself without importing the classifier.
	Derive func(h *Header, refs []Reference)
	// Decompress returns the content of a downloaded file or archive
	// member, decompressed when it is compressed: zonula passes
	// pipeline/seqio's NewReader, which tells gzip, zstd and bzip2 by their
	// first bytes. Close must release the decoder, not r. Nil reads the
	// files as they are.
	Decompress func(r io.Reader) (io.ReadCloser, error)
	// Records reads the records of an entry's sequences ("fasta") file from
	// its decompressed content r, naming it name in errors: zonula adapts
	// pipeline/seqio's FASTA scanner. Every entry but a ready database file
	// needs it.
	Records func(r io.Reader, name string) RecordSource
}

// InstalledPath returns where Fetch installs entry name in dir.
func InstalledPath(dir, name string) string { return filepath.Join(dir, name+".zdb") }

// Fetch downloads e's files into temporary files in o.Dir, checks each
// against its sha256 (and size, when known), builds the database (or, for a
// ready database file, checks it loads) and renames it to
// InstalledPath(o.Dir, e.Name). On any failure — an unverifiable file, a
// checksum mismatch, an interrupted download, a build error — it removes
// what it wrote and installs nothing. The built header names the entry, its
// version, URL and release date, so two fetches of the same files give the
// same bytes.
func Fetch(ctx context.Context, e Entry, o FetchOptions) (string, Header, error) {
	if o.Records == nil && e.Format != FormatZonula {
		return "", Header{}, fmt.Errorf("%s: no FetchOptions.Records to read its %s sequences with", e.Name, e.Format)
	}
	want := make([]string, len(e.Files))
	for i, f := range e.Files {
		want[i] = f.SHA256
		if s, ok := o.SHA256[f.Role]; ok {
			want[i] = s
		} else if s, ok := o.SHA256[""]; ok && want[i] == "" {
			want[i] = s
		}
		want[i] = strings.ToLower(strings.TrimSpace(want[i]))
		if want[i] == "" {
			return "", Header{}, fmt.Errorf("%s: %s file %s: %w; %s", e.Name, f.Role, f.URL, ErrNoChecksum, e.Note)
		}
		if b, err := hex.DecodeString(want[i]); err != nil || len(b) != sha256.Size {
			return "", Header{}, fmt.Errorf("%s: sha256 %q for the %s file is not 64 hex digits", e.Name, want[i], f.Role)
		}
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return "", Header{}, err
	}
	client := o.Client
	if client == nil {
		client = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   30 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
		}}
	}
	var temps []string
	defer func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}()
	downloaded := map[string]string{} // URL → temp path: one archive may serve two roles
	paths := make([]string, len(e.Files))
	for i, f := range e.Files {
		if p, ok := downloaded[f.URL]; ok {
			paths[i] = p
			continue
		}
		tmp, err := os.CreateTemp(o.Dir, "."+e.Name+"."+f.Role+".*.part")
		if err != nil {
			return "", Header{}, err
		}
		temps = append(temps, tmp.Name())
		err = download(ctx, client, f, want[i], tmp, o.Progress)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", Header{}, fmt.Errorf("%s: %s: %w (nothing installed)", e.Name, f.URL, err)
		}
		downloaded[f.URL], paths[i] = tmp.Name(), tmp.Name()
	}
	dst := InstalledPath(o.Dir, e.Name)
	out, err := os.CreateTemp(o.Dir, "."+e.Name+".*.zdb.tmp")
	if err != nil {
		return "", Header{}, err
	}
	temps = append(temps, out.Name())
	h, err := install(e, paths, out, o)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", Header{}, fmt.Errorf("%s: %w (nothing installed)", e.Name, err)
	}
	if err := os.Chmod(out.Name(), 0o644); err != nil {
		return "", Header{}, err
	}
	if err := os.Rename(out.Name(), dst); err != nil {
		return "", Header{}, err
	}
	return dst, h, nil
}

// download copies f's body into w, hashing it, and fails unless the length
// and sha256 match.
func download(ctx context.Context, client *http.Client, f CatalogueFile, sum string, w io.Writer, progress func(string, int64, int64)) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("server answered %s", resp.Status)
	}
	total := resp.ContentLength
	if f.Size > 0 && total >= 0 && total != f.Size {
		return fmt.Errorf("%w: server announces %d bytes, catalogue says %d", ErrChecksum, total, f.Size)
	}
	d := sha256.New()
	name := filepath.Base(f.URL)
	var done, next int64
	buf := make([]byte, 1<<16)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				return err
			}
			d.Write(buf[:n])
			done += int64(n)
			if progress != nil && done >= next {
				progress(name, done, total)
				next = done + 1<<20
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return fmt.Errorf("download interrupted after %d bytes: %w", done, rerr)
		}
	}
	if progress != nil {
		progress(name, done, total)
	}
	if total >= 0 && done != total {
		return fmt.Errorf("download interrupted: %d of %d bytes", done, total)
	}
	if f.Size > 0 && done != f.Size {
		return fmt.Errorf("%w: %d bytes, catalogue says %d", ErrChecksum, done, f.Size)
	}
	if got := hex.EncodeToString(d.Sum(nil)); got != sum {
		return fmt.Errorf("%w: sha256 %s, expected %s", ErrChecksum, got, sum)
	}
	return nil
}

// install builds (or checks) the database from the verified files, read
// with o.Decompress and o.Records, and writes it to w.
func install(e Entry, paths []string, w io.Writer, o FetchOptions) (Header, error) {
	var in Input
	in.Format = e.Format
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for i, f := range e.Files {
		r, c, err := openMember(paths[i], f, o.Decompress)
		closers = append(closers, c...)
		if err != nil {
			return Header{}, err
		}
		name := filepath.Base(f.URL)
		if f.Member != "" {
			name += ":" + strings.TrimPrefix(f.Member, "/")
		}
		switch f.Role {
		case "fasta":
			in.FASTA, in.FASTAName = o.Records(r, name), name
		case "taxonomy":
			in.Taxonomy, in.TaxonomyName = r, name
		case "zonula":
			data, err := io.ReadAll(r)
			if err != nil {
				return Header{}, err
			}
			db, err := Read(bytes.NewReader(data))
			if err != nil {
				return Header{}, err
			}
			if _, err := w.Write(data); err != nil {
				return Header{}, err
			}
			return db.Header, nil
		default:
			return Header{}, fmt.Errorf("catalogue file role %q: want fasta, taxonomy or zonula", f.Role)
		}
	}
	if in.FASTA == nil {
		return Header{}, errors.New("catalogue entry has no fasta file")
	}
	refs, st, err := BuildFrom(in)
	if err != nil {
		return Header{}, err
	}
	h := Header{
		Name: e.Name, Version: e.Version, License: e.License, Built: e.Released,
		Source:    e.Description + " Fetched from " + e.Files[0].URL + ".",
		InputSeqs: st.Input, Duplicates: st.Duplicates, Skipped: st.SkippedTotal(),
	}
	if o.Derive != nil {
		o.Derive(&h, refs)
	}
	return Write(w, h, refs)
}

// SkippedTotal returns the number of records left out for any reason.
func (s BuildStats) SkippedTotal() int {
	n := 0
	for _, c := range s.Skipped {
		n += c
	}
	return n
}

// openMember opens a downloaded file, or its archive member, decompressed
// with decompress (nil: as it is).
func openMember(path string, f CatalogueFile, decompress func(io.Reader) (io.ReadCloser, error)) (io.Reader, []io.Closer, error) {
	if decompress == nil {
		decompress = func(r io.Reader) (io.ReadCloser, error) { return io.NopCloser(r), nil }
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	closers := []io.Closer{file}
	switch f.Archive {
	case "":
		r, err := decompress(file)
		if err != nil {
			return nil, closers, err
		}
		return r, append(closers, r), nil
	case "zip":
		st, err := file.Stat()
		if err != nil {
			return nil, closers, err
		}
		zr, err := zip.NewReader(file, st.Size())
		if err != nil {
			return nil, closers, fmt.Errorf("%s: %w", filepath.Base(f.URL), err)
		}
		var found *zip.File
		for _, zf := range zr.File {
			if strings.HasSuffix(zf.Name, f.Member) {
				if found != nil {
					return nil, closers, fmt.Errorf("%s: more than one member ends with %q", filepath.Base(f.URL), f.Member)
				}
				found = zf
			}
		}
		if found == nil {
			return nil, closers, fmt.Errorf("%s: no member ends with %q", filepath.Base(f.URL), f.Member)
		}
		rc, err := found.Open()
		if err != nil {
			return nil, closers, err
		}
		closers = append(closers, rc)
		r, err := decompress(rc)
		if err != nil {
			return nil, closers, err
		}
		return r, append(closers, r), nil
	case "tar":
		dr, err := decompress(file)
		if err != nil {
			return nil, closers, err
		}
		closers = append(closers, dr)
		tr := tar.NewReader(dr)
		for {
			th, err := tr.Next()
			if errors.Is(err, io.EOF) {
				return nil, closers, fmt.Errorf("%s: no member ends with %q", filepath.Base(f.URL), f.Member)
			}
			if err != nil {
				return nil, closers, fmt.Errorf("%s: %w", filepath.Base(f.URL), err)
			}
			if th.Typeflag == tar.TypeReg && strings.HasSuffix(th.Name, f.Member) {
				r, err := decompress(tr)
				if err != nil {
					return nil, closers, err
				}
				return r, append(closers, r), nil
			}
		}
	}
	return nil, closers, fmt.Errorf("catalogue archive kind %q: want zip or tar", f.Archive)
}

// Installed is a database file found in a database directory.
type Installed struct {
	Name   string // file name without ".zdb": what --db NAME takes
	Path   string
	Header Header // zero when Err is set
	Err    error  // the header could not be read
}

// ListInstalled returns the "*.zdb" files in dir by name, with their headers
// (not their checksums: Read checks those on load). A missing directory
// holds no databases.
func ListInstalled(dir string) ([]Installed, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Installed
	for _, de := range ents {
		name, ok := strings.CutSuffix(de.Name(), ".zdb")
		if !ok || de.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		in := Installed{Name: name, Path: filepath.Join(dir, de.Name())}
		f, err := os.Open(in.Path)
		if err == nil {
			in.Header, err = ReadHeader(f)
			f.Close()
		}
		in.Err = err
		out = append(out, in)
	}
	return out, nil
}
