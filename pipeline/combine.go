package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
)

// CombineInput is one finished sample: its name and the directory holding
// the outputs Run wrote (abundance.tsv and qc.json are read).
type CombineInput struct {
	Sample, Dir string
}

// SampleFromDir returns the CombineInput of a directory Run wrote, named by
// the "sample" field of its qc.json.
func SampleFromDir(dir string) (CombineInput, error) {
	q, err := readQCRecord(filepath.Join(dir, "qc.json"))
	if err != nil {
		return CombineInput{}, err
	}
	if q.Sample == "" {
		return CombineInput{}, fmt.Errorf("%s: no sample name", filepath.Join(dir, "qc.json"))
	}
	return CombineInput{Sample: q.Sample, Dir: dir}, nil
}

// genusMatrix is a sparse taxa × samples table of genus read counts.
type genusMatrix struct {
	samples []string
	cells   map[string]map[int]float64 // lineage string ("unclassified" for the rest) → sample index → reads
	total   map[string]float64
}

// Combine reads the genus rows of each sample's abundance.tsv and its
// qc.json, one sample at a time, and writes into outDir:
//
//   - abundance-genus.tsv: one row per genus found in any sample, the
//     column "lineage" (d__…;g__Name, or "unclassified" for reads not
//     classified to genus, last) then one column of reads per sample in
//     input order; rows by total reads over all samples, descending, then
//     by lineage; counts as integers when whole, else with up to 6 decimals;
//   - abundance-genus.biom: the same table as BIOM 1.0 JSON (sparse, a
//     "taxonomy" list per row, columns the samples, "date" the Unix epoch
//     for reproducible bytes; the row ids are the lineage strings);
//   - zonula_qc_mqc.tsv: MultiQC custom content (plot_type generalstats)
//     with per-sample input reads, passed reads, % passed, N50, mean Q and
//     % classified to genus, which `multiqc DIR` adds to its General
//     Statistics table.
//
// Memory holds the combined table only (at most genera × samples cells).
// Sample names must be unique. It returns the file names written.
func Combine(outDir string, samples []CombineInput, generatedBy string) ([]string, error) {
	if len(samples) == 0 {
		return nil, errors.New("combine: no samples")
	}
	m := genusMatrix{cells: map[string]map[int]float64{}, total: map[string]float64{}}
	var qcs []*qcRecord
	seen := map[string]bool{}
	for i, s := range samples {
		if seen[s.Sample] {
			return nil, fmt.Errorf("combine: sample %q given twice", s.Sample)
		}
		seen[s.Sample] = true
		m.samples = append(m.samples, s.Sample)
		path := filepath.Join(s.Dir, "abundance.tsv")
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		p, err := tables.ReadTSV(f, path)
		f.Close()
		if err != nil {
			return nil, err
		}
		for _, row := range p.AtRank(taxonomy.Genus) {
			key := tables.Unclassified
			if row.Taxon != tables.Unclassified {
				key = row.Lineage.String()
			}
			if m.cells[key] == nil {
				m.cells[key] = map[int]float64{}
			}
			m.cells[key][i] += row.Reads
			m.total[key] += row.Reads
		}
		q, err := readQCRecord(filepath.Join(s.Dir, "qc.json"))
		if err != nil {
			return nil, err
		}
		qcs = append(qcs, q)
	}
	rows := m.order()
	var files []string
	for _, out := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{CombinedGenusTSV, func(w io.Writer) error { return m.writeTSV(w, rows) }},
		{CombinedGenusBIOM, func(w io.Writer) error { return m.writeBIOM(w, rows, generatedBy) }},
		{CombinedMultiQCTSV, func(w io.Writer) error { return writeMultiQCTSV(w, m.samples, qcs) }},
	} {
		if err := safefile.Write(filepath.Join(outDir, out.name), out.write); err != nil {
			return files, fmt.Errorf("%s: %w", out.name, err)
		}
		files = append(files, out.name)
	}
	return files, nil
}

