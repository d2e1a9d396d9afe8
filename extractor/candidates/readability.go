package candidates

import (
	"net/url"

	shiori "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"
)

func shioriContent(doc *html.Node, page *url.URL) (*html.Node, error) {
	a, err := shiori.FromDocument(doc, page)
	if err != nil {
		return nil, err
	}
	return a.Node, nil
}
