package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/zonula/zonula/pipeline/metrics"
	"github.com/zonula/zonula/pipeline/qc"
	"github.com/zonula/zonula/pipeline/tables"
	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
)

// Input is everything a sample report is built from.
type Input struct {
	Sample         string
	Provenance     Provenance
	Profile        *tables.Profile
	Alpha          metrics.Alpha // at genus level
	QC             qc.Summary
	Classification classify.Summary
	Metadata       Metadata // what the person or clinician reported; may be empty
	// Measures are the sample's indices, taxon shares, reference values,
	// percentiles (with the reference set they are in; none leaves
	// percentile-triggered findings undecided) and community type, computed
	// by metrics.MeasureSample from Profile; the report only reads them.
	Measures *metrics.SampleMeasures
	// Table, when set, says the profile was imported from an abundance
	// table made by another tool (zonula report); QC and Classification are
	// then empty and the report says what it cannot know.
	Table *TableSource
}

// TableSource describes an imported abundance table.
type TableSource struct {
	Path     string // as the user gave it
	Format   string // the format read, e.g. "biom2"
	Relative bool   // values are relative abundances, not read counts
}

// MinReliableReads is the number of reads passing QC below which the report
// warns that shares and diversity are imprecise (a zonula convention: at
// 1,000 reads a 1 % taxon is about 10 reads).
const MinReliableReads = 1000

// topGenera is how many genera the composition figure and table show.
const topGenera = 15

// Build turns a sample's results into the report's content: it reads the
// measures of in and words them; the renderers only lay them out.
func Build(in Input, kb *knowledge.Knowledge) (*Document, error) {
	if in.Profile == nil {
		return nil, fmt.Errorf("report: no profile")
	}
	if in.Measures == nil {
		return nil, fmt.Errorf("report: no measures of the profile")
	}
	if kb == nil {
		return nil, fmt.Errorf("report: no knowledge base")
	}
	b := newBuilder(in, kb)
	doc := &Document{
		Title:        "Gut microbiome report",
		Sample:       in.Sample,
		Provenance:   in.Provenance,
		ProvenanceIn: "limitations",
	}
	lab, _ := kb.Lab("LAB-01")
	if a := safetyAlert(in.Metadata.safety(lab)); a != nil {
		doc.Alerts = append(doc.Alerts, a)
	}
	findings := b.findings()
	steps := []func([]*Finding) (Section, error){b.summary, b.quality, b.composition, b.diversity, b.barrier, b.indices}
	if in.Metadata.Labs.any() {
		steps = append(steps, b.labs)
	}
	steps = append(steps, b.guidance, b.limitations)
	for _, f := range steps {
		s, err := f(findings)
		if err != nil {
			return nil, err
		}
		doc.Sections = append(doc.Sections, s)
	}
	doc.Sections = append(doc.Sections, Section{ID: "references", Title: "References"})
	if err := b.resolveReferences(doc); err != nil {
		return nil, err
	}
	if err := checkWording(doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// newBuilder returns a builder over in.Profile; Build and the before/after
// comparison (which reads each sample's measures as the sample report does)
// share it.
func newBuilder(in Input, kb *knowledge.Knowledge) *builder {
	b := &builder{in: in, kb: kb, cited: map[string]bool{}, measured: map[string]measurement{}}
	b.modern = modernProfile(in.Profile)
	b.genus = shares(b.modern, taxonomy.Genus)
	b.family = shares(b.modern, taxonomy.Family)
	b.phylum = shares(b.modern, taxonomy.Phylum)
	return b
}

type builder struct {
	in                    Input
	kb                    *knowledge.Knowledge
	modern                *tables.Profile    // in.Profile under current names (modernProfile)
	genus, family, phylum map[string]float64 // share of all reads, 0–1
	cited                 map[string]bool
	measured              map[string]measurement // metric → value, read once
	triggered             []*Finding             // findings metrics raised, in the knowledge base's order
}

// shares returns the fraction of all reads per taxon at rank r, the
// unclassified row excluded.
func shares(p *tables.Profile, r taxonomy.Rank) map[string]float64 {
	m := map[string]float64{}
	for _, row := range p.AtRank(r) {
		if row.Taxon != tables.Unclassified {
			m[row.Taxon] += row.Fraction
		}
	}
	return m
}

// modernProfile re-tallies a profile under current names (Lineage.Modernize:
// Firmicutes is Bacillota, the old class Deltaproteobacteria is the phylum
// Desulfobacterota), so that a taxon sits under the same phylum in every
// table, chart and the sunburst. Each named row's own reads (its reads less
// those of its children one rank down) are added under its modernised
// lineage, the unclassified reads as they are, and the profile is summed
// again (tables.Builder).
func modernProfile(p *tables.Profile) *tables.Profile {
	children := map[string]float64{}
	for _, row := range p.Rows {
		if row.Taxon != tables.Unclassified && row.Rank > taxonomy.Domain {
			children[row.Lineage.Truncate(row.Rank-1).String()] += row.Reads
		}
	}
	b := tables.NewBuilder(p.Sample)
	for _, row := range p.Rows {
		own := row.Reads
		switch {
		case row.Taxon == tables.Unclassified:
			if row.Rank != taxonomy.Domain {
				continue
			}
			row.Lineage = taxonomy.Lineage{}
		default:
			own -= children[row.Lineage.String()]
		}
		if own > 1e-9*max(1, row.Reads) {
			b.Add(row.Lineage.Modernize(), own) // own is finite and > 0
		}
	}
	q := b.Profile()
	q.Format, q.Relative = p.Format, p.Relative
	return q
}

func unclassifiedShare(p *tables.Profile, r taxonomy.Rank) float64 {
	for _, row := range p.AtRank(r) {
		if row.Taxon == tables.Unclassified {
			return row.Fraction
		}
	}
	return 0
}

// sorted returns the taxa of m by descending share, then name.
func sorted(m map[string]float64) []string {
	names := slices.Collect(maps.Keys(m))
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b))
	})
	return names
}

