package metrics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/zonula/zonula/pipeline/safefile"
)

// Tree is a rooted phylogenetic tree read from Newick, for Faith's PD and
// UniFrac. Nodes are numbered 0..Len()−1 in post-order (every child before
// its parent); the root is the last node. Each node has a name (tips must
// have one; internal names such as support values are kept but unused) and
// the length of the branch above it (0 when the Newick gives none).
type Tree struct {
	name   []string
	length []float64
	parent []int // −1 for the root
	tip    []bool
	hasLen []bool
}

// Len returns the number of nodes, tips and internal nodes together.
func (t *Tree) Len() int { return len(t.name) }

// Root returns the index of the root node (always Len()−1).
func (t *Tree) Root() int { return len(t.name) - 1 }

// Name returns the label of node i ("" when it has none).
func (t *Tree) Name(i int) string { return t.name[i] }

// Length returns the length of the branch above node i (0 when not given).
func (t *Tree) Length(i int) float64 { return t.length[i] }

// Parent returns the parent of node i, or −1 for the root.
func (t *Tree) Parent(i int) int { return t.parent[i] }

// HasLength reports whether the Newick gave node i a branch length.
func (t *Tree) HasLength(i int) bool { return t.hasLen[i] }

// IsTip reports whether node i has no children.
func (t *Tree) IsTip(i int) bool { return t.tip[i] }

// Tips returns the tip names in post-order (the left-to-right order of the
// Newick string).
func (t *Tree) Tips() []string {
	var out []string
	for i, isTip := range t.tip {
		if isTip {
			out = append(out, t.name[i])
		}
	}
	return out
}

// NewickError reports malformed Newick at a position a user can find: File
// as named by the caller, Line and Column 1-based (Column counts bytes), and
// Offset the 0-based byte offset.
type NewickError struct {
	File         string
	Line, Column int
	Offset       int
	Err          error
}

// InputFile names the tree file.
func (e *NewickError) InputFile() string { return e.File }

