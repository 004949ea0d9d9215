package qc

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
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

// WriteMultiQC writes a MultiQC custom-content file (JSON; save it under a
// name ending in _mqc.json, e.g. "SAMPLE.zonula_general_mqc.json") that adds
// zonula's columns to MultiQC's General Statistics table for one sample:
// input reads, passed reads, passed share (%), N50 (bases), mean read quality
// (Phred, the mean of per-read MeanQuality; left out for FASTA input) and,
// when primers were searched, the share of reads with a primer found (%).
// MultiQC ≥ 1.9 reads it: `multiqc DIR` picks up every *_mqc.json below DIR
// and merges the samples' files (same section id) into one set of columns.
func WriteMultiQC(w io.Writer, sample string, s Summary) error {
	row := map[string]any{
		"reads":  s.InputReads,
		"passed": s.PassedReads,
		"n50":    s.N50,
	}
	if s.InputReads > 0 {
		row["passed_pct"] = 100 * float64(s.PassedReads) / float64(s.InputReads)
	}
	cols := []map[string]mqcColumn{
		{"reads": {Title: "Reads", Description: "Input reads (zonula)", Format: "{:,.0f}", Min: ptr(0), Scale: "Blues"}},
		{"passed": {Title: "Passed", Description: "Reads that passed zonula's filters", Format: "{:,.0f}", Min: ptr(0), Scale: "Greens"}},
		{"passed_pct": {Title: "% Passed", Description: "Share of input reads that passed the filters", Suffix: "%", Format: "{:,.1f}", Min: ptr(0), Max: ptr(100), Scale: "RdYlGn"}},
		{"n50": {Title: "N50", Description: "Read length N50 of the input reads (bases)", Format: "{:,.0f}", Suffix: " bp", Min: ptr(0), Scale: "Purples"}},
	}
	if s.HasQualities {
		row["mean_q"] = s.MeanQuality
		cols = append(cols, map[string]mqcColumn{"mean_q": {Title: "Mean Q", Description: "Mean read quality (Phred of the mean error probability, averaged over reads)", Format: "{:,.1f}", Min: ptr(0), Max: ptr(60), Scale: "RdYlGn"}})
	}
	if s.Primers != nil {
		row["primers_pct"] = 100 * s.Primers.FoundShare
		cols = append(cols, map[string]mqcColumn{"primers_pct": {Title: "% Primers", Description: "Share of reads in which a 16S primer was found", Suffix: "%", Format: "{:,.1f}", Min: ptr(0), Max: ptr(100), Scale: "Oranges"}})
	}
	return writeSection(w, mqcSection{
		ID:          MultiQCGeneralID,
		SectionName: "zonula",
		Description: "Read counts and quality from zonula's QC.",
		PlotType:    "generalstats",
		PConfig:     cols,
		Namespace:   "zonula",
		Data:        map[string]any{sample: row},
	})
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
func WriteMultiQCFiles(dir, sample string, s Summary) ([]string, error) {
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
		{".zonula_general_mqc.json", WriteMultiQC},
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
