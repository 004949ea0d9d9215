// Package pipeline runs zonula's chain for one sample: reads → QC →
// classification → abundance profile → metrics → report, writing the
// per-sample outputs of design.md atomically.
package pipeline
