package tables

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// isMothurHeader reports whether line is the header of a mothur .shared
// file: "label<TAB>Group<TAB>numOtus" (numASVs from mothur 1.48's ASV
// naming; any "num…" third column).
func isMothurHeader(line string) bool {
	f := strings.SplitN(line, "\t", 4)
	return len(f) >= 3 && f[0] == "label" && f[1] == "Group" && strings.HasPrefix(f[2], "num")
}

// mothurFields splits a .shared line at its tabs, without the tab (and
// carriage return) some mothur releases end every line with.
func mothurFields(line string) []string {
	return strings.Split(strings.TrimRight(line, "\t\r"), "\t")
}

// MothurLabels returns the labels (OTU distance cutoffs such as "unique",
// "0.03") of a mothur .shared file held in data, in file order; nil when
// data is not one.
func MothurLabels(data []byte) []string {
	it := lineIter{data: data}
	if !it.next() || !isMothurHeader(it.line) {
		return nil
	}
	var labels []string
	for it.next() {
		if l, _, ok := strings.Cut(it.line, "\t"); ok && !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	return labels
}

// MothurLabel returns the label of a mothur .shared file (held in data)
// that ReadTables reads with o, and all its labels: o.Label when set; else
// the label a .cons.taxonomy file given as o.Taxonomy is named after
// (classify.otu writes final.0.03.cons.taxonomy for label 0.03), as its OTU
// ids are that label's; else the first. mothur numbers OTUs afresh for each
// label, so a taxonomy of another label would name the wrong OTUs: asking
// for a label other than the taxonomy file's is an error, and so is a label
// the file lacks.
func MothurLabel(data []byte, o ReadOptions) (label string, labels []string, err error) {
	labels = MothurLabels(data)
	taxLabel := ""
	if base := filepath.Base(o.Taxonomy); strings.HasSuffix(base, ".cons.taxonomy") {
		for _, l := range labels {
			if strings.HasSuffix(base, "."+l+".cons.taxonomy") {
				taxLabel = l
			}
		}
	}
	switch {
	case o.Label != "" && !slices.Contains(labels, o.Label):
		return "", labels, fmt.Errorf("no lines with label %q (labels: %s)", o.Label, strings.Join(labels, ", "))
	case o.Label != "" && taxLabel != "" && o.Label != taxLabel:
		return "", labels, fmt.Errorf("label %q asked, but the taxonomy %s is for label %q (mothur numbers OTUs afresh for each label)", o.Label, o.Taxonomy, taxLabel)
	case o.Label != "":
		return o.Label, labels, nil
	case taxLabel != "":
		return taxLabel, labels, nil
	case len(labels) > 0:
		return labels[0], labels, nil
	}
	return "", labels, errors.New("no sample lines")
}

// readMothur reads a mothur .shared file: a header "label<TAB>Group<TAB>
// numOtus<TAB>Otu001..." (isMothurHeader) naming the first label's OTUs,
// then one line per label and sample, "label<TAB>group<TAB>n" and n counts
// (a later label's n OTUs take the header's first n names, as mothur
// numbers each label's OTUs from 1); lines may end with a tab, as older
// mothur releases write them.
// Only the lines of one label are read (MothurLabel). Lineages come from a
// .cons.taxonomy given as ReadOptions.Taxonomy; without it OTUs are
// unclassified in the rank profile (Features keep the counts).
func readMothur(name string, data []byte, o ReadOptions) (*table, error) {
	it := lineIter{data: data}
	if !it.next() {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("empty file")}
	}
	header := mothurFields(it.line)
	if len(header) < 4 || !isMothurHeader(it.line) {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("header: want \"label<TAB>Group<TAB>numOtus<TAB>Otu...\"")}
	}
	t := &table{relKnown: true}
	for _, o := range header[3:] {
		t.addFeature(strings.TrimSpace(o), taxonomy.Lineage{}, 1)
	}
	label, _, err := MothurLabel(data, o)
	if err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	for it.next() {
		if strings.TrimSpace(it.line) == "" {
			continue
		}
		f := mothurFields(it.line)
		if len(f) < 3 {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("%d fields, want label, group, %s and counts", len(f), header[2])}
		}
		if f[0] != label {
			continue // another OTU cutoff
		}
		// The header names the first label's OTUs; a later label has as
		// many or fewer (mothur numbers them afresh, largest first), so its
		// n counts belong to the header's first n names.
		n, err := strconv.Atoi(f[2])
		if err != nil || n < 0 || n > len(header)-3 || len(f) != 3+n {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("%s %q and %d counts: want that many counts, at most the %d names of the header", header[2], f[2], len(f)-3, len(header)-3)}
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
