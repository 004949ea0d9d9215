package profile

import (
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
)

// Read is what QC and the classifier made of one read.
type Read struct {
	Passed bool   // the read passed QC and was classified
	Reason string // the filter that removed it, when !Passed
	// Inspected says primers were searched (qc.Inspect); QC then holds the
	// inspection, whose flags and primer counts the QC summary adds up.
	Inspected bool
	QC        qc.Result
	// Assignment is the classifier's call, when Passed.
	Assignment classify.Assignment
	// Reverse: the read was reverse-complemented to the sense strand, by
	// its primers or by the classifier; ByPrimers: its primers decided;
	// Disagree: the classifier turned a primer-oriented read around.
	Reverse, ByPrimers, Disagree bool
}

// Orientation says how the passed reads were turned to the 16S sense
// strand, as written to qc.json ("orientation").
type Orientation struct {
	Reverse      int64   `json:"reverse_complemented"`       // passed reads turned to the sense strand
	Share        float64 `json:"reverse_complemented_share"` // Reverse / passed reads
	ByPrimers    int64   `json:"by_primers"`                 // passed reads oriented by the primers found in them
	ByClassifier int64   `json:"by_classifier"`              // passed reads without primers, oriented by reference k-mers
	// Disagreements counts primer-oriented reads that the classifier still
	// matched better reverse-complemented (a primer found on the wrong
	// strand, or a chimera of the two strands); their classification uses
	// the classifier's orientation.
	Disagreements int64 `json:"primer_classifier_disagreements"`
}

// Result is a finished tally.
type Result struct {
	QC             qc.Summary
	Classification classify.Summary
	Profile        *tables.Profile
	Orientation    Orientation
	// DuplicateIDs counts reads whose id repeats an earlier one among the
	// first DuplicatesChecked reads (each is still counted as a read).
	DuplicateIDs, DuplicatesChecked int64
	// AmbiguousReads counts reads holding IUPAC ambiguity codes (N, R, Y, …),
	// accepted as they are; AmbiguousBases counts those bases.
	AmbiguousReads, AmbiguousBases int64
}

// Tally adds up a sample's reads. Its methods are for one goroutine.
type Tally struct {
	qc     *qc.Collector
	sum    classify.Summary
	orient Orientation
	dups   *duplicateCounter
	amb    struct{ reads, bases int64 }
	ident  struct {
		sum float64
		n   int64
	}
	builder *tables.Builder
	clf     *classify.Classifier
	// community gathers the evidence of the reads that enter the EM;
	// spill keeps every read's record for the second pass (Finish).
	community *classify.Community
	spill     *spill
	rec       record
}

// New returns a tally for sample whose reads are filtered with o and
// classified by clf (whose floors, index sampling and confidence level the
// classification summary records). Each read's record waits for the
// second pass in a temporary file in spillDir (the run's staging
// directory; "" is the system's temporary directory), removed by Finish
// or Close.
func New(sample string, o qc.Options, clf *classify.Classifier, spillDir string) (*Tally, error) {
	sp, err := newSpill(spillDir)
	if err != nil {
		return nil, err
	}
	t := &Tally{
		qc:        qc.NewCollector(o),
		dups:      newDuplicateCounter(duplicateCheckLimit),
		builder:   tables.NewBuilder(sample),
		clf:       clf,
		community: clf.NewCommunity(),
		spill:     sp,
	}
	t.sum.Floors = clf.Floors()
	t.sum.GenusFloorMin, t.sum.GenusFloorMax = clf.GenusFloorRange()
	t.sum.KmerSampling = clf.KmerSampling()
	t.sum.MinConfidence = clf.MinConfidence()
	return t, nil
}

// Close removes the tally's temporary file; after Finish it does nothing.
func (t *Tally) Close() error {
	if t.spill == nil {
		return nil
	}
	err := t.spill.close()
	t.spill = nil
	return err
}

