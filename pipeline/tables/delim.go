package tables

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

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
	d := &delimited{name: name, recs: recs, lines: lines, header: header}
	if orient == OrientAuto {
		orient = guessOrientation(header)
	}
	if orient == SamplesAsRows {
		return d.samplesAsRows()
	}
	return d.taxaAsRows(sample)
}

// delimited is a TSV/CSV table split into records, the trimmed header first.
type delimited struct {
	name   string
	recs   [][]string
	lines  []int // line of each record
	header []string
}

// fail returns a *ParseError at record i's line.
func (d *delimited) fail(i int, format string, args ...any) error {
	return &ParseError{File: d.name, Line: d.lines[i], Err: fmt.Errorf(format, args...)}
}

// guessOrientation says samples are rows when the first header cell names
// samples or when at least half of the other cells are lineages.
func guessOrientation(header []string) Orientation {
	first := strings.ToLower(header[0])
	lineageCols := 0
	for _, h := range header[1:] {
		if looksLikeLineage(h) {
			lineageCols++
		}
	}
	if containsFold(sampleHeaders, first) || lineageCols > 0 && lineageCols >= (len(header)-1)/2 {
		return SamplesAsRows
	}
	return TaxaAsRows
}

// samplesAsRows reads a table with one row per sample: the header names
// the features (parsed as lineages when they look like one).
func (d *delimited) samplesAsRows() (*table, error) {
	t := &table{}
	header := d.header
	for j, h := range header[1:] {
		l, err := idLineage(h)
		if err != nil {
			return nil, d.fail(0, "column %d (%s): %v", j+2, truncate(h), err)
		}
		t.addFeature(h, l, d.lines[0])
	}
	for i, rec := range d.recs[1:] {
		i++
		if len(rec) != len(header) {
			return nil, d.fail(i, "%d fields, want %d as in the header (line %d)", len(rec), len(header), d.lines[0])
		}
		s := t.addSample(strings.TrimSpace(rec[0]), d.lines[i])
		for j, v := range rec[1:] {
			x, err := parseCount(v)
			if err != nil {
				return nil, d.fail(i, "sample %s, %s: %v", rec[0], truncate(header[j+1]), err)
			}
			if x != 0 {
				t.cols[s] = append(t.cols[s], cell{j, x})
			}
		}
	}
	t.featureLine = make([]int, len(t.features)) // features all sit on the header
	return t, nil
}

// taxaLayout says what the columns of a taxa-as-rows table hold.
type taxaLayout struct {
	idCol       int                   // the feature id
	taxCol      int                   // a lineage column, -1 if none
	firstSample int                   // the first column that may be a sample
	rankCols    map[taxonomy.Rank]int // rank columns spelling the lineage; nil unless two or more
	labelCols   map[int]bool          // rank and label columns (tax_id, clade, ...): not samples
	sampleCols  []int                 // the count column of each sample
}

// taxaAsRows reads a table with one row per feature and one count column
// per sample.
func (d *delimited) taxaAsRows(sample string) (*table, error) {
	t := &table{}
	lay := taxaColumns(d.header)
	d.addSamples(t, &lay, sample)
	for i, rec := range d.recs[1:] {
		i++
		if len(rec) != len(d.header) {
			return nil, d.fail(i, "%d fields, want %d as in the header (line %d)", len(rec), len(d.header), d.lines[0])
		}
		id, l, err := featureOf(rec, &lay)
		if id == "" {
			return nil, d.fail(i, "empty feature id in the first column")
		}
		if err != nil {
			return nil, d.fail(i, "feature %s: %v", truncate(id), err)
		}
		f := t.addFeature(id, l, d.lines[i])
		for s, j := range lay.sampleCols {
			x, err := parseCount(rec[j])
			if err != nil {
				return nil, d.fail(i, "feature %s, sample %s: %v", truncate(id), d.header[j], err)
			}
			if x != 0 {
				t.cols[s] = append(t.cols[s], cell{f, x})
			}
		}
	}
	return t, nil
}

// taxaColumns finds the id, lineage, rank and label columns of a
// taxa-as-rows header.
func taxaColumns(header []string) taxaLayout {
	lay := taxaLayout{taxCol: -1, firstSample: 1, rankCols: map[taxonomy.Rank]int{}, labelCols: map[int]bool{}}
	if len(header) > 3 && strings.Join(header[:3], "\t") == CombinedTSVPrefix {
		// WriteCombinedTSV's table: rank and taxon are labels, the
		// lineage (empty for unclassified) identifies the taxon.
		lay.taxCol, lay.idCol, lay.firstSample = 2, 2, 3
	} else {
		for _, want := range lineageHeaders {
			for j, h := range header[1:] {
				if lay.taxCol < 0 && strings.EqualFold(h, want) {
					lay.taxCol = j + 1
				}
			}
		}
	}
	// Rank columns (Emu's combine-outputs tables: species, genus, ...,
	// superkingdom, then one column per sample) spell the lineage.
	for j, h := range header {
		h = strings.ToLower(h)
		if r, ok := emuRanks[h]; ok {
			lay.rankCols[r] = j
			lay.labelCols[j] = true
		}
		switch h {
		case "tax_id", "taxid", "clade", "subspecies", "species subgroup", "species group", "confidence":
			lay.labelCols[j] = true
		}
	}
	if len(lay.rankCols) < 2 {
		lay.rankCols = nil
	}
	return lay
}

// addSamples finds the sample columns of a taxa-as-rows table and adds
// their samples to t. emu collapse-taxonomy's tables (rank columns, then
// "abundance" and, with --keep-counts, "estimated counts") hold one sample,
// named sample.
func (d *delimited) addSamples(t *table, lay *taxaLayout, sample string) {
	header := d.header
	emuAbundance, emuCounts := -1, -1
	if lay.rankCols != nil {
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
		lay.sampleCols = []int{emuCounts}
		t.relKnown = true
	case emuAbundance >= 0:
		lay.sampleCols = []int{emuAbundance}
		t.relative, t.relKnown = true, true
	}
	if lay.sampleCols != nil {
		t.addSample(sample, d.lines[0])
		return
	}
	for j := lay.firstSample; j < len(header); j++ {
		if j == lay.taxCol || lay.labelCols[j] && (lay.rankCols != nil || strings.EqualFold(header[j], "confidence")) {
			continue
		}
		lay.sampleCols = append(lay.sampleCols, j)
		t.addSample(header[j], d.lines[0])
	}
}

// featureOf returns the id and lineage of a taxa-as-rows record; an empty
// id is an error for the caller to report, before err.
func featureOf(rec []string, lay *taxaLayout) (string, taxonomy.Lineage, error) {
	id := strings.TrimSpace(rec[lay.idCol])
	var l taxonomy.Lineage
	var err error
	switch {
	case lay.rankCols != nil:
		s := rankLineage(rec, lay.rankCols)
		l, err = taxonomy.ParseLineage(s)
		// The id is the lineage spelled out: a rank column may be
		// empty or repeat (the same species name in two genera).
		id = s
		if l.Depth() == taxonomy.NoRank {
			id = strings.TrimSpace(rec[0])
			if id == "" {
				id = Unclassified
			}
		}
	case lay.taxCol >= 0:
		l, err = taxonomy.ParseLineage(rec[lay.taxCol])
	default:
		l, err = idLineage(id)
	}
	if id == "" && lay.idCol == 2 {
		id = Unclassified
	}
	return id, l, err
}
