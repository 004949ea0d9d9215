package metrics

import (
	"encoding/json"
	"math"
)

// Alpha holds the alpha-diversity values of one sample at one rank.
//
// A value that is undefined for the sample (see each metric's doc: Pielou of
// one taxon, ACE when every rare taxon is a singleton, anything of an empty
// sample) is NaN in Go and null in JSON, since JSON has no NaN.
type Alpha struct {
	Rank     string  `json:"rank"`     // feature level, e.g. "genus"
	Reads    float64 `json:"reads"`    // total counts used
	Observed float64 `json:"observed"` // taxa with a count > 0
	Shannon  float64 `json:"shannon"`  // natural log
	Simpson  float64 `json:"simpson"`  // 1 - Σp²
	Chao1    float64 `json:"chao1"`    // bias-corrected

	InverseSimpson float64 `json:"inverse_simpson"` // 1 / Σp²
	Pielou         float64 `json:"pielou"`          // H / ln S
	ACE            float64 `json:"ace"`             // rare threshold 10
	GoodsCoverage  float64 `json:"goods_coverage"`  // 1 - F1/N
}

// alphaJSON mirrors Alpha with nullable values, in the same field order.
type alphaJSON struct {
	Rank           string   `json:"rank"`
	Reads          *float64 `json:"reads"`
	Observed       *float64 `json:"observed"`
	Shannon        *float64 `json:"shannon"`
	Simpson        *float64 `json:"simpson"`
	Chao1          *float64 `json:"chao1"`
	InverseSimpson *float64 `json:"inverse_simpson"`
	Pielou         *float64 `json:"pielou"`
	ACE            *float64 `json:"ace"`
	GoodsCoverage  *float64 `json:"goods_coverage"`
}

// FiniteOrNil returns a pointer to v, or nil when v is NaN or infinite:
// the form JSON outputs give undefined values (null).
func FiniteOrNil(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func nilToNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON writes a as a JSON object, with null for NaN and ±Inf values
// (encoding/json refuses those), so metrics.json always encodes.
func (a Alpha) MarshalJSON() ([]byte, error) {
	return json.Marshal(alphaJSON{
		Rank:           a.Rank,
		Reads:          FiniteOrNil(a.Reads),
		Observed:       FiniteOrNil(a.Observed),
		Shannon:        FiniteOrNil(a.Shannon),
		Simpson:        FiniteOrNil(a.Simpson),
		Chao1:          FiniteOrNil(a.Chao1),
		InverseSimpson: FiniteOrNil(a.InverseSimpson),
		Pielou:         FiniteOrNil(a.Pielou),
		ACE:            FiniteOrNil(a.ACE),
		GoodsCoverage:  FiniteOrNil(a.GoodsCoverage),
	})
}

// UnmarshalJSON reads what MarshalJSON writes; null or missing values become NaN.
func (a *Alpha) UnmarshalJSON(b []byte) error {
	var j alphaJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*a = Alpha{
		Rank:           j.Rank,
		Reads:          nilToNaN(j.Reads),
		Observed:       nilToNaN(j.Observed),
		Shannon:        nilToNaN(j.Shannon),
		Simpson:        nilToNaN(j.Simpson),
		Chao1:          nilToNaN(j.Chao1),
		InverseSimpson: nilToNaN(j.InverseSimpson),
		Pielou:         nilToNaN(j.Pielou),
		ACE:            nilToNaN(j.ACE),
		GoodsCoverage:  nilToNaN(j.GoodsCoverage),
	}
	return nil
}
