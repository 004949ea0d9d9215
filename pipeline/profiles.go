package pipeline

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/pipeline/tables"
)

// ProfileConfig asks for profile files (abundance.tsv, profile.biom) from
// per-read tables or abundance tables (zonula profile).
type ProfileConfig struct {
	// Inputs are zonula per-read tables (reads.tsv[.gz]) or abundance
	// tables in any format tables.ReadTables reads.
	Inputs []string
	Read   tables.ReadOptions
	// OutDir receives a single sample's files; several samples go to
	// OutDir/SAMPLE/.
	OutDir string
	// Sample names the sample of a single-sample input ("" keeps the
	// table's, or a per-read table's directory or file name).
	Sample     string
	Version    string            // zonula's, recorded in profile.biom
	BIOMFormat tables.BIOMFormat // of profile.biom
	// Done, when set, hears of each sample as its files are committed.
	Done func(p *tables.Profile, dir string)
}

// Profile reads every input and commits each sample's profile files
// (WriteProfileFiles). Sample names must be unique, usable as directory
// names when there are several, and cfg.Sample names a single sample
// (ErrSeveralSamples otherwise).
func Profile(ctx context.Context, cfg ProfileConfig) ([]*tables.Profile, error) {
	var ps []*tables.Profile
	from := map[string]string{}
	for _, path := range cfg.Inputs {
		got, err := readProfiles(path, cfg.Read, cfg.Sample)
		if err != nil {
			return nil, err
		}
		for _, p := range got {
			if prev, dup := from[p.Sample]; dup {
				return nil, &InputError{Path: path, Err: fmt.Errorf("sample %q also in %s", p.Sample, prev)}
			}
			from[p.Sample] = path
		}
		ps = append(ps, got...)
	}
	if cfg.Sample != "" && len(ps) > 1 {
		return nil, fmt.Errorf("%w, but the inputs hold %d", ErrSeveralSamples, len(ps))
	}
	if cfg.Sample != "" {
		ps[0].Sample = cfg.Sample
	}
	for _, p := range ps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		dir := cfg.OutDir
		if len(ps) > 1 {
			if err := CheckSampleName(p.Sample); err != nil {
				return nil, &InputError{Path: from[p.Sample], Err: err}
			}
			dir = filepath.Join(cfg.OutDir, p.Sample)
		}
		if err := WriteProfileFiles(dir, p, cfg.Version, cfg.BIOMFormat); err != nil {
			return nil, err
		}
		if cfg.Done != nil {
			cfg.Done(p, dir)
		}
	}
	return ps, nil
}

// readProfiles reads one input: a per-read table (one sample, named
// sample or after the table) or any abundance table.
func readProfiles(path string, o tables.ReadOptions, sample string) ([]*tables.Profile, error) {
	r, err := seqio.Open(path)
	if err != nil {
		return nil, &InputError{Path: path, Err: err}
	}
	defer r.Close()
	br := bufio.NewReader(r)
	head, _ := br.Peek(len(tables.ReadsHeader) + 2)
	if !tables.IsReadsTable(head) {
		return readTables([]string{path}, o)
	}
	p, err := tables.ProfileFromReads(br, path, cmp.Or(sample, readsTableSample(path)))
	if err != nil {
		return nil, err
	}
	return []*tables.Profile{p}, nil
}

// readsTableSample names the sample of a per-read table: its directory for
// DIR/reads.tsv(.gz), else the file name without .tsv(.gz).
func readsTableSample(path string) string {
	base := filepath.Base(path)
	if base == "reads.tsv.gz" || base == "reads.tsv" {
		return filepath.Base(filepath.Dir(path))
	}
	return strings.TrimSuffix(strings.TrimSuffix(base, ".gz"), ".tsv")
}
