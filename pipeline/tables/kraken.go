package tables

import (
	"errors"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// krakenFields splits a Kraken2 report line at its tabs (names hold spaces,
// and the indentation of a name is spaces) into percentage, clade reads,
// taxon reads, rank code, taxid and indented name (the minimizer columns
// of --report-minimizer-data are dropped); ok is false for other lines.
// The rank code may be empty: kraken2 2.1.2 writes no code for some nodes
// of a custom taxonomy (parseKraken infers what it can).
func krakenFields(l string) (f [6]string, ok bool) {
	p := strings.Split(l, "\t")
	switch len(p) {
	case 6:
		copy(f[:], p)
	case 8:
		f = [6]string{p[0], p[1], p[2], p[5], p[6], p[7]}
	default:
		return f, false
	}
	if _, err := parseFloat(strings.TrimSpace(f[0])); err != nil {
		return f, false
	}
	for _, s := range []string{f[1], f[2], f[4]} {
		if _, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64); err != nil {
			return f, false
		}
	}
	code := strings.TrimSpace(f[3])
	if code == "" {
		return f, true
	}
	if !strings.ContainsRune("URDKPCOFGS-", rune(code[0])) {
		return f, false
	}
	for _, c := range code[1:] {
		if c < '0' || c > '9' {
			return f, false
		}
	}
	return f, true
}

func isKrakenLine(l string) bool {
	_, ok := krakenFields(l)
	return ok
}

var krakenRanks = map[string]taxonomy.Rank{"D": taxonomy.Domain, "P": taxonomy.Phylum, "C": taxonomy.Class, "O": taxonomy.Order,
	"F": taxonomy.Family, "G": taxonomy.Genus, "S": taxonomy.Species}

// krakenNode is one line of a Kraken2 report.
type krakenNode struct {
	taxid   string
	lineage taxonomy.Lineage
	direct  float64
	line    int
}

// krakenRow is one line of a Kraken2 report before lineages are built.
type krakenRow struct {
	depth        int // indentation / 2
	code, name   string
	taxid        string
	direct       float64
	line         int
	unclassified bool
}

// parseKraken walks a Kraken2 report: the name's indentation (two spaces
// a level) gives the tree; ranks D, P, C, O, F, G, S name the lineage;
// K (kingdom), R (root) and numbered sub-ranks (G1, S1) add no rank, so
// their reads stay at the nearest ranked ancestor's lineage. Rows with an
// empty rank code (inferKrakenCodes) get the rank their children imply, or
// none.
func parseKraken(name string, data []byte) ([]krakenNode, error) {
	var rows []krakenRow
	it := lineIter{data: data}
	for it.next() {
		if strings.TrimSpace(it.line) == "" {
			continue
		}
		f, ok := krakenFields(it.line)
		if !ok {
			return nil, &ParseError{File: name, Line: it.n, Err: errors.New("want a Kraken2 report line: percentage, clade reads, taxon reads, rank code, taxid, name (tab-separated)")}
		}
		direct, _ := strconv.ParseUint(strings.TrimSpace(f[2]), 10, 64)
		raw := f[5]
		nm := strings.TrimLeft(raw, " ")
		code := strings.TrimSpace(f[3])
		rows = append(rows, krakenRow{depth: (len(raw) - len(nm)) / 2, code: code, name: strings.TrimSpace(nm),
			taxid: strings.TrimSpace(f[4]), direct: float64(direct), line: it.n, unclassified: code == "U"})
	}
	if len(rows) == 0 {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("empty Kraken2 report")}
	}
	inferKrakenCodes(rows)
	return krakenLineages(name, rows)
}

// krakenOrder is the order of the rank letters a lineage uses.
const krakenOrder = "DPCOFGS"

