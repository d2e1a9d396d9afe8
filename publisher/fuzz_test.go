package publisher

import (
	"testing"

	"github.com/godevcommunity/newsletter/entry"
)

// FuzzRenderArticle checks that no field content, however malformed, breaks
// an article's structure: one "## " heading, only the Korean section
// headings, closed fences, clean spacing.
func FuzzRenderArticle(f *testing.F) {
	for _, a := range []Article{articleAllSections, articleRequiredOnly, articleCodeAndLists, articleHostile} {
		f.Add(a.TitleKo, a.Summary, a.Introduction, a.Recommendation, a.Caution, a.Link, a.LinkText)
	}
	f.Add("", "````\n```\n", "   ```\n# x\n```", "- ```\n  # x", "> ```\n# x", "", "")
	f.Add("#", "a\n-", "a\n    ---", "1. a\n2) b\n\n---", "~~~\n```\n~~~", "https://x.dev/(", "]\\")
	f.Add("[제목](/x) <b>", seedLine598, seedLine604, "[~~~](/x)\n# x", "| a |\n|---|\n| `<b>|` |", "/product/", "<a>")
	f.Fuzz(func(t *testing.T, title, summary, intro, rec, caution, link, linkText string) {
		a := Article{Sections: entry.Sections{TitleKo: title, Summary: summary, Introduction: intro, Recommendation: rec, Caution: caution}, Link: link, LinkText: linkText}
		checkArticleStructure(t, RenderArticle(a))
	})
}
