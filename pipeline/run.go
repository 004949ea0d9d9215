package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// Config is everything one sample's run depends on. The caller settles paths,
// flags and the clock; Run reads no flags or environment.
type Config struct {
	Inputs  []string  // read files; "-" is Stdin
	Stdin   io.Reader // read for the input "-"
	OutDir  string
	Sample  string // sample name; derived from the first input when empty
	DB      *refdb.DB
	DBName  string // as the user named it ("embedded" or a path)
	Threads int    // classification workers; ≤ 0 means GOMAXPROCS
	QC      qc.Options
	// Primers, when non-nil, are searched in every read (qc.Inspect): a
	// read whose primers lie on the antisense strand is reverse-complemented
	// to the 16S sense strand before classification (reads without primers
	// are oriented by the classifier), and primers are trimmed off unless
	// QC.KeepPrimers. Nil skips the search.
	Primers *qc.PrimerOptions
	// NoMultiQC leaves out the MultiQC custom-content files
	// (SAMPLE.zonula_general_mqc.json, SAMPLE.zonula_lengths_mqc.json).
	NoMultiQC bool
	// NoQualityErrorRate is the error rate reads without qualities (FASTA)
	// are classified at; 0 estimates it from the first of them
	// (classify.Worker.EstimateErrorRate).
	NoQualityErrorRate float64
	Classify           classify.Options
	Metadata           report.Metadata // what the person or clinician reported
	HTML               bool            // write report.html
	PDF                bool            // write report.pdf
	PageSize           string
	Version            string
	Commit             string
	Options            []report.Option // the options as the user gave them, for provenance
	Now                func() time.Time

	// Classifier, when set, is used instead of indexing DB with Classify
	// (classify.New) on every call, so a batch indexes its database once;
	// it must have been built from DB.
	Classifier *classify.Classifier
	// Reference is the reference set percentiles are taken in; nil means
	// the embedded one (metrics.EmbeddedReferenceSet).
	Reference *metrics.ReferenceSet
}

// Result summarises a finished run.
type Result struct {
	Sample         string
	QC             qc.Summary
	Classification classify.Summary
	Profile        *tables.Profile
	Alpha          metrics.Alpha
	Indices        []metrics.IndexValue // health and imbalance indices (metrics.json)
	Percentiles    map[string]float64   // metric → percentile in the reference set
	Files          []string             // outputs written, in OutDir
	// DuplicateIDs counts reads whose id repeats an earlier one among the
	// first DuplicatesChecked reads (each is still processed as a read).
	DuplicateIDs, DuplicatesChecked int64
	// AmbiguousReads counts reads holding IUPAC ambiguity codes (N, R, Y, …),
	// accepted as they are; AmbiguousBases counts those bases.
	AmbiguousReads, AmbiguousBases int64
	// Orientation says how the passed reads were turned to the 16S sense
	// strand (written to qc.json).
	Orientation OrientationCounts
}

// checkRead filters, orients and classifies one read. With a PrimerFinder
// the read goes through qc.Inspect (primer search and trimming, the read
// flags, then the filters); a read whose primers lie on the antisense strand
// is reverse-complemented in place before classification. Reads that pass
// are classified, at the error rate their qualities give or, for reads
// without informative ones, at noQualityError; the classifier orients
// reads itself (by reference k-mers) and its orientation is final.
func checkRead(w *classify.Worker, rec *seqio.Record, o qc.Options, pf *qc.PrimerFinder, noQualityError float64) readResult {
	r := qcRead(rec, o, pf)
	if !r.pass {
		return r
	}
	if informativeQualities(rec.Qual) {
		r.a = w.Classify(rec.Seq, rec.Qual)
	} else {
		r.a = w.ClassifyAt(rec.Seq, noQualityError)
	}
	if r.a.Reverse {
		r.reverse = !r.reverse
		r.disagree = r.byPrimers && r.a.Reference != ""
	}
	return r
}

