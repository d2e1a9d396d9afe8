package publisher

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// inlineText collapses s to one line: white space runs, newlines included,
// become one space.
func inlineText(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

// headingText is the text of an article's "## " heading: its title on one
// line, read as a heading's content is and rewritten as a field is (links
// reduced to text, raw HTML escaped), or the source title or URL when the
// title is empty (and "제목 없음" when all three are). A trailing run of '#'
// is escaped; markdown would drop it as a closing sequence.
func headingText(a Article) string {
	t := ""
	if title := inlineText(a.TitleKo); title != "" {
		t = strings.TrimSpace(strings.TrimPrefix(settle("## "+title, true), "##"))
	}
	if t == "" {
		t = escapeLiteral(inlineText(a.LinkText))
	}
	if t == "" {
		t = escapeLiteral(inlineText(a.Link))
	}
	if t == "" {
		t = "제목 없음"
	}
	if trimmed := strings.TrimRight(t, "#"); trimmed != t && (trimmed == "" || strings.HasSuffix(trimmed, " ")) {
		t = trimmed + `\` + t[len(trimmed):]
	}
	return t
}

// referenceLink is the body of the 참고 section: a markdown link to link
// labelled with text, or with the URL itself when text is empty. Only an
// absolute http(s) link is linked; anything else is shown as text.
func referenceLink(link, text string) string {
	link = strings.TrimSpace(link)
	label := inlineText(text)
	if label == "" {
		label = inlineText(link)
	}
	switch {
	case label == "":
		return ""
	case !absoluteHTTP(link):
		return fieldText(escapeLiteral(label))
	}
	return "[" + escapeLiteral(label) + "](" + linkDestination(link) + ")"
}

// escapeLiteral backslash-escapes the characters that markdown would read as
// inline syntax, so s (a source title, not markdown) shows as written.
func escapeLiteral(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// linkDestination makes link safe as a markdown link destination: white
// space, control characters, invalid UTF-8 and the characters that would end
// the destination or start other syntax ( ( ) < > \ ` ) are percent-encoded.
// Everything else, '%' included, is kept, so an encoded URL stays as it is.
func linkDestination(link string) string {
	var b strings.Builder
	for i := 0; i < len(link); {
		r, size := utf8.DecodeRuneInString(link[i:])
		if (r == utf8.RuneError && size == 1) || r < 0x20 || r == 0x7f ||
			strings.ContainsRune(" ()<>\\`", r) || unicode.IsSpace(r) {
			for _, c := range []byte(link[i : i+size]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		} else {
			b.WriteString(link[i : i+size])
		}
		i += size
	}
	return b.String()
}
