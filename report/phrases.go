package report

import (
	"regexp"
	"strings"
)

// Free text a person writes (symptoms, red flags, diet) is read as
// clauses: lower case, curly quotes straightened, split at sentence and
// list punctuation and at "but", "although", "however" and "except", so
// that "no pain, but blood when I wipe" keeps the blood and drops the pain.

// clauseSplit splits text into clauses.
var clauseSplit = regexp.MustCompile(`[.;,!?()\[\]\n]+|\s(?:but|although|though|however|except|whereas)\s`)

// negationBefore matches a negation cue ending just before a phrase, at
// most three words earlier in its clause: "no blood", "not noticed any
// blood", "haven't lost weight", "without fever", "denies vomiting".
var negationBefore = regexp.MustCompile(`(?:^|\s)(?:no|not|never|without|none|nor|neither|denies|deny|denied|negative for|free of|absence of|no longer|\w+n't|cannot|can not)(?:\s+\S+){0,3}\s*$`)

// negationAfter matches a negation right after a phrase: "blood: no",
// "meat-free", "blood - none", "weight loss? none".
var negationAfter = regexp.MustCompile(`^(?:\s*[-:–]\s*|\s+)?(?:no|none|nil|negative|free)\b|^-free\b`)

// notNegations are phrases with a negation word that do not deny what
// follows; they are blanked before negations are looked for ("not sure if
// there was blood" still mentions blood; "can't stop losing weight" is
// weight loss).
var notNegations = regexp.MustCompile(`\b(?:not sure|unsure|not certain|can't stop|cannot stop|can not stop|couldn't stop|not stopping|no idea|don't know|do not know)\b`)

// normalise lower-cases text and straightens quotes and dashes.
func normalise(text string) string {
	r := strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "—", " - ", "–", " - ")
	return strings.ToLower(r.Replace(text))
}

// clauses splits normalised text into clauses, each with single spaces.
func clauses(text string) []string {
	var out []string
	for _, c := range clauseSplit.Split(normalise(text), -1) {
		if c = strings.Join(strings.Fields(c), " "); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// blank replaces every match of re in s with as many x's, keeping the
// offsets of the rest.
func blank(s string, re *regexp.Regexp) string {
	if re == nil {
		return s
	}
	return re.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat("x", len(m)) })
}

// affirmed reports whether the match [lo, hi) of clause c is not negated.
func affirmed(c string, lo, hi int) bool {
	c = blank(c, notNegations)
	return !negationBefore.MatchString(c[:lo]) && !negationAfter.MatchString(c[hi:])
}

// mentions reports whether a clause of text holds a match of re that is
// not negated, once phrases matching except are blanked out ("blood test"
// is not blood in the stool), in a clause veto does not match ("lost
// weight on purpose" is not weight loss to explain); except and veto may be
// nil.
func mentions(text string, re, except, veto *regexp.Regexp) bool {
	for _, c := range clauses(text) {
		if veto != nil && veto.MatchString(c) {
			continue
		}
		c = blank(c, except)
		for _, m := range re.FindAllStringIndex(c, -1) {
			if affirmed(c, m[0], m[1]) {
				return true
			}
		}
	}
	return false
}
