// Package tables holds the abundance profile of a sample and reads and writes
// it in the table formats zonula supports (TSV, BIOM).
//
// Builder turns per-read lineages into a Profile at every rank. WriteTSV and
// ReadTSV implement abundance.tsv; WriteBIOM writes BIOM 1.0 JSON.
// ReadTables (and Decode, on bytes) imports the tables of other tools, one
// Profile per sample, a file per format: delim.go (TSV/CSV), biomread.go
// (BIOM 1.0 and 2.1), qza.go (QIIME 2 artifacts, taxonomy files),
// formats.go (Emu, Kraken2, Bracken, MetaPhlAn, mothur). WriteCombinedTSV,
// WriteCombinedBIOM (BIOM 1.0 JSON) and WriteCombinedBIOM2 (BIOM 2.1 HDF5)
// write several profiles as one table; WriteBIOM2 writes one.
// Writers are deterministic: their bytes depend only on their arguments.
// Readers return errors that name the file and the line or row at fault.
package tables