func (e *NewickError) Error() string {
	return fmt.Sprintf("%s:%d:%d: newick: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *NewickError) Unwrap() error { return e.Err }

// maxNewickBytes bounds what ReadNewick accepts (a tree of a million tips is
// far smaller).
const maxNewickBytes = 256 << 20

// ReadNewick reads one Newick tree from r; name labels errors. See
// ParseNewick for the accepted syntax. A tree holds no NUL byte and at most
// maxNewickBytes: binary data or an endless stream (/dev/zero) fails at
// once, with a *NewickError.
func ReadNewick(r io.Reader, name string) (*Tree, error) {
	data, err := safefile.ReadBounded(r, safefile.Bounds{MaxBytes: maxNewickBytes, Text: true})
	var be *safefile.BoundsError
	switch {
	case errors.As(err, &be):
		return nil, &NewickError{File: name, Line: max(be.Line, 1), Column: 1, Err: err}
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ParseNewick(data, name)
}

// ParseNewick parses one rooted tree in Newick form, such as
//
//	((A:0.1,B:0.2)0.95:0.3,'C d':0.4)root;
//
// Syntax: nested parentheses with comma-separated children; a label after a
// tip or after ')' names the node; ":x" gives the length of the branch above
// it (a finite, non-negative decimal number; missing means 0); the tree ends
// with ';' followed only by white space. Labels are unquoted (any bytes but
// white space and ()[]':;,) or single-quoted (” stands for a quote inside).
// Underscores are kept as written: zonula does not turn them into spaces, as
// the Newick standard and scikit-bio do, because taxon names such as
// "g__Blautia" contain them (ape's read.tree keeps them too). [Comments] are
// skipped, white space between tokens is ignored. Every tip needs a non-empty
// name; tip names need not be unique here (Faith PD and UniFrac require it).
// The parser is iterative, so deep nesting cannot overflow the stack; errors
// are *NewickError with the position.
func ParseNewick(data []byte, name string) (*Tree, error) {
	p := newickParser{data: data, file: name}
	return p.parse()
}

type newickNode struct {
	name     string
	length   float64
	hasLen   bool
	children []int
}

type newickParser struct {
	data  []byte
	pos   int
	file  string
	nodes []newickNode
}

var errNewickEOF = errors.New("unexpected end of input")

func (p *newickParser) errorf(at int, format string, args ...any) error {
	line, col := 1, 1
	for _, c := range p.data[:min(at, len(p.data))] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return &NewickError{File: p.file, Line: line, Column: col, Offset: at, Err: fmt.Errorf(format, args...)}
}

// skip advances over white space and [comments].
func (p *newickParser) skip() error {
	for p.pos < len(p.data) {
		switch c := p.data[p.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		case c == '[':
			end := bytes.IndexByte(p.data[p.pos:], ']')
			if end < 0 {
				return p.errorf(p.pos, "comment '[' is never closed")
			}
			p.pos += end + 1
		default:
			return nil
		}
	}
	return nil
}

// peek returns the next significant byte, or 0 at the end.
func (p *newickParser) peek() (byte, error) {
	if err := p.skip(); err != nil {
		return 0, err
	}
	if p.pos >= len(p.data) {
		return 0, nil
	}
	return p.data[p.pos], nil
}

func isNewickDelim(c byte) bool {
	return strings.IndexByte("()[]':;, \t\r\n", c) >= 0
}

// label reads an optional label at the current position.
func (p *newickParser) label() (string, error) {
	c, err := p.peek()
	if err != nil {
		return "", err
	}
	if c == '\'' {
		start := p.pos
		p.pos++
		var b strings.Builder
		for {
			if p.pos >= len(p.data) {
				return "", p.errorf(start, "quoted label is never closed")
			}
			c := p.data[p.pos]
			p.pos++
			if c != '\'' {
				b.WriteByte(c)
				continue
			}
			if p.pos < len(p.data) && p.data[p.pos] == '\'' {
				b.WriteByte('\'')
				p.pos++
				continue
			}
			return b.String(), nil
		}
	}
	start := p.pos
	for p.pos < len(p.data) && !isNewickDelim(p.data[p.pos]) {
		p.pos++
	}
	return string(p.data[start:p.pos]), nil
}

// branchLength reads an optional ":x"; has reports whether it was there.
func (p *newickParser) branchLength() (v float64, has bool, err error) {
	c, err := p.peek()
	if err != nil || c != ':' {
		return 0, false, err
	}
	p.pos++
	if err := p.skip(); err != nil {
		return 0, false, err
	}
	start := p.pos
	for p.pos < len(p.data) && !isNewickDelim(p.data[p.pos]) {
		p.pos++
	}
	s := string(p.data[start:p.pos])
	if s == "" {
		return 0, false, p.errorf(start, "':' is not followed by a branch length")
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, p.errorf(start, "branch length %q is not a finite number", truncateLabel(s))
	}
	if v < 0 {
		return 0, false, p.errorf(start, "branch length %s is negative", s)
	}
	return v, true, nil
}

func truncateLabel(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func (p *newickParser) parse() (*Tree, error) {
	var stack []int // open internal nodes
	for {
		// Expect the start of a subtree.
		c, err := p.peek()
		if err != nil {
			return nil, err
		}
		if c == '(' {
			p.nodes = append(p.nodes, newickNode{})
			stack = append(stack, len(p.nodes)-1)
			p.pos++
			continue
		}
		at := p.pos
		if c == 0 {
			return nil, p.errorf(at, "%v: expected a tip name or '('", errNewickEOF)
		}
		lab, err := p.label()
		if err != nil {
			return nil, err
		}
		if lab == "" {
			return nil, p.errorf(at, "expected a tip name or '(', found %q", c)
		}
		ln, has, err := p.branchLength()
		if err != nil {
			return nil, err
		}
		p.nodes = append(p.nodes, newickNode{name: lab, length: ln, hasLen: has})
		cur := len(p.nodes) - 1
		// Attach finished subtrees, closing parentheses as they come.
		for {
			if len(stack) == 0 {
				return p.finish(cur)
			}
			top := stack[len(stack)-1]
			p.nodes[top].children = append(p.nodes[top].children, cur)
			c, err := p.peek()
			if err != nil {
				return nil, err
			}
			if c == ',' {
				p.pos++
				break
			}
			if c != ')' {
				return nil, p.unexpected("',' or ')'")
			}
			p.pos++
			stack = stack[:len(stack)-1]
			if p.nodes[top].name, err = p.label(); err != nil {
				return nil, err
			}
			if p.nodes[top].length, p.nodes[top].hasLen, err = p.branchLength(); err != nil {
				return nil, err
			}
			cur = top
		}
	}
}

func (p *newickParser) unexpected(want string) error {
	if p.pos >= len(p.data) {
		return p.errorf(p.pos, "%v: expected %s", errNewickEOF, want)
	}
	return p.errorf(p.pos, "expected %s, found %q", want, p.data[p.pos])
}

// finish checks the final ';' and lays the nodes out in post-order.
func (p *newickParser) finish(root int) (*Tree, error) {
	c, err := p.peek()
	if err != nil {
		return nil, err
	}
	if c != ';' {
		return nil, p.unexpected("';' at the end of the tree")
	}
	p.pos++
	if c, err := p.peek(); err != nil {
		return nil, err
	} else if c != 0 {
		return nil, p.errorf(p.pos, "text after the tree's ';' (one tree per file)")
	}
	n := len(p.nodes)
	t := &Tree{name: make([]string, 0, n), length: make([]float64, 0, n), parent: make([]int, n), tip: make([]bool, 0, n), hasLen: make([]bool, 0, n)}
	index := make([]int, n) // parse index → post-order index
	type frame struct{ node, child int }
	st := []frame{{root, 0}}
	for len(st) > 0 {
		f := &st[len(st)-1]
		nd := &p.nodes[f.node]
		if f.child < len(nd.children) {
			child := nd.children[f.child]
			f.child++ // before append, which may move st
			st = append(st, frame{child, 0})
			continue
		}
		index[f.node] = len(t.name)
		t.name = append(t.name, nd.name)
		t.length = append(t.length, nd.length)
		t.tip = append(t.tip, len(nd.children) == 0)
		t.hasLen = append(t.hasLen, nd.hasLen)
		st = st[:len(st)-1]
	}
	for i, nd := range p.nodes {
		for _, ch := range nd.children {
			t.parent[index[ch]] = index[i]
		}
	}
	t.parent[index[root]] = -1
	return t, nil
}
