package report

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/zonula/zonula/report/knowledge"
)

// A warning sign of RULE-08 as people write it. Each sign has a pattern
// over a clause of what the person wrote (phrases.go: lower case, split at
// punctuation and "but"), phrases that look like it but are not it
// (except), and a negation check, so that "no blood" or "haven't lost
// weight" do not count. The phrasings were written from how patients
// describe these signs; report/redflags_test.go holds the table they are
// tested on.
type sign struct {
	id     string
	says   string         // the sign as the box names it
	re     *regexp.Regexp // a phrasing of the sign
	except *regexp.Regexp // phrases blanked before matching; nil for none
	veto   *regexp.Regexp // a clause matching it does not name the sign; nil for none
}

// Sign IDs; the NG12 age rules and the same-day rule refer to them.
const (
	signBleeding = "bleeding"
	signWeight   = "weight"
	signAnaemia  = "anaemia"
	signHabit    = "habit"
	signNight    = "night"
	signMass     = "mass"
	signFamily   = "family"
	signFever    = "fever"
	signSevere   = "severe"
)

var signs = []sign{
	{id: signBleeding, says: "blood in the stool or bleeding from the back passage",
		re:     regexp.MustCompile(`\bblood\b|\bbloody (?:stools?|diarrh(?:o)?ea|poos?|poop|motions?|mucus|discharge)\b|\bbleed(?:s|ing)?\b|\brectal bleed|\b(?:black|tarry|maroon) (?:stools?|poos?|poop)\b|\bmela?ena\b|\bha?ematochezia\b|\bred (?:on|in) the (?:toilet|tissue|paper|bowl|pan)\b`),
		except: regexp.MustCompile(`\bblood (?:tests?|pressure|sugars?|glucose|work|results?|count|group|type|donor|donation|levels?|thinners?)\b|\bbloodwork\b|\bbleeding gums?\b|\bgums? bleed\w*|\bnose ?bleeds?\b|\bbleeding (?:nose|gums?)\b|\bperiods?\b|\bmenstrua\w*`)},
	{id: signWeight, says: "weight loss you cannot explain",
		re:   regexp.MustCompile(`\b(?:lost|losing|lose|dropped|dropping|shed) (?:\S+ ){0,3}?(?:weight|kg|kgs|kilos?|pounds|lbs?|stone)\b|\bweight (?:loss|is dropping|dropping|falling|keeps? dropping|going down|has dropped|has gone down)\b|\b(?:getting|got|become|became) (?:very |much )?(?:thin|thinner|skinny)\b`),
		veto: regexp.MustCompile(`\b(?:trying to|tried to|want to|wanted to|need to|plan to|aim to|hoping to) (?:lose|lost)\b|\bon purpose\b|\bintentional(?:ly)?\b|\bdiet(?:ing|ed)?\b|\bweight[- ]loss (?:diet|plan|programme|program|drug|medication|injection|surgery|jabs?)\b|\bozempic|\bwegovy|\bsemaglutide`)},
	{id: signAnaemia, says: "iron-deficiency anaemia",
		re: regexp.MustCompile(`\ban(?:a)?emi(?:a|c)\b|\biron[- ]deficien\w*|\blow (?:iron|ferritin|ha?emoglobin|hb|blood count)\b`)},
	{id: signHabit, says: "a lasting change in bowel habit",
		re: regexp.MustCompile(`\bchanges? (?:in|to|of) (?:my |the )?bowel\w*|\bbowel (?:habits? )?(?:have |has )?(?:changed|changing|change)\b|\bbowels? (?:have |has )?changed\b|\bdifferent bowel habits?\b|\b(?:stools?|poos?) (?:have|has) changed\b`)},
	{id: signNight, says: "bowel symptoms that wake you at night",
		re: regexp.MustCompile(`(?:\bat night|\bnight[- ]?time|\bnocturnal|\bin the night|\bduring the night|\bovernight|\bwak(?:e|es|ing) (?:me )?(?:up)?).*\b(?:diarrh(?:o)?ea|stools?|poos?|poop|bowels?|toilet|loo|pain|cramps?|urgency)\b|\b(?:diarrh(?:o)?ea|stools?|poos?|poop|bowels?|toilet|loo|pain|cramps?|urgency)\b.*(?:\bat night\b|\bnight[- ]?time\b|\bnocturnal\b|\bin the night\b|\bduring the night\b|\bwak(?:e|es|ing) me\b|\bwakes? me up\b)`)},
	{id: signMass, says: "a lump in your abdomen or back passage",
		re: regexp.MustCompile(`\b(?:lump|mass|swelling|growth)\b.*\b(?:abdomen|abdominal|tummy|belly|stomach|bottom|back passage|rectum|rectal|anus|anal|bum)\b|\b(?:abdominal|rectal|anal) (?:lump|mass)\b`)},
	{id: signFamily, says: "a family history of bowel cancer or inflammatory bowel disease",
		re: regexp.MustCompile(`(?:\bfamily history\b|\b(?:mother|mum|mom|father|dad|brother|sister|sibling|son|daughter|parents?|grandmother|grandfather|grandma|grandpa|aunt|uncle|cousin|twin)\b).*\b(?:(?:bowel|colon|colorectal|rectal|colonic) cancer|crohn'?s?|colitis|ibd|inflammatory bowel|lynch|polyposis)\b`)},
	{id: signFever, says: "fever with diarrhoea",
		re:     regexp.MustCompile(`\bfever(?:s|ish)?\b|\bhigh temperature\b|\btemperature of 3[89]|\btemp(?:erature)? (?:over|above) 3[89]|\bshivers\b|\brigors?\b`),
		except: regexp.MustCompile(`\b(?:hay|glandular|scarlet) fever\b`)},
	{id: signSevere, says: "persistent severe pain, vomiting or difficulty swallowing",
		re: regexp.MustCompile(`\b(?:severe|terrible|awful|excruciating|unbearable|constant|intense|agonising|agonizing) (?:\S+ )?(?:pain|cramps?|ache)\b|\bvomit\w*|\bthrowing up\b|\bbeing sick\b|\bthrow up\b|\b(?:difficulty|trouble|problems?|pain|hard) (?:in |with )?swallowing\b|\bfood (?:gets |getting )?stuck\b|\bdysphagia\b|\bcan'?t swallow\b`)},
}

