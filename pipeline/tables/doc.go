// Package tables holds the abundance profile of a sample and reads and writes
// it in the table formats zonula supports.
//
// Builder turns per-read lineages into a Profile at every rank. ReadTables
// (and Decode, on bytes) imports the tables of other tools, one Profile per
// sample; WriteTSV, WriteBIOM and the combined writers export profiles.
// Writers are deterministic: their bytes depend only on their arguments.
// Readers return errors that name the file and the line or row at fault.
//
// A file per job:
//
//   - profile.go, builder.go: Profile, Row, Feature; Builder.
//   - tsv.go: zonula's abundance.tsv (WriteTSV, ReadTSV, and its import).
//   - readstable.go: zonula's per-read table (ProfileFromReads).
//   - combined.go: several profiles as one TSV table (WriteCombinedTSV).
//   - biom.go: BIOMMeta and BIOMFormat (the --biom-format flag value),
//     what the BIOM writers share; biom1write.go: WriteBIOM and
//     WriteCombinedBIOM, BIOM 1.0 JSON by default; biom2write.go: their
//     BIOM 2.1 HDF5 output (BIOMMeta.Format BIOM21, through internal/hdf5).
//
// The importer:
//
//   - read.go: ReadTables, ReadAll, Decode, format detection (Detect),
//     ParseError; format.go: the Format and Orientation flag values.
//   - table.go: an imported table checked and turned into profiles.
//   - parse.go: lines, counts and lineages, as every reader parses them.
//   - one file per import format: delim.go (TSV/CSV, taxa or samples as
//     rows), biom1read.go (BIOM 1.0 JSON), biom2read.go (BIOM 2.1 HDF5),
//     qza.go (QIIME 2 feature table artifacts), emu.go (Emu), kraken.go
//     (Kraken2 reports), bracken.go (Bracken), metaphlan.go (MetaPhlAn),
//     mothur.go (mothur .shared), and tsv.go (zonula's abundance.tsv).
//   - taxonomyfile.go: lineages by feature id from a separate file
//     (ReadOptions.Taxonomy: QIIME 2 taxonomy, mothur .cons.taxonomy,
//     Kraken2 report).
package tables
