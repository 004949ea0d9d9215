// Package pdfout renders a report.Document as a PDF with fpdf
// (codeberg.org/go-pdf/fpdf).
//
// Text is set in Liberation Sans, embedded as subset UTF-8 TrueType fonts, so
// µ, ≥, ±, accents and Greek letters print on any reader. Figures stay vector
// graphics: a vg.Canvas adapter (canvas.go) draws the gonum/plot figure
// straight onto the page with fpdf's paths and transforms, its text in the
// Liberation face gonum/plot measured it with. Every section has a bookmark;
// every page a "page N of M" footer. Tables repeat their header row after a
// page break; findings are boxed cards with their evidence grade and
// reference keys; callouts are shaded boxes. Blocks meant for the screen only
// (the sunburst, the table of all taxa) are replaced by a line pointing to the
// HTML report.
//
// The same document gives the same bytes: the creation and modification
// dates are the run's (doc.Provenance.Finished), catalogue entries are
// sorted, and nothing depends on the clock or map order.
package pdfout
