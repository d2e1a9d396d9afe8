package entry

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// fieldMarkdown reads a field as CommonMark with GFM tables (as Hashnode
// renders them) and bare http(s) URLs as autolinks. It is safe for
// concurrent use.
var fieldMarkdown = goldmark.New(goldmark.WithExtensions(
	extension.Table,
	extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})),
))

// commonMark reads a field as CommonMark alone, without tables.
var commonMark = goldmark.New()

// Parse reads src, a field's text, as markdown: the one reading of a field
// that the checks and the publisher walk. Link reference definitions are
// nodes of the tree too.
func Parse(src []byte) ast.Node {
	return fieldMarkdown.Parser().Parse(text.NewReader(src))
}

// ParseCommonMark reads src as a renderer without GFM tables does (the
// archive's HTML): a table's rows are a paragraph, and its cells' text, such
// as the cells GFM ignores past the header's count, is read as prose. The
// publisher rewrites a field until neither reading holds what it may not.
func ParseCommonMark(src []byte) ast.Node {
	return commonMark.Parser().Parse(text.NewReader(src))
}

// Kind is a kind of markup a field may not hold. Headings, the reference
// link and all spacing are written by the publisher, so a field holds plain
// paragraphs, lists, emphasis and code, and no links of any kind: a
// model-written link is either a copy of the reference or a guess.
type Kind string

// The kinds of markup a field may not hold, outside code.
const (
	// HTML is a tag of an HTML element or a comment, inline or opening an
	// HTML block. Generics (List<T>, Map<K, V>) and comparisons are not
	// tags: a name must be an HTML element's, and a one-letter name in
	// capitals counts only with attributes (<A HREF="/x">).
	HTML Kind = "HTML tag"
	// Heading is an ATX ("## 추가 자료") or setext heading.
	Heading Kind = "heading"
	// Rule is a thematic break ("---").
	Rule Kind = "rule line"
	// Label is a section label standing alone at the top level, "**Summary**"
	// or "요약:", or an English label opening a line, "Summary: ...".
	Label Kind = "section label"
	// Link is a link or image, unless an identifier runs into it (F[T any](x T)
	// and Index[[]int](s) are Go), or a link reference definition.
	Link Kind = "link"
	// URL is an absolute http(s) URL, bare or in angle brackets.
	URL Kind = "URL"
)

// advice says how to mend each kind, for the corrective prompt and editors.
var advice = map[Kind]string{
	HTML:    "write plain text without HTML",
	Heading: "fields must not contain headings; the newsletter adds them",
	Rule:    "remove it; fields are plain paragraphs",
	Label:   "remove the label; the newsletter adds the section headings",
	Link:    "remove the link; the newsletter adds the article link itself",
	URL:     "remove the URL; the newsletter adds the article link itself",
}

// Markup is one piece of markup a field may not hold.
type Markup struct {
	Kind Kind
	// Text is the markup as written (a link rebuilt from its parts).
	Text string
}

// String is the detail of a markup Problem: the kind, the text quoted and
// shortened, and the advice.
func (m Markup) String() string {
	return string(m.Kind) + " " + Quote(m.Text) + "; " + advice[m.Kind]
}

// Quote shortens s for a problem's detail: white space runs become one
// space, and more than 60 characters are cut with "…".
func Quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// perKind bounds how many tags, links and URLs one field reports.
const perKind = 3

// Disallowed returns the markup of text that no field may hold, read from
// its tree: HTML tags first, then headings, rules and labels in the order
// they stand, then links, then URLs; at most three tags, links and URLs.
// Code, fenced or in spans, is exempt.
func Disallowed(text string) []Markup {
	src := []byte(text)
	doc := Parse(src)
	var tags, blocks, links, urls []Markup
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan, *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			if first := strings.TrimSpace(string(firstLine(n, src))); isElementTag(first) {
				tags = append(tags, Markup{HTML, first})
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			if tag := string(segments(n.Segments, src)); isElementTag(tag) {
				tags = append(tags, Markup{HTML, tag})
			}
		case *ast.Heading:
			blocks = append(blocks, Markup{Heading, headingText(n, src)})
			return ast.WalkSkipChildren, nil
		case *ast.ThematicBreak:
			blocks = append(blocks, Markup{Rule, string(lineAt(src, n.Pos()))})
		case *ast.Paragraph:
			if n.Parent() != nil && n.Parent().Kind() == ast.KindDocument {
				for i := range n.Lines().Len() {
					seg := n.Lines().At(i)
					if line := strings.TrimSpace(string(seg.Value(src))); isLabel(line) {
						blocks = append(blocks, Markup{Label, line})
					}
				}
			}
		case *ast.Link:
			if !afterIdentifier(src, n.Pos()) {
				links = append(links, Markup{Link, "[" + plainText(n, src) + "](" + string(n.Destination) + ")"})
			}
			return ast.WalkSkipChildren, nil
		case *ast.LinkReferenceDefinition:
			links = append(links, Markup{Link, "[" + string(n.Label) + "]: " + string(n.Destination)})
		case *ast.Image:
			if !afterIdentifier(src, n.Pos()) {
				links = append(links, Markup{Link, "![" + plainText(n, src) + "](" + string(n.Destination) + ")"})
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			if u := string(n.URL(src)); n.AutoLinkType == ast.AutoLinkURL && hasWebScheme(u) {
				urls = append(urls, Markup{URL, u})
			}
		}
		return ast.WalkContinue, nil
	})
	out := firstN(tags, perKind)
	out = append(out, blocks...)
	out = append(out, firstN(links, perKind)...)
	return append(out, firstN(urls, perKind)...)
}

