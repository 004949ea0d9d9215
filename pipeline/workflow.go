package pipeline

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"text/template"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report"
)

//go:embed workflowfiles
var workflowFiles embed.FS

// WorkflowOptions fill the Snakemake workflow's config.yaml.
type WorkflowOptions struct {
	Zonula         string // the zonula binary the jobs run (a path or a name on PATH)
	Version        string // zonula version, noted in the files' headers
	Threads        int    // classification threads per sample job
	MemMB          int    // memory per sample job, MB
	RuntimeMinutes int    // time limit per sample job
	Options        string // flags for every `zonula run`, e.g. "--format html,pdf --min-q 20"
	CombineOptions string // flags for the final `zonula combine`, e.g. "--biom-format 2.1"
	CohortOptions  string // flags for the final `zonula cohort`, e.g. "--format html"
	Force          bool   // overwrite an existing Snakefile and config.yaml
}

// ErrWorkflowExists is returned by WriteWorkflow when dir already holds a
// Snakefile and WorkflowOptions.Force is not set.
var ErrWorkflowExists = errors.New("a Snakefile is already there")

// OpenWorkflowSheet reads a samplesheet for a workflow: every reads file
// must be readable now (the first problems found are returned as one
// *SheetError, not left to fail in a cluster job), and read paths are made
// absolute, since the workflow runs from its own directory.
func OpenWorkflowSheet(path string) (*Samplesheet, error) {
	sheet, err := OpenSamplesheet(path)
	if err != nil {
		return nil, err
	}
	if bad := sheet.Unreadable(); len(bad) > 0 {
		first := *bad[0]
		first.Problems = bad[1:]
		return nil, &first
	}
	for i := range sheet.Samples {
		for j, p := range sheet.Samples[i].Reads {
			if sheet.Samples[i].Reads[j], err = filepath.Abs(p); err != nil {
				return nil, err
			}
		}
	}
	return sheet, nil
}

// WriteWorkflow writes a Snakemake workflow into dir: Snakefile,
// config.yaml, profiles/slurm/{config.yaml,status.py} (a Snakemake 7 SLURM
// profile), samplesheet.csv, metadata/SAMPLE.json for the samples whose
// sheet rows carry report metadata, and groups.tsv (sample, group,
// subject) for the cohort report when any sample has a group, as `zonula
// batch` groups its cohort report. The samplesheet is written normalised:
// "sample", one "reads" column per file (padded with empty cells), then
// group, subject, timepoint and the sheet's other columns; read paths are
// written as given in sheet (make them absolute first so the workflow can
// move). With a nil sheet, samplesheet.csv is a header and a commented
// example. It returns the paths written, relative to dir.
func WriteWorkflow(dir string, sheet *Samplesheet, o WorkflowOptions) ([]string, error) {
	if _, err := os.Stat(filepath.Join(dir, "Snakefile")); err == nil && !o.Force {
		return nil, fmt.Errorf("%s: %w (use --force to overwrite)", dir, ErrWorkflowExists)
	}
	data := struct {
		WorkflowOptions
		OutDir string
	}{o, "results"}
	funcs := template.FuncMap{"q": func(s string) string {
		b, _ := json.Marshal(s) // a JSON string is a YAML double-quoted scalar
		return string(b)
	}}
	var written []string
	err := fs.WalkDir(workflowFiles, "workflowfiles", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel("workflowfiles", path)
		src, err := workflowFiles.ReadFile(path)
		if err != nil {
			return err
		}
		t, err := template.New(rel).Funcs(funcs).Option("missingkey=error").Parse(string(src))
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return err
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := safefile.WriteFile(dst, b.Bytes()); err != nil {
			return err
		}
		written = append(written, rel)
		return nil
	})
	if err != nil {
		return written, err
	}
	sheetCSV, meta, err := workflowSheet(sheet)
	if err != nil {
		return written, err
	}
	if err := safefile.WriteFile(filepath.Join(dir, "samplesheet.csv"), sheetCSV); err != nil {
		return written, err
	}
	written = append(written, "samplesheet.csv")
	if len(meta) > 0 {
		if err := os.MkdirAll(filepath.Join(dir, "metadata"), 0o755); err != nil {
			return written, err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(meta)) {
		rel := filepath.Join("metadata", name+".json")
		if err := safefile.WriteFile(filepath.Join(dir, rel), meta[name]); err != nil {
			return written, err
		}
		written = append(written, rel)
	}
	groups := workflowGroups(sheet)
	if groups == nil {
		// A groups.tsv from an earlier sheet would group this one.
		if err := os.Remove(filepath.Join(dir, "groups.tsv")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return written, err
		}
		return written, nil
	}
	if err := safefile.WriteFile(filepath.Join(dir, "groups.tsv"), groups); err != nil {
		return written, err
	}
	return append(written, "groups.tsv"), nil
}

// workflowGroups returns the groups file of the workflow's cohort report
// (sample, group and subject, tab-separated, for the samples with a
// group), or nil when no sample has a group.
func workflowGroups(sheet *Samplesheet) []byte {
	if sheet == nil {
		return nil
	}
	var b bytes.Buffer
	for _, s := range sheet.Samples {
		if s.Group != "" {
			fmt.Fprintf(&b, "%s\t%s\t%s\n", s.Name, s.Group, s.Subject)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return b.Bytes()
}

// workflowSheet returns the normalised samplesheet and each sample's
// metadata as JSON (for `zonula run --metadata`), for samples that have any.
func workflowSheet(sheet *Samplesheet) ([]byte, map[string][]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if sheet == nil {
		b.WriteString("# One line per sample: a name (letters, digits, '.', '-', '_') and its read files,\n" +
			"# relative to this file; more reads columns for more files. Then run: snakemake --cores 4\n" +
			"# S01,/data/run1/S01.fastq.gz\n")
		w.Write([]string{"sample", "reads"})
		w.Flush()
		return b.Bytes(), nil, w.Error()
	}
	nReads := 1
	var extra []string
	for _, s := range sheet.Samples {
		nReads = max(nReads, len(s.Reads))
		for _, e := range s.Extra {
			if !slices.Contains(extra, e.Name) {
				extra = append(extra, e.Name)
			}
		}
	}
	header := []string{"sample"}
	for range nReads {
		header = append(header, "reads")
	}
	header = append(header, "group", "subject", "timepoint")
	header = append(header, extra...)
	w.Write(header)
	meta := map[string][]byte{}
	empty, _ := json.Marshal(report.Metadata{})
	for _, s := range sheet.Samples {
		row := []string{s.Name}
		for i := range nReads {
			cell := ""
			if i < len(s.Reads) {
				cell = s.Reads[i]
			}
			row = append(row, cell)
		}
		row = append(row, s.Group, s.Subject, s.Timepoint)
		for _, name := range extra {
			v := ""
			for _, e := range s.Extra {
				if e.Name == name {
					v = e.Value
				}
			}
			row = append(row, v)
		}
		w.Write(row)
		js, err := json.MarshalIndent(s.Metadata, "", "  ")
		if err != nil {
			return nil, nil, err
		}
		if compact, _ := json.Marshal(s.Metadata); !bytes.Equal(compact, empty) {
			meta[s.Name] = append(js, '\n')
		}
	}
	w.Flush()
	return b.Bytes(), meta, w.Error()
}