// Terms that are not warning signs on their own but take part in the age
// rules and the fever sign: abdominal pain, diarrhoea, a fast pulse.
var (
	abdominalPain = regexp.MustCompile(`\b(?:abdominal|stomach|tummy|belly|gut) (?:pain|ache|aches|cramps?|discomfort)\b|\b(?:stomach|tummy|belly)aches?\b|\bpain in (?:my |the )?(?:abdomen|stomach|tummy|belly|gut)\b|\bcramps?\b|\bcramping\b`)
	diarrhoea     = regexp.MustCompile(`\bdiarrh(?:o)?ea\b|\bloose (?:stools?|poos?|bowels?|motions)\b|\bwatery (?:stools?|poos?)\b|\bthe runs\b`)
	fastPulse     = regexp.MustCompile(`\b(?:fast|racing|rapid|high) (?:pulse|heart ?beat|heart ?rate)\b|\bheart (?:racing|pounding)\b|\btachycardi\w*|\bpalpitations?\b|\bpulse (?:over|above) \d+`)
	manyStools    = regexp.MustCompile(`\b(\d+|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\+? (?:or more |times |bloody |loose |watery )*(?:times|stools?|motions|bowel movements|poos?|episodes|trips)\b.*\b(?:a|per|each|every) (?:day|24 ?h\w*)\b|\b(\d+|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\+? (?:\S+ ){0,3}(?:daily|a day)\b`)
)

