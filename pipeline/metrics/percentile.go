package metrics

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Percentile returns the empirical percentile of v among ref with mid-rank
// ties,
//
//	P = 100 · (#{r < v} + ½ · #{r = v}) / n,
//
// over the n finite values of ref (NaN and ±Inf are ignored). A value below
// every reference gives 0, above every one 100, and equal to all of them 50;
// a value equal to the median of a set without ties gives 50. ok is false
// when ref has no finite value or v is not finite.
func Percentile(ref []float64, v float64) (p float64, ok bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	var below, equal, n float64
	for _, r := range ref {
		switch {
		case math.IsNaN(r) || math.IsInf(r, 0):
			continue
		case r < v:
			below++
		case r == v:
			equal++
		}
		n++
	}
	if n == 0 {
		return 0, false
	}
	return 100 * (below + equal/2) / n, true
}

// ReferenceSet holds the values of named metrics over a set of reference
// samples, for placing a sample among them (report findings trigger on
// these percentiles, science.md RULE-05); MeasureSample places a sample in it.
type ReferenceSet struct {
	meta    ReferenceMeta
	samples []string
	metrics []string
	values  map[string][]float64 // metric → sorted finite values
}

// ReferenceMeta describes a reference set.
type ReferenceMeta struct {
	Name   string   // what the set is, e.g. "Turnbaugh 2009 twin study, lean women"
	Source string   // where its data come from and how its values were made
	Refs   []string // knowledge-base reference keys (R- IDs) of its sources
	// Note, when not empty, says why positions in this set are rough (a
	// different sequencing method, say); the report shows it beside the
	// positions.
	Note string
	// Matched says the set was made by the same pipeline (same sequencing
	// method, classifier and database) as the samples placed in it, or is
	// a cohort the user supplies as such: its percentiles then raise
	// findings (science.md RULE-05, frame 1). A set made by another method
	// is context only and never raises or silences a finding.
	Matched bool
}

// NewReferenceSet builds a reference set from per-sample metric values
// (samples[i] names the sample of values[i]). Metrics missing from a sample,
// or NaN, are left out for that sample.
func NewReferenceSet(meta ReferenceMeta, samples []string, values []map[string]float64) (*ReferenceSet, error) {
	if len(samples) != len(values) {
		return nil, fmt.Errorf("metrics: %d sample names for %d samples", len(samples), len(values))
	}
	if len(samples) == 0 {
		return nil, errors.New("metrics: a reference set needs at least one sample")
	}
	if err := uniqueNames("sample", samples); err != nil {
		return nil, err
	}
	meta.Refs = slices.Clone(meta.Refs)
	rs := &ReferenceSet{meta: meta, samples: slices.Clone(samples), values: map[string][]float64{}}
	for _, v := range values {
		for k, x := range v {
			if _, ok := rs.values[k]; !ok {
				rs.values[k] = nil
			}
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				rs.values[k] = append(rs.values[k], x)
			}
		}
	}
	for _, v := range rs.values {
		slices.Sort(v)
	}
	rs.metrics = slices.Sorted(maps.Keys(rs.values))
	return rs, nil
}

// Name names the set and its size, e.g. "Turnbaugh 2009 lean twins (n = 61)".
func (r *ReferenceSet) Name() string {
	return fmt.Sprintf("%s (n = %d)", r.meta.Name, len(r.samples))
}

// Note says why positions in the set are rough, "" when nothing is known
// against it (see ReferenceMeta).
func (r *ReferenceSet) Note() string { return r.meta.Note }

// Matched says the set is method-matched, so that its percentiles decide
// findings (see ReferenceMeta).
func (r *ReferenceSet) Matched() bool { return r.meta.Matched }

// WithMatched returns a copy of the set marked as method-matched or not (a
// user's statement, e.g. zonula's --reference-method).
func (r *ReferenceSet) WithMatched(matched bool) *ReferenceSet {
	c := *r
	c.meta.Matched = matched
	return &c
}

