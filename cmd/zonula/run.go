package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/zonula/zonula/pipeline"
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/taxonomy/classify"
)

type runOptions struct {
	out, db, sample, formats, pageSize, metadata string
	threads, minLength, maxLength                int
	minQ                                         float64
	quiet                                        bool

	primers                       string // primer pairs file; "" is 27F/1492R and their degenerate forms
	noPrimerTrim, noPrimerSearch  bool
	requirePrimers, noMultiQC     bool
	primerMismatches              int
	maxEE, maxEEPerKb, minEntropy float64
	maxHomopolymer                int
}

func newRunCommand(stdin io.Reader) *cobra.Command {
	o := runOptions{}
	def := qc.DefaultOptions()
	cmd := &cobra.Command{
		Use:   "run [flags] READS... -o DIR",
		Short: "Run the whole chain for one sample: reads to report",
		Long: `Read one sample's full-length 16S reads (FASTQ, FASTA or unaligned BAM;
plain, gzip, zstd or bzip2; several files are one sample; a directory such as
fastq_pass/barcode01/ is read as one sample; "-" is standard input), find and
trim the 16S primers (27F/1492R by default) and turn each read to the sense
strand, filter reads by length, quality and complexity, classify them against
the reference database, and write into DIR:

  report.html, report.pdf  the report
  reads.tsv.gz             per-read status, lineage, rank, confidence, identity, reference
                           (filtered reads: the reason in the last column)
  abundance.tsv            rank, taxon, lineage, reads, fraction at every rank
  profile.biom             genus table, BIOM 1.0 JSON
  metrics.json             alpha diversity
  qc.json                  read counts per filter, length and quality histograms, classification summary
  run.json                 version, database identity, options, input checksums, times
  SAMPLE.zonula_general_mqc.json, SAMPLE.zonula_lengths_mqc.json
                           MultiQC custom content ('multiqc DIR...' picks them up)

Outputs appear only when all are complete.` + exitStatusHelp,
		Args: argsBetween(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd, o, args, stdin)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.out, "out", "o", "", "output `DIR` (required)")
	f.StringVar(&o.db, "db", "", "reference database `FILE` (default: embedded)")
	f.StringVar(&o.sample, "sample", "", "sample name (default: first input's file name)")
	f.StringVar(&o.formats, "format", "html,pdf", "report formats: html, pdf, both (html,pdf) or none")
	f.StringVar(&o.pageSize, "page-size", "A4", "PDF page size: A4 or Letter")
	f.StringVar(&o.metadata, "metadata", "", "YAML or JSON `FILE` with age, sex, symptoms, red flags, medicines, transit and lab markers (see README)")
	f.IntVar(&o.threads, "threads", 0, "classification threads (default: all cores)")
	f.IntVar(&o.minLength, "min-length", def.MinLength, "shortest read kept, in bases")
	f.IntVar(&o.maxLength, "max-length", def.MaxLength, "longest read kept, in bases")
	f.Float64Var(&o.minQ, "min-q", def.MinMeanQ, "lowest mean read quality kept (Phred; 0 keeps all)")
	f.Float64Var(&o.maxEEPerKb, "max-ee-per-kb", def.MaxExpectedErrorsPerKb, "most expected errors per 1,000 bases a read may have (10 is Q20; 0 keeps all)")
	f.Float64Var(&o.maxEE, "max-ee", def.MaxExpectedErrors, "most expected errors a read may have in all (0 keeps all)")
	f.Float64Var(&o.minEntropy, "min-entropy", def.MinKmerEntropy, "lowest 3-mer entropy kept, in bits of 6; lower is low complexity (0 keeps all)")
	f.IntVar(&o.maxHomopolymer, "max-homopolymer", def.MaxHomopolymer, "longest run of one base kept (0 keeps all; runs over 12 are counted either way)")
	f.StringVar(&o.primers, "primers", "", "primer pairs `FILE` to search instead of 27F/1492R (lines 'FWD_NAME FWD_SEQ REV_NAME REV_SEQ', or FASTA forward, reverse, …)")
	f.IntVar(&o.primerMismatches, "primer-mismatches", qc.DefaultPrimerOptions().MaxMismatches, "most edits in a primer occurrence")
	f.BoolVar(&o.noPrimerTrim, "no-primer-trim", false, "keep primers in the reads (they are still searched, to orient reads and count them)")
	f.BoolVar(&o.noPrimerSearch, "no-primer-search", false, "do not search for primers at all (reads are oriented by the classifier)")
	f.BoolVar(&o.requirePrimers, "require-primers", false, "filter reads in which no primer was found (reason no_primers)")
	f.BoolVar(&o.noMultiQC, "no-multiqc", false, "do not write the MultiQC files SAMPLE.zonula_general_mqc.json and SAMPLE.zonula_lengths_mqc.json")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runRun(cmd *cobra.Command, o runOptions, inputs []string, stdin io.Reader) error {
	if o.out == "" {
		return usagef("--out is required")
	}
	html, pdf, err := parseFormats(o.formats)
	if err != nil {
		return err
	}
	if o.pageSize != "A4" && o.pageSize != "Letter" {
		return usagef("--page-size %q: want A4 or Letter", o.pageSize)
	}
	if o.minLength < 0 || o.maxLength < o.minLength {
		return usagef("--min-length %d and --max-length %d: want 0 ≤ min ≤ max", o.minLength, o.maxLength)
	}
	if o.threads < 0 {
		return usagef("--threads %d: want 0 (all cores) or more", o.threads)
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"--min-q", o.minQ}, {"--max-ee", o.maxEE}, {"--max-ee-per-kb", o.maxEEPerKb}, {"--min-entropy", o.minEntropy}, {"--max-homopolymer", float64(o.maxHomopolymer)}, {"--primer-mismatches", float64(o.primerMismatches)}} {
		if c.v < 0 || math.IsNaN(c.v) {
			return usagef("%s %v: want 0 or more", c.name, c.v)
		}
	}
	if o.minEntropy > 6 {
		return usagef("--min-entropy %v: want 0 to 6 bits", o.minEntropy)
	}
	if o.noPrimerSearch && (o.primers != "" || o.requirePrimers || o.noPrimerTrim) {
		return usagef("--no-primer-search cannot be combined with --primers, --require-primers or --no-primer-trim")
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		if err := safefile.CheckNotInput(o.out, []string{in}); err != nil {
			return usagef("%v", err)
		}
	}
	var md report.Metadata
	if o.metadata != "" {
		f, err := os.Open(o.metadata)
		if err != nil {
			return &badInputError{err}
		}
		md, err = report.ReadMetadata(f, o.metadata)
		f.Close()
		if err != nil {
			return &badInputError{err}
		}
	}
	qopts := qc.Options{MinLength: o.minLength, MaxLength: o.maxLength, MinMeanQ: o.minQ,
		MaxExpectedErrors: o.maxEE, MaxExpectedErrorsPerKb: o.maxEEPerKb, MinKmerEntropy: o.minEntropy,
		MaxHomopolymer: o.maxHomopolymer, RequirePrimers: o.requirePrimers, KeepPrimers: o.noPrimerTrim}
	primers, err := o.primerOptions()
	if err != nil {
		return err
	}
	db, err := loadDB(o.db)
	if err != nil {
		return err
	}
	ver, commit := buildVersion()
	dbName := o.db
	if dbName == "" {
		dbName = "embedded"
	}
	cfg := pipeline.Config{
		Inputs: inputs, Stdin: stdin, OutDir: o.out, Sample: o.sample, DB: db, DBName: dbName,
		Threads: o.threads, QC: qopts, Primers: primers, NoMultiQC: o.noMultiQC, Classify: classify.DefaultOptions(),
		Metadata: md, HTML: html, PDF: pdf, PageSize: o.pageSize, Version: ver, Commit: commit,
		Options: []report.Option{
			{Name: "db", Value: dbName},
			{Name: "format", Value: o.formats},
			{Name: "max-length", Value: strconv.Itoa(o.maxLength)},
			{Name: "metadata", Value: o.metadata},
			{Name: "min-length", Value: strconv.Itoa(o.minLength)},
			{Name: "min-q", Value: strconv.FormatFloat(o.minQ, 'g', -1, 64)},
			{Name: "max-ee", Value: strconv.FormatFloat(o.maxEE, 'g', -1, 64)},
			{Name: "max-ee-per-kb", Value: strconv.FormatFloat(o.maxEEPerKb, 'g', -1, 64)},
			{Name: "min-entropy", Value: strconv.FormatFloat(o.minEntropy, 'g', -1, 64)},
			{Name: "max-homopolymer", Value: strconv.Itoa(o.maxHomopolymer)},
			{Name: "primers", Value: o.primers},
			{Name: "primer-mismatches", Value: strconv.Itoa(o.primerMismatches)},
			{Name: "no-primer-trim", Value: strconv.FormatBool(o.noPrimerTrim)},
			{Name: "no-primer-search", Value: strconv.FormatBool(o.noPrimerSearch)},
			{Name: "require-primers", Value: strconv.FormatBool(o.requirePrimers)},
			{Name: "page-size", Value: o.pageSize},
		},
	}
	prog := newProgress(cmd.ErrOrStderr(), o.quiet)
	if c, ok := prog.(interface{ Close() }); ok {
		defer c.Close() // also on an error, which leaves the bar unfinished
	}
	start := time.Now()
	res, err := pipeline.Run(cmd.Context(), cfg, prog)
	if err != nil {
		return err
	}
	if !o.quiet {
		fmt.Fprintf(cmd.ErrOrStderr(), "zonula: %s: %d reads, %d passed QC, %d classified to genus; %d files in %s (%.1fs)\n",
			res.Sample, res.QC.InputReads, res.QC.PassedReads, res.Classification.AssignedAt[5], len(res.Files), o.out, time.Since(start).Seconds())
	}
	return nil
}

