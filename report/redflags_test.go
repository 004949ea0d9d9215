package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/zonula/zonula/report/knowledge"
)

// phrasings are warning signs as people write them (RULE-08) and the sign
// each must be read as; "" means no sign. They cover plain and colloquial
// British and American wording, negations ("no blood"), phrases that look
// like a sign but are not ("blood tests normal", "hay fever") and a sign
// after a "but".
var phrasings = []struct {
	text string
	want []string
}{
	// Bleeding.
	{"blood in stool", []string{signBleeding}},
	{"Blood when I wipe", []string{signBleeding}},
	{"bright red blood on the toilet paper", []string{signBleeding}},
	{"bloody diarrhoea", []string{signBleeding}},
	{"rectal bleeding", []string{signBleeding}},
	{"bleeding from my bottom", []string{signBleeding}},
	{"black, tarry stools", []string{signBleeding}},
	{"red in the toilet bowl after a poo", []string{signBleeding}},
	{"not sure if there was blood", []string{signBleeding}},
	{"no blood", nil},
	{"No blood or mucus", nil},
	{"never any blood", nil},
	{"haven't seen blood", nil},
	{"blood: none", nil},
	{"blood tests were normal", nil},
	{"high blood pressure", nil},
	{"bleeding gums", nil},
	{"bloody awful bloating", nil},
	{"no pain, but blood when I wipe", []string{signBleeding}},
	// Weight.
	{"lost weight without trying", []string{signWeight}},
	{"I've lost 6 kg since spring", []string{signWeight}},
	{"losing weight", []string{signWeight}},
	{"unintentional weight loss", []string{signWeight}},
	{"can't stop losing weight", []string{signWeight}},
	{"no weight loss", nil},
	{"haven't lost any weight", nil},
	{"trying to lose weight", nil},
	{"lost weight on purpose (diet)", nil},
	{"weight stable", nil},
	// Anaemia.
	{"iron-deficiency anaemia", []string{signAnaemia}},
	{"anemia", []string{signAnaemia}},
	{"low ferritin", []string{signAnaemia}},
	{"not anaemic", nil},
	// Bowel habit.
	{"change in bowel habit", []string{signHabit}},
	{"my bowel habits have changed over the last 2 months", []string{signHabit}},
	{"bowels changed", []string{signHabit}},
	// Night.
	{"waking at night with diarrhoea", []string{signNight}},
	{"diarrhea wakes me up", []string{signNight}},
	{"I have to get up in the night to go to the toilet", []string{signNight}},
	{"trouble sleeping at night", nil},
	{"no night-time symptoms", nil},
	// Mass.
	{"a lump in my tummy", []string{signMass}},
	{"rectal mass", []string{signMass}},
	{"lump on my arm", nil},
	// Family history.
	{"family history of bowel cancer", []string{signFamily}},
	{"my mum had colon cancer", []string{signFamily}},
	{"dad has Crohn's", []string{signFamily}},
	{"no family history of bowel cancer", nil},
	{"family history of heart disease", nil},
	// Fever (a sign with diarrhoea only; see TestFeverNeedsDiarrhoea).
	{"fever", []string{signFever}},
	{"hay fever", nil},
	{"no fever", nil},
	// Severe pain, vomiting, swallowing.
	{"severe abdominal pain", []string{signSevere}},
	{"vomiting", []string{signSevere}},
	{"keep being sick", []string{signSevere}},
	{"difficulty swallowing", []string{signSevere}},
	{"food gets stuck", []string{signSevere}},
	{"no vomiting", nil},
	{"mild pain", nil},
	// Common non-specific symptoms: no sign.
	{"bloating", nil},
	{"gas", nil},
	{"constipation", nil},
	{"brain fog", nil},
	{"tired all the time", nil},
	{"loose stools", nil},
	// Two signs in one entry.
	{"lost weight and blood in my poo", []string{signWeight, signBleeding}},
}

func TestRedFlagPhrasings(t *testing.T) {
	for _, p := range phrasings {
		r := recognise(Metadata{Symptoms: []string{p.text}})
		got := slices.Clone(r.order)
		slices.Sort(got)
		want := slices.Clone(p.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: signs %v, want %v", p.text, got, want)
		}
	}
}

func TestFeverNeedsDiarrhoea(t *testing.T) {
	if s := (Metadata{Symptoms: []string{"fever"}}).signs(); len(s.Signs) != 0 {
		t.Errorf("fever alone flagged: %v", s.Signs)
	}
	s := (Metadata{Symptoms: []string{"fever", "diarrhoea for a week"}}).signs()
	if len(s.Signs) != 1 || !strings.HasPrefix(s.Signs[0], "Fever with diarrhoea (you wrote: “fever”)") {
		t.Errorf("fever with diarrhoea: %v", s.Signs)
	}
}

