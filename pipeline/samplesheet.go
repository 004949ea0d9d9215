package pipeline

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/zonula/zonula/pipeline/safefile"
	"github.com/zonula/zonula/pipeline/seqio"
	"github.com/zonula/zonula/report"
)

// SheetSample is one sample of a samplesheet.
type SheetSample struct {
	Name  string   // unique, safe as a directory name
	Reads []string // read files; relative paths are resolved against the sheet's directory
	Line  int      // line of the sheet it came from (0 for an ONT barcode directory)
	// Group, Subject and Timepoint describe the sample's place in a study
	// (cohort and before/after comparisons); empty when not given.
	Group, Subject, Timepoint string
	// Metadata holds the columns that report.Metadata knows (age, sex, …).
	Metadata report.Metadata
	// Extra holds other columns, in sheet order, for cohort grouping.
	Extra []report.Option
	// Unreadable lists the sample's reads cells that name no readable file
	// (missing, not a regular file, a directory without read files). The
	// sample stays in the sheet so that a batch reports it failed and runs
	// the others; Samplesheet.Unreadable lists them all.
	Unreadable []*SheetError
}

// Samplesheet is a list of samples to process together.
type Samplesheet struct {
	Source  string // the sheet file or the ONT run directory
	Samples []SheetSample
	// Skipped notes inputs left out on purpose (an ONT run's unclassified
	// reads), one line each, for the user to see.
	Skipped []string
}

// Unreadable returns the unreadable reads cells of every sample, in sheet
// order (see SheetSample.Unreadable).
func (s *Samplesheet) Unreadable() []*SheetError {
	var out []*SheetError
	for _, smp := range s.Samples {
		out = append(out, smp.Unreadable...)
	}
	return out
}

// SheetError is a problem with a samplesheet at a line (and column when
// known). Problems lists every problem found when there are several, so a
// user can fix them all in one pass.
type SheetError struct {
	File     string
	Line     int    // 1-based; 0 when the problem is the whole file
	Column   string // header name, or ""
	Err      error
	Problems []*SheetError // further problems, when more than one was found
}

// InputFile names the samplesheet.
func (e *SheetError) InputFile() string { return e.File }

func (e *SheetError) Error() string {
	var b strings.Builder
	e.one(&b)
	if n := len(e.Problems); n > 0 {
		fmt.Fprintf(&b, " (and %d more problem(s):", n)
		for _, p := range e.Problems {
			b.WriteString("\n  ")
			p.one(&b)
		}
		b.WriteString(")")
	}
	return b.String()
}

func (e *SheetError) one(b *strings.Builder) {
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(b, ":%d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(b, ": column %q", e.Column)
	}
	fmt.Fprintf(b, ": %v", e.Err)
}

func (e *SheetError) Unwrap() error { return e.Err }

// maxSheetProblems bounds the problems one SheetError lists.
const maxSheetProblems = 20

// reservedSampleNames are names a sample may not take because batch writes
// files of those names beside the sample directories.
var reservedSampleNames = []string{"abundance-genus.tsv", "abundance-genus.biom", "batch-summary.tsv", "multiqc", BatchCohortDir}

// CheckSampleName reports why name cannot be a sample directory name, or nil:
// 1 to 100 characters from letters, digits, '.', '-' and '_', starting with
// a letter or digit, and not one of the files batch writes beside the
// samples.
func CheckSampleName(name string) error {
	if name == "" {
		return errors.New("empty sample name")
	}
	if len(name) > 100 {
		return fmt.Errorf("sample name %q is longer than 100 characters", name[:20]+"…")
	}
	for i, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !ok && (i == 0 || (r != '.' && r != '-' && r != '_')) {
			return fmt.Errorf("sample name %q: use letters, digits, '.', '-' and '_' only, starting with a letter or digit (it names a directory)", name)
		}
	}
	if slices.Contains(reservedSampleNames, strings.ToLower(name)) {
		return fmt.Errorf("sample name %q is reserved for a batch output", name)
	}
	return nil
}

// OpenSamplesheet reads the samplesheet at path (ReadSamplesheet), or, when
// path is a directory, lists an ONT run's barcodes (SamplesheetFromBarcodes).
func OpenSamplesheet(path string) (*Samplesheet, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, &SheetError{File: path, Err: err}
	}
	if st.IsDir() {
		return SamplesheetFromBarcodes(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &SheetError{File: path, Err: err}
	}
	defer f.Close()
	return ReadSamplesheet(f, path, filepath.Dir(path))
}

