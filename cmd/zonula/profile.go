package main

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/pipeline/tables"
)

type profileOptions struct {
	tables      tableFlags
	out, sample string
	quiet       bool
}

func newProfileCommand() *cobra.Command {
	var o profileOptions
	cmd := &cobra.Command{
		Use:   "profile [flags] READS.tsv[.gz]|TABLE... -o DIR",
		Short: "Abundance profile (abundance.tsv, profile.biom) from per-read calls or any table",
		Long: `Turn zonula's per-read table (reads.tsv.gz from 'zonula run' or 'zonula
classify') or an abundance table in any format zonula reads into zonula's
profile files: abundance.tsv (every rank, unclassified rows included) and
profile.biom (genus table, BIOM 1.0 JSON). One sample writes into DIR;
several write into DIR/SAMPLE/.

From a per-read table every rank above species equals what 'zonula run'
reports; reads that run splits between near-tied species by EM are counted
at the rank their line names, since the table does not hold their ties.` + exitStatusHelp,
		Args: argsBetween(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProfile(cmd, o, args)
		},
	}
	o.tables.register(cmd)
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	f.StringVar(&o.sample, "sample", "", "sample name of a single-sample input (default: from the table or file name)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
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

// readProfiles reads one input: a per-read table or any abundance table.
func (o profileOptions) readProfiles(path string) ([]*tables.Profile, error) {
	r, err := seqio.Open(path)
	if err != nil {
		return nil, &badInputError{err}
	}
	defer r.Close()
	br := bufio.NewReader(r)
	head, _ := br.Peek(len(tables.ReadsHeader) + 2)
	if !tables.IsReadsTable(head) {
		return o.tables.read([]string{path})
	}
	sample := cmp.Or(o.sample, readsTableSample(path))
	p, err := tables.ProfileFromReads(br, path, sample)
	if err != nil {
		return nil, &badInputError{err}
	}
	return []*tables.Profile{p}, nil
}

func runProfile(cmd *cobra.Command, o profileOptions, inputs []string) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	if err := safefile.CheckNotInput(o.out, inputs); err != nil {
		return usagef("%v", err)
	}
	var ps []*tables.Profile
	from := map[string]string{}
	for _, path := range inputs {
		got, err := o.readProfiles(path)
		if err != nil {
			return err
		}
		for _, p := range got {
			if prev, dup := from[p.Sample]; dup {
				return &badInputError{fmt.Errorf("%s: sample %q also in %s", path, p.Sample, prev)}
			}
			from[p.Sample] = path
		}
		ps = append(ps, got...)
	}
	if o.sample != "" && len(ps) > 1 {
		return usagef("--sample names one sample, but the inputs hold %d", len(ps))
	}
	if o.sample != "" {
		ps[0].Sample = o.sample
	}
	ver, _ := buildVersion()
	for _, p := range ps {
		dir := o.out
		if len(ps) > 1 {
			if err := pipeline.CheckSampleName(p.Sample); err != nil {
				return &badInputError{fmt.Errorf("%s: %w", from[p.Sample], err)}
			}
			dir = filepath.Join(o.out, p.Sample)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := pipeline.WriteProfileFiles(dir, p, ver); err != nil {
			return err
		}
		if !o.quiet {
			fmt.Fprintf(cmd.ErrOrStderr(), "zonula: %s: abundance.tsv and profile.biom in %s\n", p.Sample, dir)
		}
	}
	return nil
}
