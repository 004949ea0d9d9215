package tables

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// TSVHeader is the first line of abundance.tsv (contract).
const TSVHeader = "rank\ttaxon\tlineage\treads\tfraction"

// WriteTSV writes p as abundance.tsv (contract): the TSVHeader line, then one
// line per Row in p's order with
//
//	rank      the rank name ("genus")
//	taxon     Row.Taxon ("Faecalibacterium", or "unclassified")
//	lineage   Row.Lineage.String() ("d__Bacteria;...;g__Faecalibacterium"); empty for unclassified
//	reads     an integer when Reads is whole ("1042"), else with 4 decimals ("12.3457")
//	fraction  with 6 decimals ("0.104200")
//
// separated by tabs and ended by "\n". The output depends only on p. Tabs or
// newlines inside a taxon name, a rank outside Domain..Species, or a negative
// or non-finite number are errors, since they cannot be read back; nothing
// after the bad row is written.
func WriteTSV(w io.Writer, p *Profile) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(TSVHeader)
	bw.WriteByte('\n')
	var line []byte
	for i, row := range p.Rows {
		if err := checkRow(row); err != nil {
			bw.Flush()
			return fmt.Errorf("tables: row %d: %w", i+1, err)
		}
		line = line[:0]
		line = append(line, row.Rank.String()...)
		line = append(line, '\t')
		line = append(line, row.Taxon...)
		line = append(line, '\t')
		line = append(line, row.Lineage.String()...)
		line = append(line, '\t')
		line = appendReads(line, row.Reads)
		line = append(line, '\t')
		line = strconv.AppendFloat(line, row.Fraction, 'f', 6, 64)
		line = append(line, '\n')
		bw.Write(line)
	}
	return bw.Flush()
}

// checkRow rejects rows WriteTSV or WriteBIOM could not write faithfully.
func checkRow(row Row) error {
	if row.Rank < taxonomy.Domain || row.Rank >= taxonomy.NumRanks {
		return fmt.Errorf("rank %d is not one of domain..species", int(row.Rank))
	}
	if row.Taxon == "" || strings.ContainsAny(row.Taxon, "\t\r\n") {
		return fmt.Errorf("taxon %q: want a non-empty name without tabs or newlines", row.Taxon)
	}
	for _, n := range row.Lineage {
		if strings.ContainsAny(n, "\t\r\n;") {
			return fmt.Errorf("lineage name %q contains a tab, newline or ';'", n)
		}
	}
	if !finiteNonNeg(row.Reads) {
		return fmt.Errorf("%s: reads %v: want a finite count ≥ 0", row.Taxon, row.Reads)
	}
	if !finiteNonNeg(row.Fraction) {
		return fmt.Errorf("%s: fraction %v: want a finite value ≥ 0", row.Taxon, row.Fraction)
	}
	return nil
}

// appendReads formats a read count: integral values without decimals,
// fractional ones (EM at species rank) with 4.
func appendReads(b []byte, v float64) []byte {
	if isWhole(v) {
		return strconv.AppendFloat(b, v, 'f', 0, 64)
	}
	return strconv.AppendFloat(b, v, 'f', 4, 64)
}

