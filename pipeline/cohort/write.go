package cohort

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/zonula/zonula/pipeline/safefile"
)

// Table files WriteTables writes.
const (
	DistancesFile    = "distances.tsv"
	PCoAFile         = "pcoa.tsv"
	PermanovaFile    = "permanova.tsv"
	PermanovaJSON    = "permanova.json"
	DifferentialFile = "differential.tsv"
	PairwiseFile     = "differential-pairwise.tsv"
	SetAsideFile     = "genera-set-aside.tsv"
	DifferentialJSON = "differential.json"
	AlphaFile        = "alpha.tsv"
)

// maxAxes is how many PCoA axes pcoa.tsv holds at most.
const maxAxes = 10

// WriteTables stages the cohort tables (safefile.Stage):
//
//   - distances.tsv: the square distance matrix, a header of sample names;
//   - pcoa.tsv: sample, group and coordinates on the first axes (at most 10,
//     those with a positive eigenvalue), after two rows "eigenvalue" and
//     "proportion_explained" whose group cell is empty;
//   - permanova.tsv and permanova.json: metric, permutations, seed, n, groups,
//     F, R², p, or tested=false with the reason;
//   - differential.tsv, differential-pairwise.tsv, genera-set-aside.tsv and
//     differential.json: the differential test (see writeDifferential);
//   - alpha.tsv: alpha diversity per sample at genus rank.
//
// Without groups the group cells are "NA".
//
// Numbers are written with 10 significant digits (Num), undefined ones as
// "NA", so the bytes depend only on the result.
func (r *Result) WriteTables(stage *safefile.Stage) error {
	files := []struct {
		name  string
		write func(w io.Writer) error
	}{
		{DistancesFile, r.writeDistances},
		{PCoAFile, r.writePCoA},
		{PermanovaFile, r.writePermanovaTSV},
		{PermanovaJSON, r.writePermanovaJSON},
		{DifferentialFile, r.writeDifferential},
		{PairwiseFile, r.writePairwise},
		{SetAsideFile, r.writeSetAside},
		{DifferentialJSON, r.writeDifferentialJSON},
		{AlphaFile, r.writeAlpha},
	}
	for _, f := range files {
		if err := stage.Write(f.name, f.write); err != nil {
			return err
		}
	}
	return nil
}

// Num formats a value as the tables do: 10 significant digits, "NA" when
// undefined, "Inf" for +Inf.
func Num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NA"
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', 10, 64)
}

func writeRow(w io.Writer, cells ...string) error {
	_, err := io.WriteString(w, strings.Join(cells, "\t")+"\n")
	return err
}

func (r *Result) writeDistances(w io.Writer) error {
	if err := writeRow(w, append([]string{"sample"}, r.Samples...)...); err != nil {
		return err
	}
	for i, s := range r.Samples {
		cells := []string{s}
		for j := range r.Samples {
			cells = append(cells, Num(r.Distances.At(i, j)))
		}
		if err := writeRow(w, cells...); err != nil {
			return err
		}
	}
	return nil
}

// Axes returns how many PCoA axes are reported: those with a positive
// eigenvalue, at most 10.
func (r *Result) Axes() int {
	k := 0
	for _, e := range r.Ordination.Eigenvalues {
		if e > 1e-12*r.Ordination.Eigenvalues[0] && k < maxAxes {
			k++
		}
	}
	return k
}

func (r *Result) writePCoA(w io.Writer) error {
	k := r.Axes()
	head := []string{"sample", "group"}
	eig := []string{"eigenvalue", ""}
	prop := []string{"proportion_explained", ""}
	for a := range k {
		head = append(head, fmt.Sprintf("PC%d", a+1))
		eig = append(eig, Num(r.Ordination.Eigenvalues[a]))
		prop = append(prop, Num(r.Ordination.ProportionExplained[a]))
	}
	for _, row := range [][]string{head, eig, prop} {
		if err := writeRow(w, row...); err != nil {
			return err
		}
	}
	for i, s := range r.Samples {
		cells := []string{s, r.groupCell(i)}
		for a := range k {
			cells = append(cells, Num(r.Ordination.Coordinates[i][a]))
		}
		if err := writeRow(w, cells...); err != nil {
			return err
		}
	}
	return nil
}

