// Package metrics computes diversity and imbalance metrics from counts. Each
// function documents its formula, log base and edge cases.
package metrics
