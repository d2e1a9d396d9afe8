package candidates

import (
	"net/url"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// trafilaturaContent returns trafilatura's content function, comparing
// its result with its fallback extractors when fallback is set. With these
// options trafilatura's only errors say that the page has too little text,
// so an error is reported as finding nothing.
func trafilaturaContent(fallback bool) func(*html.Node, *url.URL) (*html.Node, error) {
	return func(doc *html.Node, page *url.URL) (*html.Node, error) {
		r, err := trafilatura.ExtractDocument(doc, trafilatura.Options{
			OriginalURL:     page,
			Focus:           trafilatura.Balanced,
			ExcludeComments: true,
			EnableFallback:  fallback,
			// Dates come from the page's metadata (see package
			// extractor); scanning the whole document for them is
			// trafilatura's slowest step.
			HtmlDateMode: trafilatura.Disabled,
		})
		if err != nil {
			return nil, nil
		}
		return r.ContentNode, nil
	}
}
