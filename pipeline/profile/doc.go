// Package profile is the stage between the classifier and the metrics: a
// Tally is fed each read as QC and the classifier left it, in input order,
// and at the end gives the sample's QC summary, classification summary and
// abundance profile (tables.Profile at every rank). Reads tied between
// species are shared among them by EM (classify.SpeciesAbundance) when the
// tally finishes; every other count is exact.
package profile
