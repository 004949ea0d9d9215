package tables

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/zonula/zonula/pipeline/tables/internal/hdf5"
	"github.com/zonula/zonula/taxonomy"
)

// maxZipMembers caps the number of members of a .qza archive.
const maxZipMembers = 10000

// qzaMember returns the uncompressed bytes of the single member whose path
// is "<uuid>/data/<file>" in a QIIME 2 artifact. Member names that are
// absolute or climb out of the archive ("../x", "/x", "C:x") are refused,
// as are members larger than limit (by their header or in fact) and
// members whose CRC-32 does not match. ok is false when no such member
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
	if found.UncompressedSize64 > uint64(limit) {
		return nil, false, fail("member "+found.Name, fmt.Errorf("%d bytes uncompressed, more than the %d-byte limit", found.UncompressedSize64, limit))
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

// ReadTaxonomy reads lineages by feature id from a file: a QIIME 2 taxonomy
// artifact (.qza holding data/taxonomy.tsv) or such a TSV ("Feature ID",
// "Taxon", optional "Confidence"; the older "#OTUID<TAB>taxonomy" too), a
// mothur .cons.taxonomy ("OTU<TAB>Size<TAB>Taxonomy" with "(100)"
// confidences), a Kraken2/Bracken report (ids are taxids), or a headerless
// "id<TAB>lineage" file. maxMember caps a .qza member (0: DefaultMaxMember).
// Lineages are parsed with taxonomy.ParseLineage. Errors are *ParseError
// values naming the line.
func ReadTaxonomy(p string, maxMember int64) (map[string]taxonomy.Lineage, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return DecodeTaxonomy(p, data, maxMember)
}

// DecodeTaxonomy is ReadTaxonomy on bytes in memory; name is used in errors.
func DecodeTaxonomy(name string, data []byte, maxMember int64) (map[string]taxonomy.Lineage, error) {
	if maxMember <= 0 {
		maxMember = DefaultMaxMember
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		b, ok, err := qzaMember(name, data, "taxonomy.tsv", maxMember)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, &ParseError{File: name, Err: errors.New("no <uuid>/data/taxonomy.tsv in the archive: want a QIIME 2 FeatureData[Taxonomy] artifact")}
		}
		name, data = name+":taxonomy.tsv", b
	}
	lines := firstLines(data, 1)
	if len(lines) > 0 && isKrakenLine(lines[0]) {
		return krakenTaxonomy(name, data)
	}
	out := map[string]taxonomy.Lineage{}
	seen := map[string]int{}
	it := lineIter{data: bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))}
	taxCol, header := 1, false
	for it.next() {
		if strings.TrimSpace(it.line) == "" {
			continue
		}
		f := strings.Split(it.line, "\t")
		if !header && len(out) == 0 {
			first := strings.ToLower(strings.TrimPrefix(f[0], "#"))
			switch first {
			case "feature id", "featureid", "otuid", "otu id", "otu", "id":
				header = true
				for j, h := range f {
					if containsFold(lineageHeaders, h) {
						taxCol = j
					}
				}
				continue
			}
			if strings.HasPrefix(it.line, "#q2:types") {
				continue
			}
		}
		if len(f) <= taxCol {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("%d fields, want an id and a lineage (column %d)", len(f), taxCol+1)}
		}
		id := strings.TrimSpace(f[0])
		if prev, dup := seen[id]; dup {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("feature id %q repeats line %d", truncate(id), prev)}
		}
		seen[id] = it.n
		l, err := taxonomy.ParseLineage(stripConfidences(f[taxCol]))
		if err != nil {
			return nil, &ParseError{File: name, Line: it.n, Err: err}
		}
		out[id] = l
	}
	if len(out) == 0 {
		return nil, &ParseError{File: name, Line: max(1, it.n), Err: errors.New("no lineages: want lines of feature id and lineage")}
	}
	return out, nil
}

// stripConfidences removes mothur/RDP bootstrap values: "Bacteria(100);
// "Firmicutes"(99);" gives "Bacteria;Firmicutes;".
func stripConfidences(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	parts := strings.Split(s, ";")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if j := strings.LastIndexByte(p, '('); j > 0 && strings.HasSuffix(p, ")") {
			if _, err := parseFloat(p[j+1 : len(p)-1]); err == nil {
				p = p[:j]
			}
		}
		parts[i] = strings.Trim(p, `"`)
	}
	return strings.Join(parts, ";")
}
