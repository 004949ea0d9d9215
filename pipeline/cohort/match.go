package cohort

import (
	"fmt"
	"slices"
)

// match returns the samples that take part: all of them without groups,
// else those the groups file lists. It records the samples left out and the
// groups-file samples that are not inputs, or, with RequireAllGroups,
// refuses either (naming the sample's source or the groups file's line).
func (r *Result) match(samples []Sample, groups *Groups) ([]Sample, error) {
	if groups == nil {
		return samples, nil
	}
	byName := map[string]GroupEntry{}
	for _, e := range groups.Entries {
		byName[e.Sample] = e
	}
	have := map[string]bool{}
	var kept []Sample
	for _, s := range samples {
		have[s.Name] = true
		if _, ok := byName[s.Name]; ok {
			kept = append(kept, s)
			continue
		}
		if r.Options.RequireAllGroups {
			return nil, &InputError{Path: s.Source, Err: fmt.Errorf("sample %q has no group in %s (--require-all-groups)", s.Name, groups.File)}
		}
		r.LeftOut = append(r.LeftOut, s.Name)
	}
	for _, e := range groups.Entries {
		if have[e.Sample] {
			continue
		}
		if r.Options.RequireAllGroups {
			return nil, &ParseError{File: groups.File, Line: e.Line, Err: fmt.Errorf("sample %q is not among the inputs (%d samples read; --require-all-groups)", e.Sample, len(samples))}
		}
		r.Unlisted = append(r.Unlisted, e.Sample)
	}
	if len(kept) == 0 {
		ex := make([]string, 0, 3)
		for _, s := range samples[:min(3, len(samples))] {
			ex = append(ex, s.Name)
		}
		return nil, &ParseError{File: groups.File, Err: fmt.Errorf("names none of the %d input samples (such as %s); sample names must match exactly", len(samples), listNames(ex, 3))}
	}
	return kept, nil
}

// keep fills the per-sample fields and the group sizes from the samples
// that take part.
func (r *Result) keep(samples []Sample, groups *Groups) {
	byName := map[string]GroupEntry{}
	if groups != nil {
		for _, e := range groups.Entries {
			byName[e.Sample] = e
		}
	}
	for _, s := range samples {
		e, ok := byName[s.Name]
		if !ok {
			e = GroupEntry{Group: Ungrouped}
		}
		r.Samples = append(r.Samples, s.Name)
		r.Sources = append(r.Sources, s.Source)
		r.Groups = append(r.Groups, e.Group)
		r.Subjects = append(r.Subjects, e.Subject)
		if s.Database != "" && !slices.Contains(r.Databases, s.Database) {
			r.Databases = append(r.Databases, s.Database)
		}
	}
	slices.Sort(r.Databases)
	sizes := map[string]int{}
	for _, g := range r.Groups {
		sizes[g]++
	}
	r.GroupNames = slices.Sorted(mapKeys(sizes))
	for _, g := range r.GroupNames {
		r.GroupSizes = append(r.GroupSizes, sizes[g])
	}
}
