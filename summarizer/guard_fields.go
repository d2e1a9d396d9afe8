package summarizer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fieldLimits bounds each field in characters (runes). The prompt quotes
// them and the response schema carries the maxima.
type fieldLimits struct {
	MaxTitle               int
	MinSummary, MaxSummary int
	MinIntro, MaxIntro     int
	MaxOptional            int
}

var limits = fieldLimits{
	MaxTitle:   80,
	MinSummary: 40, MaxSummary: 600,
	MinIntro: 80, MaxIntro: 1500,
	MaxOptional: 800,
}

// checkFields: title_ko, summary and introduction are present; every field
// is within its length bounds; title_ko is Korean unless it is a name.
func checkFields(s Sections, src *source) []Violation {
	bounds := map[string][2]int{
		"title_ko":       {1, limits.MaxTitle},
		"summary":        {limits.MinSummary, limits.MaxSummary},
		"introduction":   {limits.MinIntro, limits.MaxIntro},
		"recommendation": {0, limits.MaxOptional},
		"caution":        {0, limits.MaxOptional},
	}
	var out []Violation
	for _, f := range s.fields() {
		b := bounds[f.name]
		n := utf8.RuneCountInString(f.value)
		switch {
		case n == 0 && b[0] > 0:
			out = append(out, Violation{Field: f.name, Detail: "is empty; it is required"})
		case n < b[0]:
			out = append(out, Violation{Field: f.name, Detail: fmt.Sprintf("is %d characters; write %d to %d", n, b[0], b[1])})
		case n > b[1]:
			out = append(out, Violation{Field: f.name, Detail: fmt.Sprintf("is %d characters; the maximum is %d", n, b[1])})
		}
	}
	if s.TitleKo != "" && !hasHangul(s.TitleKo) && !isName(s.TitleKo) {
		detail := "has no Korean; translate the title and keep only names in their original spelling"
		if strings.EqualFold(strings.Join(strings.Fields(s.TitleKo), " "), strings.Join(strings.Fields(src.title), " ")) {
			detail = "repeats the original title " + quote(src.title) + "; translate it into Korean"
		}
		out = append(out, Violation{Field: "title_ko", Detail: detail})
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
