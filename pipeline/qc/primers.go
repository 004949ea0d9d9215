package qc

import (
	"fmt"
	"strings"

	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/taxonomy/dna"
)

// Primer is one PCR primer, written 5'→3' as ordered (IUPAC codes allowed).
type Primer struct {
	Name string `json:"name"`
	Seq  string `json:"seq"`
}

// PrimerPair is a forward primer (on the 16S sense strand, e.g. 27F) and a
// reverse primer (as ordered, on the antisense strand, e.g. 1492R).
type PrimerPair struct {
	Forward Primer `json:"forward"`
	Reverse Primer `json:"reverse"`
}

// Primer27F returns the usual full-length 16S forward primer.
func Primer27F() Primer { return Primer{Name: "27F", Seq: "AGAGTTTGATCMTGGCTCAG"} }

// Primer1492R returns the usual full-length 16S reverse primer.
func Primer1492R() Primer { return Primer{Name: "1492R", Seq: "GGTTACCTTGTTACGACTT"} }

// Primer27FDegenerate returns the degenerate form of 27F in PacBio's
// full-length 16S protocol; it accepts every read the plain form accepts
// and a few more.
func Primer27FDegenerate() Primer {
	return Primer{Name: "27F-degenerate", Seq: "AGRGTTYGATYMTGGCTCAG"}
}

// Primer1492RDegenerate returns the degenerate form of 1492R in PacBio's
// full-length 16S protocol.
func Primer1492RDegenerate() Primer {
	return Primer{Name: "1492R-degenerate", Seq: "RGYTACCTTGTTACGACTT"}
}

// DefaultPrimerPairs returns 27F/1492R and their degenerate PacBio forms, in
// that order (on equal matches the earlier pair is reported).
func DefaultPrimerPairs() []PrimerPair {
	return []PrimerPair{
		{Forward: Primer27F(), Reverse: Primer1492R()},
		{Forward: Primer27FDegenerate(), Reverse: Primer1492RDegenerate()},
	}
}

// PrimerOptions say which primers to look for and how loosely.
type PrimerOptions struct {
	Pairs []PrimerPair `json:"pairs"`
	// MaxMismatches is the most edits (substitutions, inserted or deleted
	// bases; an N in the read counts as a mismatch) a primer occurrence may
	// have; 0 asks for exact matches. The default, 3, is 15 % of a 20-base
	// primer: enough for ONT R9/R10 error rates, while a random 20-mer
	// matches a 150-base window with ≤ 3 edits with probability < 1e-4.
	MaxMismatches int `json:"max_mismatches"`
	// Window is how many bases at each end of a read are searched (primers
	// sit behind adapters and barcodes when those were not trimmed). The
	// default is 150.
	Window int `json:"window"`
}

// DefaultPrimerOptions searches for DefaultPrimerPairs with up to 3 edits
// in the first and last 150 bases.
func DefaultPrimerOptions() PrimerOptions {
	return PrimerOptions{Pairs: DefaultPrimerPairs(), MaxMismatches: 3, Window: 150}
}

// PrimerMatch is where a read's primers are. Start and End delimit the read
// between its primers, primers excluded: Seq[Start:End] is the trimmed read
// (the whole read when no primer was found).
type PrimerMatch struct {
	Pair      int    `json:"pair"`      // index into PrimerOptions.Pairs; -1 when none found
	Forward   string `json:"forward"`   // name of the forward primer found, "" if none
	Reverse   string `json:"reverse"`   // name of the reverse primer found, "" if none
	Antisense bool   `json:"antisense"` // primers found in reverse-complement orientation: the read is the antisense strand
	Start     int    `json:"start"`
	End       int    `json:"end"`
	// Edits of each occurrence found, -1 when not found.
	ForwardEdits int `json:"forward_edits"`
	ReverseEdits int `json:"reverse_edits"`
}

