package tables

import (
	"errors"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// krakenFields splits a Kraken2 report line into percentage, clade reads,
// taxon reads, rank code, taxid and indented name (the minimizer columns
// of --report-minimizer-data are dropped); ok is false for other lines.
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
	if code == "" || !strings.ContainsRune("URDKPCOFGS-", rune(code[0])) {
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

// parseKraken walks a Kraken2 report: the name's indentation (two spaces
// a level) gives the tree; ranks D, P, C, O, F, G, S name the lineage;
// K (kingdom), R (root) and numbered sub-ranks (G1, S1) add no rank, so
// their reads stay at the nearest ranked ancestor's lineage.
func parseKraken(name string, data []byte) ([]krakenNode, error) {
	type frame struct {
		depth int
		names [taxonomy.NumRanks]string
	}
	var stack []frame
	var out []krakenNode
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
		code := strings.TrimSpace(f[3])
		raw := f[5]
		nm := strings.TrimLeft(raw, " ")
		depth := (len(raw) - len(nm)) / 2
		nm = strings.TrimSpace(nm)
		node := krakenNode{taxid: strings.TrimSpace(f[4]), direct: float64(direct), line: it.n}
		if code == "U" {
			node.taxid = Unclassified
			out = append(out, node)
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].depth >= depth {
			stack = stack[:len(stack)-1]
		}
		var fr frame
		if len(stack) > 0 {
			fr.names = stack[len(stack)-1].names
		}
		fr.depth = depth
		if r, ok := krakenRanks[code]; ok {
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
			return nil, &ParseError{File: name, Line: it.n, Err: err}
		}
		node.lineage = l
		out = append(out, node)
	}
	if len(out) == 0 {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("empty Kraken2 report")}
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
