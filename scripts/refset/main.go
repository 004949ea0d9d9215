// Command refset turns the twin-study genus counts shipped in Bioconductor's
// DirichletMultinomial package (extdata/Twins.csv, extdata/TwinStudy.t) into
// zonula's embedded reference set: per lean sample, the values findings
// compare (metrics.ReferenceValues), computed with zonula's own code.
// scripts/build-reference-set.sh downloads the package and runs it:
//
//	go run ./scripts/refset TWINS.csv TWINSTUDY.t LINEAGES.tsv OUT.tsv
package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/refdb"
)

const (
	name   = "Turnbaugh 2009 twin study, lean women (16S V2, genus level)"
	source = "genus counts of the 61 faecal samples of lean participants (class 0 of TwinStudy.t; about two samples per person, twins and their mothers, US women) from Turnbaugh et al. 2009 (Nature 457:480–484), 16S rRNA V2 454 pyrosequencing classified to RDP genera in 2009, as shipped in Bioconductor DirichletMultinomial 1.40.0 (Debian r-bioc-dirichletmultinomial 1.40.0-1, LGPL-3; Holmes, Harris & Quince 2012); values computed by zonula (scripts/build-reference-set.sh). Short reads, an old classifier and a small, related, single-country group: compare with care."
	note   = "The reference group was sequenced in 2009 with short reads of one 16S region and an older classifier; Enterobacteriaceae and bifidobacteria were found in few of its samples, partly a matter of method, so this position is rough."
)

// leanClass is the TwinStudy.t code of lean samples (the package vignette:
// levels Lean, Obese, Overwt for 0, 1, 2).
const leanClass = 0

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: refset TWINS.csv TWINSTUDY.t LINEAGES.tsv OUT.tsv")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintln(os.Stderr, "refset:", err)
		os.Exit(1)
	}
}

func run(countsPath, classPath, lineagePath, out string) error {
	lineages, err := genusLineages(lineagePath)
	if err != nil {
		return err
	}
	genera, samples, counts, err := readCounts(countsPath)
	if err != nil {
		return err
	}
	classes, err := readClasses(classPath)
	if err != nil {
		return err
	}
	if len(classes) != len(samples) {
		return fmt.Errorf("%s: %d classes for %d samples", classPath, len(classes), len(samples))
	}
	kb, err := knowledge.Load()
	if err != nil {
		return err
	}
	defs := kb.IndexDefs()
	var names []string
	var rows []map[string]float64
	minNamed := -1.0
	for j, s := range samples {
		if classes[j] != leanClass {
			continue
		}
		var taxa []metrics.TaxonReads
		var reads, named float64
		for i, g := range genera {
			c := counts[i][j]
			reads += c
			if g == "" || c == 0 {
				continue // "Uknown": reads not named to a genus
			}
			l, ok := lineages[g]
			if !ok {
				return fmt.Errorf("no lineage for genus %q", g)
			}
			named += c
			taxa = append(taxa, metrics.TaxonReads{Rank: taxonomy.Genus, Lineage: l, Reads: c})
		}
		if minNamed < 0 || named < minNamed {
			minNamed = named
		}
		comp := metrics.NewComposition(reads, taxonomy.Genus, taxa)
		names = append(names, s)
		rows = append(rows, metrics.ReferenceValues(&comp, defs))
	}
	fmt.Fprintf(os.Stderr, "refset: %d lean samples of %d; fewest genus-named reads %g (richness depth %d)\n", len(names), len(samples), minNamed, metrics.RichnessDepth)
	if minNamed < metrics.RichnessDepth {
		return fmt.Errorf("a sample has %g genus-named reads, fewer than the richness depth %d", minNamed, metrics.RichnessDepth)
	}
	return safefile.Write(out, func(w io.Writer) error {
		return metrics.WriteReferenceTSV(w, metrics.ReferenceMeta{Name: name, Source: source, Refs: []string{"R-TUR09", "R-HOL12"}, Note: note}, names, rows)
	})
}

// genusLineages maps genus names to lineages: the embedded database's, then
// the hand-entered table for genera it lacks.
func genusLineages(path string) (map[string]taxonomy.Lineage, error) {
	db, err := refdb.Default()
	if err != nil {
		return nil, err
	}
	m := map[string]taxonomy.Lineage{}
	for _, r := range db.Refs {
		if g := r.Lineage.Name(taxonomy.Genus); g != "" {
			if _, ok := m[g]; !ok {
				m[g] = r.Lineage.Truncate(taxonomy.Genus)
			}
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("%s:%d: %d fields, want 5", path, line, len(f))
		}
		if _, ok := m[f[0]]; ok {
			continue // the database's lineage wins
		}
		m[f[0]] = taxonomy.Lineage{"Bacteria", f[1], f[2], f[3], f[4], f[0]}
	}
	return m, sc.Err()
}

// readCounts reads Twins.csv: a "Taxa" header with sample names, then a row
// per genus. "Uknown" (sic) becomes "" (not named to a genus) and
// "Escherichia/Shigella" becomes "Escherichia".
func readCounts(path string) (genera, samples []string, counts [][]float64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	recs, err := r.ReadAll()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) < 2 || recs[0][0] != "Taxa" {
		return nil, nil, nil, fmt.Errorf("%s: no Taxa header", path)
	}
	samples = recs[0][1:]
	for i, rec := range recs[1:] {
		g := rec[0]
		switch g {
		case "Uknown", "Unknown":
			g = ""
		case "Escherichia/Shigella":
			g = "Escherichia"
		}
		row := make([]float64, len(samples))
		for j, s := range rec[1:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 || v != float64(int64(v)) {
				return nil, nil, nil, fmt.Errorf("%s:%d: count %q is not a whole number", path, i+2, s)
			}
			row[j] = v
		}
		genera = append(genera, g)
		counts = append(counts, row)
	}
	return genera, samples, counts, nil
}

// readClasses reads TwinStudy.t: one class code per sample, in Twins.csv's
// column order.
func readClasses(path string) ([]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []int
	for i, s := range strings.Fields(string(b)) {
		v, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: class %q is not a number", path, i+1, s)
		}
		out = append(out, v)
	}
	return out, nil
}
