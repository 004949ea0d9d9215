package tables

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// parseFloat reads a decimal number ("12", "0.5", "1e3", "-2"); unlike
// strconv.ParseFloat it refuses "NaN", "Inf", hex and underscores.
func parseFloat(s string) (float64, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+') {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseFloat(s, 64)
}

// records splits a delimited text into records with their line numbers.
// Tabs: split on '\t' without quoting (as QIIME and R write TSV). Commas:
// RFC 4180 via encoding/csv.
func records(name string, data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var header string
	it := lineIter{data: data}
	for it.next() {
		if strings.TrimSpace(it.line) == "" || isComment(it.line) {
			continue
		}
		header = it.line
		break
	}
	var recs [][]string
	var lines []int
	if strings.Contains(header, "\t") || !strings.Contains(header, ",") {
		it := lineIter{data: data}
		for it.next() {
			if strings.TrimSpace(it.line) == "" || isComment(it.line) {
				continue
			}
			recs = append(recs, strings.Split(it.line, "\t"))
			lines = append(lines, it.n)
		}
		return recs, lines, nil
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.Comment = 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, &ParseError{File: name, Line: pe.Line, Err: pe.Err}
			}
			return nil, nil, &ParseError{File: name, Err: err}
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" || len(rec) > 0 && isComment(rec[0]) && len(recs) == 0 {
			continue
		}
		recs = append(recs, rec)
		lines = append(lines, line)
	}
	return recs, lines, nil
}

// isComment reports whether a line before the header is a comment: '#'
// lines other than the "#OTU ID" / "#SampleID" / "#NAME" headers.
func isComment(l string) bool {
	if !strings.HasPrefix(l, "#") {
		return false
	}
	h := strings.ToLower(strings.SplitN(strings.SplitN(l, "\t", 2)[0], ",", 2)[0])
	switch h {
	case "#otu id", "#otuid", "#sampleid", "#sample id", "#name", "#feature id", "#taxon", "#clade_name":
		return false
	}
	return true
}

var sampleHeaders = []string{"sample", "samples", "sample_id", "sampleid", "#sampleid", "#sample id", "sample id", "group", "sample_name", "id"}

// lineageHeaders name a lineage column, in order of preference.
var lineageHeaders = []string{"taxonomy", "lineage", "consensus lineage", "consensus_lineage", "taxon", "tax"}