// SetNoQualityErrorRate records the error rate the reads without qualities
// were classified at (classify.Summary.NoQualityErrorRate).
func (t *Tally) SetNoQualityErrorRate(e float64) { t.sum.NoQualityErrorRate = e }

// Add counts one read: rec as QC left it (trimmed, turned to the sense
// strand by its primers) and r, what QC and the classifier made of it. Its
// classification is counted, and its call made final, by Finish; an error
// is a failure to write the temporary file.
func (t *Tally) Add(rec *seqio.Record, r Read) error {
	if r.Inspected {
		t.qc.AddInspected(rec, r.QC, r.Reverse)
	} else {
		t.qc.Add(rec, r.Passed, r.Reason, r.Reverse)
	}
	t.dups.add(rec.ID)
	if n := ambiguousBases(rec.Seq); n > 0 {
		t.amb.reads++
		t.amb.bases += int64(n)
	}
	t.rec = record{id: rec.ID, kind: spillFiltered, reason: r.Reason}
	if r.Passed {
		t.addOrientation(r)
		a := r.Assignment
		t.rec.kind, t.rec.a, t.rec.unit = spillPassed, a, a.Unit
		if a.Mixed {
			t.sum.MixedReads++
		}
		if ev := &a.Evidence; ev.InEM && len(ev.Units) > 0 && a.Status == classify.Classified {
			t.rec.kind, t.rec.class = spillEM, t.community.Add(ev)
			t.sum.EMReads++
		}
	}
	return t.spill.put(&t.rec)
}

// addOrientation counts how a passed read was oriented.
func (t *Tally) addOrientation(r Read) {
	if r.ByPrimers {
		t.orient.ByPrimers++
	} else {
		t.orient.ByClassifier++
	}
	if r.Reverse {
		t.orient.Reverse++
	}
	if r.Disagree {
		t.orient.Disagreements++
	}
}

// addAssignment counts a passed read's classification in the summary.
func (t *Tally) addAssignment(a classify.Assignment) {
	s := &t.sum
	s.Reads++
	if a.Clipped > 0 {
		s.ClippedReads++
	}
	switch a.Status {
	case classify.Classified:
		s.Classified++
		for rk := taxonomy.Domain; rk <= a.Rank; rk++ {
			s.AssignedAt[rk]++
		}
	case classify.Chimera:
		s.Chimeras++
	default:
		s.Unclassified++
	}
	if a.BelowFloor != taxonomy.NoRank {
		for rk := a.BelowFloor; rk < taxonomy.NumRanks; rk++ {
			s.BelowFloor[rk]++
		}
	}
	if a.Reference != "" {
		t.ident.sum += a.Identity
		t.ident.n++
	}
}

// ambiguousBases counts the bases of seq other than A, C, G, T (and U).
func ambiguousBases(seq []byte) int {
	n := 0
	for _, c := range seq {
		switch c {
		case 'A', 'C', 'G', 'T', 'U':
		default:
			n++
		}
	}
	return n
}

// duplicateCheckLimit bounds the read ids remembered to spot duplicates
// (8 bytes each): memory stays bounded whatever the input size.
const duplicateCheckLimit = 1_000_000

// duplicateCounter counts repeated read ids by their 64-bit FNV-1a hash, for
// the first limit reads; a hash collision (about 1 in 10^7 at a million ids)
// would count one false duplicate.
type duplicateCounter struct {
	seen           map[uint64]struct{}
	limit          int
	found, checked int64
}

func newDuplicateCounter(limit int) *duplicateCounter {
	return &duplicateCounter{seen: make(map[uint64]struct{}), limit: limit}
}

func (d *duplicateCounter) add(id string) {
	if len(d.seen) >= d.limit {
		return
	}
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	d.checked++
	if _, ok := d.seen[h]; ok {
		d.found++
		return
	}
	d.seen[h] = struct{}{}
}