// PermanovaRecord is the content of permanova.json.
type PermanovaRecord struct {
	Metric       string   `json:"metric"`
	Tested       bool     `json:"tested"`
	Reason       string   `json:"reason,omitempty"`
	Samples      int      `json:"samples"`
	Groups       []string `json:"groups"`
	GroupSizes   []int    `json:"group_sizes"`
	Permutations int      `json:"permutations"`
	Seed         uint64   `json:"seed"`
	F            *float64 `json:"F"`
	R2           *float64 `json:"R2"`
	P            *float64 `json:"p"`
	// Differential says whether the differential-abundance test ran.
	Differential       bool   `json:"differential_tested"`
	DifferentialReason string `json:"differential_reason,omitempty"`
	// Note says how subjects shaped the permutations (Result.PermanovaNote).
	Note string `json:"note,omitempty"`
	// LeftOut, Unlisted and Empty are Result's: samples without a group,
	// groups-file samples that are not inputs, samples without genus reads.
	LeftOut  []string `json:"left_out,omitempty"`
	Unlisted []string `json:"unlisted,omitempty"`
	Empty    []string `json:"no_genus_reads,omitempty"`
}

// Record returns the PERMANOVA summary written to permanova.json.
func (r *Result) Record() PermanovaRecord {
	rec := PermanovaRecord{
		Metric: r.Options.Metric, Tested: r.Permanova != nil, Reason: r.PermanovaSkipped,
		Samples: len(r.Samples), Groups: r.GroupNames, GroupSizes: r.GroupSizes,
		Permutations: r.Options.Permutations, Seed: r.Options.Seed,
		Differential: r.Differential != nil, DifferentialReason: r.DifferentialSkipped,
		LeftOut: r.LeftOut, Unlisted: r.Unlisted, Empty: r.Empty, Note: r.PermanovaNote,
	}
	finite := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	if p := r.Permanova; p != nil {
		rec.F, rec.R2, rec.P = finite(p.F), finite(p.R2), finite(p.P)
	}
	return rec
}

func (r *Result) writePermanovaTSV(w io.Writer) error {
	if err := writeRow(w, "metric", "tested", "samples", "groups", "permutations", "seed", "F", "R2", "p"); err != nil {
		return err
	}
	f, r2, p := "NA", "NA", "NA"
	if pm := r.Permanova; pm != nil {
		f, r2, p = Num(pm.F), Num(pm.R2), Num(pm.P)
	}
	return writeRow(w, r.Options.Metric, strconv.FormatBool(r.Permanova != nil), strconv.Itoa(len(r.Samples)),
		strconv.Itoa(len(r.GroupNames)), strconv.Itoa(r.Options.Permutations), strconv.FormatUint(r.Options.Seed, 10), f, r2, p)
}

func (r *Result) writePermanovaJSON(w io.Writer) error { return writeJSON(w, r.Record()) }

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// groupCell is sample i's group as the tables write it: "NA" without groups.
func (r *Result) groupCell(i int) string {
	if !r.Grouped {
		return "NA"
	}
	return r.Groups[i]
}

func (r *Result) writeAlpha(w io.Writer) error {
	if err := writeRow(w, "sample", "group", "genus_reads", "observed", "shannon", "simpson", "inverse_simpson", "pielou",
		"chao1", "expected_richness", "depth", "unclassified_share"); err != nil {
		return err
	}
	for i, s := range r.Samples {
		a := r.Alpha[i]
		if err := writeRow(w, s, r.groupCell(i), Num(a.Reads), Num(a.Observed), Num(a.Shannon), Num(a.Simpson), Num(a.InverseSimpson),
			Num(a.Pielou), Num(a.Chao1), Num(r.Expected[i]), strconv.Itoa(r.Depth), Num(r.Unclassified[i])); err != nil {
			return err
		}
	}
	return nil
}
