package classify

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"
	"sync"

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
	// MinConfidence is the posterior a taxon needs to be called (see
	// Decider.Decide): 0.95 by default.
	MinConfidence float64
}

// DefaultMinConfidence is the posterior a taxon needs, by default, to be
// called.
const DefaultMinConfidence = 0.95

// DefaultOptions returns the options zonula uses unless told otherwise.
func DefaultOptions() Options {
	return Options{K: 11, MaxCandidates: 12, Floors: YarzaFloors(), MinKmerShare: 0.02, MinConfidence: DefaultMinConfidence}
}

// Classifier holds the database and its index. It is safe for concurrent use
// through Workers, one per goroutine.
type Classifier struct {
	opts       Options
	refs       []refdb.Reference
	index      *kmerIndex
	maxPosting int // k-mers in more references than this (1/16 of them) are skipped
	// countBudget bounds the postings one read's candidate count walks
	// (maxCountPostings, or largeCountPostings for a large database).
	countBudget int
	// orientStride and countStride are the read k-mer strides for
	// orientation and candidate counting (orientStride, countStride),
	// divided by the index's sampling rate: a sampled index already thins
	// the k-mers.
	orientStride, countStride int
	// genusFloors holds the genus floors derived from the database's
	// GenusCohesion (see genusFloorsOf); nil for databases built without
	// it, which then use the Yarza genus floor.
	genusFloors map[string]float64
	units       units
	genusRefs   map[string][]int // references by genus name, in database order
	// sisters caches each species' speciesFacts.
	sisters struct {
		sync.Mutex
		facts map[string]speciesFact
		w     *Worker // aligns for speciesFacts
	}
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
	if !(opts.MinConfidence > 0 && opts.MinConfidence <= 1) {
		return nil, fmt.Errorf("minimum confidence %v: want above 0, at most 1", opts.MinConfidence)
	}
	c := &Classifier{opts: opts, refs: db.Refs, genusFloors: genusFloorsOf(db.Refs, db.Header.GenusCohesion)}
	c.units = newUnits(db.Refs)
	c.index = newKmerIndex(db.Refs, opts.K, cmp.Or(opts.Threads, runtime.GOMAXPROCS(0)))
	c.maxPosting = max(64, len(db.Refs)/16)
	c.countBudget = maxCountPostings
	if len(db.Refs) >= largeDatabase {
		c.countBudget = largeCountPostings
	}
	c.genusRefs = map[string][]int{}
	for i, r := range db.Refs {
		if g := r.Lineage[taxonomy.Genus]; g != "" {
			c.genusRefs[g] = append(c.genusRefs[g], i)
		}
	}
	c.units.setFloors(c)
	c.orientStride = max(1, orientStride>>c.index.sampleBits)
	c.countStride = max(1, countStride>>c.index.sampleBits)
	return c, nil
}

// Floors returns the identity floors in use. The genus entry is the one used
// for databases without genus cohesion values (see GenusFloor).
func (c *Classifier) Floors() [taxonomy.NumRanks]float64 { return c.opts.Floors }

// MinConfidence returns the posterior a taxon needs to be called.
func (c *Classifier) MinConfidence() float64 { return c.opts.MinConfidence }

// KmerSampling returns n when the index holds a hashed sample of one k-mer
// in n (databases above maxIndexPostings k-mer/reference pairs), else 1.
func (c *Classifier) KmerSampling() int { return 1 << c.index.sampleBits }

// Assignment is the classification of one read.
type Assignment struct {
	Status     Status
	Lineage    taxonomy.Lineage // cut at Rank
	Rank       taxonomy.Rank    // deepest supported rank; NoRank when unclassified
	Confidence float64          // posterior of the called taxon (Decider.Decide)
	Identity   float64          // best alignment identity, 0 when not aligned
	Reference  string           // id of the best reference, "" when not aligned
	Reverse    bool             // the read was reverse-complemented to match
	ErrorRate  float64          // read error rate from its qualities, or as given to ClassifyAt
	Clipped    int              // read bases clipped as overhanging the references (clipEnds)
	// BelowFloor is the broadest rank whose (error-adjusted) floor the best
	// identity missed; NoRank when every floor was met or nothing aligned.
	BelowFloor taxonomy.Rank
	// Unit is the unit whose lineage the call's is a part of (the most
	// probable one).
	Unit uint32
	// Best is the index of the best reference (see Reference); Second,
	// for a chimera, of the reference best supporting its right half.
	Best, Second uint32
	// Mixed says the read's halves favour references of different genera
	// (mixedGain) without making it a chimera: its call stops above genus.
	Mixed bool
	// Evidence is what the read says about the units it aligned to, for
	// the community EM and the call after it; zero for chimeras and reads
	// that aligned to nothing.
	Evidence Evidence
}

// Worker classifies reads for one goroutine; it reuses its buffers.
type Worker struct {
	c       *Classifier
	counts  []uint64 // per reference: shared k-mers, those in the read's left half, the read's stamp (see countBits)
	stamp   uint64   // the current read's
	touched []uint32
	cands   []candidate
	kmers   []readKmer
	al      aligner
	rc      []byte
	exact   []Candidate
	hyps    []Hypothesis
	decider *Decider
}

// Candidate is a reference a read was aligned to exactly and its edit
// distance.
type Candidate struct {
	Ref   uint32
	Edits int32
}

// NewWorker returns a Worker for this classifier.
func (c *Classifier) NewWorker() *Worker {
	return &Worker{c: c, counts: make([]uint64, len(c.refs)), decider: c.NewDecider()}
}

// Classify assigns one read.
//
// The read is oriented by which strand its k-mers support more
// (strandSupport). The references sharing the most informative k-mers (those
// in at most a sixteenth of the references; a large database's index holds a
// hashed sample of the k-mers, see kmerIndex) are aligned semi-globally;
// identity is 1 − d/n for edit distance d over read length n. The
// references within a window of the best (alignWindow) give the read's
// Evidence: a likelihood per unit (species, or the deepest rank a
// reference names) from an error model of the read, e its error rate from
// its qualities. Its call here weighs those units with equal priors
// (Decider.Decide): the fewest units whose posteriors reach
// Options.MinConfidence, their lowest common ancestor (references that
// leave a rank unnamed abstain, see consensus), cut to the deepest rank
// whose identity floor, lowered by e, the read's identity reaches; the
// genus floor is the genus's own (GenusFloor). Confidence is the posterior
// of the called taxon. The profile stage calls the reads that enter the
// community EM again with the sample's abundances as priors.
//
// A read is a chimera when the references best supported by its left and
// right halves belong to different genera and, aligned half by half, explain
// the read better than the single best reference by a margin (see
// halfGain); it then gets no lineage. A read whose halves favour different
// genera by less is "mixed" (mixedGain): its call stops above genus.
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
// (alignCandidates), the chimera test (halfGain) and the rank-wise
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
	a.Best = top.ref
	gain := w.halfGain(read, top, bestL, bestR)
	if gain >= chimeraGain {
		a.Status = Chimera
		a.Best, a.Second = bestL.ref, bestR.ref
		a.Reference = c.refs[bestL.ref].ID + "+" + c.refs[bestR.ref].ID
		return a
	}
	w.exact = exactCandidates(w.exact[:0], cands, top, a.ErrorRate)
	a.Evidence = c.evidence(w.exact, len(read), a.ErrorRate, nil)
	w.assign(&a)
	if gain >= mixedGain {
		w.mixed(&a, taxonomy.LCA(c.refs[bestL.ref].Lineage, c.refs[bestR.ref].Lineage))
	}
	return a
}
