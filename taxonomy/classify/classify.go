package classify

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// Status is the outcome of classifying one read.
type Status int

// Read statuses as written in reads.tsv.gz. Filtered is set by QC, never by
// the classifier.
const (
	Unclassified Status = iota
	Classified
	Chimera
	Filtered
)

// String returns the status as written in reads.tsv.gz.
func (s Status) String() string {
	switch s {
	case Classified:
		return "classified"
	case Chimera:
		return "chimera"
	case Filtered:
		return "filtered"
	}
	return "unclassified"
}

// Options tune the classifier. The zero value is not valid; start from
// DefaultOptions.
type Options struct {
	K             int // k-mer length for candidate search, 8..13
	MaxCandidates int // references aligned per read
	Floors        [taxonomy.NumRanks]float64
	// MinKmerShare is the least fraction of a read's k-mers that its best
	// candidate must share for the read to be aligned at all; below it the
	// read is not 16S-like and stays unclassified.
	MinKmerShare float64
	// Threads is how many goroutines build the index; 0 means GOMAXPROCS.
	// The index is the same for any value.
	Threads int
}

// DefaultOptions returns the options zonula uses unless told otherwise.
func DefaultOptions() Options {
	return Options{K: 11, MaxCandidates: 12, Floors: YarzaFloors(), MinKmerShare: 0.02}
}

// Classifier holds the database and its index. It is safe for concurrent use
// through Workers, one per goroutine.
type Classifier struct {
	opts       Options
	refs       []refdb.Reference
	index      *kmerIndex
	maxPosting int // k-mers in more references than this (1/16 of them) are skipped
	// orientStride and countStride are the read k-mer strides for
	// orientation and candidate counting (orientStride, countStride),
	// divided by the index's sampling rate: a sampled index already thins
	// the k-mers.
	orientStride, countStride int
	// genusFloors holds the genus floors derived from the database's
	// GenusCohesion (see genusFloorsOf); nil for databases built without
	// it, which then use the Yarza genus floor.
	genusFloors map[string]float64
}

// New indexes db for classification.
func New(db *refdb.DB, opts Options) (*Classifier, error) {
	if opts.K < 8 || opts.K > 13 {
		return nil, fmt.Errorf("k-mer length %d: want 8 to 13", opts.K)
	}
	if opts.MaxCandidates < 1 {
		return nil, errors.New("MaxCandidates must be at least 1")
	}
	if len(db.Refs) == 0 {
		return nil, errors.New("database has no references")
	}
	c := &Classifier{opts: opts, refs: db.Refs, index: newKmerIndex(db.Refs, opts.K, cmp.Or(opts.Threads, runtime.GOMAXPROCS(0))), genusFloors: genusFloorsOf(db.Refs, db.Header.GenusCohesion)}
	c.maxPosting = max(64, len(db.Refs)/16)
	c.orientStride = max(1, orientStride>>c.index.sampleBits)
	c.countStride = max(1, countStride>>c.index.sampleBits)
	return c, nil
}

// Floors returns the identity floors in use. The genus entry is the one used
// for databases without genus cohesion values (see GenusFloor).
func (c *Classifier) Floors() [taxonomy.NumRanks]float64 { return c.opts.Floors }

// KmerSampling returns n when the index holds a hashed sample of one k-mer
// in n (databases above maxIndexPostings k-mer/reference pairs), else 1.
func (c *Classifier) KmerSampling() int { return 1 << c.index.sampleBits }

// Assignment is the classification of one read.
type Assignment struct {
	Status     Status
	Lineage    taxonomy.Lineage // cut at Rank
	Rank       taxonomy.Rank    // deepest supported rank; NoRank when unclassified
	Confidence float64          // see Worker.Classify
	Identity   float64          // best alignment identity, 0 when not aligned
	Reference  string           // id of the best reference, "" when not aligned
	Reverse    bool             // the read was reverse-complemented to match
	ErrorRate  float64          // read error rate from its qualities, or as given to ClassifyAt
	Clipped    int              // read bases clipped as overhanging the references (clipEnds)
	// BelowFloor is the broadest rank whose (error-adjusted) floor the best
	// identity missed; NoRank when every floor was met or nothing aligned.
	BelowFloor taxonomy.Rank
	// Species lists the distinct species of the near-tied references when
	// the read reaches the species floor and its ties share one genus and
	// all name a species; abundance estimation splits the read among them
	// (SpeciesAbundance). Empty otherwise.
	Species []string
}