// order returns the row keys: by total reads descending, then lineage;
// unclassified last.
func (m *genusMatrix) order() []string {
	keys := slices.Collect(maps.Keys(m.cells))
	slices.SortFunc(keys, func(a, b string) int {
		if (a == tables.Unclassified) != (b == tables.Unclassified) {
			if a == tables.Unclassified {
				return 1
			}
			return -1
		}
		if m.total[a] != m.total[b] {
			if m.total[a] > m.total[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return keys
}

func appendCount(b []byte, v float64) []byte {
	if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
		return strconv.AppendFloat(b, v, 'f', 0, 64)
	}
	b = strconv.AppendFloat(b, v, 'f', 6, 64)
	b = bytes.TrimRight(b, "0")
	return bytes.TrimSuffix(b, []byte("."))
}

func (m *genusMatrix) writeTSV(w io.Writer, rows []string) error {
	var b []byte
	b = append(b, "lineage"...)
	for _, s := range m.samples {
		b = append(b, '\t')
		b = append(b, s...)
	}
	b = append(b, '\n')
	for _, key := range rows {
		b = append(b, key...)
		for j := range m.samples {
			b = append(b, '\t')
			b = appendCount(b, m.cells[key][j])
		}
		b = append(b, '\n')
		if len(b) > 1<<16 {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	_, err := w.Write(b)
	return err
}

// writeBIOM writes the table as BIOM 1.0 JSON, keys in the order of the
// format's documentation, compact, on one line.
func (m *genusMatrix) writeBIOM(w io.Writer, rows []string, generatedBy string) error {
	integer := true
	for _, key := range rows {
		for _, v := range m.cells[key] {
			integer = integer && v == math.Trunc(v)
		}
	}
	js := func(s string) []byte {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(s) // a string always encodes
		return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	}
	var b []byte
	b = append(b, `{"id":"zonula combined genus table","format":"Biological Observation Matrix 1.0.0","format_url":"http://biom-format.org","type":"OTU table","generated_by":`...)
	b = append(b, js(generatedBy)...)
	b = append(b, `,"date":"`...)
	b = append(b, biomDate.Format(tables.BIOMDateLayout)...)
	b = append(b, `","rows":[`...)
	for i, key := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = append(b, js(key)...)
		b = append(b, `,"metadata":{"taxonomy":[`...)
		tax := []string{tables.Unclassified}
		if key != tables.Unclassified {
			l, err := taxonomy.ParsePrefixed(key)
			if err != nil {
				return err
			}
			tax = tax[:0]
			for r := taxonomy.Domain; r <= l.Depth(); r++ {
				tax = append(tax, r.Prefix()+l[r])
			}
		}
		for j, t := range tax {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, js(t)...)
		}
		b = append(b, "]}}"...)
	}
	b = append(b, `],"columns":[`...)
	for j, s := range m.samples {
		if j > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = append(b, js(s)...)
		b = append(b, `,"metadata":null}`...)
	}
	elem := "int"
	if !integer {
		elem = "float"
	}
	b = append(b, `],"matrix_type":"sparse","matrix_element_type":"`...)
	b = append(b, elem...)
	b = append(b, `","shape":[`...)
	b = strconv.AppendInt(b, int64(len(rows)), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(len(m.samples)), 10)
	b = append(b, `],"data":[`...)
	first := true
	for i, key := range rows {
		for j := range m.samples {
			v := m.cells[key][j]
			if v == 0 {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(j), 10)
			b = append(b, ',')
			if integer {
				b = strconv.AppendFloat(b, v, 'f', 0, 64)
			} else {
				b = strconv.AppendFloat(b, v, 'f', -1, 64)
				if !bytes.ContainsAny(b[bytes.LastIndexByte(b, ',')+1:], ".e") {
					b = append(b, ".0"...)
				}
			}
			b = append(b, ']')
		}
	}
	b = append(b, "]}\n"...)
	_, err := w.Write(b)
	return err
}

// multiqcHeader configures the General Statistics columns of
// zonula_qc_mqc.tsv (MultiQC custom content, YAML in '#' comment lines).
const multiqcHeader = `# id: 'zonula_batch'
# section_name: 'zonula'
# description: 'Read counts, quality and classification per sample, from zonula batch.'
# plot_type: 'generalstats'
# pconfig:
#     - input_reads:
#         title: 'Reads'
#         description: 'Input reads (zonula)'
#         format: '{:,.0f}'
#         min: 0
#         scale: 'Blues'
#     - passed_reads:
#         title: 'Passed'
#         description: 'Reads that passed zonula QC'
#         format: '{:,.0f}'
#         min: 0
#         scale: 'Greens'
#     - passed_pct:
#         title: '% Passed'
#         description: 'Share of input reads that passed QC'
#         suffix: '%'
#         format: '{:,.1f}'
#         min: 0
#         max: 100
#         scale: 'RdYlGn'
#     - n50:
#         title: 'N50'
#         description: 'Read length N50 of the input reads (bases)'
#         suffix: ' bp'
#         format: '{:,.0f}'
#         min: 0
#         scale: 'Purples'
#     - mean_q:
#         title: 'Mean Q'
#         description: 'Mean read quality (Phred); empty for FASTA input'
#         format: '{:,.1f}'
#         min: 0
#         max: 60
#         scale: 'RdYlGn'
#     - genus_pct:
#         title: '% Genus'
#         description: 'Share of passed reads classified to genus or deeper'
#         suffix: '%'
#         format: '{:,.1f}'
#         min: 0
#         max: 100
#         scale: 'RdYlGn'
`

// writeMultiQCTSV writes the per-sample QC numbers as MultiQC custom
// content (multiqcHeader, then "Sample" and one column per pconfig entry;
// percentages and quality with 2 decimals, empty where not defined).
func writeMultiQCTSV(w io.Writer, samples []string, qcs []*qcRecord) error {
	var b bytes.Buffer
	b.WriteString(multiqcHeader)
	b.WriteString("Sample\tinput_reads\tpassed_reads\tpassed_pct\tn50\tmean_q\tgenus_pct\n")
	pct := func(a, n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatFloat(100*float64(a)/float64(n), 'f', 2, 64)
	}
	for i, q := range qcs {
		s := q.Summary
		meanQ := ""
		if s.HasQualities {
			meanQ = strconv.FormatFloat(s.MeanQuality, 'f', 2, 64)
		}
		fmt.Fprintf(&b, "%s\t%d\t%d\t%s\t%d\t%s\t%s\n", samples[i], s.InputReads, s.PassedReads, pct(s.PassedReads, s.InputReads),
			s.N50, meanQ, pct(q.Classification.AssignedAt[taxonomy.Genus], q.Classification.Reads))
	}
	_, err := w.Write(b.Bytes())
	return err
}
