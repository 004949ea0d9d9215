package simulate

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/dna"
	"github.com/zonula/zonula/taxonomy/refdb"
)

// Platform is an error profile.
type Platform struct {
	Name      string
	ErrorRate float64 // expected errors per base
	// Shares of errors that are substitutions, insertions and deletions.
	Sub, Ins, Del float64
	// Homopolymer multiplies the indel rate inside runs of three or more
	// identical bases, as both PacBio and Nanopore reads show.
	Homopolymer float64
}

// Platforms returns the built-in profiles: PacBio HiFi-like (0.4 % error),
// Nanopore R10.4-like (3 %) and R9.4-like (7.5 %).
func Platforms() []Platform {
	return []Platform{
		{Name: "hifi", ErrorRate: 0.004, Sub: 0.4, Ins: 0.3, Del: 0.3, Homopolymer: 4},
		{Name: "ont-r10", ErrorRate: 0.03, Sub: 0.45, Ins: 0.2, Del: 0.35, Homopolymer: 3},
		{Name: "ont-r9", ErrorRate: 0.075, Sub: 0.45, Ins: 0.2, Del: 0.35, Homopolymer: 3},
	}
}

// PlatformByName returns the named built-in platform.
func PlatformByName(name string) (Platform, error) {
	for _, p := range Platforms() {
		if p.Name == name {
			return p, nil
		}
	}
	names := make([]string, len(Platforms()))
	for i, p := range Platforms() {
		names[i] = p.Name
	}
	return Platform{}, fmt.Errorf("unknown platform %q (want one of %s)", name, strings.Join(names, ", "))
}

// Part is one taxon of a composition and its share of reads.
type Part struct {
	Taxon    string  // a name at any rank, or "Genus species"
	Fraction float64 // normalised to sum to 1 by ReadComposition
}

