package tables

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/zonula/zonula/pipeline/tables/internal/hdf5"
)

// maxZipMembers caps the number of members of a .qza archive.
const maxZipMembers = 10000

// qzaMember returns the uncompressed bytes of the single member whose path
// is "<uuid>/data/<file>" in a QIIME 2 artifact. Member names that are
// absolute or climb out of the archive ("../x", "/x", "C:x") are refused,
// as are members larger than limit or than inflateLimit allows (by their
// header or in fact) and members whose CRC-32 does not match. ok is false when no such member
// exists.
func qzaMember(name string, data []byte, file string, limit int64) (_ []byte, ok bool, _ error) {
	fail := func(where string, err error) error {
		return &ParseError{File: name, Where: where, Err: err}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, false, fail("zip", fmt.Errorf("not a readable QIIME 2 artifact (.qza is a zip archive): %w", err))
	}
	if len(zr.File) > maxZipMembers {
		return nil, false, fail("zip", fmt.Errorf("%d members, more than %d", len(zr.File), maxZipMembers))
	}
	var found *zip.File
	for _, f := range zr.File {
		n := f.Name
		drive := len(n) >= 2 && n[1] == ':' && (n[0]|0x20 >= 'a' && n[0]|0x20 <= 'z')
		if strings.HasPrefix(n, "/") || strings.Contains(n, "\\") || drive ||
			path.Clean(n) != strings.TrimSuffix(n, "/") || strings.HasPrefix(path.Clean(n), "..") {
			return nil, false, fail("member "+n, errors.New("unsafe path in the archive (absolute, '..', or backslashes): refusing the file"))
		}
		parts := strings.Split(n, "/")
		if len(parts) == 3 && parts[1] == "data" && parts[2] == file {
			if found != nil {
				return nil, false, fail("member "+n, fmt.Errorf("a second data/%s (first: %s)", file, found.Name))
			}
			found = f
		}
	}
	if found == nil {
		return nil, false, nil
	}
	limit = inflateLimit(int64(min(found.CompressedSize64, 1<<62)), limit)
	if found.UncompressedSize64 > uint64(limit) {
		return nil, false, fail("member "+found.Name, fmt.Errorf("%d bytes uncompressed, more than the %d-byte limit (at most %d times its compressed size)", found.UncompressedSize64, limit, MaxInflation))
	}
	rc, err := found.Open()
	if err != nil {
		return nil, false, fail("member "+found.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		if errors.Is(err, zip.ErrChecksum) {
			err = errors.New("CRC-32 checksum mismatch: the archive is damaged")
		}
		return nil, false, fail("member "+found.Name, err)
	}
	if int64(len(b)) > limit {
		return nil, false, fail("member "+found.Name, fmt.Errorf("inflates past the %d-byte limit", limit))
	}
	return b, true, nil
}

// readQZA reads a QIIME 2 FeatureTable artifact: its data/feature-table.biom
// (BIOM 2.1 HDF5, or BIOM 1.0 JSON in old artifacts).
func readQZA(name string, data []byte, limit int64) (*table, error) {
	b, ok, err := qzaMember(name, data, "feature-table.biom", limit)
	if err != nil {
		return nil, err
	}
	if !ok {
		if _, isTax, _ := qzaMember(name, data, "taxonomy.tsv", limit); isTax {
			return nil, &ParseError{File: name, Err: errors.New("this artifact holds a taxonomy, not a feature table: pass it as the taxonomy of a table")}
		}
		return nil, &ParseError{File: name, Err: errors.New("no <uuid>/data/feature-table.biom in the archive: want a QIIME 2 FeatureTable artifact")}
	}
	member := name + ":feature-table.biom"
	if hdf5.IsHDF5(b) {
		return readBIOM2(member, b)
	}
	return readBIOM1(member, b)
}
