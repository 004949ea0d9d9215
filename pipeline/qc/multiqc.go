package qc

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zonula/zonula/pipeline/safefile"
)

// MultiQC custom-content section ids. Files from many samples with the same
// id are merged by MultiQC into one table column set or one plot.
const (
	MultiQCGeneralID = "zonula_general_stats"
	MultiQCLengthsID = "zonula_read_lengths"
)

type mqcColumn struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Format      string   `json:"format,omitempty"`
	Suffix      string   `json:"suffix,omitempty"`
	Min         *float64 `json:"min,omitempty"`
	Max         *float64 `json:"max,omitempty"`
	Scale       string   `json:"scale,omitempty"`
}

type mqcSection struct {
	ID          string         `json:"id"`
	SectionName string         `json:"section_name"`
	Description string         `json:"description"`
	PlotType    string         `json:"plot_type"`
	PConfig     any            `json:"pconfig"`
	Data        map[string]any `json:"data"`
	Namespace   string         `json:"namespace,omitempty"`
}

func ptr(f float64) *float64 { return &f }

// generalColumn is one column of zonula's General Statistics section.
type generalColumn struct {
	key string
	mqcColumn
}

// generalColumns returns the General Statistics columns, in order: mean
// quality only when some reads had qualities, primer share only when
// primers were searched.
func generalColumns(qualities, primers bool) []generalColumn {
	cols := []generalColumn{
		{"reads", mqcColumn{Title: "Reads", Description: "Input reads (zonula)", Format: "{:,.0f}", Min: ptr(0), Scale: "Blues"}},
		{"passed", mqcColumn{Title: "Passed", Description: "Reads that passed zonula's filters", Format: "{:,.0f}", Min: ptr(0), Scale: "Greens"}},
		{"passed_pct", mqcColumn{Title: "% Passed", Description: "Share of input reads that passed the filters", Suffix: "%", Format: "{:,.1f}", Min: ptr(0), Max: ptr(100), Scale: "RdYlGn"}},
		{"n50", mqcColumn{Title: "N50", Description: "Read length N50 of the input reads (bases)", Format: "{:,.0f}", Suffix: " bp", Min: ptr(0), Scale: "Purples"}},
	}
	if qualities {
		cols = append(cols, generalColumn{"mean_q", mqcColumn{Title: "Mean Q", Description: "Mean read quality (Phred of the mean error probability, averaged over reads)", Format: "{:,.1f}", Min: ptr(0), Max: ptr(60), Scale: "RdYlGn"}})
	}
	if primers {
		cols = append(cols, generalColumn{"primers_pct", mqcColumn{Title: "% Primers", Description: "Share of reads in which a 16S primer was found", Suffix: "%", Format: "{:,.1f}", Min: ptr(0), Max: ptr(100), Scale: "Oranges"}})
	}
	return append(cols, generalColumn{"genus_pct", mqcColumn{Title: "% Genus", Description: "Share of passed reads named to genus or deeper", Suffix: "%", Format: "{:,.1f}", Min: ptr(0), Max: ptr(100), Scale: "RdYlGn"}})
}

// generalRow returns one sample's General Statistics values by column key;
// a column without a value (no qualities, no primer search, no reads) is
// left out.
func generalRow(s Summary, genusReads int64) map[string]any {
	row := map[string]any{"reads": s.InputReads, "passed": s.PassedReads, "n50": s.N50}
	if s.InputReads > 0 {
		row["passed_pct"] = 100 * float64(s.PassedReads) / float64(s.InputReads)
	}
	if s.HasQualities {
		row["mean_q"] = s.MeanQuality
	}
	if s.Primers != nil {
		row["primers_pct"] = 100 * s.Primers.FoundShare
	}
	if s.PassedReads > 0 {
		row["genus_pct"] = 100 * float64(genusReads) / float64(s.PassedReads)
	}
	return row
}

// General Statistics section identity, shared by the per-sample JSON files
// and the combined table so that MultiQC merges them into one set of
// columns.
const (
	generalSection     = "zonula"
	generalDescription = "Read counts, quality and classification from zonula."
)

// WriteMultiQC writes a MultiQC custom-content file (JSON; save it under a
// name ending in _mqc.json, e.g. "SAMPLE.zonula_general_mqc.json") that adds
// zonula's columns to MultiQC's General Statistics table for one sample:
// input reads, passed reads, passed share (%), N50 (bases), mean read quality
// (Phred, the mean of per-read MeanQuality; left out for FASTA input), when
// primers were searched the share of reads with a primer found (%), and the
// share of passed reads named to genus or deeper (genusReads of them, %).
// MultiQC ≥ 1.9 reads it: `multiqc DIR` picks up every *_mqc.json below DIR
// and merges the samples' files (same section id) into one set of columns,
// together with a combined table of the same section (WriteMultiQCTable).
func WriteMultiQC(w io.Writer, sample string, s Summary, genusReads int64) error {
	var cols []map[string]mqcColumn
	for _, c := range generalColumns(s.HasQualities, s.Primers != nil) {
		cols = append(cols, map[string]mqcColumn{c.key: c.mqcColumn})
	}
	return writeSection(w, mqcSection{
		ID:          MultiQCGeneralID,
		SectionName: generalSection,
		Description: generalDescription,
		PlotType:    "generalstats",
		PConfig:     cols,
		Namespace:   generalSection,
		Data:        map[string]any{sample: generalRow(s, genusReads)},
	})
}

