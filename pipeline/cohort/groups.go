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

// GroupEntry is one sample's group, its subject (the person or animal it
// came from; "" when the file has no subject column) and the line it came
// from.
type GroupEntry struct {
	Sample, Group, Subject string
	Line                   int
}

// Groups assigns samples to groups, as read from a groups file.
type Groups struct {
	File    string
	Entries []GroupEntry // in file order
}

// sampleHeaders are the first-column names that mark a header line (matched
// without case): zonula samplesheets, QIIME 2 metadata and common spellings.
var sampleHeaders = []string{"sample", "sample_id", "sample-id", "sampleid", "#sampleid", "#sample-id", "id", "#id"}

// subjectHeaders are the column names (matched without case) taken as the
// subject column when none is named: zonula samplesheets, QIIME 2 and
// Qiita metadata.
var subjectHeaders = []string{"subject", "subject_id", "subject-id", "host_subject_id", "participant_id"}

// ReadGroups reads a groups file: one sample, its group and optionally its
// subject per line, separated by a tab, or by commas when the first line has
// no tab.
//
// A first line whose first field is a sample header ("sample", "sample_id",
// "#SampleID", …) is a header. With a header, the group is the column named
// column, or, when column is "", the second of two columns or the column
// named "group"; the subject is the column named subjectColumn, or, when
// that is "", a column named "subject", "subject_id", "host_subject_id" or
// "participant_id" if there is one; other columns are ignored (so a zonula
// samplesheet or QIIME 2 metadata reads as it is). Without a header, lines
// are sample and group, or sample, group and subject. A named column needs
// a header. An empty subject cell means the sample is its own subject.
//
// Empty lines and, after the header, lines starting with "#" are skipped;
// "\r\n" line ends are accepted. Errors (*ParseError, with the line): a wrong
// number of fields, an empty sample or group, a sample listed twice, a
// header without the columns asked for, and a file with no samples.
func ReadGroups(r io.Reader, name, column, subjectColumn string) (*Groups, error) {
	g := &Groups{File: name}
	perr := func(line int, format string, a ...any) error {
		return &ParseError{File: name, Line: line, Err: fmt.Errorf(format, a...)}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var (
		sep        byte
		line       int
		cols       = groupColumns{sample: 0, group: 1, subject: -1, width: 0}
		headerDone bool
		seen       = map[string]int{}
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
			var err error
			isHeader := slices.Contains(sampleHeaders, strings.ToLower(fields[0]))
			if cols, err = headerColumns(fields, isHeader, column, subjectColumn, sep); err != nil {
				return nil, perr(line, "%v", err)
			}
			if isHeader {
				continue
			}
		} else if strings.HasPrefix(fields[0], "#") {
			continue
		}
		if err := cols.check(len(fields), sep); err != nil {
			return nil, perr(line, "%v", err)
		}
		e := GroupEntry{Sample: fields[cols.sample], Group: fields[cols.group], Line: line}
		if cols.subject >= 0 {
			e.Subject = fields[cols.subject]
		}
		switch {
		case e.Sample == "":
			return nil, perr(line, "empty sample name")
		case e.Group == "":
			return nil, perr(line, "sample %q has an empty group", e.Sample)
		case strings.ContainsAny(e.Sample+e.Group+e.Subject, "\t\n"):
			return nil, perr(line, "sample %q, group %q or subject %q holds a tab", e.Sample, e.Group, e.Subject)
		}
		if first, dup := seen[e.Sample]; dup {
			return nil, perr(line, "sample %q is listed twice (first on line %d)", e.Sample, first)
		}
		seen[e.Sample] = line
		g.Entries = append(g.Entries, e)
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

// groupColumns are the positions of a groups file's columns.
type groupColumns struct {
	sample, group, subject int // subject −1: none
	width                  int // fields per line; with a header, at least this many
	header                 bool
}

// headerColumns finds the columns from the first line: a header's names,
// or the field count of a headerless file.
func headerColumns(fields []string, isHeader bool, column, subjectColumn string, sep byte) (groupColumns, error) {
	c := groupColumns{group: 1, subject: -1, width: len(fields), header: isHeader}
	find := func(names ...string) int {
		return slices.IndexFunc(fields, func(f string) bool {
			return slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(f, n) })
		})
	}
	if !isHeader {
		switch {
		case column != "" || subjectColumn != "":
			return c, fmt.Errorf("want a header line whose first column is %q (the sample names), to find column %q", "sample", column+subjectColumn)
		case len(fields) != 2 && len(fields) != 3:
			return c, fmt.Errorf("%d fields, want 2 or 3: sample%sgroup[%ssubject]", len(fields), sepName(sep), sepName(sep))
		case len(fields) == 3:
			c.subject = 2
		}
		return c, nil
	}
	switch {
	case column != "":
		if c.group = find(column); c.group < 0 {
			return c, fmt.Errorf("no column %q in the header (columns: %s)", column, strings.Join(fields, ", "))
		}
	case len(fields) > 2:
		if c.group = find("group"); c.group < 0 {
			return c, fmt.Errorf("header has %d fields and none is called \"group\"; use --group-column to pick a column of a wider table", len(fields))
		}
	}
	if subjectColumn != "" {
		if c.subject = find(subjectColumn); c.subject < 0 {
			return c, fmt.Errorf("no column %q in the header (columns: %s)", subjectColumn, strings.Join(fields, ", "))
		}
	} else if len(fields) > 2 {
		c.subject = find(subjectHeaders...)
	}
	return c, nil
}

// check says whether a data line of n fields fits the columns.
func (c groupColumns) check(n int, sep byte) error {
	switch {
	case c.header && n < c.width:
		return fmt.Errorf("%d fields, want %d as in the header", n, c.width)
	case !c.header && n != c.width:
		return fmt.Errorf("%d fields, want %d as on the first line: sample%sgroup%s", n, c.width, sepName(sep), map[bool]string{true: sepName(sep) + "subject", false: ""}[c.width == 3])
	}
	return nil
}

func sepName(sep byte) string {
	if sep == '\t' {
		return "<TAB>"
	}
	return ","
}