// ReadTSV reads an abundance.tsv written by WriteTSV; name is used in errors
// only ("abundance.tsv:12: ..."). It accepts "\r\n" line ends and a missing
// final newline, and keeps the rows in file order. Profile.Sample is left
// empty, as the file does not hold it; the caller sets it.
//
// Every line is checked, and the first problem is returned as a *ParseError
// giving the line and what was expected: the exact header; five tab-separated
// fields; a rank name; a non-empty taxon; a lineage in the d__/p__/... form
// that, except on unclassified rows (which have none), reaches exactly the
// row's rank and ends in the taxon; reads and fraction that are finite
// numbers ≥ 0; no blank lines; no two rows with the same rank and lineage. An
// empty input is an error.
func ReadTSV(r io.Reader, name string) (*Profile, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	p := &Profile{}
	lineNo := 0
	fail := func(format string, args ...any) error {
		return &ParseError{File: name, Line: lineNo, Err: fmt.Errorf(format, args...)}
	}
	type key struct {
		rank taxonomy.Rank
		lin  taxonomy.Lineage
	}
	seen := map[key]int{}
	for sc.Scan() {
		lineNo++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if lineNo == 1 {
			if line != TSVHeader {
				return nil, fail("header %q: want %q", truncate(line), TSVHeader)
			}
			continue
		}
		if line == "" {
			return nil, fail("blank line: want %s", "rank<TAB>taxon<TAB>lineage<TAB>reads<TAB>fraction")
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fail("%d tab-separated fields, want 5 (rank, taxon, lineage, reads, fraction)", len(f))
		}
		rank, err := taxonomy.ParseRank(f[0])
		if err != nil {
			return nil, fail("%v", err)
		}
		row := Row{Rank: rank, Taxon: f[1]}
		if row.Taxon == "" {
			return nil, fail("empty taxon: want a name or %q", Unclassified)
		}
		if row.Lineage, err = taxonomy.ParsePrefixed(f[2]); err != nil {
			return nil, fail("%v", err)
		}
		switch d := row.Lineage.Depth(); {
		case row.Lineage.Truncate(d) != row.Lineage:
			return nil, fail("lineage %q skips a rank: want every rank from d__ down to %s", f[2], rank)
		case row.Taxon == Unclassified && d == taxonomy.NoRank:
		case d != rank:
			return nil, fail("lineage %q reaches %s, want it to end at the row's rank %s", f[2], d, rank)
		case row.Lineage[rank] != row.Taxon:
			return nil, fail("lineage %q ends in %q, want the taxon %q", f[2], row.Lineage[rank], row.Taxon)
		}
		if row.Reads, err = parseNonNeg(f[3]); err != nil {
			return nil, fail("reads %q: %v", f[3], err)
		}
		if row.Fraction, err = parseNonNeg(f[4]); err != nil {
			return nil, fail("fraction %q: %v", f[4], err)
		}
		k := key{rank, row.Lineage}
		if prev, dup := seen[k]; dup {
			return nil, fail("%s %q repeats line %d", rank, row.Taxon, prev)
		}
		seen[k] = lineNo
		p.Rows = append(p.Rows, row)
	}
	if err := sc.Err(); err != nil {
		lineNo++
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fail("line longer than 16 MiB")
		}
		return nil, &ParseError{File: name, Line: lineNo, Err: err}
	}
	if lineNo == 0 {
		return nil, &ParseError{File: name, Line: 1, Err: fmt.Errorf("empty file: want the header %q", TSVHeader)}
	}
	return p, nil
}

func parseNonNeg(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !finiteNonNeg(v) {
		return 0, errors.New("want a finite number ≥ 0")
	}
	return v, nil
}

// readZonula reads zonula's abundance.tsv. Each taxon's own reads (its
// reads at its rank minus those of its children at the next rank) become a
// feature with its lineage, and the domain rank's unclassified reads a
// feature with an empty lineage, so the profile rebuilt from the features
// equals the file's at every rank.
func readZonula(name string, data []byte, sample string) (*table, error) {
	p, err := ReadTSV(bytes.NewReader(data), name)
	if err != nil {
		return nil, err
	}
	t := &table{relKnown: true}
	t.addSample(sample, 0)
	children := map[taxonomy.Lineage]float64{}
	for _, r := range p.Rows {
		if r.Rank > taxonomy.Domain && r.Lineage.Depth() == r.Rank {
			children[r.Lineage.Truncate(r.Rank-1)] += r.Reads
		}
	}
	for i, r := range p.Rows {
		var own float64
		id := r.Lineage.String()
		switch {
		case r.Lineage.Depth() == taxonomy.NoRank:
			if r.Rank != taxonomy.Domain {
				continue
			}
			own, id = r.Reads, Unclassified
		default:
			own = r.Reads - children[r.Lineage]
			if own < 1e-9*max(1, r.Reads) {
				continue
			}
		}
		if own == 0 {
			continue
		}
		if math.Abs(own-math.Round(own)) < 1e-6 {
			own = math.Round(own) // undo float error in the subtraction
		}
		f := t.addFeature(id, r.Lineage, i+2)
		t.cols[0] = append(t.cols[0], cell{f, own})
	}
	return t, nil
}
