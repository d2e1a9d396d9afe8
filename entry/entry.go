// Package entry defines the sections of a newsletter entry and the rules
// their text keeps to, once for every package that reads or writes them:
// the summariser's guardrails, the editors' desk and the publisher.
//
// An entry has five sections: a Korean title, 요약, 소개, an optional 추천
// and an optional 주의. Field names them as the database and the editors'
// API do; Sections holds them with the JSON keys of the model's answer and
// the cache. Check is the one per-field check (required fields present,
// lengths in runes, markup allowed), and Parse the one reading of a field
// as markdown, which the checks and the publisher walk.
package entry

import "slices"

// Field names a section of an entry, or the editors' opening paragraph of
// an issue, as the database and the editors' API do.
type Field string

// The sections of an entry, in entry order, and the opening paragraph.
const (
	Title          Field = "title"
	Summary        Field = "summary"
	Introduction   Field = "introduction"
	Recommendation Field = "recommendation"
	Caution        Field = "caution"
	// Opening is the editors' opening paragraph of an issue; it is not a
	// section of an entry, but keeps to the same markup rules.
	Opening Field = "intro"
)

// Fields lists the sections of an entry in entry order.
var Fields = []Field{Title, Summary, Introduction, Recommendation, Caution}

// Valid reports whether f is one of Fields.
func (f Field) Valid() bool { return slices.Contains(Fields, f) }

// Key is f's key in the JSON of Sections: "title_ko" for Title, the name
// itself for the others.
func (f Field) Key() string {
	if f == Title {
		return "title_ko"
	}
	return string(f)
}

// Sections are the text of an entry's sections. Headings, the 참고 link and
// all layout belong to the publisher.
type Sections struct {
	TitleKo        string `json:"title_ko"`
	Summary        string `json:"summary"`
	Introduction   string `json:"introduction"`
	Recommendation string `json:"recommendation,omitempty"`
	Caution        string `json:"caution,omitempty"`
}

// Get returns the text of field f in s, "" for a field s does not hold.
func (s Sections) Get(f Field) string {
	if p := s.field(f); p != nil {
		return *p
	}
	return ""
}

// Set sets field f of s to v; a field s does not hold is ignored.
func (s *Sections) Set(f Field, v string) {
	if p := s.field(f); p != nil {
		*p = v
	}
}

func (s *Sections) field(f Field) *string {
	switch f {
	case Title:
		return &s.TitleKo
	case Summary:
		return &s.Summary
	case Introduction:
		return &s.Introduction
	case Recommendation:
		return &s.Recommendation
	case Caution:
		return &s.Caution
	}
	return nil
}