// informativeQualities reports whether qual can tell a read's error rate:
// present, and not one value throughout, as FASTA turned into FASTQ gets
// (seqtk seq -F, or a fixed "I" or "!" per base), which would claim no
// errors or a quarter of the bases wrong whatever the read is like.
func informativeQualities(qual []byte) bool {
	for _, q := range qual {
		if q != qual[0] {
			return true
		}
	}
	return false
}

// qcRead applies the QC filters to rec and, when primers are searched,
// trims them and turns an antisense read to the sense strand (in place).
func qcRead(rec *seqio.Record, o qc.Options, pf *qc.PrimerFinder) readResult {
	var r readResult
	if pf != nil {
		r.qc = qc.Inspect(rec, o, pf)
		r.pass, r.reason = r.qc.OK, r.qc.Reason
		if m := r.qc.Primers; m.Found() > 0 {
			r.byPrimers = true
			if m.Antisense {
				qc.ReverseComplement(rec)
				r.reverse = true
			}
		}
	} else {
		r.pass, r.reason = qc.Check(rec, o)
	}
	return r
}

// estimateReads is how many QC-passed reads without informative qualities
// the error-rate estimate is made from; fewer when the input ends, or when
// maxHeldBatches batches (4,096 reads) have not yielded them, so that a run
// of mostly filtered reads is not held in memory.
const (
	estimateReads  = 256
	maxHeldBatches = 16
)

// errorRateGate holds a run's batches back until the error rate for its
// reads without informative qualities is known, then lets them go in input
// order, each carrying it (batch.noQualityError). The rate is the
// configured one, or estimated (classify.Worker.EstimateErrorRate) from
// the first estimateReads such reads that pass QC (copies are checked); a
// run whose reads all have qualities is never held.
type errorRateGate struct {
	known   bool
	rate    float64
	pending []*batch
	seqs    [][]byte
	// newWorker gives the classifier worker the estimate runs on.
	newWorker func() *classify.Worker
	qc        qc.Options
	pf        *qc.PrimerFinder
	send      func(*batch) error
}

// add passes b on, or holds it until the rate is known.
func (g *errorRateGate) add(b *batch) error {
	if g.known {
		b.noQualityError = g.rate
		return g.send(b)
	}
	held := len(g.pending) > 0
	for _, rec := range b.recs {
		if informativeQualities(rec.Qual) {
			continue
		}
		held = true
		if c := rec.Clone(); qcRead(c, g.qc, g.pf).pass {
			g.seqs = append(g.seqs, c.Seq)
		}
	}
	if !held {
		return g.send(b) // all reads so far have qualities: nothing to wait for
	}
	g.pending = append(g.pending, b)
	if len(g.seqs) < estimateReads && len(g.pending) < maxHeldBatches {
		return nil
	}
	return g.flush()
}

// flush settles the rate, estimating it from the reads gathered, and sends
// the held batches; runReads calls it once more when the input ends.
func (g *errorRateGate) flush() error {
	if !g.known {
		g.known = true
		if len(g.seqs) > 0 {
			g.rate = g.newWorker().EstimateErrorRate(g.seqs)
		}
		g.seqs = nil
	}
	for _, b := range g.pending {
		b.noQualityError = g.rate
		if err := g.send(b); err != nil {
			return err
		}
	}
	g.pending = nil
	return nil
}

type ambiguity struct{ reads, bases int64 }

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

// batchSize is the number of reads a worker classifies at a time.
const batchSize = 256