// primerOptions returns the primer search the flags ask for: nil with
// --no-primer-search, else the pairs of --primers FILE or the defaults.
func (o runOptions) primerOptions() (*qc.PrimerOptions, error) {
	if o.noPrimerSearch {
		return nil, nil
	}
	po := qc.DefaultPrimerOptions()
	po.MaxMismatches = o.primerMismatches
	if o.primers != "" {
		f, err := os.Open(o.primers)
		if err != nil {
			return nil, &badInputError{err}
		}
		defer f.Close()
		pairs, err := qc.ReadPrimerPairs(f, o.primers)
		if err != nil {
			return nil, &badInputError{err}
		}
		po.Pairs = pairs
	}
	return &po, nil
}

func parseFormats(s string) (html, pdf bool, err error) {
	if s == "none" {
		return false, false, nil
	}
	for _, f := range strings.Split(s, ",") {
		switch strings.TrimSpace(f) {
		case "html":
			html = true
		case "pdf":
			pdf = true
		default:
			return false, false, usagef("--format %q: want html, pdf, html,pdf or none", s)
		}
	}
	return html, pdf, nil
}

// logProgress prints a plain progress line at most every few seconds.
type logProgress struct {
	mu    sync.Mutex
	w     io.Writer
	last  time.Time
	every time.Duration
	share float64 // of input bytes read, when known
}

func newLogProgress(w io.Writer) *logProgress {
	return &logProgress{w: w, last: time.Now(), every: 5 * time.Second}
}

// Bytes implements pipeline.ByteProgress: the plain log adds the share of
// input read when the total size is known.
func (p *logProgress) Bytes(read, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if total > 0 {
		p.share = float64(read) / float64(total)
	}
}

func (p *logProgress) Reads(done, passed int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < p.every {
		return
	}
	p.last = time.Now()
	if p.share > 0 {
		fmt.Fprintf(p.w, "zonula: %d reads read (%.0f %% of input), %d passed QC\n", done, 100*p.share, passed)
		return
	}
	fmt.Fprintf(p.w, "zonula: %d reads read, %d passed QC\n", done, passed)
}

func (p *logProgress) Stage(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if slices.Contains([]string{"classifying", "report"}, name) {
		fmt.Fprintf(p.w, "zonula: %s\n", name)
	}
}
