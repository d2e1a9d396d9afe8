package entry

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Author is who wrote a field's text, which decides the rules of length
// it keeps to.
type Author int

const (
	// Model text keeps to the lengths the prompt asks for and the response
	// schema carries (Field.Limits).
	Model Author = iota
	// Editor text may be of any length the desk takes; a required field
	// may not be empty.
	Editor
)

// Limits bounds a field's text in characters (runes). Min > 0 makes the
// field required; Max 0 is no bound.
type Limits struct {
	Min, Max int
}

// Limits returns the bounds of a field a model writes: the prompt quotes
// them and the response schema carries them.
func (f Field) Limits() Limits {
	switch f {
	case Title:
		return Limits{1, 80}
	case Summary:
		return Limits{40, 600}
	case Introduction:
		return Limits{80, 1500}
	case Recommendation, Caution:
		return Limits{0, 800}
	}
	return Limits{}
}

// Required reports whether f may not be empty: the title, 요약 and 소개.
func (f Field) Required() bool { return f.Limits().Min > 0 }

// The rules a Problem names.
const (
	// RuleFields: a required field is empty, or a field's length is out of
	// its bounds.
	RuleFields = "fields"
	// RuleMarkup: a field holds markup it may not (see Disallowed).
	RuleMarkup = "markup"
)

// Problem is one rule a field's text breaks.
type Problem struct {
	Field Field
	// Rule is RuleFields or RuleMarkup.
	Rule string
	// Detail says what is wrong, quoting the offending text: for markup,
	// the kind first ("heading \"## 설치\"; ...").
	Detail string
}

// String is the form shown in errors and logs, naming the field by its
// JSON key.
func (p Problem) String() string {
	return fmt.Sprintf("%s: %s (rule %s)", p.Field.Key(), p.Detail, p.Rule)
}

// The details of a fields problem, for callers that say them in another
// language: a required field left empty, text shorter than the field's
// range (its length, the minimum and the maximum) and text longer than its
// maximum (its length and the maximum).
const (
	DetailEmpty    = "is empty; it is required"
	DetailTooShort = "is %d characters; write %d to %d"
	DetailTooLong  = "is %d characters; the maximum is %d"
)

// Check returns the problems of text as field f written by by: a required
// field empty, a length out of bounds (Model only) and the markup f may not
// hold, in that order. text is read as it is; callers trim it.
func Check(f Field, text string, by Author) []Problem {
	var out []Problem
	lim := f.Limits()
	n := utf8.RuneCountInString(text)
	switch {
	case n == 0 && lim.Min > 0:
		out = append(out, Problem{Field: f, Rule: RuleFields, Detail: DetailEmpty})
	case by == Editor && lim.Min > 0 && strings.TrimSpace(text) == "":
		out = append(out, Problem{Field: f, Rule: RuleFields, Detail: DetailEmpty})
	case by != Model:
	case n < lim.Min:
		out = append(out, Problem{Field: f, Rule: RuleFields, Detail: fmt.Sprintf(DetailTooShort, n, lim.Min, lim.Max)})
	case lim.Max > 0 && n > lim.Max:
		out = append(out, Problem{Field: f, Rule: RuleFields, Detail: fmt.Sprintf(DetailTooLong, n, lim.Max)})
	}
	for _, m := range Disallowed(text) {
		out = append(out, Problem{Field: f, Rule: RuleMarkup, Detail: m.String()})
	}
	return out
}

// Check returns the problems of every section of s (see Check), in entry
// order.
func (s Sections) Check(by Author) []Problem {
	var out []Problem
	for _, f := range Fields {
		out = append(out, Check(f, s.Get(f), by)...)
	}
	return out
}
