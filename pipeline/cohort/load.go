package cohort

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/tables"
)

// Sample is one sample's profile and where it came from.
type Sample struct {
	Name    string
	Source  string // the file it was read from
	Profile *tables.Profile
	// Database names the reference database of the run that made the
	// profile, from its run.json; "" for a table without one.
	Database string
}

// TableReader reads one table file into one profile per sample, each with its
// Sample name set. ReadTable is zonula's; a reader for more formats (such as
// tables.ReadAll) can take its place.
type TableReader func(path string) ([]*tables.Profile, error)

// InputError is a problem with an input that is not at a line of a file: a
// missing file, a directory without profiles, a sample name used twice.
// Package pipeline uses it too (pipeline.InputError), for reads inputs.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// InputFile names the input at fault.
func (e *InputError) InputFile() string { return e.Path }

// ProfileFile is the per-sample abundance table a zonula output directory
// holds.
const ProfileFile = "abundance.tsv"

// ReadTable reads an abundance table in any format tables.ReadTables
// detects (zonula's abundance.tsv, TSV/CSV, BIOM 1.0 and 2.1, QIIME 2,
// Emu, Kraken2, Bracken, MetaPhlAn, mothur). A single-sample table is named
// after its directory when the file is called abundance.tsv, else after the
// file.
//
// zonula's own abundance.tsv is read as it is, so that a sample whose reads
// all stayed unclassified loads (and is refused later, by name, by Analyze).
func ReadTable(path string) ([]*tables.Profile, error) {
	return TableReaderWith(tables.ReadOptions{})(path)
}

// TableReaderWith returns ReadTable with import options o (format,
// orientation, taxonomy file, mothur label) for the tables that need them;
// the sample name of a single-sample table is set per file, as ReadTable's.
func TableReaderWith(o tables.ReadOptions) TableReader {
	return func(path string) ([]*tables.Profile, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, &InputError{Path: path, Err: errors.Unwrap(err)}
		}
		if f, derr := tables.Detect(path, data); o.Format == tables.FormatAuto && derr == nil && f == tables.FormatZonula {
			p, err := tables.ReadTSV(bytes.NewReader(data), path)
			if err != nil {
				return nil, err
			}
			p.Sample = sampleName(path)
			return []*tables.Profile{p}, nil
		}
		o.Sample = sampleName(path)
		ps, err := tables.ReadTables(path, o)
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, &InputError{Path: path, Err: pe.Err}
		}
		return ps, err
	}
}

// sampleName names the sample of a single-sample table: its directory for
// DIR/abundance.tsv, else the file name without extension.
func sampleName(path string) string {
	base := filepath.Base(path)
	if base == ProfileFile {
		return filepath.Base(filepath.Dir(path))
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// Load reads the samples of every input. An input is a table file (read with
// read, ReadTable when nil), a zonula sample output directory (its
// abundance.tsv; the sample is named as in its run.json) or a directory of
// such directories, such as a zonula batch output (every subdirectory with an
// abundance.tsv, in name order). Samples keep input order. Errors: a missing
// input, a directory with no profile, a table that does not parse (with its
// line), and a sample name that occurs twice.
func Load(inputs []string, read TableReader) ([]Sample, error) {
	if read == nil {
		read = ReadTable
	}
	var out []Sample
	where := map[string]string{}
	add := func(s Sample) error {
		if s.Profile == nil || s.Name == "" {
			return &InputError{Path: s.Source, Err: errors.New("a sample without a name or profile")}
		}
		if strings.ContainsAny(s.Name, "\t\r\n") {
			return &InputError{Path: s.Source, Err: fmt.Errorf("sample name %q holds a tab or line break", s.Name)}
		}
		if prev, dup := where[s.Name]; dup {
			return &InputError{Path: s.Source, Err: fmt.Errorf("sample %q also comes from %s; sample names must be unique", s.Name, prev)}
		}
		where[s.Name] = s.Source
		s.Profile.Sample = s.Name
		out = append(out, s)
		return nil
	}
	for _, in := range inputs {
		st, err := os.Stat(in)
		if err != nil {
			return nil, &InputError{Path: in, Err: err}
		}
		if !st.IsDir() {
			ps, err := read(in)
			if err != nil {
				return nil, err
			}
			if len(ps) == 0 {
				return nil, &InputError{Path: in, Err: errors.New("no samples in the table")}
			}
			for _, p := range ps {
				if err := add(Sample{Name: p.Sample, Source: in, Profile: p}); err != nil {
					return nil, err
				}
			}
			continue
		}
		dirs, err := sampleDirs(in)
		if err != nil {
			return nil, err
		}
		for _, d := range dirs {
			s, err := loadDir(d, read)
			if err != nil {
				return nil, err
			}
			if err := add(s); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// sampleDirs returns dir itself when it holds an abundance.tsv, else its
// subdirectories that do, in name order.
func sampleDirs(dir string) ([]string, error) {
	if isFile(filepath.Join(dir, ProfileFile)) {
		return []string{dir}, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &InputError{Path: dir, Err: err}
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && isFile(filepath.Join(dir, e.Name(), ProfileFile)) {
			dirs = append(dirs, filepath.Join(dir, e.Name()))
		}
	}
	if len(dirs) == 0 {
		return nil, &InputError{Path: dir, Err: fmt.Errorf("no %s here or in its subdirectories; want a zonula sample or batch output directory", ProfileFile)}
	}
	slices.Sort(dirs)
	return dirs, nil
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// runRecord is the part of a run.json that Load uses.
type runRecord struct {
	Sample   string `json:"sample"`
	Database struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"database"`
}

// loadDir reads one zonula sample output directory.
func loadDir(dir string, read TableReader) (Sample, error) {
	// A zonula output directory (with a manifest or run.json) must hold
	// the profile and run.json of one complete run; a directory of other
	// tools' files laid out the same way is read as it is.
	if isFile(filepath.Join(dir, safefile.ManifestFile)) || isFile(filepath.Join(dir, "run.json")) {
		if err := safefile.CheckFiles(dir, "run.json", ProfileFile, "run.json"); err != nil {
			return Sample{}, &InputError{Path: dir, Err: err}
		}
	}
	path := filepath.Join(dir, ProfileFile)
	ps, err := read(path)
	if err != nil {
		return Sample{}, err
	}
	if len(ps) != 1 {
		return Sample{}, &InputError{Path: path, Err: fmt.Errorf("%d samples, want 1", len(ps))}
	}
	s := Sample{Name: filepath.Base(dir), Source: path, Profile: ps[0]}
	runPath := filepath.Join(dir, "run.json")
	if data, err := os.ReadFile(runPath); err == nil {
		var rec runRecord
		if err := json.Unmarshal(data, &rec); err != nil {
			return Sample{}, &InputError{Path: runPath, Err: fmt.Errorf("not a zonula run.json: %v", err)}
		}
		if rec.Sample != "" {
			s.Name = rec.Sample
		}
		s.Database = strings.TrimSpace(rec.Database.Name + " " + rec.Database.Version)
	} else if !errors.Is(err, os.ErrNotExist) {
		return Sample{}, &InputError{Path: runPath, Err: err}
	}
	return s, nil
}
