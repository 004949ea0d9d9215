package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/taxonomy/classify"
)

// qcFlags are the read-filter and primer flags that 'zonula run', 'zonula
// batch' and 'zonula workflow init' share.
type qcFlags struct {
	minLength, maxLength          int
	minQ                          float64
	maxEE, maxEEPerKb, minEntropy float64
	maxHomopolymer                int
	primers                       string // primer pairs file; "" is 27F/1492R and their degenerate forms
	primerMismatches              int
	noPrimerTrim, noPrimerSearch  bool
	requirePrimers, noMultiQC     bool
	errorRate                     float64 // for reads without qualities; 0 estimates it
	maxReadLength                 int     // longest read accepted at all (bounds memory)
	minConfidence                 float64 // posterior a taxon needs to be called
}

func (q *qcFlags) register(f *pflag.FlagSet) {
	def := qc.DefaultOptions()
	f.IntVar(&q.minLength, "min-length", def.MinLength, "shortest read kept, in bases")
	f.IntVar(&q.maxLength, "max-length", def.MaxLength, "longest read kept, in bases")
	f.Float64Var(&q.minQ, "min-q", def.MinMeanQ, "lowest mean read quality kept (Phred; 0 keeps all)")
	f.Float64Var(&q.maxEEPerKb, "max-ee-per-kb", def.MaxExpectedErrorsPerKb, "most expected errors per 1,000 bases a read may have (10 is Q20; 0 keeps all)")
	f.Float64Var(&q.maxEE, "max-ee", def.MaxExpectedErrors, "most expected errors a read may have in all (0 keeps all)")
	f.Float64Var(&q.minEntropy, "min-entropy", def.MinKmerEntropy, "lowest 3-mer entropy kept, in bits of 6; lower is low complexity (0 keeps all)")
	f.IntVar(&q.maxHomopolymer, "max-homopolymer", def.MaxHomopolymer, "longest run of one base kept (0 keeps all; runs over 12 are counted either way)")
	f.StringVar(&q.primers, "primers", "", "primer pairs `FILE` to search instead of 27F/1492R (lines 'FWD_NAME FWD_SEQ REV_NAME REV_SEQ', or FASTA forward, reverse, …)")
	f.IntVar(&q.primerMismatches, "primer-mismatches", qc.DefaultPrimerOptions().MaxMismatches, "most edits in a primer occurrence")
	f.BoolVar(&q.noPrimerTrim, "no-primer-trim", false, "keep primers in the reads (they are still searched, to orient reads and count them)")
	f.BoolVar(&q.noPrimerSearch, "no-primer-search", false, "do not search for primers at all (reads are oriented by the classifier)")
	f.BoolVar(&q.requirePrimers, "require-primers", false, "filter reads in which no primer was found (reason no_primers)")
	f.Float64Var(&q.errorRate, "error-rate", 0, "error rate of reads without qualities (FASTA), up to 0.25; 0 estimates it from the sample's first reads")
	f.IntVar(&q.maxReadLength, "max-read-length", seqio.DefaultMaxReadLength, "longest read (and, plus 64 KiB, longest input line) accepted at all, in bases; a longer one stops the run as bad input, which keeps memory bounded (raise it for long-read amplicons beyond 1 Mbp)")
	f.Float64Var(&q.minConfidence, "min-confidence", classify.DefaultMinConfidence, "posterior probability a read's genus (or species) needs to be named; below it the read gets the common ancestor of the taxa needed to reach it (0.5 to 1)")
	f.BoolVar(&q.noMultiQC, "no-multiqc", false, "do not write the MultiQC files SAMPLE.zonula_general_mqc.json and SAMPLE.zonula_lengths_mqc.json")
}

// check returns a usage error for values out of range.
func (q *qcFlags) check() error {
	if q.minLength < 0 || q.maxLength < q.minLength {
		return usagef("--min-length %d and --max-length %d: want 0 ≤ min ≤ max", q.minLength, q.maxLength)
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"--min-q", q.minQ}, {"--max-ee", q.maxEE}, {"--max-ee-per-kb", q.maxEEPerKb}, {"--min-entropy", q.minEntropy}, {"--max-homopolymer", float64(q.maxHomopolymer)}, {"--primer-mismatches", float64(q.primerMismatches)}} {
		if c.v < 0 || math.IsNaN(c.v) {
			return usagef("%s %v: want 0 or more", c.name, c.v)
		}
	}
	if q.errorRate < 0 || q.errorRate > 0.25 || math.IsNaN(q.errorRate) {
		return usagef("--error-rate %v: want 0 to 0.25", q.errorRate)
	}
	if q.maxReadLength < 1 || q.maxReadLength > 1<<30 {
		return usagef("--max-read-length %d: want 1 to %d bases", q.maxReadLength, 1<<30)
	}
	if !(q.minConfidence >= 0.5 && q.minConfidence <= 1) {
		return usagef("--min-confidence %v: want 0.5 to 1", q.minConfidence)
	}
	if q.minEntropy > 6 {
		return usagef("--min-entropy %v: want 0 to 6 bits", q.minEntropy)
	}
	if q.noPrimerSearch && (q.primers != "" || q.requirePrimers || q.noPrimerTrim) {
		return usagef("--no-primer-search cannot be combined with --primers, --require-primers or --no-primer-trim")
	}
	return nil
}

