package summarizer

import (
	"fmt"
	"strings"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/entry"
)

// glossaryTerm is one summarizer.glossary entry: the form the issue
// writes, and the variants a model writes instead.
type glossaryTerm struct {
	form     string
	variants []string
}

// parseGlossary reads summarizer.glossary entries, which config.Validate
// has approved; an entry that does not parse is left out. An empty list
// is an empty glossary, not nil (nil means the default).
func parseGlossary(entries []string) []glossaryTerm {
	out := []glossaryTerm{}
	for _, e := range entries {
		if form, variants, err := config.ParseGlossaryEntry(e); err == nil {
			out = append(out, glossaryTerm{form: form, variants: variants})
		}
	}
	return out
}

// checkGlossary: no field writes a variant of a glossary term; each one
// found is named with the form to write.
func checkGlossary(s entry.Sections, src *source) []Violation {
	var out []Violation
	for _, f := range fields(s) {
		for _, t := range src.glossary {
			for _, v := range t.variants {
				if strings.Contains(f.value, v) && !strings.Contains(src.text, v) {
					out = append(out, Violation{Field: f.name, Detail: fmt.Sprintf("writes %q; write %q", v, t.form)})
				}
			}
		}
	}
	return out
}
