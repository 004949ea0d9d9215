package tables

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// ReadTaxonomy reads lineages by feature id from a file: a QIIME 2 taxonomy
// artifact (.qza holding data/taxonomy.tsv) or such a TSV ("Feature ID",
// "Taxon", optional "Confidence"; the older "#OTUID<TAB>taxonomy" too), a
// mothur .cons.taxonomy ("OTU<TAB>Size<TAB>Taxonomy" with "(100)"
// confidences), a Kraken2/Bracken report (ids are taxids), or a headerless
// "id<TAB>lineage" file. maxMember caps a .qza member (0: DefaultMaxMember).
// Lineages are parsed with taxonomy.ParseLineage. Errors are *ParseError
// values naming the line.
func ReadTaxonomy(p string, maxMember int64) (map[string]taxonomy.Lineage, error) {
	if maxMember <= 0 {
		maxMember = DefaultMaxMember
	}
	data, err := readTableFile(p, maxMember)
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