// ParseError is a problem with a composition file, at a line when known.
type ParseError struct {
	File string
	Line int // 1-based; 0 for the file as a whole
	Err  error
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// InputFile names the composition file.
func (e *ParseError) InputFile() string { return e.File }

// ReadComposition reads "taxon<TAB>fraction" lines (blank lines and lines
// starting with # are skipped; fractions need not sum to 1 and are
// normalised). Errors are *ParseError, naming the file and line.
func ReadComposition(r io.Reader, name string) ([]Part, error) {
	var parts []Part
	sc := bufio.NewScanner(r)
	total := 0.0
	seen := map[string]int{}
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(strings.TrimSuffix(sc.Text(), "\r"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		bad := func(format string, a ...any) error {
			return &ParseError{File: name, Line: line, Err: fmt.Errorf(format, a...)}
		}
		f := strings.Split(text, "\t")
		if len(f) != 2 {
			return nil, bad("want \"taxon<TAB>fraction\", got %d fields", len(f))
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(f[1]), 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return nil, bad("fraction %q is not a non-negative number", f[1])
		}
		taxon := strings.TrimSpace(f[0])
		if prev, dup := seen[taxon]; dup {
			return nil, bad("taxon %q already given on line %d", taxon, prev)
		}
		seen[taxon] = line
		parts = append(parts, Part{Taxon: taxon, Fraction: v})
		total += v
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	if len(parts) == 0 || total == 0 {
		return nil, &ParseError{File: name, Err: errors.New("no taxa with a fraction above 0")}
	}
	for i := range parts {
		parts[i].Fraction /= total
	}
	return parts, nil
}

// Options control a simulation.
type Options struct {
	Reads    int
	Seed     uint64
	Platform Platform
	// Chimeras and Junk are shares of extra reads: two-parent chimeras of
	// references from different genera, and random non-16S sequence.
	Chimeras, Junk float64
	// Exclude removes references whose id is listed (leave-one-out tests).
	Exclude map[string]bool
}

// Read is one simulated read with its truth.
type Read struct {
	ID      string
	Seq     []byte
	Qual    []byte
	Truth   taxonomy.Lineage // empty for junk
	Ref     string           // source reference id(s)
	Reverse bool
	Kind    string // "16S", "chimera" or "junk"
}

// Simulator draws reads; create it with New.
type Simulator struct {
	opts    Options
	parts   []Part
	members [][]int // reference indices per part
	refs    []refdb.Reference
}

// New matches every part of the composition to the database references that
// carry its name (species "Genus epithet" or a name at any rank). A part that
// matches nothing is an error.
func New(db *refdb.DB, parts []Part, opts Options) (*Simulator, error) {
	if opts.Reads < 1 {
		return nil, fmt.Errorf("reads must be at least 1, got %d", opts.Reads)
	}
	s := &Simulator{opts: opts, parts: parts, refs: db.Refs}
	for _, p := range parts {
		var idx []int
		for i, r := range db.Refs {
			if opts.Exclude[r.ID] {
				continue
			}
			if slices.Contains(r.Lineage[:], p.Taxon) {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			return nil, fmt.Errorf("taxon %q: no reference in database %s carries that name", p.Taxon, db.Header.Name)
		}
		s.members = append(s.members, idx)
	}
	return s, nil
}

// Each calls fn for every simulated read, in order. Read i depends only on the
// seed and i, so output is identical run to run.
func (s *Simulator) Each(fn func(Read) error) error {
	o := s.opts
	nChim := int(math.Round(float64(o.Reads) * o.Chimeras))
	nJunk := int(math.Round(float64(o.Reads) * o.Junk))
	total := o.Reads + nChim + nJunk
	cum := make([]float64, len(s.parts))
	acc := 0.0
	for i, p := range s.parts {
		acc += p.Fraction
		cum[i] = acc
	}
	for i := range total {
		rng := rand.New(rand.NewPCG(o.Seed, uint64(i)))
		var rd Read
		switch {
		case i < o.Reads:
			ref := s.pick(rng, cum)
			rd = Read{Seq: ref.Seq, Truth: ref.Lineage, Ref: ref.ID, Kind: "16S"}
		case i < o.Reads+nChim:
			a, b := s.pick(rng, cum), s.pick(rng, cum)
			for tries := 0; a.Lineage[taxonomy.Genus] == b.Lineage[taxonomy.Genus] && tries < 50; tries++ {
				b = s.pick(rng, cum)
			}
			cut := 0.3 + 0.4*rng.Float64()
			ca, cb := int(cut*float64(len(a.Seq))), int(cut*float64(len(b.Seq)))
			seq := append(append([]byte{}, a.Seq[:ca]...), b.Seq[cb:]...)
			rd = Read{Seq: seq, Truth: taxonomy.LCA(a.Lineage, b.Lineage), Ref: a.ID + "+" + b.ID, Kind: "chimera"}
		default:
			seq := make([]byte, 1200+rng.IntN(500))
			for j := range seq {
				seq[j] = "ACGT"[rng.IntN(4)]
			}
			rd = Read{Seq: seq, Kind: "junk"}
		}
		if rng.IntN(2) == 1 {
			rd.Seq = slices.Clone(rd.Seq)
			dna.ReverseComplement(rd.Seq)
			rd.Reverse = true
		}
		rd.Seq, rd.Qual = mutate(rng, rd.Seq, o.Platform)
		rd.ID = fmt.Sprintf("zsim%07d", i+1)
		if err := fn(rd); err != nil {
			return err
		}
	}
	return nil
}

func (s *Simulator) pick(rng *rand.Rand, cum []float64) refdb.Reference {
	u := rng.Float64()
	p, _ := slices.BinarySearch(cum, u)
	p = min(p, len(cum)-1)
	m := s.members[p]
	return s.refs[m[rng.IntN(len(m))]]
}

// mutate applies the platform's errors and returns the read with Phred+33
// qualities: error-free bases get qualities around the platform's mean,
// erroneous ones markedly lower, so expected errors track real errors.
func mutate(rng *rand.Rand, seq []byte, p Platform) ([]byte, []byte) {
	out := make([]byte, 0, len(seq)+len(seq)/20)
	qual := make([]byte, 0, cap(out))
	meanQ := -10 * math.Log10(max(p.ErrorRate, 1e-5))
	goodQ := func() byte {
		q := meanQ + 3 + rng.NormFloat64()*2
		return byte(min(max(q, 2), 60)) + 33
	}
	badQ := func() byte {
		q := meanQ - 4 + rng.NormFloat64()*2
		return byte(min(max(q, 2), 60)) + 33
	}
	// Homopolymer runs get a higher indel rate; the rate elsewhere is lowered
	// so the mean over a typical 16S gene stays near p.ErrorRate.
	indel := p.ErrorRate * (p.Ins + p.Del)
	sub := p.ErrorRate * p.Sub
	base := indel / (0.85 + 0.15*p.Homopolymer)
	for i := 0; i < len(seq); i++ {
		c := concrete(rng, seq[i])
		inRun := (i >= 2 && seq[i-1] == c && seq[i-2] == c) || (i+2 < len(seq) && seq[i+1] == c && seq[i+2] == c) || (i >= 1 && i+1 < len(seq) && seq[i-1] == c && seq[i+1] == c)
		id := base
		if inRun {
			id *= p.Homopolymer
		}
		u := rng.Float64()
		switch {
		case u < sub:
			out = append(out, otherBase(rng, c))
			qual = append(qual, badQ())
		case u < sub+id*p.Del/(p.Ins+p.Del):
			// deletion: skip the base
		case u < sub+id:
			out = append(out, c, c) // insertion, homopolymer-like
			qual = append(qual, goodQ(), badQ())
		default:
			out = append(out, c)
			qual = append(qual, goodQ())
		}
	}
	return out, qual
}

// iupacBases lists the bases each IUPAC ambiguity code stands for.
var iupacBases = map[byte]string{
	'R': "AG", 'Y': "CT", 'S': "CG", 'W': "AT", 'K': "GT", 'M': "AC",
	'B': "CGT", 'D': "AGT", 'H': "ACT", 'V': "ACG", 'N': "ACGT",
}

// concrete returns c, or for an ambiguity code in a reference sequence one of
// the bases it allows, at random: a sequencer reads a real molecule, whose
// bases are never ambiguous.
func concrete(rng *rand.Rand, c byte) byte {
	if opts, ok := iupacBases[c]; ok {
		return opts[rng.IntN(len(opts))]
	}
	return c
}

func otherBase(rng *rand.Rand, c byte) byte {
	for {
		b := "ACGT"[rng.IntN(4)]
		if b != c {
			return b
		}
	}
}

// WriteFASTQ writes one read as FASTQ; the description carries the truth
// ("ref=… strand=± kind=… lineage=…") for benchmarks.
func WriteFASTQ(w io.Writer, r Read) error {
	strand := "+"
	if r.Reverse {
		strand = "-"
	}
	_, err := fmt.Fprintf(w, "@%s ref=%s strand=%s kind=%s lineage=%s\n%s\n+\n%s\n",
		r.ID, orNone(r.Ref), strand, r.Kind, orNone(r.Truth.String()), r.Seq, r.Qual)
	return err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
