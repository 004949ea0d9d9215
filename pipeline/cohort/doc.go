// Package cohort compares the abundance profiles of many samples: it reads
// them (from zonula output directories or tables), matches them to a groups
// file, and computes what a cohort report states: a genus count matrix,
// alpha diversity per sample, a beta-diversity distance matrix, its PCoA,
// a PERMANOVA between groups and a CLR + Welch differential-abundance test.
// WriteTables writes the results as deterministic TSV and JSON files.
// Compare sets two samples of one person side by side (before and after):
// genus diversity of each, their Bray–Curtis dissimilarity, and the
// dissimilarity read sampling alone would give.
//
// Every statistic is computed by package metrics; this package chooses the
// inputs (genus rank, proportions for Bray–Curtis, counts for Aitchison) and
// decides, with a stated reason, when a test cannot be run.
package cohort