func firstN(s []Markup, n int) []Markup {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// hasWebScheme reports whether u starts with http:// or https://, in any
// case.
func hasWebScheme(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// segments concatenates the text of segs in src.
func segments(segs *text.Segments, src []byte) []byte {
	var b bytes.Buffer
	for i := range segs.Len() {
		seg := segs.At(i)
		b.Write(seg.Value(src))
	}
	return b.Bytes()
}

// firstLine is the first line of a block as written.
func firstLine(n ast.Node, src []byte) []byte {
	if n.Lines().Len() == 0 {
		return lineAt(src, n.Pos())
	}
	seg := n.Lines().At(0)
	return bytes.TrimRight(seg.Value(src), "\r\n")
}

// lineAt returns the line of src holding offset pos, without its newline.
func lineAt(src []byte, pos int) []byte {
	if pos < 0 || pos > len(src) {
		return nil
	}
	start := bytes.LastIndexByte(src[:pos], '\n') + 1
	end := bytes.IndexByte(src[pos:], '\n')
	if end < 0 {
		return src[start:]
	}
	return src[start : pos+end]
}

// headingText is a heading as written: an ATX heading's line, a setext
// heading's text lines and underline.
func headingText(h *ast.Heading, src []byte) string {
	if h.Lines().Len() == 0 {
		return string(lineAt(src, h.Pos()))
	}
	first := h.Lines().At(0)
	last := h.Lines().At(h.Lines().Len() - 1)
	if at := bytes.LastIndexByte(src[:first.Start], '\n') + 1; bytes.IndexByte(src[at:first.Start], '#') >= 0 {
		return string(lineAt(src, first.Start)) // ATX: one line
	}
	underline := last.Stop
	if underline < len(src) && src[underline-1] != '\n' {
		underline = bytes.IndexByte(src[underline:], '\n') + underline
	}
	return string(src[first.Start:underline]) + " " + string(lineAt(src, min(underline+1, len(src))))
}

// plainText is the text of n's descendants as written, without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// afterIdentifier reports whether the byte before pos in src is an ASCII
// letter, digit or underscore: "F[T any](x T)" is Go, not a link.
func afterIdentifier(src []byte, pos int) bool {
	if pos <= 0 || pos > len(src) {
		return false
	}
	c := src[pos-1]
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// elements are the HTML element names a tag is reported by (in lower case).
var elements = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`abbr article aside blockquote br button caption center code dd del
		details div dl dt em figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hr iframe img input
		ins kbd label li link mark meta nav ol picture pre script section small source span strong style sub
		summary sup svg table tbody td th thead tr ul video`) {
		elements[e] = true
	}
}

// isElementTag reports whether s starts with an HTML comment or a tag of
// an HTML element: one of elements in any case, a, b, i, p, s or u in
// lower case, or one of those in capitals with attributes.
func isElementTag(s string) bool {
	if strings.HasPrefix(s, "<!--") {
		return true
	}
	rest, ok := strings.CutPrefix(s, "<")
	if !ok {
		return false
	}
	rest = strings.TrimPrefix(rest, "/")
	end := strings.IndexFunc(rest, func(r rune) bool { return !isTagNameRune(r) })
	if end < 0 {
		end = len(rest)
	}
	name, attrs := rest[:end], strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest[end:]), ">"))
	attrs = strings.TrimSpace(strings.TrimSuffix(attrs, "/"))
	switch {
	case name == "":
		return false
	case elements[strings.ToLower(name)]:
		return true
	case utf8.RuneCountInString(name) == 1 && strings.Contains("abipsu", name):
		return true
	case utf8.RuneCountInString(name) == 1 && strings.Contains("ABIPSU", name):
		return attrs != ""
	}
	return false
}

