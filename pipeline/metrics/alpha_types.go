package metrics

// Alpha holds the alpha-diversity values of one sample at one rank.
type Alpha struct {
	Rank     string  `json:"rank"`     // feature level, e.g. "genus"
	Reads    float64 `json:"reads"`    // total counts used
	Observed float64 `json:"observed"` // taxa with a count > 0
	Shannon  float64 `json:"shannon"`  // natural log
	Simpson  float64 `json:"simpson"`  // 1 - Σp²
	Chao1    float64 `json:"chao1"`    // bias-corrected
}
