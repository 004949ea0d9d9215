package cohort

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ParseError reports a problem in a groups file at a line a user can open in
// an editor: "groups.tsv:4: sample "S9" is not among the inputs".
type ParseError struct {
	File string // as named by the caller
	Line int    // 1-based; 0 when the problem is the file as a whole
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

// InputFile names the groups file.
func (e *ParseError) InputFile() string { return e.File }

// GroupEntry is one sample's group and the line it came from.
type GroupEntry struct {
	Sample, Group string
	Line          int
}

// Groups assigns samples to groups, as read from a groups file.
type Groups struct {
	File    string
	Entries []GroupEntry // in file order
}

// sampleHeaders are the first-column names that mark a header line (matched
// without case): zonula samplesheets, QIIME 2 metadata and common spellings.
var sampleHeaders = []string{"sample", "sample_id", "sample-id", "sampleid", "#sampleid", "#sample-id", "id", "#id"}

// ReadGroups reads a groups file: one sample and its group per line,
// separated by a tab, or by commas when the first line has no tab.
//
// With column == "" the file has two fields per line, sample then group; a
// first line whose first field is a sample header ("sample", "sample_id",
// "#SampleID", …) is a header and is skipped. With column set, the first line
// must be a header naming a sample column and column (for example a zonula
// samplesheet read with column "group"); other columns are ignored.
//
// Empty lines and, after the header, lines starting with "#" are skipped;
// "\r\n" line ends are accepted. Errors (*ParseError, with the line): a wrong
// number of fields, an empty sample or group, a sample listed twice, a
// header without the columns asked for, and a file with no samples.
func ReadGroups(r io.Reader, name, column string) (*Groups, error) {
	g := &Groups{File: name}
	perr := func(line int, format string, a ...any) error {
		return &ParseError{File: name, Line: line, Err: fmt.Errorf(format, a...)}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var (
		sep                 byte
		line                int
		sampleCol, groupCol = 0, 1
		width               = 2 // fields wanted per line; -1 means at least the header's
		headerDone          bool
		seen                = map[string]int{}
	)
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if sep == 0 {
			sep = ','
			if strings.Contains(text, "\t") {
				sep = '\t'
			}
		}
		fields := strings.Split(text, string(sep))
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if !headerDone {
			headerDone = true
			isHeader := slices.Contains(sampleHeaders, strings.ToLower(fields[0]))
			if column != "" {
				if !isHeader {
					return nil, perr(line, "want a header line whose first column is %q (the sample names), to find column %q", "sample", column)
				}
				groupCol = slices.IndexFunc(fields, func(f string) bool { return strings.EqualFold(f, column) })
				if groupCol < 0 {
					return nil, perr(line, "no column %q in the header (columns: %s)", column, strings.Join(fields, ", "))
				}
				width = len(fields)
				continue
			}
			if isHeader {
				if len(fields) != 2 {
					return nil, perr(line, "header has %d fields, want 2 (sample, group); use --group-column to pick a column of a wider table", len(fields))
				}
				continue
			}
		} else if strings.HasPrefix(fields[0], "#") {
			continue
		}
		if column == "" && len(fields) != 2 {
			return nil, perr(line, "%d fields, want 2: sample%sgroup", len(fields), sepName(sep))
		}
		if column != "" && len(fields) < width {
			return nil, perr(line, "%d fields, want %d as in the header", len(fields), width)
		}
		s, grp := fields[sampleCol], fields[groupCol]
		if s == "" {
			return nil, perr(line, "empty sample name")
		}
		if grp == "" {
			return nil, perr(line, "sample %q has an empty group", s)
		}
		if strings.ContainsAny(s+grp, "\t\n") {
			return nil, perr(line, "sample %q or group %q holds a tab", s, grp)
		}
		if first, dup := seen[s]; dup {
			return nil, perr(line, "sample %q is listed twice (first on line %d)", s, first)
		}
		seen[s] = line
		g.Entries = append(g.Entries, GroupEntry{Sample: s, Group: grp, Line: line})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, perr(line+1, "line longer than 1 MiB")
		}
		return nil, &ParseError{File: name, Err: err}
	}
	if len(g.Entries) == 0 {
		return nil, &ParseError{File: name, Err: errors.New("no samples: want lines of sample and group")}
	}
	return g, nil
}

func sepName(sep byte) string {
	if sep == '\t' {
		return "<TAB>"
	}
	return ","
}