// SamplesheetFromBarcodes makes a samplesheet from an ONT run directory (or
// its fastq_pass/ directory): one sample per barcodeNN/ directory, named
// after it, with all its read files (seqio.FindBarcodes). Unclassified reads
// are left out and noted in Skipped.
func SamplesheetFromBarcodes(dir string) (*Samplesheet, error) {
	bcs, err := seqio.FindBarcodes(dir)
	if err != nil {
		return nil, &SheetError{File: dir, Err: err}
	}
	s := &Samplesheet{Source: dir}
	for _, b := range bcs {
		if b.Unclassified {
			s.Skipped = append(s.Skipped, fmt.Sprintf("%s: %d file(s) of reads without a barcode, not a sample", b.Dir, len(b.Files)))
			continue
		}
		if err := CheckSampleName(b.Name); err != nil {
			return nil, &SheetError{File: b.Dir, Err: err}
		}
		s.Samples = append(s.Samples, SheetSample{Name: b.Name, Reads: b.Files})
	}
	if len(s.Samples) == 0 {
		return nil, &SheetError{File: dir, Err: fmt.Errorf("%w: only unclassified reads, no barcodeNN/ directory", seqio.ErrNoReads)}
	}
	return s, nil
}

// ReadSamplesheet reads a CSV samplesheet; name is used in errors and as
// Source, and relative read paths are resolved against baseDir.
//
// The header names the columns: "sample" first, then one or more reads
// columns ("reads", repeated, or "reads1", "reads_2", …), then optional
// metadata columns in any order: group, subject, timepoint; the fields of
// report.Metadata (age, sex, diet, symptoms and red_flags as ';'-separated
// lists, new_symptoms, antibiotics_months_ago, proton_pump_inhibitors,
// nsaids, transit_days) and lab markers (calprotectin or calprotectin_ug_g,
// zonulin, zonulin_unit, lactulose_mannitol_ratio, lbp, i_fabp). Other
// columns are kept in Extra. Names are matched case-insensitively.
//
// Each row is a sample: a safe, unique sample name (CheckSampleName; unique
// ignoring case, as on case-insensitive file systems) and at least one reads
// cell (empty extra reads cells are allowed; a directory stands for the
// read files in it). A reads file that is missing or unreadable does not
// reject the sheet: it is listed in the sample's Unreadable, with its line,
// for the caller to report (batch fails that sample and runs the others).
// A sheet is at most 64 MiB with lines of at most 1 MiB, and a metadata
// cell at most report.MaxMetadataText bytes. A UTF-8 byte-order mark,
// CRLF line ends, blank lines and lines starting with '#' are accepted; rows
// with a different number of cells than the header are not. Every problem
// found is returned in one *SheetError naming the line and column.
func ReadSamplesheet(r io.Reader, name, baseDir string) (*Samplesheet, error) {
	data, err := safefile.ReadBounded(r, safefile.Bounds{MaxBytes: maxSheetBytes, MaxLine: maxSheetLine, Text: true})
	if err != nil {
		var be *safefile.BoundsError
		if errors.As(err, &be) {
			return nil, &SheetError{File: name, Line: be.Line, Err: err}
		}
		return nil, &SheetError{File: name, Err: err}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &SheetError{File: name, Err: errors.New("empty samplesheet: want a header line \"sample,reads\" and one line per sample")}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	hl, _ := cr.FieldPos(0)
	cols, err := parseSheetHeader(header)
	if err != nil {
		return nil, &SheetError{File: name, Line: hl, Err: err}
	}
	cr.FieldsPerRecord = len(header)
	s := &Samplesheet{Source: name}
	var problems []*SheetError
	add := func(e *SheetError) bool {
		problems = append(problems, e)
		return len(problems) < maxSheetProblems
	}
	seen := map[string]int{} // lower-case name → line
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				if !add(&SheetError{File: name, Line: pe.StartLine, Err: fmt.Errorf("%d cells, but the header has %d", len(rec), len(header))}) {
					break
				}
				continue
			}
			problems = append(problems, csvError(name, err))
			break
		}
		line, _ := cr.FieldPos(0)
		smp, errs := parseSheetRow(rec, cols, header, name, line, baseDir)
		if len(errs) == 0 {
			key := strings.ToLower(smp.Name)
			if prev, ok := seen[key]; ok {
				errs = append(errs, &SheetError{File: name, Line: line, Column: "sample", Err: fmt.Errorf("sample %q repeats the sample on line %d", smp.Name, prev)})
			}
			seen[key] = line
		}
		for _, e := range errs {
			if !add(e) {
				break
			}
		}
		if len(problems) >= maxSheetProblems {
			break
		}
		if len(errs) == 0 {
			s.Samples = append(s.Samples, smp)
		}
	}
	if len(problems) > 0 {
		first := problems[0]
		first.Problems = problems[1:]
		return nil, first
	}
	if len(s.Samples) == 0 {
		return nil, &SheetError{File: name, Err: errors.New("no samples: the sheet has a header but no sample lines")}
	}
	return s, nil
}

