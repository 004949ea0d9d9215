package classify

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"

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

// YarzaFloors are the identity floors per rank from Yarza et al. 2014 (Nat Rev
// Microbiol 12:635): the median sequence identity at which two 16S genes
// still belong to the same taxon. Domain has no published value; 0.65 is
// zonula's choice, low enough for any 16S gene.
var YarzaFloors = [taxonomy.NumRanks]float64{
	taxonomy.Domain:  0.650,
	taxonomy.Phylum:  0.750,
	taxonomy.Class:   0.785,
	taxonomy.Order:   0.820,
	taxonomy.Family:  0.865,
	taxonomy.Genus:   0.945,
	taxonomy.Species: 0.987,
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
	return Options{K: 11, MaxCandidates: 12, Floors: YarzaFloors, MinKmerShare: 0.02}
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

// Genus floors derived from a database's cohesion values (GenusCohesion,
// see genusFloorsOf) are clamped to [minGenusFloor, maxGenusFloor], so that
// neither a misplaced reference nor a very tight genus sets an implausible
// bound, and a genus of one reference, whose spread the database cannot
// show, gets singletonGenusFloor. zonula's choices, measured with
// scripts/bench-classify.sh (held-out sequences and absent genera).
const (
	minGenusFloor       = 0.90
	maxGenusFloor       = 0.97
	singletonGenusFloor = 0.965
)

// cohesionPriorWeight is n₀ in genusFloorsOf: how many references' worth
// of weight the database's median cohesion has in a genus's floor. A genus
// of two references has one pair to show its spread, and one unusually
// distant (or close) pair would otherwise set its floor alone. 1 raised
// held-out genus recall and lowered the share of absent genera given a
// genus at once, at all three error rates, in scripts/bench-classify.sh's
// per-read data (0.5 and 2 did about as well; 4 cost recall).
const cohesionPriorWeight = 1

// genusFloorsOf returns each cohesive genus's floor: its cohesion c shrunk
// towards the median m of all the genera's cohesions by the number n of
// its references,
//
//	floor(g) = (n·c + n₀·m) / (n + n₀),  n₀ = cohesionPriorWeight,
//
// clamped to [minGenusFloor, maxGenusFloor]. Nil when cohesion is empty.
func genusFloorsOf(refs []refdb.Reference, cohesion map[string]float64) map[string]float64 {
	if len(cohesion) == 0 {
		return nil
	}
	members := map[string]int{}
	for _, r := range refs {
		if g := r.Lineage.Name(taxonomy.Genus); g != "" {
			members[g]++
		}
	}
	values := slices.Sorted(maps.Values(cohesion))
	median := values[len(values)/2]
	if len(values)%2 == 0 {
		median = (values[len(values)/2-1] + median) / 2
	}
	floors := make(map[string]float64, len(cohesion))
	for g, v := range cohesion {
		n := float64(members[g])
		floors[g] = min(max((n*v+cohesionPriorWeight*median)/(n+cohesionPriorWeight), minGenusFloor), maxGenusFloor)
	}
	return floors
}

// floorErrorFactor scales the read's estimated error rate e before it is
// subtracted from an identity floor: an alignment of a read to its own
// source gene loses about e plus the alignment's own slack, and 1.2e kept
// held-out recall highest for the same share of absent genera given one in
// scripts/bench-classify.sh at 0.4 %, 3 % and 7.5 % error.
const floorErrorFactor = 1.2

// GenusFloor returns the identity floor a read must reach, before the
// error adjustment, to be assigned genus g: the Yarza floor when the
// database carries no cohesion values, else the genus's floor from its
// cohesion (genusFloorsOf), or singletonGenusFloor for a genus the
// database holds once.
func (c *Classifier) GenusFloor(g string) float64 {
	if c.genusFloors == nil {
		return c.opts.Floors[taxonomy.Genus]
	}
	v, ok := c.genusFloors[g]
	if !ok {
		return singletonGenusFloor
	}
	return v
}

// KmerSampling returns n when the index holds a hashed sample of one k-mer
// in n (databases above maxIndexPostings k-mer/reference pairs), else 1.
func (c *Classifier) KmerSampling() int { return 1 << c.index.sampleBits }

// GenusFloorRange returns the least and greatest genus floor GenusFloor can
// return for this database.
func (c *Classifier) GenusFloorRange() (lo, hi float64) {
	if c.genusFloors == nil {
		return c.opts.Floors[taxonomy.Genus], c.opts.Floors[taxonomy.Genus]
	}
	return minGenusFloor, maxGenusFloor
}

// floor returns the identity floor at rank r for a read whose near ties
// share lineage lca.
func (c *Classifier) floor(r taxonomy.Rank, lca taxonomy.Lineage) float64 {
	if r == taxonomy.Genus {
		return c.GenusFloor(lca.Name(taxonomy.Genus))
	}
	return c.opts.Floors[r]
}

// minGenusMargin is the least lead, in identity, the best reference's genus
// must have over every other genus for the read to be given a genus. On
// held-out type strains at 0.4 % error (scripts/bench-classify.sh) a lead
// below 0.0075 picked the wrong genus about a quarter of the time; at
// Nanopore error rates the tie window is wider than this anyway.
const minGenusMargin = 0.0075

// tieWindow returns δ, how far below the best identity I a reference may
// fall and still tie with it, for a read of error rate e:
//
//	δ = min(0.02, max(e, 1−I)/4).
//
// Read errors lower the identity to every reference alike, so differences
// between references stay informative at high error: on simulated reads a
// genus ahead of every other by 0.015 was right as often at 7.5 % error as
// at 0.4 %, hence the cap.
func tieWindow(e, identity float64) float64 {
	return min(0.02, max(e, 1-identity)/4)
}

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

type candidate struct {
	ref      uint32
	hits     uint32 // informative k-mers shared with the read
	left     uint32 // of which in the read's left half
	identity float64
}

func (c candidate) right() uint32 { return c.hits - c.left }

// readKmer is one k-mer of a read looked up in the index: n references hold
// it; left says it lies in the read's left half.
type readKmer struct {
	x    uint32
	n    uint32
	left bool
}

// maxCountPostings bounds the postings one read's candidate count walks.
// When its k-mers' posting lists are longer in all, the rarest k-mers are
// counted first, up to the bound: in a database holding thousands of near
// copies of a gene (SILVA), k-mers shared by whole genera cost most of the
// time and rank candidates least. 2¹⁸ is above any read's total on the
// embedded database (at most about 720 k-mers × 323, its posting cap), so
// there nothing is left out.
const maxCountPostings = 1 << 18

// NewWorker returns a Worker for this classifier.
func (c *Classifier) NewWorker() *Worker {
	return &Worker{c: c, counts: make([]uint64, len(c.refs))}
}

// ErrorRate returns the mean per-base error probability implied by Phred+33
// qualities, Σ 10^(-q/10) / n; 0 when qual is empty.
func ErrorRate(qual []byte) float64 {
	if len(qual) == 0 {
		return 0
	}
	var sum float64
	for _, q := range qual {
		sum += phredError[q]
	}
	return sum / float64(len(qual))
}

var phredError = func() (t [256]float64) {
	for i := range t {
		q := max(0, i-33)
		t[i] = math.Pow(10, -float64(q)/10)
	}
	return t
}()

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

// maxErrorRate caps the error rate a read is classified at.
const maxErrorRate = 0.25

// ClassifyAt is Classify for a read whose error rate e comes from elsewhere
// than its qualities: reads without qualities (FASTA) are classified at the
// sample's EstimateErrorRate. e is capped at 0.25.
func (w *Worker) ClassifyAt(seq []byte, e float64) Assignment {
	c := w.c
	a := Assignment{Rank: taxonomy.NoRank, BelowFloor: taxonomy.NoRank, ErrorRate: min(max(e, 0), maxErrorRate)}
	k := c.opts.K
	if len(seq) < 2*k {
		return a
	}
	w.rc = reverseComplement(w.rc, seq)
	fwd, rev := c.strandSupport(seq), c.strandSupport(w.rc)
	read := seq
	if rev > fwd {
		read, a.Reverse = w.rc, true
	}

	// Count informative shared k-mers per reference, in total and in the
	// read's left half (for chimera detection): gather the read's k-mers
	// with their posting lengths, keep the rarest within maxCountPostings,
	// then walk their postings.
	nk := 0
	half := len(read) / 2
	w.kmers = w.kmers[:0]
	postings := 0
	eachKmer(read, k, func(x uint32, pos int) {
		if pos%c.countStride != 0 || !c.index.sampled(x) {
			return
		}
		nk++
		n := int(c.index.start[x+1] - c.index.start[x])
		if n == 0 || n > c.maxPosting {
			return
		}
		w.kmers = append(w.kmers, readKmer{x: x, left: pos+k <= half, n: uint32(n)})
		postings += n
	})
	if postings > maxCountPostings {
		slices.SortStableFunc(w.kmers, func(a, b readKmer) int { return cmp.Compare(a.n, b.n) })
		sum := 0
		for i, km := range w.kmers {
			if sum += int(km.n); sum > maxCountPostings {
				w.kmers = w.kmers[:max(i, 1)]
				break
			}
		}
	}
	for _, km := range w.kmers {
		// One add counts the k-mer in total (low 32 bits) and, for the
		// read's left half, in the high 32 bits.
		inc := uint64(1)
		if km.left {
			inc |= 1 << 32
		}
		for _, r := range c.index.lookup(km.x) {
			if w.counts[r] == 0 {
				w.touched = append(w.touched, r)
			}
			w.counts[r] += inc
		}
	}
	w.cands = w.cands[:0]
	var topHits uint32
	bestL, bestR := candidate{}, candidate{}
	for _, r := range w.touched {
		cd := candidate{ref: r, hits: uint32(w.counts[r]), left: uint32(w.counts[r] >> 32)}
		topHits = max(topHits, cd.hits)
		if cd.left > bestL.left || (cd.left == bestL.left && cd.hits > bestL.hits) {
			bestL = cd
		}
		if cd.right() > bestR.right() || (cd.right() == bestR.right() && cd.hits > bestR.hits) {
			bestR = cd
		}
	}
	// Only references with at least half the best support can come near the
	// best identity; the rest are not aligned.
	for _, r := range w.touched {
		if hits := uint32(w.counts[r]); 2*hits >= topHits {
			w.cands = append(w.cands, candidate{ref: r, hits: hits, left: uint32(w.counts[r] >> 32)})
		}
		w.counts[r] = 0
	}
	w.touched = w.touched[:0]
	if len(w.cands) == 0 || float64(topHits) < max(4, c.opts.MinKmerShare*float64(nk)) {
		return a // not 16S-like
	}
	slices.SortFunc(w.cands, func(x, y candidate) int {
		return cmp.Or(cmp.Compare(y.hits, x.hits), cmp.Compare(x.ref, y.ref))
	})
	cands := w.cands[:min(len(w.cands), c.opts.MaxCandidates)]
	// The references best supported by either half anchor a chimera's ends
	// where the overall best does not.
	clipped := c.clipEnds(read, cands[0].ref, bestL.ref, bestR.ref)
	a.Clipped = len(read) - len(clipped)
	read = clipped

	// Align the best-supported candidate first; its identity tells how far
	// the read is from the database. Only candidates whose k-mer support is
	// within reach of a near tie are then aligned (see minSupport).
	w.al.setPattern(read)
	m := float64(len(read))
	// Below the domain floor nothing is assigned, so larger distances need
	// not be exact.
	// Most reads lie within 10 % (plus their errors) of their best
	// candidate, and the bit-vector aligner's cost grows with the distance
	// bound, so that bound is tried first and the domain-floor bound only
	// when the read is further away.
	worst := int((1-(c.opts.Floors[taxonomy.Domain]-floorErrorFactor*a.ErrorRate))*m) + 1
	near := min(worst, int((1-(0.90-floorErrorFactor*a.ErrorRate))*m)+1)
	d := w.al.distanceWithin(c.refs[cands[0].ref].Seq, near)
	if d > near {
		d = w.al.distanceWithin(c.refs[cands[0].ref].Seq, worst)
	}
	cands[0].identity = max(0, 1-float64(d)/m)
	cut := minSupport(max(a.ErrorRate, 1-cands[0].identity)) * float64(cands[0].hits)
	best, n := 0, 1
	for i := 1; i < len(cands) && float64(cands[i].hits) >= cut; i++ {
		// Only identities within 2δ of the best matter (ties and confidence);
		// anything further is computed only as "too far".
		top := cands[best].identity
		window := top - max(2*tieWindow(a.ErrorRate, top), minGenusMargin)
		d := w.al.distanceWithin(c.refs[cands[i].ref].Seq, int((1-window)*m)+1)
		cands[i].identity = max(0, 1-float64(d)/m)
		if cands[i].identity > top {
			best = i
		}
		n = i + 1
	}
	cands = cands[:n]
	top := cands[best]
	a.Identity = top.identity
	a.Reference = c.refs[top.ref].ID
	if w.isChimera(read, top, bestL, bestR) {
		a.Status = Chimera
		a.Reference = c.refs[bestL.ref].ID + "+" + c.refs[bestR.ref].ID
		return a
	}

	delta := tieWindow(a.ErrorRate, top.identity)
	var ties []taxonomy.Lineage
	for _, cd := range cands {
		if cd.identity >= top.identity-delta {
			ties = append(ties, c.refs[cd.ref].Lineage)
		}
	}
	topLineage := c.refs[top.ref].Lineage
	lca := consensus(topLineage, ties)
	// A genus is named only when every reference within minGenusMargin of
	// the best that names a genus names the same; otherwise the lineage
	// stops at what those references share.
	if margin := max(delta, minGenusMargin); margin > delta && lca.Depth() >= taxonomy.Genus {
		near := ties
		for _, cd := range cands {
			if cd.identity < top.identity-delta && cd.identity >= top.identity-margin {
				near = append(near, c.refs[cd.ref].Lineage)
			}
		}
		if wide := consensus(topLineage, near); wide.Depth() < taxonomy.Genus {
			lca = wide
		}
	}
	rank := taxonomy.NoRank
	for r := taxonomy.Domain; r <= lca.Depth(); r++ {
		if top.identity < c.floor(r, lca)-floorErrorFactor*a.ErrorRate {
			a.BelowFloor = r
			break
		}
		rank = r
	}
	if a.BelowFloor == taxonomy.NoRank {
		for r := lca.Depth() + 1; r < taxonomy.NumRanks; r++ {
			if top.identity < c.opts.Floors[r]-floorErrorFactor*a.ErrorRate {
				a.BelowFloor = r
				break
			}
		}
	}
	if rank == taxonomy.NoRank {
		return a
	}
	a.Status = Classified
	a.Rank = rank
	a.Lineage = lca.Truncate(rank)
	if rank >= taxonomy.Genus && top.identity >= c.opts.Floors[taxonomy.Species]-floorErrorFactor*a.ErrorRate {
		a.Species = tiedSpecies(ties)
	}
	support, agree := 0, 0
	for _, cd := range cands {
		// As in consensus, a reference that names no taxon at the rank
		// abstains, except at species.
		if name := c.refs[cd.ref].Lineage.Name(rank); cd.identity >= top.identity-2*delta && (name != "" || rank == taxonomy.Species) {
			support++
			if name == a.Lineage.Name(rank) {
				agree++
			}
		}
	}
	a.Confidence = float64(agree) / float64(support)
	return a
}

// estimateQuantile is the quantile of 1 − I, over a sample's aligned
// reads, that EstimateErrorRate takes as their identity loss: low enough
// that reads of taxa without a close relative in the database, whose
// divergence adds to their errors, weigh little. On simulated FASTA reads
// from the embedded database (0.4 %, 3 % and 7.5 % error) it gave 0.0021,
// 0.024 and 0.065, against median losses of 0.0041, 0.030 and 0.073; on
// reads from sequences held out of the database 0.009, 0.033 and 0.074.
const estimateQuantile = 0.10

// minEstimateReads is the fewest aligned reads EstimateErrorRate needs.
const minEstimateReads = 20

// EstimateErrorRate estimates the error rate of a sample's reads that have
// no qualities, from some of them (seqs, as QC passed them): each is aligned
// as ClassifyAt does, and with q the 10th percentile (estimateQuantile) of
// 1 − I over the reads that aligned (not chimeras), the estimate is
// e = q / 1.2, so that the identity floors, lowered by 1.2e, are lowered by
// the identity the sample's closest-matched reads lose. It returns 0 when
// fewer than 20 reads aligned. The result depends only on seqs.
func (w *Worker) EstimateErrorRate(seqs [][]byte) float64 {
	var loss []float64
	for _, s := range seqs {
		if a := w.ClassifyAt(s, 0); a.Identity > 0 && a.Status != Chimera {
			loss = append(loss, 1-a.Identity)
		}
	}
	if len(loss) < minEstimateReads {
		return 0
	}
	slices.Sort(loss)
	q := loss[int(estimateQuantile*float64(len(loss)))]
	return min(q/floorErrorFactor, maxErrorRate)
}

// A read end that reaches past the ends of the best-supported reference is
// clipped before alignment when it does so by at least minClip bases, by
// at most maxClip bases a side: adapters, barcodes or primers left on a
// read, or the part of a full-length read beyond a shorter reference's
// ends, would otherwise count as errors against every reference (80 bases
// of adapter on each end of a 1,500-base read cost 10 % identity, and a
// genus). maxClip matches the primer search's window, so that a read that
// is mostly not 16S is still aligned nearly whole and stays unclassified.
const (
	minClip = 20
	maxClip = 150
)

// clipEnds returns read without the ends that reach past the references
// refs: the first k-mer of read that one of refs holds, at read position p
// and position q of that reference, shows p − q read bases before the
// reference starts; the last one likewise at the other end. A shared k-mer
// anchors only when another within anchorConfirm bases sits at the same
// offset (±2 for indels), so a chance match in an adapter does not. Bases
// the reference covers are kept however they differ, so divergence still
// counts against the read. Anchors are sought within maxClip + minClip
// bases of each end, so a longer unanchored end is kept whole (such a read
// is mostly not 16S). Only sampled k-mers anchor, for a sampled index.
func (c *Classifier) clipEnds(read []byte, refs ...uint32) []byte {
	k := c.opts.K
	lo, hi := 0, len(read)
	if p, q, _, ok := c.anchor(read, refs, false); ok {
		if over := p - q; over >= minClip {
			lo = min(over, maxClip)
		}
	}
	if p, q, r, ok := c.anchor(read, refs, true); ok && p >= lo {
		readAfter, refAfter := len(read)-(p+k), len(c.refs[r].Seq)-(q+k)
		if over := readAfter - refAfter; over >= minClip {
			hi = len(read) - min(over, maxClip)
		}
	}
	return read[lo:hi]
}

// anchorConfirm is how far past an anchoring k-mer clipEnds looks for a
// second one at the same offset.
const anchorConfirm = 16

// anchor returns the first (or, with last, the final) read position p,
// within maxClip+minClip bases of that end, whose k-mer one of refs, r,
// holds at a position q confirmed by a second k-mer (see clipEnds).
func (c *Classifier) anchor(read []byte, refs []uint32, last bool) (p, q int, r uint32, ok bool) {
	k := c.opts.K
	for i := 0; i <= maxClip+minClip && i+k <= len(read); i++ {
		p = i
		if last {
			p = len(read) - k - i
		}
		x, valid := kmerAt(read, p, k)
		if !valid || !c.index.sampled(x) {
			continue
		}
		post := c.index.lookup(x)
		for _, r := range refs {
			if _, found := slices.BinarySearch(post, r); !found {
				continue
			}
			if q := c.occurrence(read, p, x, c.refs[r].Seq, last); q >= 0 {
				return p, q, r, true
			}
		}
	}
	return 0, 0, 0, false
}

// occurrence returns the first position of k-mer x in seq that a second
// k-mer confirms as the place of read's k-mer at p (see confirmed), or −1.
func (c *Classifier) occurrence(read []byte, p int, x uint32, seq []byte, last bool) int {
	at := -1
	eachKmer(seq, c.opts.K, func(y uint32, pos int) {
		if at < 0 && y == x && c.confirmed(read, p, seq, pos, last) {
			at = pos
		}
	})
	return at
}

// confirmed reports whether a read k-mer within anchorConfirm bases of p,
// inwards (after p, or before it with last), matches seq at the same
// offset q − p, give or take 2.
func (c *Classifier) confirmed(read []byte, p int, seq []byte, q int, last bool) bool {
	k := c.opts.K
	for i := 1; i <= anchorConfirm; i++ {
		d := i
		if last {
			d = -i
		}
		if p+d < 0 || p+d+k > len(read) {
			return false
		}
		y, valid := kmerAt(read, p+d, k)
		if !valid {
			continue
		}
		for s := -2; s <= 2; s++ {
			if q2 := q + d + s; q2 >= 0 && q2+k <= len(seq) {
				if z, _ := kmerAt(seq, q2, k); z == y {
					return true
				}
			}
		}
	}
	return false
}

// kmerAt returns the k-mer of seq at pos as eachKmer packs it, and false
// when it spans a base other than A, C, G or T.
func kmerAt(seq []byte, pos, k int) (uint32, bool) {
	var x uint32
	for _, ch := range seq[pos : pos+k] {
		c := nucCode[ch]
		if c > 3 {
			return 0, false
		}
		x = x<<2 | uint32(c)
	}
	return x, true
}

// strandSupport scores how well seq, as given, matches the indexed (sense)
// strand: the number of references holding each of its k-mers, capped at
// maxPosting, summed over every orientStride-th k-mer. Weighting by
// references rather than counting k-mers present matters for large
// databases, where almost every k-mer occurs in some reference: a read's
// own k-mers occur in many, those of its other strand in few.
func (c *Classifier) strandSupport(seq []byte) int {
	n := 0
	eachKmer(seq, c.opts.K, func(x uint32, pos int) {
		if pos%c.orientStride == 0 {
			n += min(int(c.index.start[x+1]-c.index.start[x]), c.maxPosting)
		}
	})
	return n
}

// Strides through a read's k-mers for a whole (unsampled) index:
// orientation looks at every orientStride-th k-mer (a 16S read has hundreds
// either way), candidate counting at every countStride-th, which halves the
// index walks while overlapping k-mers still cover every base.
const (
	orientStride = 4
	countStride  = 2
)

// minSupport is the least share of the best candidate's k-mer support that
// a candidate needs to be aligned, for a read whose error rate or divergence
// from the database is e. Measured on simulated reads from the embedded
// database (0.4 %, 3 % and 7.5 % error), every reference that ended within δ
// of the best identity had at least 0.90, 0.79 and 0.68 of the top support;
// 0.75 − 2.5e stays 0.12–0.16 below those, and never goes under 0.5.
func minSupport(e float64) float64 {
	return max(0.5, 0.75-2.5*e)
}

// chimeraGain is the least summed identity gain, over the two halves, of a
// two-parent explanation over the best single reference for a read to be
// called a chimera. Read errors lower a half's identity to both parents
// alike, so the gain does not shrink with the error rate and the threshold
// is not raised with it: on simulated reads (scripts/bench-classify.sh) no
// read from one gene reached 0.03 at 0.4 %, 3 % or 7.5 % error, while 0.02
// flagged 0.2 % of them.
const chimeraGain = 0.03

// isChimera tests whether read is better explained by two parents from
// different genera, L for its left half and R for its right, than by the
// single best reference top. Reads shorter than 600 bases are not tested.
func (w *Worker) isChimera(read []byte, top, l, r candidate) bool {
	c := w.c
	if len(read) < 600 || l.ref == r.ref || l.hits == 0 || r.hits == 0 {
		return false
	}
	gl, gr := c.refs[l.ref].Lineage.Name(taxonomy.Genus), c.refs[r.ref].Lineage.Name(taxonomy.Genus)
	if gl == "" || gr == "" || gl == gr {
		return false
	}
	half := len(read) / 2
	identity := func(part []byte, ref uint32) float64 {
		w.al.setPattern(part)
		return 1 - float64(w.al.distance(c.refs[ref].Seq))/float64(len(part))
	}
	gainL := identity(read[:half], l.ref) - identity(read[:half], top.ref)
	gainR := identity(read[half:], r.ref) - identity(read[half:], top.ref)
	return gainL+gainR >= chimeraGain
}

// consensus returns the part of the best reference's lineage best that the
// near-tied references' lineages ls agree with: rank by rank from the
// domain down, best's name is kept while every lineage in ls names the same
// taxon or names none at that rank. A lineage that stops above a rank
// abstains there instead of disagreeing: large databases leave ranks unnamed
// where the taxon is unknown (SILVA's "uncultured" genera, which end a
// lineage in zonula), and such a reference says nothing against the genus
// its named neighbours share. The best reference itself must name the rank,
// so a read closest to an unnamed lineage is not given its neighbours'
// name. Species, whose names are missing for most environmental sequences,
// are kept only when every lineage names the same one. For databases whose
// lineages are all complete (the embedded one to genus) this is the lowest
// common ancestor of best and ls.
func consensus(best taxonomy.Lineage, ls []taxonomy.Lineage) taxonomy.Lineage {
	depth := taxonomy.NoRank
	for r := taxonomy.Domain; r < taxonomy.NumRanks && best[r] != ""; r++ {
		for _, l := range ls {
			if l[r] != best[r] && (l[r] != "" || r == taxonomy.Species) {
				return best.Truncate(depth)
			}
		}
		depth = r
	}
	return best.Truncate(depth)
}

// tiedSpecies returns the sorted distinct species of the tied lineages, or
// nil when any of them names no species.
func tiedSpecies(ties []taxonomy.Lineage) []string {
	var out []string
	for _, l := range ties {
		sp := l[taxonomy.Species]
		if sp == "" {
			return nil
		}
		if !slices.Contains(out, sp) {
			out = append(out, sp)
		}
	}
	slices.Sort(out)
	return out
}
