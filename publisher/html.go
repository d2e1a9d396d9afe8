package publisher

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.yaml.in/yaml/v3"
)

// FrontMatter holds the fields of an issue's front matter, as Markdown
// writes them.
type FrontMatter struct {
	Title     string
	Slug      string
	CUID      string
	Tags      string
	Published time.Time // datePublished, in UTC; zero when absent
}

// IssueHTML renders an issue's markdown, as Issue.Markdown writes it, into
// an HTML fragment for a web page: the public archive or the editor's desk.
// The front matter (a "---" line at the very start, up to the next "---"
// line) is left out of the fragment and returned parsed; a document without
// one renders whole, with a zero FrontMatter, so one article block renders
// too.
//
// The markdown is read as CommonMark, and the fragment is safe to put in a
// page as it is, whatever the markdown holds: raw HTML, inline or block, is
// omitted (goldmark's default: an HTML comment stands in its place), and
// links and images whose destination is not an absolute http(s) URL are
// reduced to their text, so no javascript:, data: or site-relative link is
// ever clickable. The error is only for front matter that cannot be read.
func IssueHTML(markdown []byte) (template.HTML, FrontMatter, error) {
	front, body, ok := splitFrontMatter(markdown)
	var fm FrontMatter
	if ok {
		var err error
		if fm, err = parseFrontMatter(front); err != nil {
			return "", FrontMatter{}, err
		}
	}
	return markdownHTML(body), fm, nil
}

// ArticleHTML renders one article block, RenderArticle(a), as IssueHTML
// renders an issue: for the desk's live preview of an article being edited.
func ArticleHTML(a Article) template.HTML {
	return markdownHTML([]byte(RenderArticle(a)))
}

// htmlMarkdown converts CommonMark to HTML without raw HTML (no
// html.WithUnsafe), keeping only http(s) links and images. goldmark's
// Markdown is safe for concurrent use: parsers and renderers keep their
// state in the per-document context.
var htmlMarkdown = goldmark.New(
	goldmark.WithParserOptions(
		parser.WithASTTransformers(util.Prioritized(webLinksOnly{}, 0)),
	),
)

func markdownHTML(md []byte) template.HTML {
	var b bytes.Buffer
	b.Grow(len(md) + len(md)/4)
	// Writing to a bytes.Buffer cannot fail, and the renderer reports no
	// error of its own for any document.
	_ = htmlMarkdown.Convert(md, &b)
	return template.HTML(b.String())
}

// webLinksOnly replaces every link, image and autolink whose destination is
// not an absolute http(s) URL with its text. goldmark alone would still
// render such a link, with an empty href for the schemes it knows to be
// dangerous and as written for the rest (mailto:, site-relative paths).
type webLinksOnly struct{}

func (webLinksOnly) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	var unsafe []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if !webURL(n.Destination) {
				unsafe = append(unsafe, n)
			}
		case *ast.Image:
			if !webURL(n.Destination) {
				unsafe = append(unsafe, n)
			}
		case *ast.AutoLink:
			if n.AutoLinkType != ast.AutoLinkURL || !webURL(n.URL(source)) {
				unsafe = append(unsafe, n)
			}
		}
		return ast.WalkContinue, nil
	})
	// Outer nodes come first, so an inner one is still in the tree, moved
	// up, when its turn comes.
	for _, n := range unsafe {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if a, ok := n.(*ast.AutoLink); ok {
			label := ast.NewString(a.Label(source))
			label.SetRaw(true) // as written: escaped, entities and backslashes kept
			parent.ReplaceChild(parent, n, label)
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// webURL reports whether dest, a destination as goldmark decoded it, is an
// absolute http or https URL with a host.
func webURL(dest []byte) bool {
	u, err := url.Parse(string(dest))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// splitFrontMatter splits md into the text between an opening "---" line
// and the next "---" line, and what follows the closing line. ok is false,
// and body is md, when md does not start with front matter.
func splitFrontMatter(md []byte) (front, body []byte, ok bool) {
	rest, found := bytes.CutPrefix(md, []byte("---\n"))
	if !found {
		if rest, found = bytes.CutPrefix(md, []byte("---\r\n")); !found {
			return nil, md, false
		}
	}
	for i := 0; i < len(rest); {
		end := bytes.IndexByte(rest[i:], '\n')
		next := len(rest)
		if end >= 0 {
			next = i + end + 1
		}
		if line := bytes.TrimRight(rest[i:next], "\r\n"); string(line) == "---" {
			return rest[:i], rest[next:], true
		}
		i = next
	}
	return nil, md, false
}

// parseFrontMatter reads the fields Markdown writes; others are ignored.
func parseFrontMatter(front []byte) (FrontMatter, error) {
	var raw struct {
		Title         string `yaml:"title"`
		Slug          string `yaml:"slug"`
		CUID          string `yaml:"cuid"`
		Tags          string `yaml:"tags"`
		DatePublished string `yaml:"datePublished"`
	}
	if err := yaml.Unmarshal(front, &raw); err != nil {
		return FrontMatter{}, fmt.Errorf("publisher: front matter: %w", err)
	}
	fm := FrontMatter{Title: raw.Title, Slug: raw.Slug, CUID: raw.CUID, Tags: raw.Tags}
	if raw.DatePublished != "" {
		t, err := parseDatePublished(raw.DatePublished)
		if err != nil {
			return FrontMatter{}, fmt.Errorf("publisher: front matter: datePublished %q: %w", raw.DatePublished, err)
		}
		fm.Published = t
	}
	return fm, nil
}

// parseDatePublished reads what formatDatePublished writes, the zone's name
// in parentheses optional.
func parseDatePublished(s string) (time.Time, error) {
	if i := strings.Index(s, " ("); i >= 0 && strings.HasSuffix(s, ")") {
		s = s[:i]
	}
	t, err := time.Parse("Mon Jan 02 2006 15:04:05 GMT-0700", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not a Hashnode date (%s)", "Sun Sep 01 2024 21:00:00 GMT+0000")
	}
	return t.UTC(), nil
}

// Body returns an issue's markdown without its front matter, as a
// platform that takes the title, slug and tags apart (Hashnode) wants it.
func Body(markdown []byte) []byte {
	_, body, _ := splitFrontMatter(markdown)
	return bytes.TrimLeft(body, "\r\n")
}
