// Package qc filters reads by length and quality and summarises a run's reads.
package qc
