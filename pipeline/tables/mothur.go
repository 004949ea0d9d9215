package tables

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// readMothur reads a mothur .shared file: "label<TAB>Group<TAB>numOtus
// <TAB>Otu001..." then one line per sample. Only the first label (the
// first OTU cutoff) is read. Lineages come from a .cons.taxonomy given as
// ReadOptions.Taxonomy; without it OTUs are unclassified in the rank
// profile (Features keep the counts).
func readMothur(name string, data []byte) (*table, error) {
	it := lineIter{data: data}
	if !it.next() {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("empty file")}
	}
	header := strings.Split(it.line, "\t")
	if len(header) < 4 || header[0] != "label" || header[1] != "Group" || header[2] != "numOtus" {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("header: want \"label<TAB>Group<TAB>numOtus<TAB>Otu...\"")}
	}
	t := &table{relKnown: true}
	for _, o := range header[3:] {
		t.addFeature(strings.TrimSpace(o), taxonomy.Lineage{}, 1)
	}
	label := ""
	for it.next() {
		if strings.TrimSpace(it.line) == "" {
			continue
		}
		f := strings.Split(it.line, "\t")
		if len(f) < 3 {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("%d fields, want label, group, numOtus and counts", len(f))}
		}
		if label == "" {
			label = f[0]
		}
		if f[0] != label {
			continue // another OTU cutoff
		}
		n, err := strconv.Atoi(f[2])
		if err != nil || n != len(header)-3 || len(f) != len(header) {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("numOtus %q and %d counts: want %d OTUs as in the header", f[2], len(f)-3, len(header)-3)}
		}
		s := t.addSample(strings.TrimSpace(f[1]), it.n)
		for j, v := range f[3:] {
			x, err := parseCount(v)
			if err != nil {
				return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("group %s, %s: %v", f[1], header[j+3], err)}
			}
			if x != 0 {
				t.cols[s] = append(t.cols[s], cell{j, x})
			}
		}
	}
	return t, nil
}