// numberWords are the spelt-out counts manyStools reads.
var numberWords = map[string]int{"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}

// Safety is what the metadata says about seeing a clinician (RULE-08): the
// warning signs recognised in what the person wrote, the UK age rules
// (NICE NG12) they meet, whether care is needed the same day, and a lab
// result that needs a clinician (LAB-01).
type Safety struct {
	// Signs are the box's lines: each sign recognised, with the person's
	// own words, then explicit red flags not recognised as a sign, as given.
	Signs []string
	// Age are the NG12 age rules met, as sentences.
	Age []string
	// SameDay is set for six or more bloody stools a day with fever or a
	// fast pulse: care is needed the same day.
	SameDay bool
	// Lab is a sentence on a lab result that puts the box first (a high
	// calprotectin, or any with a warning sign); "" for none.
	Lab string
}

// First reports whether the see-a-clinician box goes before everything
// else.
func (s Safety) First() bool { return len(s.Signs) > 0 || len(s.Age) > 0 || s.SameDay || s.Lab != "" }

// recognised is what recognise found in the metadata's free text.
type recognised struct {
	signs         map[string][]string // sign ID → the person's phrases naming it
	order         []string            // sign IDs in the order first found
	unrecognised  []string            // explicit red flags matching no sign
	pain, loose   bool                // abdominal pain, diarrhoea mentioned
	pulse, stools bool                // a fast pulse; six or more stools a day mentioned
}

// recognise reads the symptoms and explicit red flags for warning signs.
func recognise(m Metadata) recognised {
	r := recognised{signs: map[string][]string{}}
	texts := append(append([]string{}, m.Symptoms...), m.RedFlags...)
	for i, t := range texts {
		found := false
		for _, s := range signs {
			if mentionsSign(t, s) {
				if _, seen := r.signs[s.id]; !seen {
					r.order = append(r.order, s.id)
				}
				r.signs[s.id] = append(r.signs[s.id], t)
				found = true
			}
		}
		if !found && i >= len(m.Symptoms) && strings.TrimSpace(t) != "" {
			r.unrecognised = append(r.unrecognised, t)
		}
		r.pain = r.pain || mentions(t, abdominalPain, nil, nil)
		r.loose = r.loose || mentions(t, diarrhoea, nil, nil)
		r.pulse = r.pulse || mentions(t, fastPulse, nil, nil)
		r.stools = r.stools || sixOrMore(t)
	}
	return r
}

// mentionsSign reports whether text names sign s.
func mentionsSign(text string, s sign) bool { return mentions(text, s.re, s.except, s.veto) }

// sixOrMore reports whether text says six or more stools a day.
func sixOrMore(text string) bool {
	for _, c := range clauses(text) {
		for _, m := range manyStools.FindAllStringSubmatch(c, -1) {
			n := m[1] + m[2]
			v, err := strconv.Atoi(n)
			if err != nil {
				v = numberWords[n]
			}
			if v >= 6 {
				return true
			}
		}
	}
	return false
}

// safety reads the metadata for what needs a clinician: warning signs in
// the symptoms and red flags, the NG12 age rules with Age, new symptoms
// after 50, the same-day rule, and the calprotectin result read against
// the cut-offs of lab, LAB-01 (labs.go, calprotectinSafety).
func (m Metadata) safety(lab knowledge.Lab) Safety {
	s := m.signs()
	s.Lab = calprotectinSafety(m.Labs.CalprotectinUgG, lab, len(s.Signs) > 0 || len(s.Age) > 0)
	return s
}

// signs is safety without the lab result.
func (m Metadata) signs() Safety {
	r := recognise(m)
	var s Safety
	for _, id := range r.order {
		if id == signFever && !r.loose {
			continue // fever alone is not a bowel warning sign
		}
		says := signByID(id).says
		s.Signs = append(s.Signs, fmt.Sprintf("%s (you wrote: %s)", upperFirst(says), quoteAll(r.signs[id])))
	}
	s.Signs = append(s.Signs, r.unrecognised...)
	if m.NewSymptoms && m.Age != nil && *m.Age > 50 {
		s.Signs = append(s.Signs, "new bowel symptoms after the age of 50")
	}
	s.Age = ng12(m.Age, r)
	_, bleeding := r.signs[signBleeding]
	_, fever := r.signs[signFever]
	s.SameDay = bleeding && r.stools && (fever || r.pulse)
	return s
}

// RedFlagsFound returns the warning signs the metadata reports (RULE-08):
// each sign recognised in the symptoms and red flags with the person's
// words, explicit red flags not recognised as given, and new symptoms after
// age 50.
func (m Metadata) RedFlagsFound() []string { return m.signs().Signs }

// ng12 returns the UK age rules for urgent referral (NICE NG12, as NHS
// pathways reproduce them; science.md RULE-08) that the signs and age
// meet: 40 and over, unexplained weight loss with abdominal pain; 50 and
// over, rectal bleeding; 60 and over, iron-deficiency anaemia or a change
// in bowel habit. NG12 says "aged 40 and over"; the brief's "> 40" is read
// the same way, the safer side.
func ng12(age *float64, r recognised) []string {
	if age == nil {
		return nil
	}
	a := *age
	has := func(id string) bool { _, ok := r.signs[id]; return ok }
	var out []string
	rule := func(what string) {
		out = append(out, fmt.Sprintf("At %.0f, %s is one of the combinations for which UK guidance (NICE NG12) asks for an urgent referral to check for bowel cancer. Most people referred do not have cancer, but please see your GP within days and mention it.", a, what))
	}
	if a >= 40 && has(signWeight) && r.pain {
		rule("unexplained weight loss with abdominal pain")
	}
	if a >= 50 && has(signBleeding) {
		rule("bleeding from the back passage")
	}
	if a >= 60 && has(signAnaemia) {
		rule("iron-deficiency anaemia")
	}
	if a >= 60 && has(signHabit) {
		rule("a change in bowel habit")
	}
	return out
}

func signByID(id string) sign {
	for _, s := range signs {
		if s.id == id {
			return s
		}
	}
	return sign{id: id, says: id}
}

// quoteAll quotes the person's phrases, joined with "; ".
func quoteAll(ps []string) string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = "“" + strings.TrimSpace(p) + "”"
	}
	return strings.Join(dedupe(q), "; ")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// safetyAlert is the see-a-clinician box that goes before everything else
// when s says so (Safety.First); nil otherwise. The sample and before/after
// reports show the same box.
func safetyAlert(s Safety) *Callout {
	if !s.First() {
		return nil
	}
	c := &Callout{Level: Urgent, Title: "See a clinician first",
		Items: slices.Concat(s.Signs, s.Age),
		Text:  "These need a clinician's assessment whatever this report shows. Do not wait for, or act on, microbiome results instead; if you have six or more bloody stools a day with fever or a fast pulse, seek care the same day.",
		Refs:  []string{"R-NG12", "R-VAS21"}}
	if s.Lab != "" {
		c.Items = append(c.Items, s.Lab)
		c.Refs = append(c.Refs, "R-NIC13", "R-TUR16")
	}
	if s.SameDay {
		c.Title = "Seek medical care today"
		c.Text = "You describe six or more bloody stools a day with fever or a fast pulse: seek medical care today (an urgent care service or emergency department), not a routine appointment. " + c.Text
	}
	return c
}