// Quantile returns the q-quantile (0–1) of the set's values of metric,
// interpolated between order statistics as R's quantile type 7 (the
// default): h = (n−1)·q, x_⌊h⌋ + (h−⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋). NaN when the set
// has no value of metric or q is outside 0–1.
func (r *ReferenceSet) Quantile(metric string, q float64) float64 {
	vals := r.values[metric]
	if len(vals) == 0 || !(q >= 0 && q <= 1) {
		return math.NaN()
	}
	h := float64(len(vals)-1) * q
	lo := int(math.Floor(h))
	if lo+1 >= len(vals) {
		return vals[len(vals)-1]
	}
	return vals[lo] + (h-float64(lo))*(vals[lo+1]-vals[lo])
}

// Refs lists the knowledge-base reference keys (R- IDs) of the set's
// sources, from its "#refs" line; nil when none.
func (r *ReferenceSet) Refs() []string { return slices.Clone(r.meta.Refs) }

// Source says where the set's data come from and how it was made.
func (r *ReferenceSet) Source() string { return r.meta.Source }

// N is the number of reference samples.
func (r *ReferenceSet) N() int { return len(r.samples) }

// Metrics lists the metrics the set holds, sorted.
func (r *ReferenceSet) Metrics() []string { return slices.Clone(r.metrics) }

// Values returns the sorted finite reference values of metric.
func (r *ReferenceSet) Values(metric string) []float64 { return slices.Clone(r.values[metric]) }

// Percentile returns where value falls (0–100) among the set's values of
// metric (see the function Percentile: mid-rank ties), and false when the
// set has no finite value of metric.
func (r *ReferenceSet) Percentile(metric string, value float64) (float64, bool) {
	vals := r.values[metric]
	if len(vals) == 0 || math.IsNaN(value) || math.IsInf(value, 0) {
		return 0, false
	}
	below := sort.SearchFloat64s(vals, value)                                   // first ≥ value
	upto := sort.Search(len(vals), func(i int) bool { return vals[i] > value }) // first > value
	return 100 * (float64(below) + float64(upto-below)/2) / float64(len(vals)), true
}

// refHeader prefixes the reference-set TSV's metadata lines.
const refHeader = "#zonula-reference-set"

// Values of the "#method" line of a reference-set TSV.
const (
	MethodSame  = "same-pipeline" // ReferenceMeta.Matched
	MethodOther = "other"
)

// WriteReferenceTSV writes a reference set as a TSV: a "#zonula-reference-set" line, "#name",
// "#source", "#refs" (comma-separated R- keys), "#note" and "#method" (MethodSame
// or MethodOther) lines, a header "sample" + metrics, then a row per sample
// with values printed exactly (%.17g) and "NA" where missing. rows[i] holds
// the values of sample i as given to NewReferenceSet.
func WriteReferenceTSV(w io.Writer, meta ReferenceMeta, samples []string, rows []map[string]float64) error {
	if len(samples) != len(rows) {
		return fmt.Errorf("metrics: %d sample names for %d samples", len(samples), len(rows))
	}
	keys := map[string]bool{}
	for _, r := range rows {
		for k := range r {
			keys[k] = true
		}
	}
	metrics := slices.Sorted(maps.Keys(keys))
	bw := bufio.NewWriter(w)
	method := MethodOther
	if meta.Matched {
		method = MethodSame
	}
	fmt.Fprintf(bw, "%s\t1\n#name\t%s\n#source\t%s\n#refs\t%s\n#note\t%s\n#method\t%s\n", refHeader,
		oneLine(meta.Name), oneLine(meta.Source), oneLine(strings.Join(meta.Refs, ",")), oneLine(meta.Note), method)
	bw.WriteString("sample")
	for _, m := range metrics {
		bw.WriteString("\t" + m)
	}
	bw.WriteString("\n")
	for i, s := range samples {
		bw.WriteString(oneLine(s))
		for _, m := range metrics {
			v, ok := rows[i][m]
			if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
				bw.WriteString("\tNA")
				continue
			}
			bw.WriteString("\t" + strconv.FormatFloat(v, 'g', 17, 64))
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}

func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}

