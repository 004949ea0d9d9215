package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/zonula/zonula/report"
)

func TestWriteWorkflow(t *testing.T) {
	dir := t.TempDir()
	opts := WorkflowOptions{Zonula: `/opt/my tools/zo"nula`, Version: "zonula test", Threads: 3, MemMB: 1234, RuntimeMinutes: 7,
		Options: "--format html --min-q 12"}
	files, err := WriteWorkflow(dir, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Snakefile", "config.yaml", "profiles/slurm/config.yaml", "profiles/slurm/status.py", "samplesheet.csv"}
	if !equalStrings(files, want) {
		t.Errorf("files %v, want %v", files, want)
	}
	cfg := readConfig(t, dir)
	if cfg["zonula"] != opts.Zonula || cfg["threads"] != 3 || cfg["mem_mb"] != 1234 || cfg["runtime_minutes"] != 7 ||
		cfg["options"] != opts.Options || cfg["outdir"] != "results" || cfg["samplesheet"] != "samplesheet.csv" {
		t.Errorf("config.yaml reads back as %v", cfg)
	}
	sheet, _ := os.ReadFile(filepath.Join(dir, "samplesheet.csv"))
	if !strings.HasSuffix(string(sheet), "\nsample,reads\n") {
		t.Errorf("template samplesheet:\n%s", sheet)
	}
	if _, err := WriteWorkflow(dir, nil, opts); !errors.Is(err, ErrWorkflowExists) {
		t.Errorf("second write: %v, want ErrWorkflowExists", err)
	}

	age := 61.0
	s := &Samplesheet{Samples: []SheetSample{
		{Name: "A", Reads: []string{"/d/a1.fq", "/d/a2.fq"}, Group: "g1", Metadata: report.Metadata{Age: &age},
			Extra: []report.Option{{Name: "batch", Value: "7"}}},
		{Name: "B", Reads: []string{"/d/b, odd.fq"}, Subject: "P2", Extra: []report.Option{{Name: "site", Value: "x"}}},
	}}
	opts.Force = true
	files, err = WriteWorkflow(dir, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if files[len(files)-2] != "metadata/A.json" || files[len(files)-1] != "groups.tsv" || len(files) != 7 {
		t.Errorf("files %v: want metadata/A.json only for the sample with metadata, then groups.tsv", files)
	}
	if g, _ := os.ReadFile(filepath.Join(dir, "groups.tsv")); string(g) != "A\tg1\t\n" {
		t.Errorf("groups.tsv %q: want the one sample with a group", g)
	}
	if cfg := readConfig(t, dir); cfg["cohort_options"] != "" {
		t.Errorf("cohort_options %q, want none given", cfg["cohort_options"])
	}
	sheet, _ = os.ReadFile(filepath.Join(dir, "samplesheet.csv"))
	wantSheet := "sample,reads,reads,group,subject,timepoint,batch,site\nA,/d/a1.fq,/d/a2.fq,g1,,,7,\nB,\"/d/b, odd.fq\",,,P2,,,x\n"
	if string(sheet) != wantSheet {
		t.Errorf("samplesheet.csv:\n%s\nwant:\n%s", sheet, wantSheet)
	}
	f, _ := os.Open(filepath.Join(dir, "metadata", "A.json"))
	md, err := report.ReadMetadata(f, "A.json")
	f.Close()
	if err != nil || md.Age == nil || *md.Age != 61 {
		t.Errorf("metadata/A.json reads back as %+v (%v)", md, err)
	}
	// A sheet without groups removes an earlier groups.tsv.
	s.Samples[0].Group = ""
	if _, err := WriteWorkflow(dir, s, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "groups.tsv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("groups.tsv left from the earlier sheet (%v)", err)
	}
	s.Samples[0].Group = "g1"
	// The normalised sheet reads back as the same samples (whose files do
	// not exist here: they come back as unreadable, by name).
	back, err := ReadSamplesheet(strings.NewReader(string(sheet)), "samplesheet.csv", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Samples[1].Unreadable) != 1 || !strings.Contains(back.Samples[1].Unreadable[0].Error(), "reads file /d/b, odd.fq:") || back.Samples[0].Group != "g1" || back.Samples[1].Extra[1].Value != "x" {
		t.Errorf("normalised sheet reads back as %+v", back.Samples)
	}
}

// readConfig returns the workflow's config.yaml in dir as a map.
func readConfig(t *testing.T, dir string) map[string]any {
	t.Helper()
	data, _ := os.ReadFile(filepath.Join(dir, "config.yaml"))
	var cfg map[string]any
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("config.yaml is not YAML: %v\n%s", err, data)
	}
	return cfg
}
