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
	var pairs []PrimerPair
	fail := func(line int, format string, a ...any) ([]PrimerPair, error) {
		return nil, &PrimerFileError{File: name, Line: line, Err: fmt.Errorf(format, a...)}
	}
	check := func(line int, p Primer) error {
		if p.Name == "" {
			return &PrimerFileError{File: name, Line: line, Err: errors.New("primer without a name")}
		}
		if _, err := compile(p.Seq); err != nil {
			return &PrimerFileError{File: name, Line: line, Err: fmt.Errorf("primer %s: %w", p.Name, err)}
		}
		return nil
	}
	lineNo := 0
	fasta := false
	decided := false
	// FASTA state: the record being read and the forward primer waiting
	// for its reverse.
	var cur *Primer
	var curLine int
	var fwd *Primer
	var fwdLine int
	flush := func() error {
		if cur == nil {
			return nil
		}
		if err := check(curLine, *cur); err != nil {
			return err
		}
		if fwd == nil {
			fwd, fwdLine, cur = cur, curLine, nil
			return nil
		}
		if len(pairs) == MaxPrimerPairs {
			return &PrimerFileError{File: name, Line: curLine, Err: fmt.Errorf("more than %d primer pairs", MaxPrimerPairs)}
		}
		pairs = append(pairs, PrimerPair{Forward: *fwd, Reverse: *cur})
		fwd, cur = nil, nil
		return nil
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || (!fasta && strings.HasPrefix(line, "#")) {
			continue
		}
		if !decided {
			fasta, decided = strings.HasPrefix(line, ">"), true
		}
		if fasta {
			if strings.HasPrefix(line, ">") {
				if err := flush(); err != nil {
					return nil, err
				}
				fields := strings.Fields(line[1:])
				if len(fields) == 0 {
					return fail(lineNo, "FASTA header without a name")
				}
				cur, curLine = &Primer{Name: fields[0]}, lineNo
				continue
			}
			if strings.ContainsAny(line, " \t") {
				return fail(lineNo, "space inside a primer sequence")
			}
			cur.Seq += strings.ToUpper(line)
			if len(cur.Seq) > 64 {
				return fail(lineNo, "primer %s longer than 64 bases", cur.Name)
			}
			continue
		}
		f := strings.Fields(line)
		var pp PrimerPair
		switch len(f) {
		case 4:
			pp = PrimerPair{Forward: Primer{Name: f[0], Seq: strings.ToUpper(f[1])}, Reverse: Primer{Name: f[2], Seq: strings.ToUpper(f[3])}}
		case 2:
			n := len(pairs) + 1
			pp = PrimerPair{Forward: Primer{Name: fmt.Sprintf("fwd%d", n), Seq: strings.ToUpper(f[0])}, Reverse: Primer{Name: fmt.Sprintf("rev%d", n), Seq: strings.ToUpper(f[1])}}
		default:
			return fail(lineNo, "%d fields, want 4 (FWD_NAME FWD_SEQ REV_NAME REV_SEQ) or 2 (FWD_SEQ REV_SEQ)", len(f))
		}
		for _, p := range []Primer{pp.Forward, pp.Reverse} {
			if err := check(lineNo, p); err != nil {
				return nil, err
			}
		}
		if len(pairs) == MaxPrimerPairs {
			return fail(lineNo, "more than %d primer pairs", MaxPrimerPairs)
		}
		pairs = append(pairs, pp)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fail(lineNo+1, "line longer than 64 KiB")
		}
		return nil, &PrimerFileError{File: name, Err: err}
	}
	if fasta {
		if cur != nil && cur.Seq == "" {
			return fail(curLine, "primer %s has no sequence", cur.Name)
		}
		if err := flush(); err != nil {
			return nil, err
		}
		if fwd != nil {
			return fail(fwdLine, "forward primer %s has no reverse primer after it", fwd.Name)
		}
	}
	if len(pairs) == 0 {
		return nil, &PrimerFileError{File: name, Err: ErrNoPrimerPairs}
	}
	return pairs, nil
}
