package publisher

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// These checks read rendered markdown the way a CommonMark renderer reads
// the top level of a document, independently of how the renderer wrote it.

var (
	// sectionHeading is every "### " line the renderer may write.
	sectionHeading = regexp.MustCompile(`^### (?:요약|소개|추천|참고|주의)$`)
	// englishHeading is the seed's defect 1.
	englishHeading = regexp.MustCompile(`^#+ *(?:Summary|Introduction|Recommendation|Reference|Caution)\b`)
	// headingStart matches a line whose content, after indentation and any
	// block quote or list markers, starts with '#'.
	headingStart = regexp.MustCompile(`^(?:[ \t]*(?:>|[-*+][ \t]|[0-9]{1,9}[.)][ \t]))*[ \t]*#`)
	// htmlStart matches a line whose content starts like an HTML block.
	htmlStart = regexp.MustCompile(`^(?:[ \t]*(?:>|[-*+][ \t]|[0-9]{1,9}[.)][ \t]))*[ \t]*(<[A-Za-z/!?].*)$`)
	// autolinkStart is a URI or e-mail autolink, which is not HTML.
	autolinkStart = regexp.MustCompile(`^<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\x00-\x20<>]*|[^\x00-\x20<>@]+@[A-Za-z0-9.-]+)>`)
	// setextUnderline turns the paragraph line above it into a heading.
	setextUnderline = regexp.MustCompile(`^ {0,3}(?:=+|-+)[ \t]*$`)
)

// mdLine is one line of rendered markdown and whether it belongs to a fenced
// code block (fence lines included).
type mdLine struct {
	text  string
	fence bool
}

// scanLines splits md into lines and marks fenced code following CommonMark
// at the top level: fences indented at most 3 columns. open reports a fence
// left open at the end.
func scanLines(md string) (lines []mdLine, open bool) {
	var mark byte
	size := 0
	for text := range strings.SplitSeq(md, "\n") {
		trimmed := strings.TrimLeft(text, " ")
		indent := len(text) - len(trimmed)
		run := func(c byte) int { return len(trimmed) - len(strings.TrimLeft(trimmed, string(c))) }
		switch {
		case size > 0:
			if indent <= 3 && run(mark) >= size && strings.TrimRight(trimmed[run(mark):], " \t") == "" {
				size = 0
			}
			lines = append(lines, mdLine{text, true})
		case indent <= 3 && trimmed != "" && (trimmed[0] == '`' || trimmed[0] == '~') && run(trimmed[0]) >= 3 &&
			(trimmed[0] == '~' || !strings.Contains(trimmed[run('`'):], "`")):
			mark, size = trimmed[0], run(trimmed[0])
			lines = append(lines, mdLine{text, true})
		default:
			lines = append(lines, mdLine{text, false})
		}
	}
	return lines, size > 0
}

// checkBody checks markdown that the renderer wrote, outside front matter:
// spacing, that fences are closed, and that the only headings are the ones
// isHeading accepts, each with a blank line on both sides. It returns the
// headings.
func checkBody(t *testing.T, body string, isHeading func(string) bool) []string {
	t.Helper()
	if !strings.HasSuffix(body, "\n") || strings.HasSuffix(body, "\n\n") {
		t.Errorf("does not end with exactly one newline: %q", body[max(0, len(body)-20):])
	}
	if strings.Contains(body, "\r") {
		t.Error("contains a carriage return")
	}
	if strings.Contains(body, "\n\n\n") {
		t.Error("contains more than one blank line in a row")
	}
	lines, open := scanLines(strings.TrimSuffix(body, "\n"))
	if open {
		t.Error("a code fence is left open")
	}
	var headings []string
	for i, l := range lines {
		if strings.TrimRightFunc(l.text, unicode.IsSpace) != l.text {
			t.Errorf("line %d has trailing white space: %q", i+1, l.text)
		}
		if l.fence {
			continue
		}
		prevBlank := i == 0 || lines[i-1].text == ""
		switch {
		case strings.HasPrefix(l.text, "#"):
			if !isHeading(l.text) || englishHeading.MatchString(l.text) {
				t.Errorf("line %d is a heading the renderer did not write: %q", i+1, l.text)
			}
			if !prevBlank || (i+1 < len(lines) && lines[i+1].text != "") {
				t.Errorf("line %d: heading without a blank line on both sides: %q", i+1, l.text)
			}
			headings = append(headings, l.text)
		case headingStart.MatchString(l.text):
			t.Errorf("line %d is a heading inside a quote or list: %q", i+1, l.text)
		case !prevBlank && setextUnderline.MatchString(l.text):
			t.Errorf("line %d makes the line above it a heading: %q", i+1, l.text)
		}
		if m := htmlStart.FindStringSubmatch(l.text); m != nil && !autolinkStart.MatchString(m[1]) {
			t.Errorf("line %d starts an HTML block: %q", i+1, l.text)
		}
	}
	return headings
}

// checkArticleStructure checks one rendered article: exactly one "## "
// heading, first, and otherwise only the Korean section headings.
func checkArticleStructure(t *testing.T, block string) {
	t.Helper()
	headings := checkBody(t, block, func(h string) bool {
		return strings.HasPrefix(h, "## ") || sectionHeading.MatchString(h)
	})
	var h2 int
	for _, h := range headings {
		if strings.HasPrefix(h, "## ") {
			h2++
		}
	}
	if h2 != 1 || !strings.HasPrefix(block, "## ") {
		t.Errorf("want one \"## \" heading, first; got %d in %q", h2, headings)
	}
}

// checkIssueStructure checks a whole issue of n articles: front matter,
// n+1 "## " headings with "## 주의" last, and the disclaimer line.
func checkIssueStructure(t *testing.T, md []byte, n int) {
	t.Helper()
	s := string(md)
	end := strings.Index(s, "\n\n---\n\n")
	if !strings.HasPrefix(s, "---\n") || end < 0 {
		t.Fatalf("no front matter: %.200q", s)
	}
	keys := []string{"title: ", "datePublished: ", "cuid: ", "slug: ", "tags: "}
	fm := strings.Split(s[len("---\n"):end], "\n")
	if len(fm) != len(keys) {
		t.Errorf("front matter has %d lines, want %d: %q", len(fm), len(keys), fm)
	}
	for i, k := range keys {
		if i < len(fm) && !strings.HasPrefix(fm[i], k) {
			t.Errorf("front matter line %d = %q, want %q...", i+1, fm[i], k)
		}
	}

	body := s[end+len("\n\n---\n\n"):]
	headings := checkBody(t, body, func(h string) bool {
		return strings.HasPrefix(h, "## ") || sectionHeading.MatchString(h)
	})
	var h2 []string
	for _, h := range headings {
		if strings.HasPrefix(h, "## ") {
			h2 = append(h2, h)
		}
	}
	if len(h2) != n+1 || h2[len(h2)-1] != "## 주의" {
		t.Errorf("want %d article headings and \"## 주의\" last, got %q", n, h2)
	}
	if last := body[strings.LastIndex(body, "## 주의"):]; !regexp.MustCompile(`^## 주의\n\n- \S[^\n]*\n$`).MatchString(last) {
		t.Errorf("closing section = %q, want \"## 주의\", a blank line and one \"- \" line", last)
	}
}
