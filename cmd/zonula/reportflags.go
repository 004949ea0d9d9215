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
	biom                         tables.BIOMFormat
}

func (r *reportFlags) register(f *pflag.FlagSet) {
	f.StringVar(&r.formats, "format", "html,pdf", "report formats: html, pdf, html,pdf (both) or none")
	f.StringVar(&r.pageSize, "page-size", "A4", "PDF page size: A4 or Letter")
	f.StringVar(&r.reference, "reference", "", "reference cohort `TABLE` for percentiles (any table format, ≥ 10 samples; default: embedded)")
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

// referenceSet loads --reference; nil (the embedded set) when not given.
func (r *reportFlags) referenceSet() (*metrics.ReferenceSet, error) {
	if r.reference == "" {
		return nil, nil
	}
	return loadReference(r.reference)
}