// inferKrakenCodes fills empty rank codes from the children, last row
// first (so children are settled before their parents). kraken2 numbers a
// node without a rank after its nearest ranked ancestor ("P1" one level
// below a P), so a child coded X1 makes its uncoded parent X. Otherwise an
// uncoded node whose shallowest ranked child is at rank r sits in the rank
// just above r (a phylum above classes). A node with neither stays
// without a rank.
func inferKrakenCodes(rows []krakenRow) {
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].code != "" || rows[i].unclassified {
			continue
		}
		best := len(krakenOrder)
		for j := i + 1; j < len(rows) && rows[j].depth > rows[i].depth; j++ {
			c := rows[j].code
			if rows[j].depth != rows[i].depth+1 || c == "" {
				continue
			}
			if len(c) == 2 && c[1] == '1' && strings.IndexByte(krakenOrder, c[0]) >= 0 {
				rows[i].code = c[:1]
				break
			}
			if len(c) == 1 {
				if k := strings.IndexByte(krakenOrder, c[0]); k >= 0 {
					best = min(best, k)
				}
			}
		}
		if rows[i].code == "" && best > 0 && best < len(krakenOrder) {
			rows[i].code = krakenOrder[best-1 : best]
		}
	}
}

// krakenLineages builds each row's lineage from its ranked ancestors.
func krakenLineages(name string, rows []krakenRow) ([]krakenNode, error) {
	type frame struct {
		depth int
		names [taxonomy.NumRanks]string
	}
	var stack []frame
	out := make([]krakenNode, 0, len(rows))
	for _, row := range rows {
		node := krakenNode{taxid: row.taxid, direct: row.direct, line: row.line}
		if row.unclassified {
			node.taxid = Unclassified
			out = append(out, node)
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].depth >= row.depth {
			stack = stack[:len(stack)-1]
		}
		var fr frame
		if len(stack) > 0 {
			fr.names = stack[len(stack)-1].names
		}
		fr.depth = row.depth
		if r, ok := krakenRanks[row.code]; ok {
			nm := row.name
			// GTDB-built databases name taxa with their prefix ("p__Firmicutes_A").
			if len(nm) > 3 && nm[1:3] == "__" {
				nm = nm[3:]
			}
			fr.names[r] = nm
			for k := r + 1; k < taxonomy.NumRanks; k++ {
				fr.names[k] = ""
			}
		}
		stack = append(stack, fr)
		var parts []string
		for r := taxonomy.Domain; r < taxonomy.NumRanks; r++ {
			if fr.names[r] != "" {
				parts = append(parts, r.Prefix()+strings.ReplaceAll(fr.names[r], ";", ","))
			}
		}
		l, err := taxonomy.ParseLineage(strings.Join(parts, ";"))
		if err != nil {
			return nil, &ParseError{File: name, Line: row.line, Err: err}
		}
		node.lineage = l
		out = append(out, node)
	}
	return out, nil
}

// readKraken reads a Kraken2 report (or the report Bracken writes with -w):
// each taxon's own reads (column 3) count under its lineage, unclassified
// reads (rank U) under none. Feature ids are taxids ("unclassified" for U).
func readKraken(name string, data []byte, sample string) (*table, error) {
	nodes, err := parseKraken(name, data)
	if err != nil {
		return nil, err
	}
	t := &table{relKnown: true}
	t.addSample(sample, 1)
	for _, n := range nodes {
		f := t.addFeature(n.taxid, n.lineage, n.line)
		if n.direct != 0 {
			t.cols[0] = append(t.cols[0], cell{f, n.direct})
		}
	}
	return t, nil
}

// krakenTaxonomy maps taxids of a Kraken2 report to lineages.
func krakenTaxonomy(name string, data []byte) (map[string]taxonomy.Lineage, error) {
	nodes, err := parseKraken(name, data)
	if err != nil {
		return nil, err
	}
	out := make(map[string]taxonomy.Lineage, len(nodes))
	for _, n := range nodes {
		out[n.taxid] = n.lineage
	}
	return out, nil
}
