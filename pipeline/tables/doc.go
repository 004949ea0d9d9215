// Package tables holds the abundance profile of a sample and reads and writes
// it in the table formats zonula supports (TSV, BIOM).
//
// Builder turns per-read lineages into a Profile at every rank. WriteTSV and
// ReadTSV implement abundance.tsv; WriteBIOM and ReadBIOM BIOM 1.0 JSON.
// Writers are deterministic: their bytes depend only on their arguments.
// Readers return errors that name the file and the line or row at fault.
package tables
