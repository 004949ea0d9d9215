package pipeline

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report/knowledge"
)

// CombinedFindingsTSV is the findings table written beside combined tables
// (zonula batch, combine, report): one row per sample, one column per
// finding ID of the knowledge base.
const CombinedFindingsTSV = "findings.tsv"

// sampleFindings is what the findings table needs of one sample's
// metrics.json.
type sampleFindings struct {
	Sample   string
	Findings []struct {
		ID    string `json:"id"`
		Level string `json:"level"`
		Key   bool   `json:"key"`
	} `json:"findings"`
}

// readSampleFindings reads the findings of the metrics.json in dir, naming
// the sample name.
func readSampleFindings(name, dir string) (sampleFindings, error) {
	path := filepath.Join(dir, "metrics.json")
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return sampleFindings{}, &InputError{Path: path, Err: err}
	}
	s := sampleFindings{Sample: name}
	if err := json.Unmarshal(data, &s); err != nil {
		return sampleFindings{}, &InputError{Path: path, Err: err}
	}
	s.Sample = name
	return s, nil
}

// writeFindingsTable writes the findings table: a header "sample", the
// finding IDs of the knowledge base in its order and "key_findings"; then
// per sample, in the order given, the level of each finding raised
// (marked, notice or info), "-" for one not raised, and its key findings
// in rank order, comma-separated ("-" for none).
func writeFindingsTable(w io.Writer, samples []sampleFindings) error {
	kb, err := knowledge.Load()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("sample")
	for _, f := range kb.Findings {
		bw.WriteString("\t" + f.ID)
	}
	bw.WriteString("\tkey_findings\n")
	for _, s := range samples {
		level := map[string]string{}
		var keys []string
		for _, f := range s.Findings {
			level[f.ID] = f.Level
			if f.Key {
				keys = append(keys, f.ID)
			}
		}
		bw.WriteString(strings.NewReplacer("\t", " ", "\n", " ").Replace(s.Sample))
		for _, f := range kb.Findings {
			bw.WriteString("\t" + cmpOr(level[f.ID], "-"))
		}
		bw.WriteString("\t" + cmpOr(strings.Join(keys, ","), "-") + "\n")
	}
	return bw.Flush()
}

// stageFindingsTable reads the findings of each sample directory and stages
// the findings table.
func stageFindingsTable(stage *safefile.Stage, samples []CombineInput) error {
	var all []sampleFindings
	for _, s := range samples {
		f, err := readSampleFindings(s.Sample, s.Dir)
		if err != nil {
			return err
		}
		all = append(all, f)
	}
	return stage.Write(CombinedFindingsTSV, func(w io.Writer) error { return writeFindingsTable(w, all) })
}

// cmpOr is s, or def when s is empty.
func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
