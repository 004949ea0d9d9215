package tables

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/zonula/zonula/taxonomy"
)

// lineIter yields lines with their 1-based numbers, "\r" removed.
type lineIter struct {
	data []byte
	n    int
	line string
}

func (it *lineIter) next() bool {
	if len(it.data) == 0 {
		return false
	}
	i := bytes.IndexByte(it.data, '\n')
	var l []byte
	if i < 0 {
		l, it.data = it.data, nil
	} else {
		l, it.data = it.data[:i], it.data[i+1:]
	}
	it.n++
	it.line = strings.TrimSuffix(string(l), "\r")
	return true
}

// firstLines returns up to n lines from the start of data, without "\r".
func firstLines(data []byte, n int) []string {
	var out []string
	for len(data) > 0 && len(out) < n {
		i := bytes.IndexByte(data, '\n')
		var l []byte
		if i < 0 {
			l, data = data, nil
		} else {
			l, data = data[:i], data[i+1:]
		}
		out = append(out, strings.TrimSuffix(string(l), "\r"))
	}
	return out
}

// parseFloat reads a decimal number ("12", "0.5", "1e3", "-2"); unlike
// strconv.ParseFloat it refuses "NaN", "Inf", hex and underscores.
func parseFloat(s string) (float64, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+') {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseFloat(s, 64)
}

// parseCount reads a count cell: a finite number ≥ 0; empty cells are 0.
func parseCount(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	v, err := parseFloat(s)
	if err != nil {
		return 0, fmt.Errorf("count %q is not a number", truncate(s))
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("count %q: want a finite number ≥ 0", truncate(s))
	}
	return v, nil
}

// idLineage parses a feature id as a lineage when it looks like one
// (contains ';', '|' or a rank prefix), else returns an empty lineage.
func idLineage(id string) (taxonomy.Lineage, error) {
	if !looksLikeLineage(id) {
		return taxonomy.Lineage{}, nil
	}
	return taxonomy.ParseLineage(id)
}

func looksLikeLineage(s string) bool {
	if strings.ContainsAny(s, ";|") {
		return true
	}
	for _, p := range []string{"k__", "d__", "p__", "c__", "o__", "f__", "g__", "s__", "D_0__", "d:", "k:"} {
		if strings.HasPrefix(strings.TrimSpace(s), p) {
			return true
		}
	}
	return false
}

// joinLineage parses a lineage given as one name per level, or as one
// string holding the whole lineage.
func joinLineage(fields []string) (taxonomy.Lineage, error) {
	for len(fields) > 0 && strings.TrimSpace(fields[len(fields)-1]) == "" {
		fields = fields[:len(fields)-1]
	}
	if len(fields) == 1 {
		return taxonomy.ParseLineage(fields[0])
	}
	for _, f := range fields {
		if strings.Contains(f, ";") {
			return taxonomy.Lineage{}, fmt.Errorf("taxonomy level %q contains ';'", truncate(f))
		}
	}
	return taxonomy.ParseLineage(strings.Join(fields, ";"))
}

// finiteNonNeg reports whether v is a finite number ≥ 0.
func finiteNonNeg(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0 }

// isWhole reports whether v is an integer small enough to print exactly.
func isWhole(v float64) bool { return v == math.Trunc(v) && math.Abs(v) < 1<<53 }

// containsFold reports whether list holds s, ignoring case.
func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// truncate cuts s after 60 bytes, adding "...", for error messages.
func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
