package extractor

import (
	"net/url"

	shiori "github.com/go-shiori/go-readability"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/godevcommunity/newsletter/extractor/internal/words"

	readeck "codeberg.org/readeck/go-readability/v2"
)

// An Extractor finds the main content of a parsed page. The package's
// Extract uses Default; the others are the alternatives it was chosen
// against, kept so that the choice can be measured again
// (cmd/extracteval and BenchmarkExtract).
type Extractor struct {
	// Name identifies the extractor in evaluation output.
	Name string
	// content returns the article's content tree, or nil when the
	// extractor found none. It must not modify doc.
	content func(doc *html.Node, page *url.URL) (*html.Node, error)
}

var (
	// Readability is github.com/go-shiori/go-readability, the baseline.
	Readability = Extractor{Name: "go-readability", content: shioriContent}
	// Readeck is codeberg.org/readeck/go-readability/v2, a maintained fork
	// of the baseline that follows Readability.js 0.6.
	Readeck = Extractor{Name: "readeck", content: readeckContent}
	// Trafilatura is github.com/markusmobius/go-trafilatura on its own.
	Trafilatura = Extractor{Name: "trafilatura", content: trafilaturaContent(trafilatura.Balanced, false)}
	// TrafilaturaFallback lets trafilatura compare its result with
	// go-readability's and DOM Distiller's and keep the better one.
	TrafilaturaFallback = Extractor{Name: "trafilatura+fallback", content: trafilaturaContent(trafilatura.Balanced, true)}
	// TrafilaturaPrecision is trafilatura favouring precision.
	TrafilaturaPrecision = Extractor{Name: "trafilatura(precision)", content: trafilaturaContent(trafilatura.FavorPrecision, false)}
	// TrafilaturaRecall is trafilatura favouring recall.
	TrafilaturaRecall = Extractor{Name: "trafilatura(recall)", content: trafilaturaContent(trafilatura.FavorRecall, false)}
)

// ReadeckRescued is Readeck, rescued by trafilatura (with its own
// fallbacks) on the pages where Readeck finds no text at all.
var ReadeckRescued = Extractor{Name: "readeck→trafilatura", content: readeckRescued}

// TrafilaturaReadeck is trafilatura comparing its result with Readeck's,
// in place of go-readability's and DOM Distiller's.
var TrafilaturaReadeck = Extractor{Name: "trafilatura+readeck", content: trafilaturaReadeck}

// Candidates returns every extractor, Default first.
func Candidates() []Extractor {
	return []Extractor{
		Default, Readability, Readeck, Trafilatura, TrafilaturaFallback,
		TrafilaturaPrecision, TrafilaturaRecall, TrafilaturaReadeck,
	}
}

// hasWords reports whether Render(n) would hold a word, without rendering.
func hasWords(n *html.Node) bool {
	if n == nil {
		return false
	}
	if n.Type == html.TextNode {
		for _, r := range n.Data {
			if words.IsWordRune(r) {
				return true
			}
		}
		return false
	}
	if n.Type == html.ElementNode && skipped(n) {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasWords(c) {
			return true
		}
	}
	return false
}

// minRescueWords is the least text a rescue must find to be used: less
// is a stray menu or footer line, not an article.
const minRescueWords = 25

func readeckRescued(doc *html.Node, page *url.URL) (*html.Node, error) {
	n, err := readeckContent(doc, page)
	if err == nil && hasWords(n) {
		return n, nil
	}
	rescue, rerr := trafilaturaContent(trafilatura.Balanced, true)(doc, page)
	if rerr == nil && rescue != nil && words.Count(Render(rescue)) >= minRescueWords {
		return rescue, nil
	}
	return n, err
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

func shioriContent(doc *html.Node, page *url.URL) (*html.Node, error) {
	a, err := shiori.FromDocument(doc, page)
	if err != nil {
		return nil, err
	}
	return a.Node, nil
}

func readeckContent(doc *html.Node, page *url.URL) (*html.Node, error) {
	a, err := readeck.FromDocument(doc, page)
	if err != nil {
		return nil, err
	}
	return a.Node, nil
}

// trafilaturaOptions are the options of every trafilatura candidate. With
// them, trafilatura's only errors say that the page has too little text,
// so its callers report an error as finding nothing.
func trafilaturaOptions(focus trafilatura.ExtractionFocus, page *url.URL) trafilatura.Options {
	return trafilatura.Options{
		OriginalURL:     page,
		Focus:           focus,
		ExcludeComments: true,
		// Dates come from the page's metadata (see metadata.go); scanning
		// the whole document for them is trafilatura's slowest step.
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