// Worker classifies reads for one goroutine; it reuses its buffers.
type Worker struct {
	c       *Classifier
	counts  []uint64 // per reference: shared k-mers, and in the high half those in the read's left half
	touched []uint32
	cands   []candidate
	kmers   []readKmer
	al      aligner
	rc      []byte
}

// NewWorker returns a Worker for this classifier.
func (c *Classifier) NewWorker() *Worker {
	return &Worker{c: c, counts: make([]uint64, len(c.refs))}
}

// Classify assigns one read.
//
// The read is oriented by which strand its k-mers support more
// (strandSupport). The references sharing the most informative k-mers (those
// in at most a sixteenth of the references; a large database's index holds a
// hashed sample of the k-mers, see kmerIndex) are aligned semi-globally;
// identity is 1 − d/n for edit distance d over read length n. Near ties are
// the references within δ = min(0.02, max(e, 1−I)/4) of the best identity I
// (tieWindow), where e is the read's error rate from its qualities; their
// consensus with the best reference (a lowest common ancestor in which
// references that leave a rank unnamed abstain, see consensus) gives the
// deepest rank they agree on. The rank is then cut to the deepest whose
// identity floor, lowered by 1.2e, the best identity reaches; the genus
// floor is the tied genus's own (GenusFloor). Confidence is the share of
// references within 2δ of the best that carry the assigned taxon at the
// assigned rank, among those that name a taxon there (all of them at
// species rank).
//
// A read is a chimera when the references best supported by its left and
// right halves belong to different genera and, aligned half by half, explain
// the read better than the single best reference by a margin (see
// isChimera); it then gets no lineage.
func (w *Worker) Classify(seq, qual []byte) Assignment {
	return w.ClassifyAt(seq, ErrorRate(qual))
}

// ClassifyAt is Classify for a read whose error rate e comes from elsewhere
// than its qualities: reads without qualities (FASTA) are classified at the
// sample's EstimateErrorRate. e is capped at 0.25.
//
// It takes Classify's steps in turn: orienting (orient), counting the
// references' shared k-mers (countCandidates), clipping the ends that reach
// past the references (clipEnds), aligning the best candidates
// (alignCandidates), the chimera test (isChimera) and the rank-wise
// assignment (assign).
func (w *Worker) ClassifyAt(seq []byte, e float64) Assignment {
	c := w.c
	a := Assignment{Rank: taxonomy.NoRank, BelowFloor: taxonomy.NoRank, ErrorRate: min(max(e, 0), maxErrorRate)}
	if len(seq) < 2*c.opts.K {
		return a
	}
	read, reverse := w.orient(seq)
	a.Reverse = reverse
	cands, bestL, bestR, ok := w.countCandidates(read)
	if !ok {
		return a // not 16S-like
	}
	// The references best supported by either half anchor a chimera's ends
	// where the overall best does not.
	clipped := c.clipEnds(read, cands[0].ref, bestL.ref, bestR.ref)
	a.Clipped = len(read) - len(clipped)
	read = clipped
	cands, best := w.alignCandidates(read, cands, a.ErrorRate)
	top := cands[best]
	a.Identity = top.identity
	a.Reference = c.refs[top.ref].ID
	if w.isChimera(read, top, bestL, bestR) {
		a.Status = Chimera
		a.Reference = c.refs[bestL.ref].ID + "+" + c.refs[bestR.ref].ID
		return a
	}
	c.assign(&a, cands, top)
	return a
}
