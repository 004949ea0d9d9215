// Package report builds the content of a sample report (findings, figures,
// tables, provenance) from a profile, its metrics and QC, and the embedded
// knowledge base. Renderers in htmlout and pdfout lay that content out and
// compute nothing.
package report
