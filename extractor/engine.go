package extractor

import (
	"net/url"

	"golang.org/x/net/html"

	readeck "codeberg.org/readeck/go-readability/v2"
)

// An Extractor finds the main content of a parsed page. The package's
// Extract uses Default; package candidates holds the alternatives it was
// chosen against.
type Extractor struct {
	// Name identifies the extractor in errors and evaluation output.
	Name string
	// content returns the article's content tree, or nil when the
	// extractor found none. It must not modify doc.
	content func(doc *html.Node, page *url.URL) (*html.Node, error)
	// consume, when set, is used instead of content. It may modify doc,
	// which the caller no longer needs, and gets the page's UTF-8 source
	// to parse again if it needs the tree as it was: consuming the tree
	// spares the copy an extractor that must not modify it has to make,
	// the largest allocation of a large page.
	consume func(doc *html.Node, src []byte, page *url.URL) (*html.Node, error)
}

// New returns an Extractor named name whose content is found by content.
// Given the parsed page and its URL, content returns the article's content
// tree, or nil when it finds none; it must not modify doc. The tree is
// rendered by Render, and a panic inside content is returned as an error.
func New(name string, content func(doc *html.Node, page *url.URL) (*html.Node, error)) Extractor {
	return Extractor{Name: name, content: content}
}

// Readeck is codeberg.org/readeck/go-readability/v2, a maintained fork of
// github.com/go-shiori/go-readability that follows Readability.js 0.6.
var Readeck = New("readeck", readeckContent)

func readeckContent(doc *html.Node, page *url.URL) (*html.Node, error) {
	a, err := readeck.FromDocument(doc, page)
	if err != nil {
		return nil, err
	}
	return a.Node, nil
}