func csvError(name string, err error) *SheetError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &SheetError{File: name, Line: pe.Line, Err: pe.Err}
	}
	return &SheetError{File: name, Err: err}
}

// sheetColumns maps header positions to their meaning.
type sheetColumns struct {
	reads []int
	meta  map[int]string // position → canonical metadata key
	extra []int
}

// sheetMetaKeys are the known metadata columns and their aliases.
var sheetMetaKeys = map[string]string{
	"group": "group", "subject": "subject", "timepoint": "timepoint", "time_point": "timepoint",
	"age": "age", "sex": "sex", "diet": "diet", "symptoms": "symptoms", "red_flags": "red_flags",
	"new_symptoms": "new_symptoms", "antibiotics_months_ago": "antibiotics_months_ago",
	"proton_pump_inhibitors": "proton_pump_inhibitors", "ppi": "proton_pump_inhibitors", "nsaids": "nsaids",
	"transit_days": "transit_days", "calprotectin": "calprotectin", "calprotectin_ug_g": "calprotectin",
	"zonulin": "zonulin", "zonulin_unit": "zonulin_unit", "lactulose_mannitol_ratio": "lactulose_mannitol_ratio",
	"lbp": "lbp", "i_fabp": "i_fabp",
}

func isReadsColumn(h string) bool {
	rest, ok := strings.CutPrefix(h, "reads")
	if !ok {
		return false
	}
	rest = strings.TrimPrefix(rest, "_")
	for _, r := range rest {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func parseSheetHeader(header []string) (sheetColumns, error) {
	cols := sheetColumns{meta: map[int]string{}}
	if len(header) < 2 || strings.ToLower(strings.TrimSpace(header[0])) != "sample" {
		return cols, fmt.Errorf("header %q: want \"sample,reads\" first (then more reads columns and metadata columns)", strings.Join(header, ","))
	}
	seen := map[string]bool{}
	for i, h := range header[1:] {
		i++
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "":
			return cols, fmt.Errorf("header column %d is empty", i+1)
		case isReadsColumn(h):
			if len(cols.meta)+len(cols.extra) > 0 {
				return cols, fmt.Errorf("header column %d %q: reads columns come right after \"sample\", before metadata", i+1, header[i])
			}
			cols.reads = append(cols.reads, i)
			continue
		}
		key, known := sheetMetaKeys[h]
		if !known {
			key = h
		}
		if seen[key] {
			return cols, fmt.Errorf("header column %d %q repeats an earlier column", i+1, header[i])
		}
		seen[key] = true
		if known {
			cols.meta[i] = key
		} else {
			cols.extra = append(cols.extra, i)
		}
	}
	if len(cols.reads) == 0 {
		return cols, fmt.Errorf("header %q: no reads column after \"sample\"", strings.Join(header, ","))
	}
	return cols, nil
}

func parseSheetRow(rec []string, cols sheetColumns, header []string, name string, line int, baseDir string) (SheetSample, []*SheetError) {
	var errs []*SheetError
	fail := func(col string, err error) {
		errs = append(errs, &SheetError{File: name, Line: line, Column: col, Err: err})
	}
	s := SheetSample{Name: strings.TrimSpace(rec[0]), Line: line}
	if err := CheckSampleName(s.Name); err != nil {
		fail("sample", err)
	}
	for _, i := range cols.reads {
		cell := strings.TrimSpace(rec[i])
		if cell == "" {
			continue
		}
		path := cell
		if !filepath.IsAbs(path) {
			path = filepath.Join(baseDir, path)
		}
		unreadable := func(err error) {
			s.Unreadable = append(s.Unreadable, &SheetError{File: name, Line: line, Column: header[i], Err: err})
		}
		st, err := os.Stat(path)
		switch {
		case err != nil:
			unreadable(fmt.Errorf("reads file %s: %w", cell, errors.Unwrap(err)))
		case st.IsDir():
			files, err := readFilesIn(path)
			if err != nil {
				unreadable(err)
			} else if len(files) == 0 {
				unreadable(fmt.Errorf("directory %s holds no read files (.fastq, .fq, .fasta, .fa, .bam, optionally compressed)", cell))
			}
			s.Reads = append(s.Reads, files...)
		case !st.Mode().IsRegular():
			unreadable(fmt.Errorf("reads %s is not a regular file", cell))
		default:
			s.Reads = append(s.Reads, path)
		}
	}
	if len(s.Reads) == 0 && len(s.Unreadable) == 0 && len(errs) == 0 {
		fail(header[cols.reads[0]], errors.New("no reads file for this sample"))
	}
	for i, key := range cols.meta {
		v := strings.TrimSpace(rec[i])
		if v == "" {
			continue
		}
		if err := setSheetMeta(&s, key, v); err != nil {
			fail(header[i], err)
		}
	}
	if len(errs) == 0 {
		// report's own range checks, through its reader.
		js, err := json.Marshal(s.Metadata)
		if err == nil {
			_, err = report.ReadMetadata(bytes.NewReader(js), "metadata")
		}
		if err != nil {
			fail("", err)
		}
	}
	for _, i := range cols.extra {
		s.Extra = append(s.Extra, report.Option{Name: strings.TrimSpace(header[i]), Value: strings.TrimSpace(rec[i])})
	}
	slices.SortFunc(errs, func(a, b *SheetError) int { return strings.Compare(a.Column, b.Column) })
	return s, errs
}

func readFilesIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && seqio.IsReadFile(e.Name()) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	return files, nil // os.ReadDir sorts by name
}

