package publisher

import (
	"bytes"
	"slices"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"

	"github.com/godevcommunity/newsletter/entry"
)

// fieldText renders s, a field of prose, as the body of one section.
//
// It tidies the text (valid UTF-8, "\n" line endings, no control
// characters, no trailing white space, one blank line at most in a row) and
// then reads it with entry.Parse, the reading every check of a field uses,
// and rewrites the text it was read from until its tree holds only what a
// field may: nothing that leaves the section and nothing that links.
//
//   - A heading (ATX or setext) and the start of an HTML block are escaped
//     with a backslash, so the text shows as written; so is a line opening
//     with '#' (a heading in laxer renderers), and the '<' of raw inline HTML
//     and of an autolink that is not to an http(s) URL with a host or an
//     e-mail address.
//   - A link or image is reduced to its text (an image to its alt text)
//     and every other '[' outside code is escaped, so that no link
//     reference definition or reference link is left either: the article's
//     one link is its 참고 section, and a link in a field is a copy of it or
//     a guess, broken outside its site when site-relative (defect 4 of the
//     seed issue).
//   - A code fence left open at the end is closed; a fence at the top level
//     and a list after another block are set apart by a blank line.
//
// Each rewrite is read again, as taking a link's syntax away may leave text
// that opens a block; text that does not settle after a few readings (none
// known) is published with every line's markup escaped.
func fieldText(s string) string {
	return settle(tidy(s), false)
}

// maxReadings bounds how often a field is read and rewritten.
const maxReadings = 8

// settle rewrites src, tidy text, until a reading finds nothing to change.
// Each reading parses src both with and without GFM tables; what leaves the
// section (headings, HTML blocks, open fences) is mended first and read
// again before what links. In a heading (src starts "## ") the heading is
// allowed and only the inline rewrites apply.
func settle(src string, heading bool) string {
	for range maxReadings {
		if src == "" {
			return ""
		}
		b := []byte(src)
		trees := []ast.Node{entry.Parse(b)}
		if bytes.IndexByte(b, '|') >= 0 {
			// Without a '|' there is no table, and both readings agree.
			trees = append(trees, entry.ParseCommonMark(b))
		}
		r := rewriter{src: b, heading: heading}
		for _, doc := range trees {
			r.walk(doc, r.block)
		}
		if len(r.edits) == 0 {
			for _, doc := range trees {
				r.walk(doc, r.inline)
			}
		}
		if len(r.edits) == 0 {
			return src
		}
		src = tidy(r.apply())
	}
	if heading {
		return "## " + escapeLiteral(strings.TrimPrefix(src, "## "))
	}
	return literal(src)
}

