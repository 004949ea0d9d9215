package profile

import (
	"fmt"
	"io"

	"github.com/zonula/zonula/taxonomy"
	"github.com/zonula/zonula/taxonomy/classify"
)

// minShare is the least posterior share of a read that the profile gives a
// taxon on its own; smaller shares go to the read's most probable taxon, so
// that the profile holds no rows of a millionth of a read.
const minShare = 1e-6

// Finish makes every read's call final and returns the tally's summaries
// and profile. It runs the community EM (classify.Community.Estimate) over
// the reads whose best reference cleared its genus floor, then reads every
// read back in input order: a read in the EM is called again with the
// sample's abundances as priors (classify.Decider.Decide) and adds its
// posterior to the profile, hypothesis by hypothesis, each cut to the
// ranks whose floors the read's identity to it reaches; any other read adds
// its own call (a family, say, for a read below every genus floor;
// unclassified for chimeras and non-16S reads). emit is called with each
// read's id and final outcome, in input order, for the per-read table.
// The temporary file is removed.
func (t *Tally) Finish(emit func(id string, r Read) error) (*Result, error) {
	defer t.Close()
	ab := t.community.Estimate()
	t.sum.EMClasses = t.community.Classes()
	for g := range ab.Groups() {
		if _, reads := ab.Group(g); reads > 0 {
			t.sum.EMGroups++
		}
	}
	sr, err := t.spill.rewind()
	if err != nil {
		return nil, err
	}
	p := pass{t: t, ab: ab, dec: t.clf.NewDecider(), level: t.clf.MinConfidence()}
	for {
		err := sr.get(&t.rec)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		r := Read{Passed: t.rec.kind != spillFiltered, Reason: t.rec.reason}
		if r.Passed {
			if err := p.settle(&t.rec); err != nil {
				return nil, err
			}
			t.addAssignment(t.rec.a)
			r.Assignment = t.rec.a
		}
		if err := emit(t.rec.id, r); err != nil {
			return nil, err
		}
	}
	return t.result(), nil
}

// pass is Finish's second pass over the reads.
type pass struct {
	t     *Tally
	ab    *classify.Abundance
	dec   *classify.Decider
	hs    []classify.Hypothesis
	level float64
}

// settle makes a passed read's call final and adds it to the profile.
func (p *pass) settle(rec *record) error {
	t, a := p.t, &rec.a
	if a.Reference != "" {
		a.Reference = t.clf.RefID(a.Best)
		if a.Status == classify.Chimera {
			a.Reference += "+" + t.clf.RefID(a.Second)
		}
	}
	if rec.kind != spillEM {
		if a.Status == classify.Classified {
			a.Lineage = t.clf.UnitLineage(rec.unit).Truncate(a.Rank)
		}
		return t.builder.Add(a.Lineage, 1)
	}
	p.hs = p.ab.Hypotheses(rec.class, p.hs)
	ev := &a.Evidence
	ev.Lambda = p.ab.Lambda(rec.class)
	call := p.dec.Decide(p.hs, ev, a.ErrorRate, p.level)
	a.Status, a.Rank, a.Lineage, a.Confidence, a.BelowFloor = classify.Unclassified, call.Rank, call.Lineage, call.Confidence, call.BelowFloor
	if call.Rank != taxonomy.NoRank {
		a.Status = classify.Classified
	}
	var prior float64
	for _, h := range p.hs {
		prior += h.Prior
	}
	if prior == 0 { // every taxon the read reaches was dropped by the EM
		return t.builder.Add(a.Lineage, 1)
	}
	post := p.dec.Posterior()
	kept := 0.0
	for i, h := range p.hs {
		if post[i] < minShare || i == call.Top {
			continue
		}
		id := max(0, 1-float64(ev.Best+h.Extra)/float64(ev.Length))
		if err := t.builder.Add(t.clf.SupportedLineage(h.Lineage, id, a.ErrorRate, ev.Length), post[i]); err != nil {
			return fmt.Errorf("profile: %w", err)
		}
		kept += post[i]
	}
	h := p.hs[call.Top]
	id := max(0, 1-float64(ev.Best+h.Extra)/float64(ev.Length)) // as Decide's
	return t.builder.Add(t.clf.SupportedLineage(h.Lineage, id, a.ErrorRate, ev.Length), max(0, 1-kept))
}

// result returns the finished summaries and profile.
func (t *Tally) result() *Result {
	res := &Result{
		QC: t.qc.Summary(), Classification: t.sum, Profile: t.builder.Profile(),
		Orientation:  t.orient,
		DuplicateIDs: t.dups.found, DuplicatesChecked: t.dups.checked,
		AmbiguousReads: t.amb.reads, AmbiguousBases: t.amb.bases,
	}
	if t.ident.n > 0 {
		res.Classification.MeanIdentity = t.ident.sum / float64(t.ident.n)
	}
	if res.QC.PassedReads > 0 {
		res.Orientation.Share = float64(res.Orientation.Reverse) / float64(res.QC.PassedReads)
	}
	return res
}
