package pipeline

import (
	"io"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/report/htmlout"
	"github.com/zonula/zonula/report/pdfout"
)

// renderReport stages the document as report.html and report.pdf, as asked.
func renderReport(stage *safefile.Stage, doc *report.Document, html, pdf bool, pageSize string) error {
	if html {
		if err := stage.Write("report.html", func(w io.Writer) error { return htmlout.Render(w, doc) }); err != nil {
			return err
		}
	}
	if pdf {
		opts := pdfout.Options{PageSize: pageSize}
		if err := stage.Write("report.pdf", func(w io.Writer) error { return pdfout.Render(w, doc, opts) }); err != nil {
			return err
		}
	}
	return nil
}
