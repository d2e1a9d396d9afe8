package candidates

import (
	"net/url"

	shiori "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"

	readeck "codeberg.org/readeck/go-readability/v2"
)

func shioriContent(doc *html.Node, page *url.URL) (*html.Node, error) {
	a, err := shiori.FromDocument(doc, page)
	if err != nil {
		return nil, err
	}
	return a.Node, nil
}

// readeckContent is the content function of extractor.Readeck, for the
// candidates that combine it with trafilatura.
func readeckContent(doc *html.Node, page *url.URL) (*html.Node, error) {
	a, err := readeck.FromDocument(doc, page)
	if err != nil {
		return nil, err
	}
	return a.Node, nil
}
