package extractor

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Render turns an article's content tree into the package's text format:
// paragraphs separated by blank lines, headings as "## Heading", list items
// as "- item" or "1. item", tables as rows of cells joined by " | ", quotes
// prefixed with "> " and code blocks fenced with ``` and kept verbatim.
// Whitespace outside code is collapsed. Markup that is never article text
// (scripts, forms, navigation, share and comment widgets, hidden nodes) is
// skipped.
func Render(n *html.Node) string {
	if n == nil {
		return ""
	}
	var r renderer
	r.node(n)
	r.flush()
	return strings.Join(r.blocks, "\n\n")
}

// renderer collects the blocks of one container. Inline text accumulates in
// line until a block boundary flushes it as a paragraph.
type renderer struct {
	blocks []string
	line   strings.Builder
}

// lineBreak marks a <br> inside the inline buffer; text nodes never carry it
// because the HTML parser replaces NUL characters.
const lineBreak = '\x00'

func (r *renderer) emit(block string) {
	if block != "" {
		r.blocks = append(r.blocks, block)
	}
}

// flush ends the current paragraph.
func (r *renderer) flush() {
	if r.line.Len() == 0 {
		return
	}
	r.emit(collapse(r.line.String()))
	r.line.Reset()
}

func (r *renderer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c)
	}
}

func (r *renderer) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		r.line.WriteString(strings.ReplaceAll(n.Data, string(lineBreak), ""))
		return
	case html.DocumentNode:
		r.children(n)
		return
	case html.ElementNode:
	default:
		return
	}
	if skipped(n) {
		return
	}
	switch tagOf(n) {
	case atom.Br:
		r.line.WriteByte(lineBreak)
	case atom.Hr:
		r.flush()
	case atom.Pre:
		r.flush()
		r.emit(codeBlock(n))
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		r.flush()
		if t := strings.ReplaceAll(inlineText(n), "\n", " "); t != "" {
			r.emit(headingPrefix(tagOf(n)) + t)
		}
	case atom.Ul, atom.Ol:
		r.flush()
		r.emit(list(n))
	case atom.Blockquote:
		r.flush()
		r.emit(prefixLines(renderChildren(n), "> ", "> "))
	case atom.Table:
		r.flush()
		r.table(n)
	case atom.Code, atom.Kbd, atom.Samp:
		// A <code> spanning lines is a code block whose <pre> was lost
		// (trafilatura drops it); otherwise it is inline code.
		if strings.Contains(strings.TrimSpace(textContent(n)), "\n") {
			r.flush()
			r.emit(codeBlock(n))
			return
		}
		if t := strings.Join(strings.Fields(textContent(n)), " "); t != "" {
			r.line.WriteString("`" + strings.ReplaceAll(t, "`", "'") + "`")
		}
	default:
		if isBlock(tagOf(n)) {
			r.flush()
			r.children(n)
			r.flush()
		} else {
			r.children(n)
		}
	}
}

// renderChildren renders n's children as a separate container.
func renderChildren(n *html.Node) string {
	return strings.Join(childBlocks(n), "\n\n")
}

func childBlocks(n *html.Node) []string {
	var sub renderer
	sub.children(n)
	sub.flush()
	return sub.blocks
}

// inlineText renders n's content as one paragraph.
func inlineText(n *html.Node) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(renderChildren(n), "\n\n", "\n")), " ")
}

func headingPrefix(a atom.Atom) string {
	switch a {
	case atom.H1, atom.H2:
		return "## "
	case atom.H3:
		return "### "
	default:
		return "#### "
	}
}

// list renders a <ul> or <ol>. Items are on consecutive lines; an item's
// further blocks are indented under its marker, as markdown expects.
func list(n *html.Node) string {
	ordered := tagOf(n) == atom.Ol
	num := 1
	if ordered {
		if s, err := strconv.Atoi(attr(n, "start")); err == nil {
			num = s
		}
	}
	var items []string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || skipped(c) {
			continue
		}
		if tagOf(c) != atom.Li {
			// Stray content between items (invalid but common): keep it.
			var stray renderer
			stray.node(c)
			stray.flush()
			if body := strings.Join(stray.blocks, "\n"); body != "" {
				items = append(items, body)
			}
			continue
		}
		// An item's blocks stay on consecutive lines: a tight list.
		body := strings.Join(childBlocks(c), "\n")
		if body == "" {
			continue
		}
		marker := "- "
		if ordered {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		items = append(items, prefixLines(body, marker, strings.Repeat(" ", len(marker))))
	}
	return strings.Join(items, "\n")
}