// Limits of a samplesheet: a sheet of 100,000 samples is about 20 MB.
const (
	maxSheetBytes = 64 << 20
	maxSheetLine  = 1 << 20
)

func setSheetMeta(s *SheetSample, key, v string) error {
	if len(v) > report.MaxMetadataText {
		return fmt.Errorf("%d bytes, more than the %d a metadata cell may hold", len(v), report.MaxMetadataText)
	}
	num := func(dst **float64) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f != f || f > 1e12 {
			return fmt.Errorf("%q is not a non-negative number", v)
		}
		*dst = &f
		return nil
	}
	flag := func(dst *bool) error {
		switch strings.ToLower(v) {
		case "yes", "true", "1", "y":
			*dst = true
		case "no", "false", "0", "n":
			*dst = false
		default:
			return fmt.Errorf("%q: want yes or no", v)
		}
		return nil
	}
	list := func() []string {
		var out []string
		for _, p := range strings.Split(v, ";") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	m := &s.Metadata
	switch key {
	case "group":
		s.Group = v
	case "subject":
		s.Subject = v
	case "timepoint":
		s.Timepoint = v
	case "age":
		return num(&m.Age)
	case "sex":
		m.Sex = v
	case "diet":
		m.Diet = v
	case "symptoms":
		m.Symptoms = list()
	case "red_flags":
		m.RedFlags = list()
	case "new_symptoms":
		return flag(&m.NewSymptoms)
	case "antibiotics_months_ago":
		return num(&m.AntibioticsMonthsAgo)
	case "proton_pump_inhibitors":
		return flag(&m.ProtonPumpInhibitors)
	case "nsaids":
		return flag(&m.NSAIDs)
	case "transit_days":
		return num(&m.TransitDays)
	case "calprotectin":
		return num(&m.Labs.CalprotectinUgG)
	case "zonulin":
		return num(&m.Labs.Zonulin)
	case "zonulin_unit":
		m.Labs.ZonulinUnit = v
	case "lactulose_mannitol_ratio":
		return num(&m.Labs.LactuloseMannitol)
	case "lbp":
		return num(&m.Labs.LBP)
	case "i_fabp":
		return num(&m.Labs.IFABP)
	}
	return nil
}
