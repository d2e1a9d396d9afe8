package publisher

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/godevcommunity/newsletter/entry"
)

// unsafeHTML renders markdown as a GFM renderer that passes raw HTML on
// would: if a field kept any, it would show in the HTML.
var unsafeHTML = goldmark.New(
	goldmark.WithExtensions(extension.Table),
	goldmark.WithRendererOptions(html.WithUnsafe()),
)

// allowedElements are the HTML elements a published field may turn into.
var allowedElements = map[string]bool{
	"p": true, "ul": true, "ol": true, "li": true, "em": true, "strong": true, "code": true, "pre": true,
	"blockquote": true, "hr": true, "br": true, "table": true, "thead": true, "tbody": true, "tr": true,
	"th": true, "td": true, "a": true,
}

// FuzzFieldHTML checks that a field as published (fieldText) and its HTML
// agree: the HTML holds only the elements a field may turn into (no
// heading, image, raw HTML or comment, and a link only as an http(s) or
// e-mail autolink), and the same text as the field's markdown tree.
func FuzzFieldHTML(f *testing.F) {
	for _, a := range []Article{articleAllSections, articleCodeAndLists, articleHostile, seedPhantom, seedUV, seedGosuda, seedMaintainable} {
		for _, fd := range entry.Fields {
			f.Add(a.Get(fd))
		}
	}
	for _, s := range []string{
		"[a [b](/c) d](/e) `x` <b>", "``[](/x)`[t](/y)`", "[`c`](/x)``<b>``", "<a [x](/y) href='z'>",
		"[<javascript:alert(1)](</y z>)>", "| a |\n|---|\n| `a|<b>|` | [x](/y) |", "[~~~](/x)", "![a](/b \"c\")",
		"제목\n---", "<!-- x", "[x]: /y\n\n[x]", "- ```\n  # x", "&lt;b&gt; &amp; \\<i>", "<https://go.dev/> <gopher@example.com>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, field string) {
		md := fieldText(field)
		var out bytes.Buffer
		if err := unsafeHTML.Convert([]byte(md), &out); err != nil {
			t.Fatal(err)
		}
		nodes, err := nethtml.ParseFragment(&out, &nethtml.Node{Type: nethtml.ElementNode, Data: "div", DataAtom: atom.Div})
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		var visit func(n *nethtml.Node)
		visit = func(n *nethtml.Node) {
			switch n.Type {
			case nethtml.ElementNode:
				if !allowedElements[n.Data] {
					t.Errorf("field %q: published %q has the element <%s>:\n%s", field, md, n.Data, out.String())
				}
				if n.Data == "a" && !autolinkHref(n) {
					t.Errorf("field %q: published %q links: %s", field, md, out.String())
				}
			case nethtml.CommentNode:
				t.Errorf("field %q: published %q has a comment: %s", field, md, out.String())
			case nethtml.TextNode:
				text.WriteString(n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
		for _, n := range nodes {
			visit(n)
		}
		if got, want := squeeze(text.String()), squeeze(treeText([]byte(md))); got != want {
			t.Errorf("field %q: published %q\nHTML text: %q\ntree text: %q", field, md, got, want)
		}
	})
}

// autolinkHref reports whether anchor n is an autolink: its href an
// absolute http(s) URL or a mailto: of its own text.
func autolinkHref(n *nethtml.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "href" {
			return webURL([]byte(a.Val)) || strings.HasPrefix(a.Val, "mailto:")
		}
	}
	return false
}

// treeText is the text a reader sees of md's tree (entry.Parse): text with
// escapes and entities resolved, code, and autolinks' labels.
func treeText(md []byte) string {
	var b strings.Builder
	_ = ast.Walk(entry.Parse(md), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			v := n.Segment.Value(md)
			if n.IsRaw() {
				b.Write(v)
			} else {
				b.Write(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v))))
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			b.Write(n.Label(md))
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			for i := range n.Lines().Len() {
				seg := n.Lines().At(i)
				b.Write(seg.Value(md))
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// squeeze drops white space, which HTML and markdown lay out differently.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\uFFFD' {
			return -1
		}
		return r
	}, s)
}
