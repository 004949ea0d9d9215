package main

import (
	"github.com/spf13/pflag"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/tables"
)

// reportFlags are the output flags shared by run, batch, report and
// workflow init, so that they stay the same everywhere.
type reportFlags struct {
	formats, pageSize, reference string
	referenceMethod              string // "" (default), metrics.MethodSame or metrics.MethodOther
	biom                         tables.BIOMFormat
}

func (r *reportFlags) register(f *pflag.FlagSet) {
	f.StringVar(&r.formats, "format", "html,pdf", "report formats: html, pdf, html,pdf (both) or none")
	f.StringVar(&r.pageSize, "page-size", "A4", "PDF page size: A4 or Letter")
	f.StringVar(&r.reference, "reference", "", "reference cohort `TABLE` for percentiles (any table format, ≥ 10 samples, or a zonula reference-set file; default: embedded)")
	f.StringVar(&r.referenceMethod, "reference-method", "", "how the --reference set was made: same-pipeline (its percentiles raise findings) or other (context only; robust bounds decide); default: same-pipeline for a cohort table, a reference-set file's #method line")
	registerBIOMFormat(f, &r.biom)
}

// registerBIOMFormat adds --biom-format, the format of the BIOM files written.
func registerBIOMFormat(f *pflag.FlagSet, v *tables.BIOMFormat) {
	f.Var(v, "biom-format", "BIOM files: 1.0 (JSON) or 2.1 (HDF5, what QIIME 2 imports as BIOMV210Format)")
}

// check returns the report formats asked for, or a usage error for a bad
// --format or --page-size.
func (r *reportFlags) check() (html, pdf bool, err error) {
	if html, pdf, err = parseFormats(r.formats); err != nil {
		return false, false, err
	}
	if err := checkPageSize(r.pageSize); err != nil {
		return false, false, err
	}
	return html, pdf, nil
}

// checkPageSize returns a usage error unless s is a page size the PDF
// renderer knows.
func checkPageSize(s string) error {
	if s != "A4" && s != "Letter" {
		return usagef("--page-size %q: want A4 or Letter", s)
	}
	return nil
}

// referenceSet loads --reference as --reference-method says it was made;
// nil (the embedded set) when not given.
func (r *reportFlags) referenceSet() (*metrics.ReferenceSet, error) {
	if err := r.checkReferenceMethod(); err != nil {
		return nil, err
	}
	if r.reference == "" {
		return nil, nil
	}
	return loadReference(r.reference, r.referenceMethod)
}

// checkReferenceMethod returns a usage error for a bad --reference-method,
// or one given without --reference.
func (r *reportFlags) checkReferenceMethod() error {
	switch r.referenceMethod {
	case "", metrics.MethodSame, metrics.MethodOther:
	default:
		return usagef("--reference-method %q: want %s or %s", r.referenceMethod, metrics.MethodSame, metrics.MethodOther)
	}
	if r.referenceMethod != "" && r.reference == "" {
		return usagef("--reference-method needs --reference (the embedded set is always context only)")
	}
	return nil
}
