package candidates

import (
	"net/url"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// trafilaturaOptions are the options of every trafilatura candidate. With
// them, trafilatura's only errors say that the page has too little text,
// so its callers report an error as finding nothing.
func trafilaturaOptions(focus trafilatura.ExtractionFocus, page *url.URL) trafilatura.Options {
	return trafilatura.Options{
		OriginalURL:     page,
		Focus:           focus,
		ExcludeComments: true,
		// Dates come from the page's metadata (see package extractor);
		// scanning the whole document for them is trafilatura's slowest
		// step.
		HtmlDateMode: trafilatura.Disabled,
	}
}

func trafilaturaContent(focus trafilatura.ExtractionFocus, fallback bool) func(*html.Node, *url.URL) (*html.Node, error) {
	return func(doc *html.Node, page *url.URL) (*html.Node, error) {
		opts := trafilaturaOptions(focus, page)
		opts.EnableFallback = fallback
		r, err := trafilatura.ExtractDocument(doc, opts)
		if err != nil {
			return nil, nil // see trafilaturaOptions
		}
		return r.ContentNode, nil
	}
}

func trafilaturaReadeck(doc *html.Node, page *url.URL) (*html.Node, error) {
	opts := trafilaturaOptions(trafilatura.Balanced, page)
	opts.EnableFallback = true
	opts.FallbackCandidates = &trafilatura.FallbackCandidates{
		Distiller: &html.Node{Type: html.ElementNode, Data: "div"}, // empty: never chosen
	}
	if n, err := readeckContent(doc, page); err == nil && n != nil {
		opts.FallbackCandidates.Readability = n
	}
	r, err := trafilatura.ExtractDocument(doc, opts)
	if err != nil {
		return nil, nil // see trafilaturaOptions
	}
	return r.ContentNode, nil
}