// Run processes one sample and writes its outputs into cfg.OutDir. Outputs are
// first written to a staging directory inside OutDir and renamed into place
// only when every one of them is complete, so a failed run leaves no partial
// outputs behind.
func Run(ctx context.Context, cfg Config, prog Progress) (*Result, error) {
	cfg, prog, threads, err := prepare(cfg, prog)
	if err != nil {
		return nil, err
	}
	started := cfg.Now()
	if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	stage, err := os.MkdirTemp(cfg.OutDir, ".zonula-partial-")
	if err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	defer os.RemoveAll(stage)

	clf, err := classifierOf(cfg)
	if err != nil {
		return nil, err
	}
	res := &Result{Sample: cfg.Sample}
	inputFiles, err := runReads(ctx, cfg, clf, threads, filepath.Join(stage, "reads.tsv.gz"), res, prog)
	if err != nil {
		return nil, err
	}

	prov := report.Provenance{
		Program: "zonula", Version: cfg.Version, Commit: cfg.Commit,
		Database: DatabaseOf(cfg.DB, cfg.DBName),
		Options:  cfg.Options, Inputs: inputFiles, Started: started.UTC(),
	}
	if err := finish(stage, cfg, res, prov, nil, prog); err != nil {
		return nil, err
	}
	return res, nil
}