// readDelimited reads a TSV/CSV abundance table.
func readDelimited(name string, data []byte, orient Orientation, sample string) (*table, error) {
	recs, lines, err := records(name, data)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, &ParseError{File: name, Line: 1, Err: errors.New("no header line: want a table with ids in the first column and one column per sample (or per taxon)")}
	}
	header := recs[0]
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	if len(header) < 2 {
		return nil, &ParseError{File: name, Line: lines[0], Err: fmt.Errorf("header %q has one column: want ids plus at least one sample or taxon column (tab- or comma-separated)", truncate(strings.Join(header, "")))}
	}
	if orient == OrientAuto {
		orient = TaxaAsRows
		first := strings.ToLower(header[0])
		lineageCols := 0
		for _, h := range header[1:] {
			if looksLikeLineage(h) {
				lineageCols++
			}
		}
		if containsFold(sampleHeaders, first) || lineageCols > 0 && lineageCols >= (len(header)-1)/2 {
			orient = SamplesAsRows
		}
	}
	t := &table{}
	fail := func(i int, format string, args ...any) error {
		return &ParseError{File: name, Line: lines[i], Err: fmt.Errorf(format, args...)}
	}
	if orient == SamplesAsRows {
		for j, h := range header[1:] {
			l, err := idLineage(h)
			if err != nil {
				return nil, fail(0, "column %d (%s): %v", j+2, truncate(h), err)
			}
			t.addFeature(h, l, lines[0])
		}
		for i, rec := range recs[1:] {
			i++
			if len(rec) != len(header) {
				return nil, fail(i, "%d fields, want %d as in the header (line %d)", len(rec), len(header), lines[0])
			}
			s := t.addSample(strings.TrimSpace(rec[0]), lines[i])
			for j, v := range rec[1:] {
				x, err := parseCount(v)
				if err != nil {
					return nil, fail(i, "sample %s, %s: %v", rec[0], truncate(header[j+1]), err)
				}
				if x != 0 {
					t.cols[s] = append(t.cols[s], cell{j, x})
				}
			}
		}
		t.featureLine = make([]int, len(t.features)) // features all sit on the header
		return t, nil
	}
	taxCol, idCol, firstSample := -1, 0, 1
	if len(header) > 3 && strings.Join(header[:3], "\t") == CombinedTSVPrefix {
		// WriteCombinedTSV's table: rank and taxon are labels, the
		// lineage (empty for unclassified) identifies the taxon.
		taxCol, idCol, firstSample = 2, 2, 3
	} else {
		for _, want := range lineageHeaders {
			for j, h := range header[1:] {
				if taxCol < 0 && strings.EqualFold(h, want) {
					taxCol = j + 1
				}
			}
		}
	}
	// Rank columns (Emu's combine-outputs tables: species, genus, ...,
	// superkingdom, then one column per sample) spell the lineage.
	rankCols := map[taxonomy.Rank]int{}
	labelCols := map[int]bool{}
	for j, h := range header {
		h = strings.ToLower(h)
		if r, ok := emuRanks[h]; ok {
			rankCols[r] = j
			labelCols[j] = true
		}
		switch h {
		case "tax_id", "taxid", "clade", "subspecies", "species subgroup", "species group", "confidence":
			labelCols[j] = true
		}
	}
	if len(rankCols) < 2 {
		rankCols = nil
	}
	var sampleCols []int
	// emu collapse-taxonomy: rank columns, then "abundance" and, with
	// --keep-counts, "estimated counts" of one sample.
	emuAbundance, emuCounts := -1, -1
	if rankCols != nil {
		for j, h := range header {
			switch h {
			case "abundance":
				emuAbundance = j
			case "estimated counts":
				emuCounts = j
			}
		}
	}
	switch {
	case emuCounts >= 0:
		sampleCols = []int{emuCounts}
		t.relKnown = true
	case emuAbundance >= 0:
		sampleCols = []int{emuAbundance}
		t.relative, t.relKnown = true, true
	}
	emuCollapsed := sampleCols != nil
	if emuCollapsed {
		t.addSample(sample, lines[0])
	}
	for j := firstSample; j < len(header) && !emuCollapsed; j++ {
		if j == taxCol || labelCols[j] && (rankCols != nil || strings.EqualFold(header[j], "confidence")) {
			continue
		}
		sampleCols = append(sampleCols, j)
		t.addSample(header[j], lines[0])
	}
	for i, rec := range recs[1:] {
		i++
		if len(rec) != len(header) {
			return nil, fail(i, "%d fields, want %d as in the header (line %d)", len(rec), len(header), lines[0])
		}
		id := strings.TrimSpace(rec[idCol])
		var l taxonomy.Lineage
		var err error
		switch {
		case rankCols != nil:
			var parts []string
			for r := taxonomy.Domain; r < taxonomy.NumRanks; r++ {
				if j, ok := rankCols[r]; ok {
					parts = append(parts, r.Prefix()+strings.TrimSpace(rec[j]))
				}
			}
			l, err = taxonomy.ParseLineage(strings.Join(parts, ";"))
			// The id is the lineage spelled out: a rank column may be
			// empty or repeat (the same species name in two genera).
			id = strings.Join(parts, ";")
			if l.Depth() == taxonomy.NoRank {
				id = strings.TrimSpace(rec[0])
				if id == "" {
					id = Unclassified
				}
			}
		case taxCol >= 0:
			l, err = taxonomy.ParseLineage(rec[taxCol])
		default:
			l, err = idLineage(id)
		}
		if id == "" && idCol == 2 {
			id = Unclassified
		}
		if id == "" {
			return nil, fail(i, "empty feature id in the first column")
		}
		if err != nil {
			return nil, fail(i, "feature %s: %v", truncate(id), err)
		}
		f := t.addFeature(id, l, lines[i])
		for s, j := range sampleCols {
			x, err := parseCount(rec[j])
			if err != nil {
				return nil, fail(i, "feature %s, sample %s: %v", truncate(id), header[j], err)
			}
			if x != 0 {
				t.cols[s] = append(t.cols[s], cell{f, x})
			}
		}
	}
	return t, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
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