// Found reports how many primers (0, 1 or 2) were found.
func (m PrimerMatch) Found() int {
	n := 0
	if m.Forward != "" {
		n++
	}
	if m.Reverse != "" {
		n++
	}
	return n
}

// Trimmed reports how many bases trimming removes.
func (m PrimerMatch) Trimmed(readLen int) int { return readLen - (m.End - m.Start) }

// Apply trims rec to Seq[Start:End] (and its qualities) by re-slicing; it
// does not reverse-complement antisense reads.
func (m PrimerMatch) Apply(rec *seqio.Record) {
	if m.End > len(rec.Seq) || m.Start > m.End {
		return
	}
	rec.Seq = rec.Seq[m.Start:m.End]
	if rec.Qual != nil {
		rec.Qual = rec.Qual[m.Start:m.End]
	}
}

// pattern is a primer compiled for Myers' bit-parallel approximate search.
type pattern struct {
	n   int
	peq [256]uint64 // read byte → positions whose primer code accepts it
}

var iupacMask = func() (t [256]uint8) {
	for c, m := range map[byte]uint8{
		'A': 1, 'C': 2, 'G': 4, 'T': 8, 'U': 8,
		'R': 1 | 4, 'Y': 2 | 8, 'S': 2 | 4, 'W': 1 | 8, 'K': 4 | 8, 'M': 1 | 2,
		'B': 2 | 4 | 8, 'D': 1 | 4 | 8, 'H': 1 | 2 | 8, 'V': 1 | 2 | 4, 'N': 15,
	} {
		t[c] = m
		t[c-'A'+'a'] = m
	}
	return t
}()

func compile(seq string) (*pattern, error) {
	if len(seq) == 0 || len(seq) > 64 {
		return nil, fmt.Errorf("primer length %d, want 1 to 64", len(seq))
	}
	p := &pattern{n: len(seq)}
	for i := range len(seq) {
		pm := iupacMask[seq[i]]
		if pm == 0 {
			return nil, fmt.Errorf("primer %q: %q is not an IUPAC base", seq, seq[i])
		}
		for b := range 256 {
			// A read base matches when it is a plain base the code allows.
			if rm := iupacMask[b]; rm != 0 && rm&(rm-1) == 0 && rm&pm != 0 {
				p.peq[b] |= 1 << i
			}
		}
	}
	return p, nil
}

// bestEnd returns the fewest edits with which p occurs in text (the whole
// primer against any substring) and the end (exclusive) of the leftmost such
// occurrence. It is Myers' (1999) bit-vector algorithm.
func (p *pattern) bestEnd(text []byte) (edits, end int) {
	mask := uint64(1)<<p.n - 1
	if p.n == 64 {
		mask = ^uint64(0)
	}
	high := uint64(1) << (p.n - 1)
	pv, mv := mask, uint64(0)
	score := p.n
	edits, end = p.n, 0
	for j, c := range text {
		eq := p.peq[c]
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		if ph&high != 0 {
			score++
		} else if mh&high != 0 {
			score--
		}
		ph <<= 1
		mh <<= 1
		pv = (mh | ^(xv | ph)) & mask
		mv = ph & xv & mask
		if score < edits {
			edits, end = score, j+1
		}
	}
	return edits, end
}

type compiledPair struct {
	fwd, rev         *pattern // as written, searched in the 5' window
	fwdRC, revRC     *pattern // reverse complements reversed (= complements), searched in the reversed 3' window
	fwdName, revName string
}

// PrimerFinder finds primers in reads. It is safe for concurrent use.
type PrimerFinder struct {
	opts  PrimerOptions
	pairs []compiledPair
}

