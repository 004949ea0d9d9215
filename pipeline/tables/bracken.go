package tables

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// readBracken reads Bracken's abundance output (name, taxonomy_id,
// taxonomy_lvl, kraken_assigned_reads, added_reads, new_est_reads,
// fraction_total_reads); counts are new_est_reads. The file holds names,
// not lineages: feature ids are taxids, and lineages come from the Bracken
// report given as ReadOptions.Taxonomy; without it every taxon is
// unclassified in the rank profile (Features keep the counts).
func readBracken(name string, data []byte, sample string) (*table, error) {
	it := lineIter{data: data}
	const want = "name\ttaxonomy_id\ttaxonomy_lvl\tkraken_assigned_reads\tadded_reads\tnew_est_reads\tfraction_total_reads"
	if !it.next() || it.line != want {
		return nil, &ParseError{File: name, Line: 1, Err: fmt.Errorf("header: want %q", want)}
	}
	t := &table{relKnown: true}
	t.addSample(sample, 1)
	for it.next() {
		if strings.TrimSpace(it.line) == "" {
			continue
		}
		f := strings.Split(it.line, "\t")
		if len(f) != 7 {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("%d fields, want 7 as in the header", len(f))}
		}
		v, err := parseCount(f[5])
		if err != nil {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("%s: new_est_reads: %v", truncate(f[0]), err)}
		}
		id := strings.TrimSpace(f[1])
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return nil, &ParseError{File: name, Line: it.n, Err: fmt.Errorf("taxonomy_id %q: want a number", truncate(id))}
		}
		fi := t.addFeature(id, taxonomy.Lineage{}, it.n)
		if v != 0 {
			t.cols[0] = append(t.cols[0], cell{fi, v})
		}
	}
	return t, nil
}
