// Package tables holds the abundance profile of a sample and reads and writes
// it in the table formats zonula supports (TSV, BIOM).
package tables
