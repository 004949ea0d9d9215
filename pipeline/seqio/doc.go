// Package seqio reads FASTQ and FASTA records from plain, gzip (including
// multi-member and bgzip), zstd or bzip2 streams, detected from their content.
// Errors carry the file, line and record they concern.
package seqio
