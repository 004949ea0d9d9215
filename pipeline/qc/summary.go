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
	// ReverseShare is ReverseStrand / PassedReads (0 when none passed).
	ReverseShare float64 `json:"reverse_complemented_share"`
	// LengthHist and QualityHist are over all input reads, as counted:
	// after primer trimming when AddInspected counted them trimmed.
	LengthHist  []Bin `json:"length_histogram"`
	QualityHist []Bin `json:"quality_histogram"`

	// Filled by Collector.AddInspected only (absent from qc.json otherwise).
	Reads *ReadFlags `json:"read_flags,omitempty"`
	// Primers found by Inspect; nil when no primer search was done.
	Primers *PrimerSummary `json:"primers,omitempty"`
}

// ReadFlags counts reads Inspect flagged, over all input reads it saw,
// whether or not the flag also filtered them.
type ReadFlags struct {
	Inspected               int64   `json:"inspected"`
	LowComplexity           int64   `json:"low_complexity"`              // KmerEntropy < LowComplexityEntropy (or Options.MinKmerEntropy)
	LongHomopolymer         int64   `json:"long_homopolymer"`            // LongestHomopolymer > LongHomopolymerLength (or Options.MaxHomopolymer)
	MeanExpectedErrors      float64 `json:"mean_expected_errors"`        // over reads with qualities
	MeanExpectedErrorsPerKb float64 `json:"mean_expected_errors_per_kb"` // Σ EE · 1000 / Σ length, over reads with qualities
}

// PrimerSummary counts primer search outcomes over all input reads searched.
type PrimerSummary struct {
	Searched     int64            `json:"searched"`
	Both         int64            `json:"both_found"`
	ForwardOnly  int64            `json:"forward_only"`
	ReverseOnly  int64            `json:"reverse_only"`
	None         int64            `json:"none_found"`
	Antisense    int64            `json:"antisense"`     // reads whose primers were found on the reverse strand
	Trimmed      int64            `json:"trimmed_reads"` // reads shortened by trimming
	TrimmedBases int64            `json:"trimmed_bases"`
	FoundShare   float64          `json:"found_share"`   // (Both + ForwardOnly + ReverseOnly) / Searched
	TrimmedShare float64          `json:"trimmed_share"` // Trimmed / Searched
	ByPrimer     map[string]int64 `json:"by_primer"`     // primer name → reads it was found in
}
