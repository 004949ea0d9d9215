package cohort

import (
	"io"
	"strconv"
	"strings"

	"github.com/zonula/zonula/pipeline/metrics"
)

// writeDifferential writes differential.tsv, one row per tested genus in the
// order of Differential.Rows. Two groups:
//
//	genus group_a group_b test_t test_rank units_a units_b mean_share_a
//	mean_share_b present_a present_b mean_clr_a mean_clr_b effect_log2
//	ci95_low ci95_high p_t q_t p_rank q_rank
//
// effect_log2 being the expected log2 CLR difference a − b with its 95 %
// interval, p and q the expected p- and BH q-values of the t-test (Welch or
// paired) and the rank test (Wilcoxon rank-sum or signed-rank). More groups:
//
//	genus test_rank p_rank q_rank mean_share_G present_G mean_clr_G …
//
// for each group G (Kruskal–Wallis or Friedman; the pairwise effects are in
// differential-pairwise.tsv). When the test was not run: the two-group
// header only (the reason is in differential.json).
func (r *Result) writeDifferential(w io.Writer) error {
	d := r.Differential
	if d == nil || len(d.Groups) == 2 {
		if err := writeRow(w, "genus", "group_a", "group_b", "test_t", "test_rank", "units_a", "units_b", "mean_share_a", "mean_share_b",
			"present_a", "present_b", "mean_clr_a", "mean_clr_b", "effect_log2", "ci95_low", "ci95_high", "p_t", "q_t", "p_rank", "q_rank"); err != nil || d == nil {
			return err
		}
		for _, x := range d.Rows {
			e := x.Effects[0]
			if err := writeRow(w, x.Taxon, d.Groups[0], d.Groups[1], d.TTest, d.RankTest, strconv.Itoa(d.Units[0]), strconv.Itoa(d.Units[1]),
				Num(x.Share[0]), Num(x.Share[1]), strconv.Itoa(x.Present[0]), strconv.Itoa(x.Present[1]), Num(x.MeanCLR[0]), Num(x.MeanCLR[1]),
				Num(e.Diff), Num(e.Low), Num(e.High), Num(x.TP), Num(x.TQ), Num(x.RankP), Num(x.RankQ)); err != nil {
				return err
			}
		}
		return nil
	}
	head := []string{"genus", "test_rank", "p_rank", "q_rank"}
	for _, g := range d.Groups {
		head = append(head, "mean_share_"+g, "present_"+g, "mean_clr_"+g)
	}
	if err := writeRow(w, head...); err != nil {
		return err
	}
	for _, x := range d.Rows {
		cells := []string{x.Taxon, d.RankTest, Num(x.RankP), Num(x.RankQ)}
		for g := range d.Groups {
			cells = append(cells, Num(x.Share[g]), strconv.Itoa(x.Present[g]), Num(x.MeanCLR[g]))
		}
		if err := writeRow(w, cells...); err != nil {
			return err
		}
	}
	return nil
}

// writePairwise writes differential-pairwise.tsv: genus, group_a, group_b,
// effect_log2, ci95_low, ci95_high for every tested genus (in the order of
// differential.tsv) and pair of groups.
func (r *Result) writePairwise(w io.Writer) error {
	if err := writeRow(w, "genus", "group_a", "group_b", "effect_log2", "ci95_low", "ci95_high"); err != nil || r.Differential == nil {
		return err
	}
	d := r.Differential
	for _, x := range d.Rows {
		for _, e := range x.Effects {
			if err := writeRow(w, x.Taxon, d.Groups[e.A], d.Groups[e.B], Num(e.Diff), Num(e.Low), Num(e.High)); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeSetAside writes genera-set-aside.tsv: genus, prevalence (share of
// samples with ≥ 1 read), mean_share and the reasons (comma-separated).
func (r *Result) writeSetAside(w io.Writer) error {
	if err := writeRow(w, "genus", "prevalence", "mean_share", "reasons"); err != nil || r.Differential == nil {
		return err
	}
	for _, a := range r.Differential.SetAside {
		if err := writeRow(w, a.Taxon, Num(a.Prevalence), Num(a.MeanShare), strings.Join(a.Reasons, ",")); err != nil {
			return err
		}
	}
	return nil
}

// DifferentialRecord is the content of differential.json: whether the test
// ran (and why not), how, and on what.
type DifferentialRecord struct {
	Tested        bool     `json:"tested"`
	Reason        string   `json:"reason,omitempty"`
	Method        string   `json:"method"`
	Groups        []string `json:"groups,omitempty"`
	Design        string   `json:"design,omitempty"`
	Note          string   `json:"design_note,omitempty"`
	Units         []int    `json:"units,omitempty"`
	TTest         string   `json:"test_t,omitempty"`
	RankTest      string   `json:"test_rank,omitempty"`
	Instances     int      `json:"instances"`
	Seed          uint64   `json:"seed"`
	Prior         float64  `json:"dirichlet_prior"`
	MinPrevalence float64  `json:"min_prevalence"`
	MinShare      float64  `json:"min_mean_share"`
	Genera        int      `json:"genera"`
	TestedGenera  int      `json:"tested_genera"`
	LowPrevalence int      `json:"set_aside_low_prevalence"`
	LowShare      int      `json:"set_aside_low_mean_share"`
}

// DifferentialMethod names the method in differential.json and the report.
const DifferentialMethod = "ALDEx2-style: Dirichlet Monte Carlo instances (prior 0.5), log2 CLR, tests per instance, expected p and BH q"

// DifferentialRecord returns the summary written to differential.json.
func (r *Result) DifferentialRecord() DifferentialRecord {
	rec := DifferentialRecord{Tested: r.Differential != nil, Reason: r.DifferentialSkipped, Method: DifferentialMethod,
		Instances: r.Options.Instances, Seed: r.Options.Seed, Prior: metrics.DirichletPrior,
		MinPrevalence: r.Options.MinPrevalence, MinShare: r.Options.MinShare}
	if rec.Instances <= 0 {
		rec.Instances = metrics.DefaultMCRounds
	}
	if d := r.Differential; d != nil {
		rec.Groups, rec.Design, rec.Note, rec.Units = d.Groups, d.Design, d.Note, d.Units
		rec.TTest, rec.RankTest, rec.Genera, rec.TestedGenera = d.TTest, d.RankTest, d.Genera, len(d.Rows)
		rec.LowPrevalence, rec.LowShare = d.AsideFor(ReasonPrevalence), d.AsideFor(ReasonShare)
	}
	return rec
}

// AsideFor counts the genera set aside for a reason (a genus failing both
// filters counts for each).
func (d *Differential) AsideFor(reason string) int {
	n := 0
	for _, a := range d.SetAside {
		for _, why := range a.Reasons {
			if why == reason {
				n++
			}
		}
	}
	return n
}

func (r *Result) writeDifferentialJSON(w io.Writer) error {
	return writeJSON(w, r.DifferentialRecord())
}
