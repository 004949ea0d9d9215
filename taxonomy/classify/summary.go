package classify

import "github.com/zonula/zonula/taxonomy"

// Summary counts a sample's assignments for qc.json, metrics and the report.
type Summary struct {
	Reads        int64 `json:"reads"`        // reads given to the classifier
	Classified   int64 `json:"classified"`   // assigned at least at domain
	Unclassified int64 `json:"unclassified"` // no rank supported
	Chimeras     int64 `json:"chimeras"`
	// AssignedAt[r] counts reads assigned at rank r or deeper.
	AssignedAt [taxonomy.NumRanks]int64 `json:"assigned_at"`
	// BelowFloor[r] counts reads whose best identity fell below the identity
	// floor of rank r (so they could not be assigned at r).
	BelowFloor [taxonomy.NumRanks]int64 `json:"below_floor"`
	// Floors[r] is the identity floor of rank r before any error adjustment.
	Floors [taxonomy.NumRanks]float64 `json:"floors"`
	// GenusFloorMin and GenusFloorMax bound the genus floors in use: equal
	// to Floors[Genus] for a database without cohesion values, else the
	// range the per-genus floors are clamped to (Classifier.GenusFloor).
	GenusFloorMin float64 `json:"genus_floor_min"`
	GenusFloorMax float64 `json:"genus_floor_max"`
	// NoQualityErrorRate is the error rate reads without qualities were
	// classified at (Worker.EstimateErrorRate over the first of them); 0
	// when every read had qualities.
	NoQualityErrorRate float64 `json:"no_quality_error_rate"`
	// ClippedReads counts reads whose ends reached past their best
	// references' and were clipped before alignment (Assignment.Clipped):
	// adapters, barcodes or primers left on, or genes longer than the
	// references.
	ClippedReads int64 `json:"clipped_reads"`
	// MixedReads counts reads whose halves favour references of different
	// genera, though not enough to be chimeras (Assignment.Mixed): they
	// are given no genus.
	MixedReads int64 `json:"mixed_reads"`
	// KmerSampling is n when the database's k-mer index held one k-mer in
	// n (Classifier.KmerSampling); 1 for a whole index.
	KmerSampling int `json:"kmer_sampling"`
	// MeanIdentity is the mean best identity over reads with any hit.
	MeanIdentity float64 `json:"mean_identity"`
	// MinConfidence is the posterior a taxon needed to be called
	// (--min-confidence).
	MinConfidence float64 `json:"min_confidence"`
	// EMReads counts the reads that took part in the community EM (their
	// best reference cleared its genus floor); EMGroups the taxa (species,
	// or groups the reads cannot tell apart) it kept; EMClasses the
	// distinct read evidences it worked on.
	EMReads   int64 `json:"em_reads"`
	EMGroups  int   `json:"em_taxa"`
	EMClasses int   `json:"em_classes"`
}