// NewPrimerFinder compiles the options' primers; it fails on an empty pair
// list, a primer longer than 64 bases or a character that is not IUPAC.
// Zero Window means 150; negative MaxMismatches means 0.
func NewPrimerFinder(o PrimerOptions) (*PrimerFinder, error) {
	if len(o.Pairs) == 0 {
		return nil, fmt.Errorf("no primer pairs")
	}
	if o.Window <= 0 {
		o.Window = 150
	}
	o.MaxMismatches = max(o.MaxMismatches, 0)
	f := &PrimerFinder{opts: o}
	for _, pp := range o.Pairs {
		var cp compiledPair
		var err error
		for _, x := range []struct {
			dst *(*pattern)
			seq string
		}{
			{&cp.fwd, pp.Forward.Seq}, {&cp.rev, pp.Reverse.Seq},
			{&cp.fwdRC, complementIUPAC(pp.Forward.Seq)}, {&cp.revRC, complementIUPAC(pp.Reverse.Seq)},
		} {
			if *x.dst, err = compile(strings.ToUpper(x.seq)); err != nil {
				return nil, fmt.Errorf("primer pair %s/%s: %w", pp.Forward.Name, pp.Reverse.Name, err)
			}
		}
		cp.fwdName, cp.revName = pp.Forward.Name, pp.Reverse.Name
		f.pairs = append(f.pairs, cp)
	}
	return f, nil
}

// complementIUPAC complements each base without reversing (dna.Complement):
// the reverse complement of a primer, reversed, to be searched in reversed
// text.
func complementIUPAC(s string) string {
	b := []byte(s)
	dna.Complement(b)
	return string(b)
}

// Find locates the primers in seq (upper case, as seqio gives it). In the
// sense orientation the forward primer is sought in the first Window bases
// and the reverse complement of the reverse primer in the last Window bases;
// in the antisense orientation the reverse primer leads and the forward
// primer's reverse complement trails. The orientation and pair with more
// primers found win, then fewer edits, then sense, then the earlier pair.
// When the two occurrences would overlap (very short reads), only the one
// with fewer edits is kept.
func (f *PrimerFinder) Find(seq []byte) PrimerMatch {
	n := len(seq)
	w := min(f.opts.Window, n)
	head := seq[:w]
	var buf [256]byte
	tail := buf[:0] // last w bases, reversed
	if w > len(buf) {
		tail = make([]byte, 0, w)
	}
	for i := range w {
		tail = append(tail, seq[n-1-i])
	}
	best := PrimerMatch{Pair: -1, Start: 0, End: n, ForwardEdits: -1, ReverseEdits: -1}
	bestEdits := 0
	k := f.opts.MaxMismatches
	for pi, cp := range f.pairs {
		for _, anti := range []bool{false, true} {
			lead, trail := cp.fwd, cp.revRC
			if anti {
				lead, trail = cp.rev, cp.fwdRC
			}
			le, lend := lead.bestEnd(head)
			te, tend := trail.bestEnd(tail)
			leadOK, trailOK := le <= k, te <= k
			start, end := 0, n
			if leadOK {
				start = lend
			}
			if trailOK {
				end = n - tend
			}
			if leadOK && trailOK && start > end {
				if le <= te {
					trailOK, end = false, n
				} else {
					leadOK, start = false, 0
				}
			}
			m := PrimerMatch{Pair: pi, Antisense: anti, Start: start, End: end, ForwardEdits: -1, ReverseEdits: -1}
			edits := 0
			// Map lead/trail back to forward/reverse primer names.
			fwdOK, fwdE, revOK, revE := leadOK, le, trailOK, te
			if anti {
				fwdOK, fwdE, revOK, revE = trailOK, te, leadOK, le
			}
			if fwdOK {
				m.Forward, m.ForwardEdits = cp.fwdName, fwdE
				edits += fwdE
			}
			if revOK {
				m.Reverse, m.ReverseEdits = cp.revName, revE
				edits += revE
			}
			if m.Found() == 0 {
				continue
			}
			if m.Found() > best.Found() || (m.Found() == best.Found() && edits < bestEdits) {
				best, bestEdits = m, edits
			}
			if best.Found() == 2 && bestEdits == 0 {
				// Both primers exact: no later orientation or pair can win
				// (ties go to the earlier one).
				return best
			}
		}
	}
	return best
}