// TestExplicitRedFlags checks that red flags the person lists are shown
// even when no sign is recognised in them, and that a negated one is not.
func TestExplicitRedFlags(t *testing.T) {
	s := (Metadata{RedFlags: []string{"iron-deficiency anaemia", "something my GP worried about"}}).signs()
	if len(s.Signs) != 2 || !strings.Contains(s.Signs[0], "Iron-deficiency anaemia") || s.Signs[1] != "something my GP worried about" {
		t.Errorf("explicit red flags: %v", s.Signs)
	}
}

func TestNG12AgeRules(t *testing.T) {
	age := func(a float64) *float64 { return &a }
	for _, c := range []struct {
		age      float64
		symptoms []string
		want     []string // phrases of the age rules met, in order
	}{
		{58, []string{"blood when I wipe"}, []string{"bleeding from the back passage"}},
		{50, []string{"rectal bleeding"}, []string{"bleeding from the back passage"}},
		{49, []string{"rectal bleeding"}, nil},
		{45, []string{"lost weight without trying", "tummy pain"}, []string{"weight loss with abdominal pain"}},
		{45, []string{"lost weight without trying"}, nil},
		{39, []string{"lost weight without trying", "stomach cramps"}, nil},
		{61, []string{"change in bowel habit", "anaemia"}, []string{"iron-deficiency anaemia", "a change in bowel habit"}},
		{59, []string{"change in bowel habit"}, nil},
		{70, []string{"no blood", "bloating"}, nil},
	} {
		s := (Metadata{Age: age(c.age), Symptoms: c.symptoms}).signs()
		if len(s.Age) != len(c.want) {
			t.Errorf("age %v, %v: rules %v, want %v", c.age, c.symptoms, s.Age, c.want)
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(s.Age[i], w) || !strings.Contains(s.Age[i], "NICE NG12") {
				t.Errorf("age %v, %v: rule %q lacks %q", c.age, c.symptoms, s.Age[i], w)
			}
		}
	}
}

func TestSameDay(t *testing.T) {
	for _, c := range []struct {
		symptoms []string
		want     bool
	}{
		{[]string{"8 bloody stools a day", "fever"}, true},
		{[]string{"bloody diarrhoea ten times a day", "heart racing"}, true},
		{[]string{"blood in stool", "going 7 times per day", "high temperature"}, true},
		{[]string{"8 bloody stools a day"}, false},          // no fever or fast pulse
		{[]string{"3 bloody stools a day", "fever"}, false}, // fewer than six
		{[]string{"8 stools a day", "fever"}, false},        // no blood
	} {
		if s := (Metadata{Symptoms: c.symptoms}).signs(); s.SameDay != c.want {
			t.Errorf("%v: same day %v, want %v", c.symptoms, s.SameDay, c.want)
		}
	}
}

func TestCalprotectinSafety(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	lab, ok := kb.Lab("LAB-01")
	if !ok || lab.Cutoff != 50 || lab.High != 200 {
		t.Fatalf("LAB-01 cut-offs: %+v", lab)
	}
	v := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		value   float64
		flagged bool
		first   bool   // the box goes first
		reading string // in the reading
	}{
		{30, false, false, "30 µg/g is below 50 µg/g, the usual cut-off"},
		{50, false, false, "at 50 µg/g, the usual cut-off"},
		{180, false, false, "180 µg/g is above 50 µg/g, the usual cut-off: discuss it with the clinician who ordered it"},
		{200, false, true, "200 µg/g is high: 200 µg/g or more"},
		{650, false, true, "650 µg/g is high"},
		{30, true, true, "below 50 µg/g"},
	} {
		got := calprotectinSafety(v(c.value), lab, c.flagged)
		if (got != "") != c.first {
			t.Errorf("%v µg/g (flagged %v): box first %q", c.value, c.flagged, got)
		}
		if r := calprotectinReading(c.value, lab); !strings.Contains(r, c.reading) {
			t.Errorf("%v µg/g: reading %q lacks %q", c.value, r, c.reading)
		}
	}
	md := Metadata{Labs: Labs{CalprotectinUgG: v(180)}}
	if md.safety(lab).First() {
		t.Error("180 µg/g without a warning sign put the box first")
	}
	md.Symptoms = []string{"blood when I wipe"}
	if s := md.safety(lab); !s.First() || !strings.Contains(s.Lab, "180 µg/g") {
		t.Errorf("180 µg/g with a warning sign: %+v", s)
	}
}
