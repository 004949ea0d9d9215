package tables

import (
	"fmt"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// emuRanks maps Emu's rank columns (from its database's taxonomy.tsv) to
// zonula's ranks.
var emuRanks = map[string]taxonomy.Rank{
	"superkingdom": taxonomy.Domain, "domain": taxonomy.Domain, "phylum": taxonomy.Phylum, "class": taxonomy.Class,
	"order": taxonomy.Order, "family": taxonomy.Family, "genus": taxonomy.Genus, "species": taxonomy.Species,
}

// readEmu reads Emu's <sample>_rel-abundance.tsv (emu abundance): a header
// "tax_id<TAB>abundance<TAB>..." with rank columns (species, genus, family,
// order, class, phylum, clade, superkingdom, subspecies, ...) or one
// "lineage" column (custom databases), and with --keep-counts an
// "estimated counts" column; the last row may be "unassigned". Counts come
// from "estimated counts" when present (EM estimates, possibly
// fractional), else the relative "abundance" is used and the profile is
// Relative.
func readEmu(name string, data []byte, sample string) (*table, error) {
	it := lineIter{data: data}
	var header []string
	for it.next() {
		if strings.TrimSpace(it.line) != "" {
			header = strings.Split(it.line, "\t")
			break
		}
	}
	fail := func(line int, format string, args ...any) error {
		return &ParseError{File: name, Line: line, Err: fmt.Errorf(format, args...)}
	}
	if len(header) < 2 || header[0] != "tax_id" || header[1] != "abundance" {
		return nil, fail(max(it.n, 1), "header: want Emu's \"tax_id<TAB>abundance<TAB>...\"")
	}
	countCol, lineageCol := -1, -1
	rankCol := map[taxonomy.Rank]int{}
	for j, h := range header {
		switch {
		case h == "estimated counts":
			countCol = j
		case h == "lineage":
			lineageCol = j
		default:
			if r, ok := emuRanks[h]; ok {
				rankCol[r] = j
			}
		}
	}
	if lineageCol < 0 && len(rankCol) == 0 {
		return nil, fail(it.n, "header has neither rank columns (species, genus, ...) nor a lineage column")
	}
	t := &table{relative: countCol < 0, relKnown: true}
	t.addSample(sample, 0)
	valCol := 1
	if countCol >= 0 {
		valCol = countCol
	}
	for it.next() {
		if strings.TrimSpace(it.line) == "" {
			continue
		}
		f := strings.Split(it.line, "\t")
		if len(f) != len(header) {
			return nil, fail(it.n, "%d fields, want %d as in the header", len(f), len(header))
		}
		id := strings.TrimSpace(f[0])
		v, err := parseCount(f[valCol])
		if err != nil {
			return nil, fail(it.n, "tax_id %s: %s: %v", truncate(id), header[valCol], err)
		}
		var l taxonomy.Lineage
		if id != "unassigned" {
			var s string
			if lineageCol >= 0 {
				s = f[lineageCol]
			} else {
				s = rankLineage(f, rankCol)
			}
			if l, err = taxonomy.ParseLineage(s); err != nil {
				return nil, fail(it.n, "tax_id %s: %v", truncate(id), err)
			}
		}
		fi := t.addFeature(id, l, it.n)
		t.sampleLine[0] = 1
		if v != 0 {
			t.cols[0] = append(t.cols[0], cell{fi, v})
		}
	}
	return t, nil
}

// rankLineage spells the lineage of a record whose rank columns are
// cols: "d__<domain>;p__<phylum>;...", one prefixed name per rank column
// from domain down, names trimmed of spaces.
func rankLineage(rec []string, cols map[taxonomy.Rank]int) string {
	var parts []string
	for r := taxonomy.Domain; r < taxonomy.NumRanks; r++ {
		if j, ok := cols[r]; ok {
			parts = append(parts, r.Prefix()+strings.TrimSpace(rec[j]))
		}
	}
	return strings.Join(parts, ";")
}
