// Package htmlout renders a report.Document as one self-contained HTML5 file.
//
// Everything the page needs is inside it: the style sheet, a small script
// that sorts tables by a clicked column (numbers as numbers where the table
// marks a column numeric), figures as inline SVG drawn by gonum/plot, and the
// figures' fonts as data: URLs, embedded once per page however many figures
// use them. A content-security policy forbids loading anything else, so a
// browser makes no request when it opens the report; DOI links are plain
// links, followed only when clicked.
//
// Text from the document is escaped by html/template (a sample named
// "<script>…" is shown, not run); figure text is escaped by gonum/plot's SVG
// writer. The page has a table of contents, shows alerts before any section,
// reads on a phone (viewport meta, one column below 40rem), prints cleanly
// (@media print) and is accessible: lang, one h1, h2 per section, h3 per
// card, figures with captions and their text alternative as the SVG's
// accessible name and title.
//
// The same document always gives the same bytes.
package htmlout
