package summarizer

import (
	"regexp"
	"strings"
)

// htmlAttr is one attribute of an HTML tag: a name, optionally with a value.
const htmlAttr = `(?:\s+[a-zA-Z_:][\w:.-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=]+))?)`

// Markup the fields may not contain, outside code. Headings, the reference
// link and all spacing are written by the publisher, so a field holds plain
// paragraphs, "- " lists, emphasis and inline code, and no links of any
// kind: a model-written link is either a copy of the reference or a guess.
var (
	// htmlTag matches elements by name with attributes in HTML syntax, so
	// that generics (List<T>, Map<K, V>, Result<S>) and comparisons (a < b,
	// x<b이고 y>c) are not mistaken for tags. A one-letter name in capitals
	// counts only with attributes (<A HREF="/x">).
	htmlTag = regexp.MustCompile(`<!--|</?(?:(?:(?i:abbr|article|aside|blockquote|br|button|caption|center|code|dd|del|details|div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|header|hr|iframe|img|input|ins|kbd|label|li|link|mark|meta|nav|ol|picture|pre|script|section|small|source|span|strong|style|sub|summary|sup|svg|table|tbody|td|th|thead|tr|ul|video)|[abipsu])` + htmlAttr + `*|(?i:[abipsu])` + htmlAttr + `+)\s*/?>`)
	// atxHeading is a markdown heading line: "### Summary", "## 추가 자료".
	atxHeading = regexp.MustCompile(`^ {0,3}#{1,6}(\s|$)`)
	// ruleLine is a thematic break or a setext heading underline.
	ruleLine = regexp.MustCompile(`^ {0,3}(={3,}|-{3,}|\*{3,}|_{3,})\s*$`)
	// labelLine is a section label standing alone, "**Summary**" or "요약:",
	// or an English label opening a line, "Summary: ...".
	labelLine = regexp.MustCompile(`(?i)^\s*(?:\*\*|__)?\s*(?:(?:summary|introduction|recommendations?|references?|caution|요약|소개|추천|참고|주의)\s*:?\s*(?:\*\*|__)?\s*:?\s*$|(?:summary|introduction|recommendations?|references?|caution)\s*(?:\*\*|__)?\s*:)`)
	// mdLink is a markdown link or image (group 2) and the character before
	// it (group 1), which may not be part of an identifier: F[T any](x T) is
	// Go code.
	mdLink = regexp.MustCompile(`(^|\W)(!?\[[^\]]*\]\([^)]*\))`)
	// bareURL is an absolute URL, with or without angle brackets.
	bareURL = regexp.MustCompile(`(?i)\bhttps?://[^\s)>\]]+`)
)

// checkMarkup: no HTML tags, markdown headings, rules, section labels or
// links outside code.
func checkMarkup(s Sections, _ *source) []Violation {
	var out []Violation
	for _, f := range s.fields() {
		p := prose(f.value)
		add := func(what string, match string) {
			out = append(out, Violation{Field: f.name, Detail: what + " " + quote(match) + "; " + markupAdvice[what]})
		}
		for _, m := range firstN(htmlTag.FindAllString(p, -1), 3) {
			add("HTML tag", m)
		}
		for _, line := range strings.Split(p, "\n") {
			switch {
			case atxHeading.MatchString(line):
				add("heading", line)
			case ruleLine.MatchString(line):
				add("rule line", line)
			case labelLine.MatchString(line):
				add("section label", line)
			}
		}
		for _, m := range firstN(mdLink.FindAllStringSubmatch(p, -1), 3) {
			add("link", m[2])
		}
		// URLs inside markdown links were reported with the link.
		for _, m := range firstN(bareURL.FindAllString(mdLink.ReplaceAllString(p, "$1 "), -1), 3) {
			add("URL", m)
		}
	}
	return out
}

var markupAdvice = map[string]string{
	"HTML tag":      "write plain text without HTML",
	"heading":       "fields must not contain headings; the newsletter adds them",
	"rule line":     "remove it; fields are plain paragraphs",
	"section label": "remove the label; the newsletter adds the section headings",
	"link":          "remove the link; the newsletter adds the article link itself",
	"URL":           "remove the URL; the newsletter adds the article link itself",
}

func firstN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}
