package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

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

// Combine reads the genus rows of each sample's abundance.tsv and its
// qc.json, one sample at a time, and writes into outDir:
//
//   - abundance-genus.tsv: tables.WriteCombinedTSV at genus rank, samples
//     as columns in input order ("rank taxon lineage S1 S2 ...", reads;
//     taxa by summed fractions, Unclassified last), which
//     tables.ReadTables reads back;
//   - abundance-genus.biom: the same table as BIOM 1.0 JSON
//     (tables.WriteCombinedBIOM; "date" the Unix epoch for reproducible
//     bytes);
//   - zonula_qc_mqc.tsv: MultiQC custom content (plot_type generalstats)
//     with per-sample input reads, passed reads, % passed, N50, mean Q and
//     % classified to genus, which `multiqc DIR` adds to its General
//     Statistics table.
//
// Only the genus rows of each sample are kept in memory (about a hundred
// rows a sample). Sample names must be unique. It returns the file names
// written.
func Combine(outDir string, samples []CombineInput, generatedBy string) ([]string, error) {
	if len(samples) == 0 {
		return nil, errors.New("combine: no samples")
	}
	var profiles []*tables.Profile
	var qcs []*qcRecord
	var names []string
	seen := map[string]bool{}
	for _, s := range samples {
		if seen[s.Sample] {
			return nil, fmt.Errorf("combine: sample %q given twice", s.Sample)
		}
		seen[s.Sample] = true
		names = append(names, s.Sample)
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
		profiles = append(profiles, &tables.Profile{Sample: s.Sample, Rows: p.AtRank(taxonomy.Genus)})
		q, err := readQCRecord(filepath.Join(s.Dir, "qc.json"))
		if err != nil {
			return nil, err
		}
		qcs = append(qcs, q)
	}
	meta := tables.BIOMMeta{GeneratedBy: generatedBy, Date: biomDate, ID: "zonula combined genus table"}
	var files []string
	for _, out := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{CombinedGenusTSV, func(w io.Writer) error { return tables.WriteCombinedTSV(w, profiles, taxonomy.Genus) }},
		{CombinedGenusBIOM, func(w io.Writer) error { return tables.WriteCombinedBIOM(w, profiles, taxonomy.Genus, meta) }},
		{CombinedMultiQCTSV, func(w io.Writer) error { return writeMultiQCTSV(w, names, qcs) }},
	} {
		if err := safefile.Write(filepath.Join(outDir, out.name), out.write); err != nil {
			return files, fmt.Errorf("%s: %w", out.name, err)
		}
		files = append(files, out.name)
	}
	return files, nil
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