// WriteMultiQCTable writes the General Statistics of many samples as one
// MultiQC custom-content table (TSV; save it under a name ending in
// _mqc.tsv): the section configuration as YAML in '#' lines, then "Sample"
// and one column per key, a row per sample, empty cells where a value is not
// defined. It is the same section, columns and values as the samples'
// WriteMultiQC files, so MultiQC shows one set of columns over both.
// summaries[i] and genusReads[i] belong to samples[i].
func WriteMultiQCTable(w io.Writer, samples []string, summaries []Summary, genusReads []int64) error {
	if len(summaries) != len(samples) || len(genusReads) != len(samples) {
		return fmt.Errorf("MultiQC table: %d samples, %d summaries, %d genus counts", len(samples), len(summaries), len(genusReads))
	}
	qualities, primers := false, false
	for _, s := range summaries {
		qualities = qualities || s.HasQualities
		primers = primers || s.Primers != nil
	}
	cols := generalColumns(qualities, primers)
	var b strings.Builder
	fmt.Fprintf(&b, "# id: %s\n# section_name: %s\n# description: %s\n# plot_type: 'generalstats'\n# namespace: %s\n# pconfig:\n",
		yamlQuote(MultiQCGeneralID), yamlQuote(generalSection), yamlQuote(generalDescription), yamlQuote(generalSection))
	for _, c := range cols {
		fmt.Fprintf(&b, "#     - %s:\n#         title: %s\n#         description: %s\n", c.key, yamlQuote(c.Title), yamlQuote(c.Description))
		if c.Format != "" {
			fmt.Fprintf(&b, "#         format: %s\n", yamlQuote(c.Format))
		}
		if c.Suffix != "" {
			fmt.Fprintf(&b, "#         suffix: %s\n", yamlQuote(c.Suffix))
		}
		if c.Min != nil {
			fmt.Fprintf(&b, "#         min: %g\n", *c.Min)
		}
		if c.Max != nil {
			fmt.Fprintf(&b, "#         max: %g\n", *c.Max)
		}
		if c.Scale != "" {
			fmt.Fprintf(&b, "#         scale: %s\n", yamlQuote(c.Scale))
		}
	}
	b.WriteString("Sample")
	for _, c := range cols {
		b.WriteString("\t" + c.key)
	}
	b.WriteString("\n")
	for i, sample := range samples {
		row := generalRow(summaries[i], genusReads[i])
		b.WriteString(sample)
		for _, c := range cols {
			b.WriteByte('\t')
			switch v := row[c.key].(type) {
			case float64:
				b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
			case nil: // not defined for this sample
			default:
				fmt.Fprint(&b, v)
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// yamlQuote returns s as a single-quoted YAML scalar.
func yamlQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// WriteMultiQCLengths writes a MultiQC custom-content line plot (save it as
// e.g. "SAMPLE.zonula_lengths_mqc.json") of the sample's read-length
// distribution: x is the middle of each 50-base bin of Summary.LengthHist
// (the overflow bin is left out), y the share of input reads in it (%), so
// samples of different depth compare.
func WriteMultiQCLengths(w io.Writer, sample string, s Summary) error {
	points := map[string]float64{}
	for i, b := range s.LengthHist {
		if i == len(s.LengthHist)-1 && len(s.LengthHist) > 1 {
			break // overflow bin: no fixed width
		}
		y := 0.0
		if s.InputReads > 0 {
			y = 100 * float64(b.Count) / float64(s.InputReads)
		}
		points[fmt.Sprintf("%g", (b.Lo+b.Hi)/2)] = y
	}
	return writeSection(w, mqcSection{
		ID:          MultiQCLengthsID,
		SectionName: "zonula: read lengths",
		Description: "Length distribution of the input reads, before filtering (50-base bins).",
		PlotType:    "linegraph",
		PConfig: map[string]any{
			"id":        MultiQCLengthsID + "_plot",
			"title":     "zonula: read length distribution",
			"xlab":      "Read length (bp)",
			"ylab":      "% of reads",
			"ymin":      0,
			"xDecimals": false,
		},
		Data: map[string]any{sample: points},
	})
}

func writeSection(w io.Writer, sec mqcSection) error {
	b, err := json.MarshalIndent(sec, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteMultiQCFiles writes both MultiQC files for one sample into dir:
// SAMPLE.zonula_general_mqc.json (WriteMultiQC) and
// SAMPLE.zonula_lengths_mqc.json (WriteMultiQCLengths), with characters
// other than letters, digits, '.', '-' and '_' in the file names replaced by
// '_'. It returns the paths written.
func WriteMultiQCFiles(dir, sample string, s Summary, genusReads int64) ([]string, error) {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, sample)
	var paths []string
	for _, f := range []struct {
		suffix string
		write  func(io.Writer, string, Summary) error
	}{
		{".zonula_general_mqc.json", func(w io.Writer, sample string, s Summary) error { return WriteMultiQC(w, sample, s, genusReads) }},
		{".zonula_lengths_mqc.json", WriteMultiQCLengths},
	} {
		p := filepath.Join(dir, safe+f.suffix)
		if err := safefile.Write(p, func(w io.Writer) error { return f.write(w, sample, s) }); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