func pct(f float64) string {
	// A no-break space keeps the number and its unit on one line.
	switch {
	case f == 0:
		return "0\u00a0%"
	case f < 0.001:
		return "<\u00a00.1\u00a0%"
	}
	return fmt.Sprintf("%.1f\u00a0%%", 100*f)
}

func num(v float64, prec int) string {
	if v != v { // NaN
		return "not defined"
	}
	return fmt.Sprintf("%.*f", prec, v)
}

func figure(id, caption, alt string, p *plot.Plot, h vg.Length) *Figure {
	return &Figure{ID: id, Caption: caption, Alt: alt, Width: 16 * vg.Centimeter, Height: h, Plot: p}
}

// gradeWords explains an evidence grade in the report's words (science.md §1).
func gradeWords(grade string) string {
	words := map[byte]string{
		'A': "strong evidence in people",
		'B': "tested in people (limited)",
		'C': "seen in people, cause not shown",
		'D': "lab/animal evidence only",
	}
	var parts []string
	seen := map[byte]bool{}
	for i := 0; i < len(grade); i++ {
		if w, ok := words[grade[i]]; ok && !seen[grade[i]] && (i == 0 || !isLetter(grade[i-1])) {
			parts = append(parts, w)
			seen[grade[i]] = true
		}
	}
	return strings.Join(parts, "; ")
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// GradeLabel returns "Grade C/D: seen in people, cause not shown; lab/animal evidence only".
func GradeLabel(grade string) string {
	return "Grade " + grade + ": " + gradeWords(grade)
}

// listSuffix is " (a, b, c)" naming drivers, "" when there are none.
func listSuffix(drivers []string) string {
	if len(drivers) == 0 {
		return ""
	}
	return " (" + strings.Join(drivers, ", ") + ")"
}

// ratio is a/b, 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// dedupe returns keys without repeats, in order of first appearance.
func dedupe(keys []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
