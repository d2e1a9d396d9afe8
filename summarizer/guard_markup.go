package summarizer

import "github.com/godevcommunity/newsletter/entry"

// checkMarkup: no HTML tags, headings, rules, section labels or links
// outside code, as entry.Disallowed reads them from each field's tree.
func checkMarkup(s entry.Sections, _ *source) []Violation {
	return problems(s, entry.RuleMarkup)
}