// prepare checks cfg and fills its defaults: the clock, the sample name,
// inputs expanded (directories of reads), the thread count.
func prepare(cfg Config, prog Progress) (Config, Progress, int, error) {
	if prog == nil {
		prog = NoProgress{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if len(cfg.Inputs) == 0 {
		return cfg, prog, 0, errors.New("no input files")
	}
	if cfg.Sample == "" {
		cfg.Sample = SampleName(cfg.Inputs[0])
	}
	inputs, err := ExpandInputs(cfg.Inputs)
	if err != nil {
		return cfg, prog, 0, err
	}
	cfg.Inputs = inputs
	if cfg.DB == nil {
		return cfg, prog, 0, errors.New("no reference database")
	}
	threads := cfg.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	if cfg.Classify.Threads == 0 {
		cfg.Classify.Threads = threads
	}
	return cfg, prog, threads, nil
}

// classifierOf returns cfg.Classifier, or indexes cfg.DB.
func classifierOf(cfg Config) (*classify.Classifier, error) {
	if cfg.Classifier != nil {
		return cfg.Classifier, nil
	}
	return classify.New(cfg.DB, cfg.Classify)
}

// Classify runs QC and classification only and writes the per-read table
// (the reads.tsv.gz columns) to out, gzip-compressed when out ends in
// ".gz"; cfg.OutDir and the report options are not used. The file appears
// only when complete.
func Classify(ctx context.Context, cfg Config, out string, prog Progress) (*Result, error) {
	cfg, prog, threads, err := prepare(cfg, prog)
	if err != nil {
		return nil, err
	}
	clf, err := classifierOf(cfg)
	if err != nil {
		return nil, err
	}
	res := &Result{Sample: cfg.Sample}
	if _, err := runReads(ctx, cfg, clf, threads, out, res, prog); err != nil {
		return nil, err
	}
	return res, nil
}

// runRecord is the content of run.json.
type runRecord struct {
	Sample string `json:"sample"`
	report.Provenance
}

// SampleName derives a sample name from a reads path: the base name without
// compression and sequence suffixes ("S01.hifi.fastq.gz" gives "S01.hifi").
func SampleName(path string) string {
	if path == "-" {
		return "stdin"
	}
	name := filepath.Base(path)
	for _, ext := range []string{".gz", ".zst", ".bz2", ".fastq", ".fq", ".fasta", ".fa", ".fna", ".bam"} {
		if n := len(name) - len(ext); n > 0 && name[n:] == ext {
			name = name[:n]
		}
	}
	return name
}

// DatabaseOf describes db for provenance.
func DatabaseOf(db *refdb.DB, name string) report.Database {
	h := db.Header
	if name == "" {
		name = h.Name
	}
	return report.Database{Name: name + " (" + h.Name + ")", Version: h.Version, Source: h.Source, Sequences: h.Sequences, SHA256: h.SHA256}
}

type batch struct {
	recs    []*seqio.Record
	results []readResult
	done    chan struct{}
	// noQualityError is the error rate its reads without informative
	// qualities are classified at (set by errorRateGate).
	noQualityError float64
}

type readResult struct {
	pass   bool
	reason string
	a      classify.Assignment
	qc     qc.Result // when primers were searched (Config.Primers)
	// reverse: the read was reverse-complemented to the sense strand, by
	// its primers or by the classifier; byPrimers: its primers decided;
	// disagree: the classifier turned a primer-oriented read around.
	reverse, byPrimers, disagree bool
}

// OrientationCounts says how the passed reads were turned to the 16S sense
// strand, as written to qc.json ("orientation").
type OrientationCounts struct {
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

// runReads streams every input through QC and the classifier, writing
// reads.tsv.gz in input order, and fills res's QC, classification summary and
// profile. It returns the inputs with their checksums.
func runReads(ctx context.Context, cfg Config, clf *classify.Classifier, threads int, readsPath string, res *Result, prog Progress) ([]report.InputFile, error) {
	collector := qc.NewCollector(cfg.QC)
	var pf *qc.PrimerFinder
	if cfg.Primers != nil {
		var err error
		if pf, err = qc.NewPrimerFinder(*cfg.Primers); err != nil {
			return nil, fmt.Errorf("primers: %w", err)
		}
	}
	var orient OrientationCounts
	builder := tables.NewBuilder(cfg.Sample)
	// Reads that reach species level are split among their tied species by
	// EM at the end, per genus; their genus totals are counted exactly.
	species := map[string]map[string]*classify.TieSet{} // genus lineage → species key → tie set
	var sum classify.Summary
	sum.Floors = clf.Floors()
	sum.GenusFloorMin, sum.GenusFloorMax = clf.GenusFloorRange()
	sum.KmerSampling = clf.KmerSampling()
	dups := newDuplicateCounter(duplicateCheckLimit)
	var ambiguous ambiguity
	var identitySum float64
	var identityN int64
	var inputs []report.InputFile
	var bytesRead atomic.Int64 // raw input bytes consumed, all files
	var bytesTotal int64
	for _, path := range cfg.Inputs {
		if st, err := os.Stat(path); err == nil && path != "-" && st.Mode().IsRegular() {
			bytesTotal += st.Size()
		}
	}
	byteProg, _ := prog.(ByteProgress)

	prog.Stage("classifying")
	err := safefile.Write(readsPath, func(out io.Writer) error {
		var gz io.WriteCloser = nopCloser{out}
		if strings.HasSuffix(readsPath, ".gz") {
			z, err := gzip.NewWriterLevel(out, gzip.BestSpeed)
			if err != nil {
				return err
			}
			gz = z
		}
		// gzip headers carry no name or time, so the file is byte-identical on re-runs.
		fmt.Fprintln(gz, "read_id\tstatus\tlineage\trank\tconfidence\tidentity\treference")

		g, gctx := errgroup.WithContext(ctx)
		work := make(chan *batch, threads)
		order := make(chan *batch, 2*threads)
		g.Go(func() error {
			defer close(work)
			defer close(order)
			gate := &errorRateGate{known: cfg.NoQualityErrorRate > 0, rate: cfg.NoQualityErrorRate,
				newWorker: clf.NewWorker, qc: cfg.QC, pf: pf, send: func(b *batch) error {
					for _, ch := range []chan *batch{work, order} {
						select {
						case ch <- b:
						case <-gctx.Done():
							return gctx.Err()
						}
					}
					return nil
				}}
			for _, path := range cfg.Inputs {
				f, err := readInput(gctx, path, cfg.Stdin, &bytesRead, gate.add)
				if err != nil {
					return err
				}
				inputs = append(inputs, f)
			}
			return gate.flush()
		})
		for range threads {
			g.Go(func() error {
				w := clf.NewWorker()
				for b := range work {
					for i, rec := range b.recs {
						b.results[i] = checkRead(w, rec, cfg.QC, pf, b.noQualityError)
					}
					close(b.done)
				}
				return nil
			})
		}
		g.Go(func() error {
			var line []byte
			var done, passed int64
			for b := range order {
				select {
				case <-b.done:
				case <-gctx.Done():
					return gctx.Err()
				}
				sum.NoQualityErrorRate = b.noQualityError
				for i, rec := range b.recs {
					r := b.results[i]
					if pf != nil {
						collector.AddInspected(rec, r.qc, r.reverse)
					} else {
						collector.Add(rec, r.pass, r.reason, r.reverse)
					}
					dups.add(rec.ID)
					if n := ambiguousBases(rec.Seq); n > 0 {
						ambiguous.reads++
						ambiguous.bases += int64(n)
					}
					done++
					line = appendReadLine(line[:0], rec.ID, r)
					if _, err := gz.Write(line); err != nil {
						return err
					}
					if !r.pass {
						continue
					}
					passed++
					sum.Reads++
					switch {
					case r.byPrimers:
						orient.ByPrimers++
					default:
						orient.ByClassifier++
					}
					if r.reverse {
						orient.Reverse++
					}
					if r.disagree {
						orient.Disagreements++
					}
					a := r.a
					if a.Clipped > 0 {
						sum.ClippedReads++
					}
					switch a.Status {
					case classify.Classified:
						sum.Classified++
						for rk := taxonomy.Domain; rk <= a.Rank; rk++ {
							sum.AssignedAt[rk]++
						}
					case classify.Chimera:
						sum.Chimeras++
					default:
						sum.Unclassified++
					}
					if a.BelowFloor != taxonomy.NoRank {
						for rk := a.BelowFloor; rk < taxonomy.NumRanks; rk++ {
							sum.BelowFloor[rk]++
						}
					}
					if a.Reference != "" {
						identitySum += a.Identity
						identityN++
					}
					switch {
					case a.Status == classify.Classified && len(a.Species) > 0:
						g := a.Lineage.Truncate(taxonomy.Genus).String()
						if species[g] == nil {
							species[g] = map[string]*classify.TieSet{}
						}
						key := strings.Join(a.Species, "|")
						if species[g][key] == nil {
							species[g][key] = &classify.TieSet{Species: a.Species}
						}
						species[g][key].Reads++
					case a.Status == classify.Classified:
						builder.Add(a.Lineage, 1)
					default:
						builder.Add(taxonomy.Lineage{}, 1)
					}
				}
				prog.Reads(done, passed)
				if byteProg != nil {
					byteProg.Bytes(bytesRead.Load(), bytesTotal)
				}
			}
			return nil
		})
		if err := g.Wait(); err != nil {
			return err
		}
		return gz.Close()
	})
	if err != nil {
		return nil, err
	}
	if identityN > 0 {
		sum.MeanIdentity = identitySum / float64(identityN)
	}
	for _, g := range slices.Sorted(maps.Keys(species)) {
		genus, err := taxonomy.ParsePrefixed(g)
		if err != nil {
			return nil, err
		}
		var sets []classify.TieSet
		for _, k := range slices.Sorted(maps.Keys(species[g])) {
			sets = append(sets, *species[g][k])
		}
		est := classify.SpeciesAbundance(sets)
		for _, name := range slices.Sorted(maps.Keys(est)) {
			l := genus
			l[taxonomy.Species] = name
			builder.Add(l, est[name])
		}
	}
	res.QC = collector.Summary()
	if res.QC.PassedReads > 0 {
		orient.Share = float64(orient.Reverse) / float64(res.QC.PassedReads)
	}
	res.Orientation = orient
	res.DuplicateIDs, res.DuplicatesChecked = dups.found, dups.checked
	res.AmbiguousReads, res.AmbiguousBases = ambiguous.reads, ambiguous.bases
	res.Classification = sum
	res.Profile = builder.Profile()
	if res.QC.InputReads == 0 {
		return nil, &seqio.ParseError{File: cfg.Inputs[0], Err: seqio.ErrEmpty}
	}
	return inputs, nil
}

// readInput streams one file in batches, hashing its raw bytes as they are read.
func readInput(ctx context.Context, path string, stdin io.Reader, consumed *atomic.Int64, send func(*batch) error) (report.InputFile, error) {
	info := report.InputFile{Path: path}
	var raw io.Reader
	if path == "-" {
		if stdin == nil {
			return info, &InputError{Path: path, Err: errors.New("standard input is not available")}
		}
		raw = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return info, &InputError{Path: path, Err: err}
		}
		defer f.Close()
		raw = f
	}
	h := sha256.New()
	counter := &countingHash{h: h, consumed: consumed}
	dec, err := seqio.NewReader(io.TeeReader(raw, counter))
	if err != nil {
		return info, wrapInput(path, err)
	}
	// Close stops the decompressor's goroutines, also on an early return.
	defer dec.Close()
	sc := seqio.NewRecordReader(dec, path) // FASTQ, FASTA or unaligned BAM
	for {
		if err := ctx.Err(); err != nil {
			return info, err
		}
		b := &batch{done: make(chan struct{})}
		for len(b.recs) < batchSize && sc.Scan() {
			b.recs = append(b.recs, sc.Record().Clone())
		}
		if len(b.recs) > 0 {
			b.results = make([]readResult, len(b.recs))
			if err := send(b); err != nil {
				return info, err
			}
		}
		if len(b.recs) < batchSize {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return info, wrapInput(path, err)
	}
	// Hash whatever the decoder left unread (e.g. trailing padding).
	if _, err := io.Copy(counter, raw); err != nil {
		return info, &InputError{Path: path, Err: err}
	}
	info.Bytes = counter.n
	info.SHA256 = hex.EncodeToString(h.Sum(nil))
	return info, nil
}

// countingHash hashes and counts the raw bytes of one input, and adds them
// to a run-wide counter that progress reporting reads from another goroutine.
type countingHash struct {
	h        hash.Hash
	n        int64
	consumed *atomic.Int64
}

func (c *countingHash) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	c.consumed.Add(int64(len(p)))
	return c.h.Write(p)
}

// InputError is a problem with an input file that is not a parse error at a
// record: missing, unreadable, or of an unknown format.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func wrapInput(path string, err error) error {
	var pe *seqio.ParseError
	if errors.As(err, &pe) {
		return err
	}
	return &InputError{Path: path, Err: err}
}

func appendReadLine(b []byte, id string, r readResult) []byte {
	b = append(b, id...)
	b = append(b, '\t')
	if !r.pass {
		b = append(b, "filtered\t\tnone\t0\t0\t"...)
		b = append(b, r.reason...)
		return append(b, '\n')
	}
	a := r.a
	b = append(b, a.Status.String()...)
	b = append(b, '\t')
	b = append(b, a.Lineage.String()...)
	b = append(b, '\t')
	b = append(b, a.Rank.String()...)
	b = append(b, '\t')
	b = strconv.AppendFloat(b, a.Confidence, 'f', 3, 64)
	b = append(b, '\t')
	b = strconv.AppendFloat(b, a.Identity, 'f', 4, 64)
	b = append(b, '\t')
	b = append(b, a.Reference...)
	return append(b, '\n')
}

// writeTables writes abundance.tsv, profile.biom, metrics.json and qc.json.
func writeTables(dir string, cfg Config, res *Result, prov report.Provenance, ref *metrics.ReferenceSet, withQC bool) error {
	if err := WriteProfileFiles(dir, res.Profile, cfg.Version); err != nil {
		return err
	}
	m := metricsRecord{Sample: cfg.Sample, Version: cfg.Version, Database: prov.Database, Alpha: map[string]metrics.Alpha{"genus": res.Alpha},
		Indices: res.Indices, Percentiles: percentilesRecord{Reference: ref.Name(), N: ref.N(), Source: ref.Source(), Basis: "shares of reads named to a genus (species-defined measures: of all reads)", Values: res.Percentiles}}
	if err := writeJSON(filepath.Join(dir, "metrics.json"), m); err != nil {
		return err
	}
	if !withQC {
		return nil
	}
	q := qcRecord{Sample: cfg.Sample, Version: cfg.Version, Database: prov.Database, Options: cfg.QC, Primers: cfg.Primers, Summary: res.QC,
		Orientation: res.Orientation, Classification: res.Classification,
		Duplicates: duplicates{IDs: res.DuplicateIDs, Checked: res.DuplicatesChecked},
		Ambiguous:  ambiguousRecord{Reads: res.AmbiguousReads, Bases: res.AmbiguousBases}}
	return writeJSON(filepath.Join(dir, "qc.json"), q)
}

type metricsRecord struct {
	Sample   string                   `json:"sample"`
	Version  string                   `json:"zonula_version"`
	Database report.Database          `json:"database"`
	Alpha    map[string]metrics.Alpha `json:"alpha"`
	Indices  []metrics.IndexValue     `json:"indices"`
	// Percentiles of the sample's values in the reference set.
	Percentiles percentilesRecord `json:"percentiles"`
}

// percentilesRecord is the "percentiles" object of metrics.json.
type percentilesRecord struct {
	Reference string             `json:"reference_set"`
	N         int                `json:"n"`
	Source    string             `json:"source"`
	Basis     string             `json:"basis"`  // what shares are of
	Values    map[string]float64 `json:"values"` // metric → percentile (0–100)
}

type qcRecord struct {
	Sample         string            `json:"sample"`
	Version        string            `json:"zonula_version"`
	Database       report.Database   `json:"database"`
	Options        qc.Options        `json:"options"`
	Primers        *qc.PrimerOptions `json:"primer_search"` // null when primers were not searched
	Summary        qc.Summary        `json:"reads"`
	Orientation    OrientationCounts `json:"orientation"`
	Classification classify.Summary  `json:"classification"`
	Duplicates     duplicates        `json:"duplicate_read_ids"`
	Ambiguous      ambiguousRecord   `json:"ambiguous_bases"`
}

type ambiguousRecord struct {
	Reads int64 `json:"reads"` // reads with at least one IUPAC ambiguity code
	Bases int64 `json:"bases"`
}

type duplicates struct {
	IDs     int64 `json:"repeated"` // reads whose id repeats an earlier one
	Checked int64 `json:"checked"`  // reads whose ids were checked (the first million)
}

func writeJSON(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if err := safefile.WriteFile(path, buf.Bytes()); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return nil
}

// WriteProfileFiles writes a sample's profile into dir as abundance.tsv
// (every rank) and profile.biom (genus table, BIOM 1.0 JSON), each
// atomically; version is zonula's, recorded in the BIOM file.
func WriteProfileFiles(dir string, p *tables.Profile, version string) error {
	if err := safefile.Write(filepath.Join(dir, "abundance.tsv"), func(w io.Writer) error {
		return tables.WriteTSV(w, p)
	}); err != nil {
		return fmt.Errorf("abundance.tsv: %w", err)
	}
	if err := safefile.Write(filepath.Join(dir, "profile.biom"), func(w io.Writer) error {
		return tables.WriteBIOM(w, p, taxonomy.Genus, tables.BIOMMeta{GeneratedBy: "zonula " + version, Date: biomDate})
	}); err != nil {
		return fmt.Errorf("profile.biom: %w", err)
	}
	return nil
}

// biomDate is the date written into profile.biom. BIOM requires one, but a
// run time would make the table differ on every re-run, so zonula writes the
// Unix epoch; the real run time is in run.json.
var biomDate = time.Unix(0, 0).UTC()

// nopCloser makes a Writer a WriteCloser whose Close does nothing.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
