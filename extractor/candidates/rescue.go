package candidates

import (
	"net/url"

	"golang.org/x/net/html"

	"github.com/godevcommunity/newsletter/extractor"
	"github.com/godevcommunity/newsletter/extractor/internal/words"
)

// minRescueWords is the least text a rescue must find to be used: less
// is a stray menu or footer line, not an article.
const minRescueWords = 25

type contentFunc = func(doc *html.Node, page *url.URL) (*html.Node, error)

// rescued returns primary's content, or rescue's when primary finds no
// word and rescue finds at least minRescueWords. Otherwise primary's
// result stands, error included.
func rescued(primary, rescue contentFunc) contentFunc {
	return func(doc *html.Node, page *url.URL) (*html.Node, error) {
		n, err := primary(doc, page)
		if err == nil && wordCount(n) > 0 {
			return n, nil
		}
		if r, rerr := rescue(doc, page); rerr == nil && wordCount(r) >= minRescueWords {
			return r, nil
		}
		return n, err
	}
}

// wordCount is the number of words extractor.Render(n) holds.
func wordCount(n *html.Node) int {
	if n == nil {
		return 0
	}
	return words.Count(extractor.Render(n))
}
