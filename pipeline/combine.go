package pipeline

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/zonula/zonula/pipeline/qc"
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
	// The files Combine reads must be of one complete run.
	if err := safefile.CheckFiles(dir, "run.json", "abundance.tsv", "qc.json", "metrics.json"); err != nil {
		return CombineInput{}, &InputError{Path: dir, Err: err}
	}
	path := filepath.Join(dir, "qc.json")
	q, err := readQCRecord(path)
	if err != nil {
		return CombineInput{}, err
	}
	if q.Sample == "" {
		return CombineInput{}, &InputError{Path: path, Err: errors.New("no sample name")}
	}
	return CombineInput{Sample: q.Sample, Dir: dir}, nil
}

// CombineDirs is Combine over sample directories Run wrote, each named by
// its qc.json (SampleFromDir).
func CombineDirs(outDir string, dirs []string, generatedBy string, format tables.BIOMFormat) ([]string, error) {
	var samples []CombineInput
	for _, dir := range dirs {
		s, err := SampleFromDir(dir)
		if err != nil {
			return nil, err
		}
		samples = append(samples, s)
	}
	return Combine(outDir, samples, generatedBy, format)
}

// Combine reads the genus rows of each sample's abundance.tsv, its qc.json
// and its metrics.json, one sample at a time, and writes into outDir, committed
// together (safefile.Stage):
//
//   - abundance-genus.tsv: tables.WriteCombinedTSV at genus rank, samples
//     as columns in input order ("rank taxon lineage S1 S2 ...", reads;
//     taxa by summed fractions, Unclassified last), which
//     tables.ReadTables reads back;
//   - abundance-genus.biom: the same table as BIOM 1.0 JSON or 2.1 HDF5
//     (format; tables.WriteCombinedBIOM; "date" the Unix epoch for
//     reproducible bytes);
//   - zonula_qc_mqc.tsv: MultiQC custom content (qc.WriteMultiQCTable):
//     per-sample input reads, passed reads, % passed, N50, mean Q, %
//     with primers and % named to genus, the same section and columns as
//     the samples' own MultiQC files, so `multiqc DIR` shows one set of
//     General Statistics columns whether it finds either or both;
//   - findings.tsv: the findings each sample's metrics.json records, one
//     row per sample and a column per finding ID (writeFindingsTable).
//
// Only the genus rows of each sample are kept in memory (about a hundred
// rows a sample). Sample names must be unique. It returns the file names
// written.
func Combine(outDir string, samples []CombineInput, generatedBy string, format tables.BIOMFormat) ([]string, error) {
	return safefile.WriteAll(outDir, "", func(stage *safefile.Stage) error {
		return stageCombined(stage, samples, generatedBy, format)
	})
}

// stageCombined stages Combine's files.
func stageCombined(stage *safefile.Stage, samples []CombineInput, generatedBy string, format tables.BIOMFormat) error {
	if len(samples) == 0 {
		return errors.New("combine: no samples")
	}
	var profiles []*tables.Profile
	var summaries []qc.Summary
	var genusReads []int64
	var names []string
	seen := map[string]bool{}
	for _, s := range samples {
		if seen[s.Sample] {
			return fmt.Errorf("combine: sample %q given twice", s.Sample)
		}
		seen[s.Sample] = true
		names = append(names, s.Sample)
		p, err := readGenusRows(s)
		if err != nil {
			return err
		}
		profiles = append(profiles, p)
		q, err := readQCRecord(filepath.Join(s.Dir, "qc.json"))
		if err != nil {
			return err
		}
		summaries = append(summaries, q.Summary)
		genusReads = append(genusReads, q.Classification.AssignedAt[taxonomy.Genus])
	}
	meta := tables.BIOMMeta{GeneratedBy: generatedBy, Date: biomDate(), ID: "zonula combined genus table", Format: format}
	if err := stage.Write(CombinedGenusTSV, func(w io.Writer) error { return tables.WriteCombinedTSV(w, profiles, taxonomy.Genus) }); err != nil {
		return err
	}
	if err := stage.Write(CombinedGenusBIOM, func(w io.Writer) error { return tables.WriteCombinedBIOM(w, profiles, taxonomy.Genus, meta) }); err != nil {
		return err
	}
	if err := stage.Write(CombinedMultiQCTSV, func(w io.Writer) error { return qc.WriteMultiQCTable(w, names, summaries, genusReads) }); err != nil {
		return err
	}
	return stageFindingsTable(stage, samples)
}

// readGenusRows reads the genus rows of a sample's abundance.tsv.
func readGenusRows(s CombineInput) (*tables.Profile, error) {
	path := filepath.Join(s.Dir, "abundance.tsv")
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := tables.ReadTSV(f, path)
	if err != nil {
		return nil, err
	}
	return &tables.Profile{Sample: s.Sample, Rows: p.AtRank(taxonomy.Genus)}, nil
}