// literal is src with every line's inline syntax and block start escaped:
// the text as written, without markup.
func literal(src string) string {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		if l = escapeLiteral(strings.TrimSpace(l)); l != "" && strings.ContainsRune("#>-+=|", rune(l[0])) {
			l = `\` + l
		}
		lines[i] = l
	}
	return tidy(strings.Join(lines, "\n"))
}

// tidy makes s valid UTF-8 with "\n" line endings, drops control characters
// other than tab and newline, trims it and its lines' ends, and collapses
// runs of blank lines into one.
func tidy(s string) string {
	lines := strings.Split(strings.TrimSpace(cleanText(s)), "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// cleanText makes s valid UTF-8 with "\n" line endings and drops the
// control characters other than tab and newline, which prose never needs.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// edit replaces src[at:end] with text.
type edit struct {
	at, end int
	text    string
}

// rewriter collects the edits one reading of a field calls for.
type rewriter struct {
	src     []byte
	heading bool
	edits   []edit
}

func (r *rewriter) escape(at int)           { r.edits = append(r.edits, edit{at, at, `\`}) }
func (r *rewriter) cut(at, end int)         { r.edits = append(r.edits, edit{at, end, ""}) }
func (r *rewriter) insert(at int, s string) { r.edits = append(r.edits, edit{at, at, s}) }

// apply returns src with the edits made; an edit overlapping an earlier one
// is left for the next reading, and one made twice (by both readings) is
// made once.
func (r *rewriter) apply() string {
	slices.SortStableFunc(r.edits, func(a, b edit) int { return a.at - b.at })
	var b strings.Builder
	done := 0
	made := map[edit]bool{}
	for _, e := range r.edits {
		if e.at < done || made[e] {
			continue
		}
		made[e] = true
		b.Write(r.src[done:e.at])
		b.WriteString(e.text)
		done = e.end
	}
	b.Write(r.src[done:])
	return b.String()
}

// walk calls visit for each node of doc but code.
func (r *rewriter) walk(doc ast.Node, visit func(ast.Node)) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		visit(n)
		switch n.Kind() {
		case ast.KindCodeSpan, ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock,
			ast.KindAutoLink, ast.KindLinkReferenceDefinition:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// block collects the edits of block node n: what would leave the section.
func (r *rewriter) block(n ast.Node) {
	if r.heading {
		return
	}
	switch n := n.(type) {
	case *ast.FencedCodeBlock:
		r.fence(n)
	case *ast.Heading:
		r.escapeHeading(n)
	case *ast.HTMLBlock:
		r.escape(n.Pos())
	case *ast.LinkReferenceDefinition:
		r.escape(n.Pos())
	case *ast.List:
		if n.Parent().Kind() == ast.KindDocument && n.PreviousSibling() != nil {
			r.setApart(n.Pos())
		}
	case *ast.Paragraph, *ast.TextBlock:
		// A line opening with '#' is not a heading in CommonMark without a
		// space after it ("#golang"), but is in laxer renderers.
		for i := range n.Lines().Len() {
			seg := n.Lines().At(i)
			j := seg.Start
			for j < seg.Stop && (r.src[j] == ' ' || r.src[j] == '\t') {
				j++
			}
			if j < seg.Stop && r.src[j] == '#' {
				r.escape(j)
			}
		}
	}
}

// inline collects the edits of inline node n: what links or is HTML.
func (r *rewriter) inline(n ast.Node) {
	switch n := n.(type) {
	case *ast.RawHTML:
		r.escape(n.Pos())
	case *ast.AutoLink:
		if r.src[n.Pos()] == '<' && !keptAutolink(n, r.src) {
			r.escape(n.Pos())
		}
	case *ast.Link, *ast.Image:
		r.dropLink(n)
	case *ast.Text:
		r.escapeBrackets(n.Segment.Start, n.Segment.Stop)
	}
}

// keptAutolink reports whether an autolink may stay a link: an e-mail
// address, or an absolute http(s) URL with a host.
func keptAutolink(n *ast.AutoLink, src []byte) bool {
	return n.AutoLinkType == ast.AutoLinkEmail || webURL(n.URL(src))
}

// escapeHeading escapes an ATX heading's opening '#' or a setext heading's
// underline.
func (r *rewriter) escapeHeading(h *ast.Heading) {
	if r.src[h.Pos()] == '#' {
		r.escape(h.Pos())
		return
	}
	lines := h.Lines()
	if lines.Len() == 0 {
		return
	}
	i := lines.At(lines.Len() - 1).Stop
	if i > 0 && r.src[i-1] != '\n' {
		i = lineEnd(r.src, i) + 1
	}
	for i < len(r.src) && strings.IndexByte(" \t>", r.src[i]) >= 0 {
		i++
	}
	if i < len(r.src) {
		r.escape(i)
	}
}

// dropLink cuts a link's or image's syntax, keeping its text: the opening
// "[" or "![" and everything from the closing "]" to the link's end. Text
// that would open a block where the link opened its line ("[# 제목](/x)",
// "[~~~](/x)") is escaped instead; a line holding only a link without text
// goes.
func (r *rewriter) dropLink(n ast.Node) {
	pos, open := n.Pos(), 1
	if r.src[pos] == '!' {
		open = 2
	}
	closing := r.closingBracket(n, open)
	end := r.linkEnd(n, closing)
	ls, le := lineStart(r.src, pos), lineEnd(r.src, end)
	atLineStart := strings.Trim(string(r.src[ls:pos]), " \t>") == ""
	switch {
	case atLineStart && closing == pos+open && blank(r.src[end:le]):
		r.cut(ls, min(le+1, len(r.src)))
		return
	case atLineStart && opensBlock(r.src[pos+open:closing]):
		r.edits = append(r.edits, edit{pos, pos + open, `\`})
	default:
		r.cut(pos, pos+open)
	}
	r.cut(closing, end)
}

// blank reports whether b holds only spaces and tabs.
func blank(b []byte) bool { return strings.Trim(string(b), " \t") == "" }

// opensBlock reports whether text at the start of a line could open a
// block other than a paragraph: a heading, quote, table row or setext
// underline, a fence or thematic break (three of a kind), or a bullet.
func opensBlock(text []byte) bool {
	if len(text) == 0 {
		return false
	}
	c := text[0]
	run := len(text) - len(strings.TrimLeft(string(text), string(c)))
	switch c {
	case '#', '>', '|', '=':
		return true
	case '`', '~', '_':
		return run >= 3
	case '-', '*', '+':
		return run >= 3 || len(text) == 1 || text[1] == ' ' || text[1] == '\t'
	}
	return false
}

// closingBracket returns the offset of the "]" that ends the text of link
// n, whose opening bracket is open bytes long.
func (r *rewriter) closingBracket(n ast.Node, open int) int {
	from := n.Pos() + open
	if c := n.LastChild(); c != nil {
		from = r.end(c)
	}
	if i := indexByteFrom(r.src, from, ']'); i >= 0 {
		return i
	}
	return len(r.src)
}