// prefixLines puts first before the first line of s and rest before every
// other non-empty line.
func prefixLines(s, first, rest string) string {
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		switch {
		case i == 0:
			lines[i] = first + l
		case l == "":
			lines[i] = strings.TrimRight(rest, " ")
		default:
			lines[i] = rest + l
		}
	}
	return strings.Join(lines, "\n")
}

// table renders a data table as one line per row. A layout table, whose
// cells hold block content, is rendered cell by cell as ordinary blocks.
func (r *renderer) table(n *html.Node) {
	if hasBlockContent(n) {
		r.children(n)
		r.flush()
		return
	}
	var rows []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skipped(c) {
				continue
			}
			switch tagOf(c) {
			case atom.Tr:
				var cells []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (tagOf(td) == atom.Td || tagOf(td) == atom.Th) && !skipped(td) {
						if t := strings.ReplaceAll(inlineText(td), "\n", " "); t != "" {
							cells = append(cells, t)
						}
					}
				}
				if len(cells) > 0 {
					rows = append(rows, strings.Join(cells, " | "))
				}
			case atom.Caption:
				if t := inlineText(c); t != "" {
					rows = append(rows, t)
				}
			default:
				walk(c)
			}
		}
	}
	walk(n)
	r.emit(strings.Join(rows, "\n"))
}

// hasBlockContent reports whether a table's cells hold paragraphs, lists,
// code or nested tables, the mark of a table used for page layout.
func hasBlockContent(table *html.Node) bool {
	var found bool
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch tagOf(c) {
			case atom.P, atom.Div, atom.Pre, atom.Ul, atom.Ol, atom.Table, atom.Blockquote,
				atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Section, atom.Article:
				found = true
				return
			}
			walk(c)
		}
	}
	walk(table)
	return found
}

// codeBlock renders a <pre> as a fenced block, its text untouched apart
// from the line breaks that open and close it.
func codeBlock(pre *html.Node) string {
	code := strings.Trim(preText(pre), "\n")
	if strings.TrimSpace(code) == "" {
		return ""
	}
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	return fence + codeLanguage(pre) + "\n" + code + "\n" + fence
}

// preText is the text of a <pre> with <br> as a line break.
func preText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type == html.ElementNode && tagOf(c) == atom.Br:
				b.WriteByte('\n')
			case c.Type == html.ElementNode && (tagOf(c) == atom.Script || tagOf(c) == atom.Style):
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// codeLanguage reads a "language-go" or "lang-go" class from a <pre> or its
// <code> child, the convention of most syntax highlighters.
func codeLanguage(pre *html.Node) string {
	nodes := []*html.Node{pre}
	for c := pre.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && tagOf(c) == atom.Code {
			nodes = append(nodes, c)
		}
	}
	for _, n := range nodes {
		for _, class := range strings.Fields(attr(n, "class")) {
			for _, p := range []string{"language-", "lang-"} {
				if lang, ok := strings.CutPrefix(class, p); ok && isPlainWord(lang) {
					return lang
				}
			}
		}
	}
	return ""
}

func isPlainWord(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if !isWordRune(r) {
			return false
		}
	}
	return true
}

// collapse normalises the whitespace of an inline run: each <br> becomes a
// line break, other whitespace runs become one space, and empty lines go.
func collapse(s string) string {
	var lines []string
	for part := range strings.SplitSeq(s, string(lineBreak)) {
		if l := strings.Join(strings.Fields(part), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// textContent is the concatenated text of n's descendants.
func textContent(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textContent(c))
	}
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Body, atom.Center, atom.Dd, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption,
		atom.Figure, atom.Footer, atom.Form, atom.Header, atom.Hgroup, atom.Html, atom.Li,
		atom.Main, atom.Menu, atom.P, atom.Section, atom.Summary, atom.Caption, atom.Tbody,
		atom.Thead, atom.Tfoot, atom.Tr, atom.Td, atom.Th, atom.Legend:
		return true
	}
	return false
}

// tagOf is an element's tag. Extractors rename elements by setting Data
// alone, so the parser's DataAtom may be stale.
func tagOf(n *html.Node) atom.Atom {
	if n.DataAtom != 0 && n.DataAtom.String() == n.Data {
		return n.DataAtom
	}
	return atom.Lookup([]byte(strings.ToLower(n.Data)))
}

// isWordRune reports whether r may appear in a plain word: an ASCII letter
// or digit, or one of + # - _ (C++, C#, go-zero, snake_case).
func isWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '#' || r == '-' || r == '_'
}
