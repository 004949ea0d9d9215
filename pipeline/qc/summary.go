package qc

// Bin is one bar of a histogram: values in [Lo, Hi) and how many reads.
type Bin struct {
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Count int64   `json:"count"`
}

// Summary is the run-level quality record written to qc.json and shown in
// the report's sequencing-quality section.
type Summary struct {
	InputReads    int64            `json:"input_reads"`
	InputBases    int64            `json:"input_bases"`
	PassedReads   int64            `json:"passed_reads"`
	Filtered      map[string]int64 `json:"filtered"` // reason → reads (e.g. "too_short")
	MinLength     int              `json:"min_length"`
	MaxLength     int              `json:"max_length"`
	MeanLength    float64          `json:"mean_length"`
	N50           int              `json:"n50"`
	MeanQuality   float64          `json:"mean_quality"` // mean of per-read mean Phred; 0 for FASTA
	HasQualities  bool             `json:"has_qualities"`
	ReverseStrand int64            `json:"reverse_complemented"` // passed reads oriented by reverse-complementing
	LengthHist    []Bin            `json:"length_histogram"`
	QualityHist   []Bin            `json:"quality_histogram"`
}
