package report

import (
	"fmt"
	"strings"

	"github.com/zonula/zonula/report/knowledge"
	"github.com/zonula/zonula/taxonomy"
)

// limitations is the "Limitations and methods" section: the knowledge base's
// limitations, then how the reads were classified (or where the table came
// from) and the identity floors.
func (b *builder) limitations(_ []*Finding) (Section, error) {
	var blocks []Block
	for _, l := range b.kb.Limitations {
		blocks = append(blocks, &Paragraph{Text: l.Text, Refs: l.Refs})
	}
	if t := b.in.Table; t != nil {
		blocks = append(blocks, &Paragraph{Text: fmt.Sprintf(
			"Methods. The abundances were imported from %s (%s). The reads were classified by another tool against its own database, which zonula does not see; zonula computed the shares, diversity and indices from the table as given, with the same code and rules as for reads it classifies itself. An index's coverage is not known here, since the database behind the table is not known.",
			t.Path, t.Format)})
		return Section{ID: "limitations", Title: "Limitations and methods", Blocks: blocks}, nil
	}
	c := b.in.Classification
	db := b.in.Provenance.Database
	blocks = append(blocks, &Paragraph{Text: fmt.Sprintf(
		"Methods. Reads outside %d–%d bases were removed. Each remaining read was oriented, its candidate references found by shared 11-base words, and the best candidates aligned; identity is the share of the read's bases matched. Near-tied references were merged to their common ancestor, and each read was named only down to the rank whose identity floor it reached (floors from Yarza et al. 2014; for a genus, the lowest identity at which the database's own members of that genus find a relative, where the database holds two or more; all lowered by the read's error rate estimated from its qualities). Reference database: %s, version %s, %d sequences, sha256 %s.",
		b.in.QC.MinLength, b.in.QC.MaxLength, db.Name, db.Version, db.Sequences, short(db.SHA256)),
		Refs: []string{"R-YAR14"}})
	if n := c.KmerSampling; n > 1 {
		blocks = append(blocks, &Paragraph{Text: fmt.Sprintf(
			"The database is large, so candidate references were found with one in %d of the 11-base words (the same words for reads and references); the alignments that decide each name are unchanged.", n)})
	}
	if e := c.NoQualityErrorRate; e > 0 {
		blocks = append(blocks, &Paragraph{Text: fmt.Sprintf(
			"Some or all reads carried no base qualities, so their error rate could not be read from them. zonula estimated it from the sample at %.1f %% (from how much identity the best-matched tenth of the first such reads lost to their closest reference) and lowered the floors by that for every read without qualities. Reads from organisms the database lacks make this estimate too high, which lets more of them be named.",
			100*e)})
	}
	rows := [][]string{}
	for _, r := range taxonomy.Ranks() {
		floor := fmt.Sprintf("%.1f %%", 100*c.Floors[r])
		if r == taxonomy.Genus && c.GenusFloorMax > c.GenusFloorMin {
			floor = fmt.Sprintf("%.1f–%.1f %% by genus", 100*c.GenusFloorMin, 100*c.GenusFloorMax)
		}
		rows = append(rows, []string{r.String(), floor, fmt.Sprintf("%s (%s)", thousands(c.BelowFloor[r]), pct(ratio(float64(c.BelowFloor[r]), float64(c.Reads))))})
	}
	blocks = append(blocks, &Table{Caption: "Identity floors and reads whose best match fell below them (so the database, not the gut, limited how far they were named)",
		Header: []string{"Rank", "Identity floor", "Reads below the floor"}, Rows: rows, Numeric: []bool{false, true, true}})
	return Section{ID: "limitations", Title: "Limitations and methods", Blocks: blocks}, nil
}

func short(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}

// resolveReferences fills doc.References with every cited key, in order of
// first citation, and fails on a key the knowledge base lacks.
func (b *builder) resolveReferences(doc *Document) error {
	var keys []string
	cite := func(refs []string) {
		for _, k := range refs {
			if !b.cited[k] {
				b.cited[k] = true
				keys = append(keys, k)
			}
		}
	}
	for _, a := range doc.Alerts {
		cite(a.Refs)
	}
	for _, s := range doc.Sections {
		for _, blk := range s.Blocks {
			switch v := blk.(type) {
			case *Paragraph:
				cite(v.Refs)
			case *Finding:
				cite(v.Refs)
			case *Callout:
				cite(v.Refs)
			}
		}
	}
	for _, k := range keys {
		r, ok := b.kb.Reference(k)
		if !ok {
			return fmt.Errorf("report: reference %s is cited but not in the knowledge base", k)
		}
		doc.References = append(doc.References, Reference{Key: r.Key, Citation: r.Citation, DOI: r.DOI})
	}
	return nil
}

// checkWording rejects causal or curative wording anywhere in the text zonula
// writes (user-supplied names are not checked).
func checkWording(doc *Document) error {
	var errs []string
	check := func(texts ...string) {
		for _, t := range texts {
			if err := knowledge.CheckWording(t); err != nil {
				errs = append(errs, err.Error())
			}
		}
	}
	for _, s := range doc.Sections {
		check(s.Title)
		for _, blk := range s.Blocks {
			switch v := blk.(type) {
			case *Paragraph:
				check(v.Text)
			case *Finding:
				check(v.Title, v.Meaning, v.Barrier, v.Range)
			case *Callout:
				check(v.Title, v.Text)
				check(v.Items...)
			case *Table:
				check(v.Caption)
				check(v.Header...)
			case *Figure:
				check(v.Caption)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("report wording: %s", strings.Join(errs, "; "))
	}
	return nil
}
