package extractor

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/godevcommunity/newsletter/extractor/internal/words"
)

// skipped reports whether an element never contributes article text: code
// and media, form controls, navigation, hidden nodes and widgets whose
// class or id names them as sharing, comment or navigation furniture.
// Extractors already drop most of these; this is the last line of defence
// for what they keep.
func skipped(n *html.Node) bool {
	switch tagOf(n) {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Title,
		atom.Meta, atom.Link, atom.Nav, atom.Button, atom.Input, atom.Select, atom.Option,
		atom.Textarea, atom.Iframe, atom.Svg, atom.Math, atom.Canvas, atom.Object, atom.Embed,
		atom.Audio, atom.Video, atom.Source, atom.Track, atom.Img, atom.Picture, atom.Map:
		return true
	}
	if n.Data == "svg" || n.Data == "math" { // foreign elements carry no atom namespace match
		return true
	}
	if hasAttr(n, "hidden") || strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "menubar", "complementary", "dialog", "alert", "banner":
		return true
	}
	return (isFurniture(attr(n, "class")) || isFurniture(attr(n, "id"))) && isWidgetSized(n)
}

// maxWidgetWords bounds the text of an element that the class and id
// heuristic may drop, so that a container misnamed by its template (say
// id="share-btns-parent" around a whole article) is never lost.
const maxWidgetWords = 60

func isWidgetSized(n *html.Node) bool {
	count := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				if count += words.Count(c.Data); count > maxWidgetWords {
					return false
				}
			} else if !walk(c) {
				return false
			}
		}
		return true
	}
	return walk(n)
}

// furnitureWords are the class and id words of page furniture. A name is
// matched word by word after splitting on "-" and "_", so "share-bar" and
// "comments" match but "shared-memory" and "hljs-comment" inside code are
// never reached (code blocks are rendered without this check).
var furnitureWords = map[string]bool{
	"share": true, "sharing": true, "sharebar": true, "social": true, "sociallinks": true,
	"comments": true, "disqus": true, "breadcrumb": true, "breadcrumbs": true,
	"newsletter": true, "subscribe": true, "signup": true, "cookie": true, "cookies": true,
	"related": true, "recommended": true, "promo": true, "advert": true, "advertisement": true,
	"sponsored": true, "popup": true, "modal": true, "toolbar": true, "skip": true,
}

func isFurniture(name string) bool {
	if name == "" {
		return false
	}
	for _, f := range strings.Fields(strings.ToLower(name)) {
		for w := range strings.FieldsFuncSeq(f, func(r rune) bool { return r == '-' || r == '_' }) {
			if furnitureWords[w] {
				return true
			}
		}
	}
	return false
}