// options returns the filters and the primer search (nil with
// --no-primer-search) the flags ask for; a bad --primers file is bad input.
func (q *qcFlags) options() (qc.Options, *qc.PrimerOptions, error) {
	o := qc.Options{MinLength: q.minLength, MaxLength: q.maxLength, MinMeanQ: q.minQ,
		MaxExpectedErrors: q.maxEE, MaxExpectedErrorsPerKb: q.maxEEPerKb, MinKmerEntropy: q.minEntropy,
		MaxHomopolymer: q.maxHomopolymer, RequirePrimers: q.requirePrimers, KeepPrimers: q.noPrimerTrim}
	if q.noPrimerSearch {
		return o, nil, nil
	}
	po := qc.DefaultPrimerOptions()
	po.MaxMismatches = q.primerMismatches
	if q.primers != "" {
		f, err := os.Open(q.primers)
		if err != nil {
			return o, nil, &badInputError{err}
		}
		defer f.Close()
		pairs, err := qc.ReadPrimerPairs(f, q.primers)
		if err != nil {
			return o, nil, &badInputError{err}
		}
		po.Pairs = pairs
	}
	return o, &po, nil
}

// record returns the flags as run.json records them (after max-length,
// metadata, min-length in the caller's list: see the callers' order).
func (q *qcFlags) record() []report.Option {
	return []report.Option{
		{Name: "min-q", Value: strconv.FormatFloat(q.minQ, 'g', -1, 64)},
		{Name: "max-ee", Value: strconv.FormatFloat(q.maxEE, 'g', -1, 64)},
		{Name: "max-ee-per-kb", Value: strconv.FormatFloat(q.maxEEPerKb, 'g', -1, 64)},
		{Name: "min-entropy", Value: strconv.FormatFloat(q.minEntropy, 'g', -1, 64)},
		{Name: "max-homopolymer", Value: strconv.Itoa(q.maxHomopolymer)},
		{Name: "primers", Value: q.primers},
		{Name: "primer-mismatches", Value: strconv.Itoa(q.primerMismatches)},
		{Name: "no-primer-trim", Value: strconv.FormatBool(q.noPrimerTrim)},
		{Name: "no-primer-search", Value: strconv.FormatBool(q.noPrimerSearch)},
		{Name: "require-primers", Value: strconv.FormatBool(q.requirePrimers)},
		{Name: "error-rate", Value: strconv.FormatFloat(q.errorRate, 'g', -1, 64)},
		{Name: "min-confidence", Value: strconv.FormatFloat(q.minConfidence, 'g', -1, 64)},
	}
}

// classifyOptions returns the classifier's options with --min-confidence.
func (q *qcFlags) classifyOptions() classify.Options {
	o := classify.DefaultOptions()
	o.MinConfidence = q.minConfidence
	return o
}

// args returns the flags as 'zonula run' arguments (for the workflow's
// jobs), with --primers made absolute. The caller shell-quotes.
func (q *qcFlags) args() ([]string, error) {
	a := []string{"--min-length", strconv.Itoa(q.minLength), "--max-length", strconv.Itoa(q.maxLength),
		"--min-q", strconv.FormatFloat(q.minQ, 'g', -1, 64),
		"--max-ee", strconv.FormatFloat(q.maxEE, 'g', -1, 64),
		"--max-ee-per-kb", strconv.FormatFloat(q.maxEEPerKb, 'g', -1, 64),
		"--min-entropy", strconv.FormatFloat(q.minEntropy, 'g', -1, 64),
		"--max-homopolymer", strconv.Itoa(q.maxHomopolymer),
		"--primer-mismatches", strconv.Itoa(q.primerMismatches),
		"--error-rate", strconv.FormatFloat(q.errorRate, 'g', -1, 64),
		"--min-confidence", strconv.FormatFloat(q.minConfidence, 'g', -1, 64)}
	if q.maxReadLength != seqio.DefaultMaxReadLength {
		a = append(a, "--max-read-length", strconv.Itoa(q.maxReadLength))
	}
	if q.primers != "" {
		p, err := filepath.Abs(q.primers)
		if err != nil {
			return nil, err
		}
		a = append(a, "--primers", p)
	}
	for _, b := range []struct {
		on   bool
		flag string
	}{{q.noPrimerTrim, "--no-primer-trim"}, {q.noPrimerSearch, "--no-primer-search"}, {q.requirePrimers, "--require-primers"}, {q.noMultiQC, "--no-multiqc"}} {
		if b.on {
			a = append(a, b.flag)
		}
	}
	return a, nil
}
