package summarizer

import (
	"fmt"
	"strings"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
)

// Violation is one rule an answer broke.
type Violation struct {
	// Rule is the guardrail: "fields", "script", "markup", "grounding",
	// "speech" or "glossary".
	Rule string
	// Field is the JSON field, e.g. "summary".
	Field string
	// Detail says what is wrong, quoting the offending text.
	Detail string
}

// String is the form shown in errors, logs and the corrective prompt.
func (v Violation) String() string {
	return fmt.Sprintf("%s: %s (rule %s)", v.Field, v.Detail, v.Rule)
}

// A guardrail checks every field of an answer against one rule.
type guardrail struct {
	name  string
	check func(entry.Sections, *source) []Violation
}

// guardrails run in this order after every answer; see docs/gemini.md for the
// rules in prose.
var guardrails = []guardrail{
	{"fields", checkFields},
	{"script", checkScript},
	{"markup", checkMarkup},
	{"grounding", checkGrounding},
	{"speech", checkSpeechLevel},
	{"glossary", checkGlossary},
}

// maxViolations bounds what one answer reports, keeping the corrective
// prompt and the error short.
const maxViolations = 12

// validate returns every guardrail violation in s, at most maxViolations.
func validate(s entry.Sections, src *source) []Violation {
	var out []Violation
	for _, g := range guardrails {
		for _, v := range g.check(s, src) {
			v.Rule = g.name
			out = append(out, v)
		}
	}
	if len(out) > maxViolations {
		out = out[:maxViolations]
	}
	return out
}

// source is what an answer may draw on: the article's title, URL, site name
// and text.
type source struct {
	title   string
	text    string
	numbers map[string]bool
	// glossary is summarizer.glossary: the Korean forms of terms.
	glossary []glossaryTerm
}

func newSource(in Input) *source {
	text := strings.Join([]string{in.Title, in.URL, in.SiteName, in.Text}, "\n")
	return &source{
		title:    strings.TrimSpace(in.Title),
		text:     text,
		numbers:  sourceNumbers(text),
		glossary: defaultGlossary,
	}
}

// defaultGlossary is config.DefaultGlossary, parsed.
var defaultGlossary = parseGlossary(config.DefaultGlossary())

// field is one section of an answer: its JSON key and its text.
type field struct {
	name, value string
}

// fields lists s in entry order, named by their JSON keys.
func fields(s entry.Sections) []field {
	out := make([]field, len(entry.Fields))
	for i, f := range entry.Fields {
		out[i] = field{f.Key(), s.Get(f)}
	}
	return out
}

// normalize trims each field and unifies line endings.
func normalize(s entry.Sections) entry.Sections {
	for _, f := range entry.Fields {
		s.Set(f, strings.TrimSpace(strings.ReplaceAll(s.Get(f), "\r\n", "\n")))
	}
	return s
}

// problems returns the problems of s under rule (entry.RuleFields or
// entry.RuleMarkup) as violations, for a model's answer.
func problems(s entry.Sections, rule string) []Violation {
	var out []Violation
	for _, p := range s.Check(entry.Model) {
		if p.Rule == rule {
			out = append(out, Violation{Rule: p.Rule, Field: p.Field.Key(), Detail: p.Detail})
		}
	}
	return out
}

// quote shortens s for a violation message.
func quote(s string) string { return entry.Quote(s) }
