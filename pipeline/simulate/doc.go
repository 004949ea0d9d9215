// Package simulate draws sequencing reads from reference 16S sequences in a
// known composition, with platform-like errors and qualities, for demos,
// tests and the classifier's self-check.
package simulate
