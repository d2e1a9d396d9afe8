package publisher

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark/ast"

	"github.com/godevcommunity/newsletter/entry"
)

// These checks read rendered markdown as a tree, with entry.Parse (CommonMark
// and GFM tables), independently of how the renderer wrote it.

// sectionHeadings are the "### " headings the renderer may write.
var sectionHeadings = []string{"요약", "소개", "추천", "참고", "주의"}

// englishHeadings are the seed's defect 1.
var englishHeadings = []string{"Summary", "Introduction", "Recommendation", "Reference", "Caution"}

// heading is one heading of rendered markdown: its level and its text.
type heading struct {
	level int
	text  string
}

func (h heading) String() string { return strings.Repeat("#", h.level) + " " + h.text }

// checkBody checks markdown that the renderer wrote, outside front matter:
// spacing; that its tree has headings only at the top level, each with a
// blank line on both sides and accepted by isHeading; that fenced code is
// closed; and that it holds no HTML, images, link definitions, links but to
// an absolute http(s) URL in a 참고 section, or autolinks but to one or to an
// e-mail address. It returns the headings.
func checkBody(t *testing.T, body string, isHeading func(heading) bool) []heading {
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
	for i, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if strings.TrimRightFunc(l, unicode.IsSpace) != l {
			t.Errorf("line %d has trailing white space: %q", i+1, l)
		}
	}
	src := []byte(body)
	doc := entry.Parse(src)
	var headings []heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			h := heading{n.Level, inlineText(textOf(n, src))}
			if n.Parent().Kind() != ast.KindDocument || !isHeading(h) || slices.ContainsFunc(englishHeadings, func(e string) bool { return strings.HasPrefix(h.text, e) }) {
				t.Errorf("a heading the renderer did not write: %q", h)
			}
			if ls := lineStartOf(src, n.Pos()); ls > 0 && (ls < 2 || src[ls-2] != '\n') {
				t.Errorf("heading %q without a blank line before it", h)
			}
			if le := bytes.IndexByte(src[n.Pos():], '\n') + n.Pos(); le+1 < len(src) && src[le+1] != '\n' {
				t.Errorf("heading %q without a blank line after it", h)
			}
			headings = append(headings, h)
		case *ast.FencedCodeBlock:
			if l := n.Lines(); l.Len() > 0 && l.At(l.Len()-1).Stop >= len(src) {
				t.Error("a code fence is left open")
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock, *ast.RawHTML:
			t.Errorf("holds HTML: %s", n.Kind())
		case *ast.Image, *ast.LinkReferenceDefinition:
			t.Errorf("holds %s", n.Kind())
		case *ast.Link:
			if !webURL(n.Destination) || !inReference(n) {
				t.Errorf("a link the renderer did not write: %q", n.Destination)
			}
		case *ast.AutoLink:
			if n.AutoLinkType != ast.AutoLinkEmail && !webURL(n.URL(src)) {
				t.Errorf("an autolink to %q", n.URL(src))
			}
		}
		return ast.WalkContinue, nil
	})
	return headings
}

// inReference reports whether link n is the paragraph right after a
// "### 참고" heading.
func inReference(n ast.Node) bool {
	p := n.Parent()
	if p == nil || p.Kind() != ast.KindParagraph || p.Parent().Kind() != ast.KindDocument {
		return false
	}
	h, ok := p.PreviousSibling().(*ast.Heading)
	return ok && h.Level == 3 && h.FirstChild() != nil && h.ChildCount() == 1 && h.FirstChild().Kind() == ast.KindText
}

// textOf is the text of n's inlines as written, markup left out.
func textOf(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func lineStartOf(src []byte, i int) int {
	return bytes.LastIndexByte(src[:i], '\n') + 1
}

// isArticleHeading accepts the headings an article block may have.
func isArticleHeading(h heading) bool {
	return h.level == 2 || (h.level == 3 && slices.Contains(sectionHeadings, h.text))
}

// checkArticleStructure checks one rendered article: exactly one "## "
// heading, first, and otherwise only the Korean section headings.
func checkArticleStructure(t *testing.T, block string) {
	t.Helper()
	headings := checkBody(t, block, isArticleHeading)
	var h2 int
	for _, h := range headings {
		if h.level == 2 {
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
	headings := checkBody(t, body, isArticleHeading)
	var h2 []heading
	for _, h := range headings {
		if h.level == 2 {
			h2 = append(h2, h)
		}
	}
	if len(h2) != n+1 || h2[len(h2)-1] != (heading{2, "주의"}) {
		t.Errorf("want %d article headings and \"## 주의\" last, got %q", n, h2)
	}
	last := body[strings.LastIndex(body, "## 주의"):]
	line, ok := strings.CutPrefix(last, "## 주의\n\n- ")
	if !ok || !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 || strings.TrimSpace(line) == "" || line[0] == ' ' {
		t.Errorf("closing section = %q, want \"## 주의\", a blank line and one \"- \" line", last)
	}
}
