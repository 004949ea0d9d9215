package qc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxPrimerPairs bounds the pairs a primer file may hold: every pair adds
// four approximate searches per read.
const MaxPrimerPairs = 32

// PrimerFileError reports a malformed primer file at a line.
type PrimerFileError struct {
	File string // as named by the user
	Line int    // 1-based; 0 when the problem is the file as a whole
	Err  error
}

// InputFile names the primer file.
func (e *PrimerFileError) InputFile() string { return e.File }

func (e *PrimerFileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

// Unwrap returns the underlying error.
func (e *PrimerFileError) Unwrap() error { return e.Err }

// ErrNoPrimerPairs reports a primer file with no pair in it.
var ErrNoPrimerPairs = errors.New("no primer pairs (want lines 'FWD_NAME FWD_SEQ REV_NAME REV_SEQ', or FASTA with forward and reverse records alternating)")

// ReadPrimerPairs reads user primer pairs, in one of two layouts detected
// from the first non-blank, non-comment line:
//
// Table: one pair per line, fields separated by tabs or spaces, either
// "FWD_NAME FWD_SEQ REV_NAME REV_SEQ" or "FWD_SEQ REV_SEQ" (then named
// "fwdN"/"revN" for the Nth pair). Lines starting with '#' and blank lines
// are skipped.
//
// FASTA: records ">name" followed by the sequence on one or more lines,
// forward and reverse primers alternating (1st forward, 2nd reverse, …).
//
// Both primers are written 5'→3' as ordered (the reverse primer as
// synthesised, e.g. 1492R GGTTACCTTGTTACGACTT), with IUPAC codes; each is
// 1 to 64 bases. At most MaxPrimerPairs pairs. Errors are *PrimerFileError
// naming name and the line.
func ReadPrimerPairs(r io.Reader, name string) ([]PrimerPair, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<16)
	p := &primerReader{name: name}
	decided := false
	for sc.Scan() {
		p.line++
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || (!p.fasta && strings.HasPrefix(line, "#")) {
			continue
		}
		if !decided {
			p.fasta, decided = strings.HasPrefix(line, ">"), true
		}
		var err error
		if p.fasta {
			err = p.fastaLine(line)
		} else {
			err = p.tableLine(line)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, p.errorf(p.line+1, "line longer than 64 KiB")
		}
		return nil, &PrimerFileError{File: name, Err: err}
	}
	if p.fasta {
		if err := p.endFASTA(); err != nil {
			return nil, err
		}
	}
	if len(p.pairs) == 0 {
		return nil, &PrimerFileError{File: name, Err: ErrNoPrimerPairs}
	}
	return p.pairs, nil
}

// primerReader is ReadPrimerPairs' state: the pairs read so far and, for
// FASTA, the record being read and the forward primer waiting for its
// reverse.
type primerReader struct {
	name  string // the file, for errors
	line  int    // lines read so far
	fasta bool
	pairs []PrimerPair

	cur, fwd         *Primer
	curLine, fwdLine int
}

// errorf returns a *PrimerFileError at line.
func (p *primerReader) errorf(line int, format string, a ...any) error {
	return &PrimerFileError{File: p.name, Line: line, Err: fmt.Errorf(format, a...)}
}

// check tests that a primer read at line has a name and compiles.
func (p *primerReader) check(line int, pr Primer) error {
	if pr.Name == "" {
		return &PrimerFileError{File: p.name, Line: line, Err: errors.New("primer without a name")}
	}
	if _, err := compile(pr.Seq); err != nil {
		return &PrimerFileError{File: p.name, Line: line, Err: fmt.Errorf("primer %s: %w", pr.Name, err)}
	}
	return nil
}

// add appends a pair read at line, at most MaxPrimerPairs.
func (p *primerReader) add(line int, pp PrimerPair) error {
	if len(p.pairs) == MaxPrimerPairs {
		return p.errorf(line, "more than %d primer pairs", MaxPrimerPairs)
	}
	p.pairs = append(p.pairs, pp)
	return nil
}

// tableLine reads a table line: "FWD_NAME FWD_SEQ REV_NAME REV_SEQ" or
// "FWD_SEQ REV_SEQ".
func (p *primerReader) tableLine(line string) error {
	f := strings.Fields(line)
	var pp PrimerPair
	switch len(f) {
	case 4:
		pp = PrimerPair{Forward: Primer{Name: f[0], Seq: strings.ToUpper(f[1])}, Reverse: Primer{Name: f[2], Seq: strings.ToUpper(f[3])}}
	case 2:
		n := len(p.pairs) + 1
		pp = PrimerPair{Forward: Primer{Name: fmt.Sprintf("fwd%d", n), Seq: strings.ToUpper(f[0])}, Reverse: Primer{Name: fmt.Sprintf("rev%d", n), Seq: strings.ToUpper(f[1])}}
	default:
		return p.errorf(p.line, "%d fields, want 4 (FWD_NAME FWD_SEQ REV_NAME REV_SEQ) or 2 (FWD_SEQ REV_SEQ)", len(f))
	}
	for _, pr := range []Primer{pp.Forward, pp.Reverse} {
		if err := p.check(p.line, pr); err != nil {
			return err
		}
	}
	return p.add(p.line, pp)
}

// fastaLine reads a FASTA line: a header starts the next primer, any other
// line adds to the current primer's sequence.
func (p *primerReader) fastaLine(line string) error {
	if strings.HasPrefix(line, ">") {
		if err := p.flush(); err != nil {
			return err
		}
		fields := strings.Fields(line[1:])
		if len(fields) == 0 {
			return p.errorf(p.line, "FASTA header without a name")
		}
		p.cur, p.curLine = &Primer{Name: fields[0]}, p.line
		return nil
	}
	if strings.ContainsAny(line, " \t") {
		return p.errorf(p.line, "space inside a primer sequence")
	}
	p.cur.Seq += strings.ToUpper(line)
	if len(p.cur.Seq) > 64 {
		return p.errorf(p.line, "primer %s longer than 64 bases", p.cur.Name)
	}
	return nil
}

// flush ends the current FASTA primer: it becomes the forward primer
// waiting for its reverse, or completes the pair.
func (p *primerReader) flush() error {
	if p.cur == nil {
		return nil
	}
	if err := p.check(p.curLine, *p.cur); err != nil {
		return err
	}
	if p.fwd == nil {
		p.fwd, p.fwdLine, p.cur = p.cur, p.curLine, nil
		return nil
	}
	if err := p.add(p.curLine, PrimerPair{Forward: *p.fwd, Reverse: *p.cur}); err != nil {
		return err
	}
	p.fwd, p.cur = nil, nil
	return nil
}

// endFASTA ends a FASTA file: the last primer needs a sequence, and the
// last forward primer its reverse.
func (p *primerReader) endFASTA() error {
	if p.cur != nil && p.cur.Seq == "" {
		return p.errorf(p.curLine, "primer %s has no sequence", p.cur.Name)
	}
	if err := p.flush(); err != nil {
		return err
	}
	if p.fwd != nil {
		return p.errorf(p.fwdLine, "forward primer %s has no reverse primer after it", p.fwd.Name)
	}
	return nil
}