// Section labels: English ones count opening a line too.
var (
	labelsEnglish = []string{"recommendations", "recommendation", "introduction", "references", "reference", "summary", "caution"}
	labelsKorean  = []string{"요약", "소개", "추천", "참고", "주의"}
)

// isLabel reports whether line, a paragraph's line, is a section label
// standing alone ("**Summary**", "요약:", "Caution**:") or an English label
// opening it ("Summary: ...").
func isLabel(line string) bool {
	s := strings.ToLower(trimStrong(strings.TrimSpace(line)))
	for _, l := range append(labelsEnglish, labelsKorean...) {
		rest, ok := strings.CutPrefix(s, l)
		if !ok {
			continue
		}
		// Alone: an optional colon, bold closer and colon, nothing else.
		r := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ":"))
		r = strings.TrimSpace(strings.TrimPrefix(trimStrong(r), ":"))
		if r == "" {
			return true
		}
		// Opening a line: an English label, a bold closer and a colon.
		english := l[0] < utf8.RuneSelf
		return english && strings.HasPrefix(trimStrong(strings.TrimSpace(rest)), ":")
	}
	return false
}

// trimStrong cuts a leading "**" or "__" from s and the white space after.
func trimStrong(s string) string {
	for _, d := range []string{"**", "__"} {
		if rest, ok := strings.CutPrefix(s, d); ok {
			return strings.TrimSpace(rest)
		}
	}
	return s
}

// Prose returns text with its code, in spans and blocks, replaced by white
// space, for the rules that exempt code: a code span becomes one space and
// the lines of a code block (fences included) empty lines, so the rest
// keeps its lines.
func Prose(text string) string {
	src := []byte(text)
	type blank struct {
		at, end int
		block   bool
	}
	var code []blank
	_ = ast.Walk(Parse(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan:
			code = append(code, blank{n.Pos(), codeSpanEnd(n, src), false})
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			at := bytes.LastIndexByte(src[:blockStart(n)], '\n') + 1
			end := at
			if l := n.Lines(); l.Len() > 0 {
				end = l.At(l.Len() - 1).Stop
			}
			end = lineEndFrom(src, max(end-1, at))
			if f, ok := n.(*ast.FencedCodeBlock); ok && end < len(src) {
				// The closing fence, when the next line is one.
				next := lineEndFrom(src, end+1)
				line := bytes.TrimSpace(src[end+1 : next])
				mark := src[f.Pos()]
				if len(line) >= 3 && len(bytes.Trim(line, string(mark))) == 0 {
					end = next
				}
			}
			code = append(code, blank{at, end, true})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	var b strings.Builder
	done := 0
	for _, c := range code {
		if c.at < done {
			continue
		}
		b.Write(src[done:c.at])
		if n := bytes.Count(src[c.at:c.end], []byte("\n")); n > 0 || c.block {
			b.WriteString(strings.Repeat("\n", n))
		} else {
			b.WriteByte(' ')
		}
		done = c.end
	}
	b.Write(src[done:])
	return b.String()
}

// blockStart is the offset of a code block's first byte: its opening
// fence, or its first line.
func blockStart(n ast.Node) int {
	if n.Pos() >= 0 {
		return n.Pos()
	}
	if n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	return 0
}

// codeSpanEnd returns the offset just past the closing run of backticks of
// code span n.
func codeSpanEnd(n *ast.CodeSpan, src []byte) int {
	run := 0
	for n.Pos()+run < len(src) && src[n.Pos()+run] == '`' {
		run++
	}
	from := n.Pos() + run
	if c, ok := n.LastChild().(*ast.Text); ok {
		from = c.Segment.Stop
	}
	closer := bytes.Repeat([]byte("`"), run)
	for i := from; i < len(src); {
		j := bytes.Index(src[i:], closer)
		if j < 0 {
			break
		}
		i += j
		k := i + run
		if k < len(src) && src[k] == '`' {
			for k < len(src) && src[k] == '`' {
				k++
			}
			i = k
			continue
		}
		return k
	}
	return len(src)
}

// lineEndFrom returns the offset of the newline ending the line that holds
// offset i, or len(src).
func lineEndFrom(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}

// isTagNameRune reports whether r may stand in an HTML tag's name.
func isTagNameRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-'
}
