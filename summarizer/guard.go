package summarizer

import (
	"fmt"
	"strings"
)

// Violation is one rule an answer broke.
type Violation struct {
	// Rule is the guardrail: "fields", "script", "markup" or "grounding".
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
	check func(Sections, *source) []Violation
}

// guardrails run in this order after every answer; see the README for the
// rules in prose.
var guardrails = []guardrail{
	{"fields", checkFields},
	{"script", checkScript},
	{"markup", checkMarkup},
	{"grounding", checkGrounding},
}

// maxViolations bounds what one answer reports, keeping the corrective
// prompt and the error short.
const maxViolations = 12

// validate returns every guardrail violation in s, at most maxViolations.
func validate(s Sections, src *source) []Violation {
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
}

func newSource(in Input) *source {
	text := strings.Join([]string{in.Title, in.URL, in.SiteName, in.Text}, "\n")
	return &source{
		title:   strings.TrimSpace(in.Title),
		text:    text,
		numbers: sourceNumbers(text),
	}
}

// field is one named value of Sections.
type field struct {
	name, value string
}

// fields lists s in JSON order.
func (s Sections) fields() []field {
	return []field{
		{"title_ko", s.TitleKo},
		{"summary", s.Summary},
		{"introduction", s.Introduction},
		{"recommendation", s.Recommendation},
		{"caution", s.Caution},
	}
}

// normalize trims each field and unifies line endings.
func (s Sections) normalize() Sections {
	clean := func(v string) string {
		return strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
	}
	return Sections{
		TitleKo:        clean(s.TitleKo),
		Summary:        clean(s.Summary),
		Introduction:   clean(s.Introduction),
		Recommendation: clean(s.Recommendation),
		Caution:        clean(s.Caution),
	}
}

// prose returns s with fenced code blocks and inline code spans replaced by
// a space, for the rules that exempt code.
func prose(s string) string {
	var out strings.Builder
	fence := ""
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			out.WriteByte('\n')
		}
		t := strings.TrimSpace(line)
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		case strings.HasPrefix(t, "```"), strings.HasPrefix(t, "~~~"):
			fence = t[:3]
			continue
		}
		out.WriteString(stripCodeSpans(line))
	}
	return out.String()
}

// stripCodeSpans replaces each `code span` (of any backtick run length) with
// a space. An unmatched run of backticks is kept as text.
func stripCodeSpans(s string) string {
	var out strings.Builder
	for {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			out.WriteString(s)
			return out.String()
		}
		n := i
		for n < len(s) && s[n] == '`' {
			n++
		}
		run := s[i:n]
		j := strings.Index(s[n:], run)
		if j < 0 {
			out.WriteString(s)
			return out.String()
		}
		out.WriteString(s[:i])
		out.WriteByte(' ')
		s = s[n+j+len(run):]
	}
}

// quote shortens s for a violation message.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// CheckEdit checks sections an editor wrote against the rules that keep
// an entry inside its place in the issue: the markup rule (no headings,
// HTML, section labels or links) and the required fields. The publisher
// escapes what gets past it anyway. Field names are those of Sections'
// JSON; the empty ones among the optional fields are allowed.
func CheckEdit(s Sections) []Violation {
	var out []Violation
	for _, f := range s.fields()[:3] {
		if strings.TrimSpace(f.value) == "" {
			out = append(out, Violation{Rule: "fields", Field: f.name, Detail: "must not be empty"})
		}
	}
	for _, v := range checkMarkup(s, nil) {
		v.Rule = "markup"
		out = append(out, v)
	}
	return out
}