// RefSetError reports a malformed reference-set file at a line.
type RefSetError struct {
	File string
	Line int
	Err  error
}

func (e *RefSetError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *RefSetError) Unwrap() error { return e.Err }

// InputFile names the reference-set file at fault.
func (e *RefSetError) InputFile() string { return e.File }

// IsReferenceTSV reports whether data starts like a reference-set TSV
// (WriteReferenceTSV), not an abundance table.
func IsReferenceTSV(data []byte) bool {
	return bytes.HasPrefix(data, []byte(refHeader+"\t")) || bytes.HasPrefix(data, []byte(refHeader+"\n"))
}

// ReadReferenceTSV reads a reference set written by WriteReferenceTSV; file
// names it in errors. A set is method-matched only when its "#method" line
// says MethodSame; without the line it is taken as made by another method.
func ReadReferenceTSV(r io.Reader, file string) (*ReferenceSet, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var meta ReferenceMeta
	var header []string
	var samples []string
	var rows []map[string]float64
	line := 0
	fail := func(format string, a ...any) error {
		return &RefSetError{File: file, Line: line, Err: fmt.Errorf(format, a...)}
	}
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		f := strings.Split(text, "\t")
		switch {
		case line == 1:
			if f[0] != refHeader {
				return nil, fail("not a zonula reference set (first line %q)", truncateLabel(text))
			}
		case strings.HasPrefix(text, "#"):
			if len(f) == 2 {
				switch f[0] {
				case "#name":
					meta.Name = f[1]
				case "#source":
					meta.Source = f[1]
				case "#note":
					meta.Note = f[1]
				case "#method":
					switch f[1] {
					case MethodSame, MethodOther:
						meta.Matched = f[1] == MethodSame
					default:
						return nil, fail("#method %q: want %s or %s", truncateLabel(f[1]), MethodSame, MethodOther)
					}
				case "#refs":
					if f[1] != "" {
						meta.Refs = strings.Split(f[1], ",")
					}
				}
			}
		case header == nil:
			if f[0] != "sample" || len(f) < 2 {
				return nil, fail("header must be sample and at least one metric")
			}
			header = f[1:]
		default:
			if len(f) != len(header)+1 {
				return nil, fail("%d fields, want %d", len(f), len(header)+1)
			}
			row := map[string]float64{}
			for i, s := range f[1:] {
				if s == "NA" {
					continue
				}
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fail("%s: value %q is not a finite number", header[i], truncateLabel(s))
				}
				row[header[i]] = v
			}
			samples = append(samples, f[0])
			rows = append(rows, row)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fail("%v", err)
	}
	if len(rows) == 0 {
		return nil, fail("no samples")
	}
	rs, err := NewReferenceSet(meta, samples, rows)
	if err != nil {
		return nil, &RefSetError{File: file, Line: line, Err: err}
	}
	for _, m := range header { // metrics with no value at all are still listed
		if _, ok := rs.values[m]; !ok {
			rs.values[m] = nil
		}
	}
	rs.metrics = slices.Sorted(maps.Keys(rs.values))
	return rs, nil
}

//go:embed refset/twins-lean.tsv
var twinsLean []byte

// EmbeddedReferenceSet returns the reference set zonula ships: the 61
// faecal samples of lean women in the twin study of Turnbaugh et al. 2009
// (Nature 457:480–484), genus counts from V2 16S pyrosequencing as shipped
// in Bioconductor's DirichletMultinomial package (Holmes, Harris & Quince
// 2012, PLoS ONE 7:e30126; LGPL-3), with metrics computed by zonula
// (scripts/build-reference-set.sh). See refset/README.md for its limits.
func EmbeddedReferenceSet() (*ReferenceSet, error) {
	return ReadReferenceTSV(bytes.NewReader(twinsLean), "refset/twins-lean.tsv")
}
