package summarizer

import (
	"strings"
	"unicode"

	"github.com/godevcommunity/newsletter/entry"
)

// fieldLimits are the bounds of entry.Field.Limits as the prompt template
// quotes them.
type fieldLimits struct {
	MaxTitle               int
	MinSummary, MaxSummary int
	MinIntro, MaxIntro     int
	MaxOptional            int
}

var limits = fieldLimits{
	MaxTitle:   entry.Title.Limits().Max,
	MinSummary: entry.Summary.Limits().Min, MaxSummary: entry.Summary.Limits().Max,
	MinIntro: entry.Introduction.Limits().Min, MaxIntro: entry.Introduction.Limits().Max,
	MaxOptional: entry.Recommendation.Limits().Max,
}

// checkFields: title_ko, summary and introduction are present; every field
// is within its length bounds (entry.Check); title_ko is Korean unless it
// is a name.
func checkFields(s entry.Sections, src *source) []Violation {
	out := problems(s, entry.RuleFields)
	if s.TitleKo != "" && !hasHangul(s.TitleKo) && !isName(s.TitleKo) {
		detail := "has no Korean; translate the title and keep only names in their original spelling"
		if strings.EqualFold(strings.Join(strings.Fields(s.TitleKo), " "), strings.Join(strings.Fields(src.title), " ")) {
			detail = "repeats the original title " + quote(src.title) + "; translate it into Korean"
		}
		out = append(out, Violation{Field: entry.Title.Key(), Detail: detail})
	}
	return out
}

// isName reports whether a title without Hangul may stand as it is: one
// word ("gomponents", "FastDB"), or two words that each carry a capital
// letter or digit ("Go Fiber", "Goakt v2").
func isName(title string) bool {
	words := strings.Fields(title)
	switch len(words) {
	case 1:
		return true
	case 2:
		for _, w := range words {
			if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsUpper(r) || unicode.IsDigit(r) }) {
				return false
			}
		}
		return true
	}
	return false
}

func hasHangul(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Hangul, r) })
}