// linkEnd returns the offset just past link n, whose text ends at the "]"
// at closing: where the inline after it starts, or the end of its line
// when none follows on it.
func (r *rewriter) linkEnd(n ast.Node, closing int) int {
	if next := n.NextSibling(); next != nil {
		if s := start(next, r.src); s >= closing {
			return s
		}
	}
	if p := n.Parent(); p != nil && (p.Kind() == ast.KindLink || p.Kind() == ast.KindImage) {
		if i := indexByteFrom(r.src, closing+1, ']'); i >= 0 {
			return i
		}
	}
	end := closing
	if p := enclosingBlock(n); p != nil && p.Lines().Len() > 0 {
		for i := range p.Lines().Len() {
			if seg := p.Lines().At(i); seg.Start <= closing && closing < seg.Stop {
				end = seg.Stop
			}
		}
	}
	if end <= closing {
		end = lineEnd(r.src, closing)
	}
	for end > closing+1 && unicode.IsSpace(rune(r.src[end-1])) {
		end--
	}
	return end
}

// end returns the offset just past inline node n.
func (r *rewriter) end(n ast.Node) int {
	switch n := n.(type) {
	case *ast.Text:
		return n.Segment.Stop
	case *ast.RawHTML:
		if n.Segments.Len() > 0 {
			return n.Segments.At(n.Segments.Len() - 1).Stop
		}
	case *ast.AutoLink:
		e := start(n, r.src) + len(n.Label(r.src))
		if r.src[n.Pos()] == '<' {
			e += 2
		}
		return e
	case *ast.Link, *ast.Image:
		open := 1
		if r.src[n.Pos()] == '!' {
			open = 2
		}
		c := r.closingBracket(n, open)
		return r.linkEnd(n, c)
	}
	e := n.Pos()
	if c := n.LastChild(); c != nil {
		e = r.end(c)
	}
	// Closing delimiters of emphasis or a code span follow the text.
	for e < len(r.src) && strings.IndexByte("*_`~", r.src[e]) >= 0 {
		e++
	}
	return e
}

// start returns the offset where inline node n starts.
func start(n ast.Node, src []byte) int {
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	if a, ok := n.(*ast.AutoLink); ok && src[a.Pos()] != '<' {
		return a.Pos()
	}
	return n.Pos()
}

// enclosingBlock returns the block that holds inline node n.
func enclosingBlock(n ast.Node) ast.Node {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock {
			return p
		}
	}
	return nil
}

// escapeBrackets escapes each '[' in src[from:to] that no backslash
// escapes already.
func (r *rewriter) escapeBrackets(from, to int) {
	for i := from; i < to; i++ {
		if r.src[i] == '[' && !escaped(r.src, i) {
			r.escape(i)
		}
	}
}

// escaped reports whether an odd run of backslashes precedes src[i].
func escaped(src []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && src[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// fence closes a fenced code block left open at the end of the field, in
// a quote or list item too, and sets one at the top level apart from the
// blocks around it.
func (r *rewriter) fence(f *ast.FencedCodeBlock) {
	if r.heading {
		return
	}
	open := f.Pos()
	mark := r.src[open]
	size := 0
	for open+size < len(r.src) && r.src[open+size] == mark {
		size++
	}
	// The line after the last line of code, or after the opening line.
	next := lineEnd(r.src, open) + 1
	if l := f.Lines(); l.Len() > 0 {
		next = l.At(l.Len() - 1).Stop
		if next > 0 && r.src[next-1] != '\n' {
			next = lineEnd(r.src, next) + 1
		}
	}
	closed := false
	if next < len(r.src) {
		line := strings.TrimSpace(string(r.src[next:lineEnd(r.src, next)]))
		closed = len(line) >= size && strings.Trim(line, string(mark)) == ""
	}
	if !closed && next >= len(r.src) {
		// Open at the end of the field: closed under the same quote and
		// list indentation as the opening line.
		prefix := []byte(string(r.src[lineStart(r.src, open):open]))
		for i, c := range prefix {
			if c != '>' {
				prefix[i] = ' '
			}
		}
		r.insert(len(r.src), "\n"+string(prefix)+strings.Repeat(string(mark), size))
	}
	if f.Parent().Kind() != ast.KindDocument {
		return
	}
	if f.PreviousSibling() != nil {
		r.setApart(open)
	}
	switch {
	case !closed:
	case f.NextSibling() != nil:
		if after := lineEnd(r.src, next) + 1; after < len(r.src) && r.src[after] != '\n' {
			r.insert(after, "\n")
		}
	}
}

// setApart puts a blank line before the line holding offset at, unless
// one is there.
func (r *rewriter) setApart(at int) {
	ls := lineStart(r.src, at)
	if ls == 0 || (ls >= 2 && r.src[ls-2] == '\n') {
		return
	}
	r.insert(ls, "\n")
}

func lineStart(src []byte, i int) int {
	for i > 0 && src[i-1] != '\n' {
		i--
	}
	return i
}

func lineEnd(src []byte, i int) int {
	if j := indexByteFrom(src, i, '\n'); j >= 0 {
		return j
	}
	return len(src)
}

func indexByteFrom(src []byte, from int, c byte) int {
	if from >= len(src) {
		return -1
	}
	if j := strings.IndexByte(string(src[from:]), c); j >= 0 {
		return from + j
	}
	return -1
}
