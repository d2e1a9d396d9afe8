package extractor

import (
	"regexp"
	"strings"
)

// maxTitleLen bounds a title taken from the first line of a text.
const maxTitleLen = 200

// plainArticle passes a text/plain body through, trimmed, titled by its
// first non-empty line.
func plainArticle(body []byte) *Article {
	text := strings.TrimSpace(normalizeNewlines(string(toUTF8(body))))
	return &Article{Title: titleFromLine(firstLine(text)), Text: text}
}

// markdownArticle passes a text/markdown body through. Outside code
// blocks and code spans it drops HTML comments, lines that hold nothing
// but images or markup (README badges, centred logos) and the HTML tags of
// the lines it keeps, and squeezes blank lines. The title is the first
// level-one heading, else the first line.
func markdownArticle(body []byte) *Article {
	var (
		out       []string
		fence     string // the open code fence, or ""
		inComment bool
		title     string
		blank     = true // the last kept line was blank
	)
	keep := func(line string) {
		if strings.TrimSpace(line) == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			return
		}
		out = append(out, line)
		blank = false
	}
	for line := range strings.SplitSeq(normalizeNewlines(string(toUTF8(body))), "\n") {
		if fence != "" {
			out = append(out, line)
			if isClosingFence(line, fence) {
				fence = ""
			}
			continue
		}
		if f := openingFence(line); f != "" && !inComment {
			fence = f
			out = append(out, line)
			blank = false
			continue
		}
		line, inComment = stripComments(line, inComment)
		if isMarkupOnly(line) {
			continue
		}
		line = stripTags(line)
		if title == "" {
			if h, ok := strings.CutPrefix(strings.TrimSpace(line), "# "); ok {
				title = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#"))
			}
		}
		keep(strings.TrimRight(line, " \t"))
	}
	text := strings.TrimSpace(strings.Join(out, "\n"))
	if title == "" {
		title = titleFromLine(strings.TrimLeft(firstLine(text), "# "))
	}
	return &Article{Title: title, Text: text}
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func firstLine(text string) string {
	for line := range strings.Lines(text) {
		if l := strings.TrimSpace(line); l != "" {
			return l
		}
	}
	return ""
}

// titleFromLine shortens a line to at most maxTitleLen bytes at a word
// boundary.
func titleFromLine(line string) string {
	line = clean(line)
	if len(line) <= maxTitleLen {
		return line
	}
	cut := strings.LastIndexByte(line[:maxTitleLen], ' ')
	if cut <= 0 {
		cut = maxTitleLen
		for cut > 0 && line[cut]&0xC0 == 0x80 { // stay on a rune boundary
			cut--
		}
	}
	return line[:cut] + "…"
}

// openingFence returns the fence ("```", "~~~~", …) a line opens, or "".
func openingFence(line string) string {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return ""
	}
	for _, c := range []string{"`", "~"} {
		n := len(t) - len(strings.TrimLeft(t, c))
		if n >= 3 {
			if c == "`" && strings.Contains(t[n:], "`") {
				return "" // an inline code span, not a fence
			}
			return t[:n]
		}
	}
	return ""
}

func isClosingFence(line, fence string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == ""
}

// stripComments removes HTML comments from a line; inComment says whether
// the line starts inside a comment and the result whether it ends in one.
func stripComments(line string, inComment bool) (string, bool) {
	var b strings.Builder
	for {
		if inComment {
			end := strings.Index(line, "-->")
			if end < 0 {
				return b.String(), true
			}
			line, inComment = line[end+3:], false
			continue
		}
		start := strings.Index(line, "<!--")
		if start < 0 {
			b.WriteString(line)
			return b.String(), false
		}
		b.WriteString(line[:start])
		line, inComment = line[start+4:], true
	}
}

var (
	// markdownImage matches ![alt](src), [![alt](src)](href) and their
	// reference forms.
	markdownImage = regexp.MustCompile(`\[?!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])(?:\]\([^)]*\)|\]\[[^\]]*\])?`)
	htmlTag       = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
)

// isMarkupOnly reports whether a line holds images or HTML tags and no
// words besides, like a row of README badges or a centred logo.
func isMarkupOnly(line string) bool {
	rest := markdownImage.ReplaceAllString(line, "")
	rest = htmlTag.ReplaceAllString(rest, "")
	if len(rest) == len(line) {
		return false // nothing removed: an ordinary line, blank or not
	}
	return strings.TrimSpace(rest) == ""
}

// stripTags removes HTML tags outside `code spans`.
func stripTags(line string) string {
	if !strings.Contains(line, "<") {
		return line
	}
	parts := strings.Split(line, "`")
	for i := 0; i < len(parts); i += 2 {
		parts[i] = htmlTag.ReplaceAllString(parts[i], "")
	}
	return strings.Join(parts, "`")
}
