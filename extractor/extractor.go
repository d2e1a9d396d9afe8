// Package extractor turns a fetched page into a clean article: its
// readable text in a small markdown-like format, and the metadata the page
// declares (title, site, author, date, language, canonical address).
//
// HTML goes through a maintained content extractor pruned by measured
// rules (see Default) and is rendered by Render; plain text and markdown
// are passed through with light cleaning; a PDF's text is read from its
// first pages (see Options).
package extractor

import (
	"github.com/godevcommunity/newsletter/urlnorm"

	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/RadhiFadlillah/whatlanggo"
	"golang.org/x/net/html"

	"github.com/godevcommunity/newsletter/extractor/internal/words"
)

// Article is the readable content of one page.
type Article struct {
	URL          string     `json:"url"`           // final page URL
	CanonicalURL string     `json:"canonical_url"` // the page's canonical address, else URL
	Title        string     `json:"title"`
	SiteName     string     `json:"site_name,omitempty"`
	Author       string     `json:"author,omitempty"`
	Published    *time.Time `json:"published,omitempty"`
	Language     string     `json:"language,omitempty"` // primary language subtag, e.g. "en", "ko"
	Text         string     `json:"text"`               // see Render for the format
	WordCount    int        `json:"word_count"`         // Unicode \w+ tokens of Text
}

// ErrNoContent reports a page with no readable text. Extract wraps it with
// the page URL.
var ErrNoContent = errors.New("no readable content")

// Default is the extractor Extract uses: Combined, Readeck's content pruned
// by measured boilerplate rules. Trafilatura scores higher on its own
// snippet set but drops the <pre> of code blocks and the space after
// inline code, which a newsletter about Go cannot afford, and linking it
// costs every process 150 ms of package initialisation. See package
// candidates and cmd/extracteval for the measurements.
var Default = Combined

// Extract returns the article in body, a page fetched from pageURL and
// served as mediaType (a Content-Type value; parameters are ignored and an
// empty value is sniffed). HTML ("text/html", "application/xhtml+xml") is
// extracted; "text/plain" and "text/markdown" are passed through; the text
// of a PDF ("application/pdf") is read within the default Options. It
// never panics: a failure inside a dependency is returned as an error
// naming pageURL.
func Extract(body []byte, pageURL, mediaType string) (*Article, error) {
	return Default.ExtractWith(body, pageURL, mediaType, Options{})
}

// ExtractWith is Extract within opts.
func ExtractWith(body []byte, pageURL, mediaType string, opts Options) (*Article, error) {
	return Default.ExtractWith(body, pageURL, mediaType, opts)
}

// Extract is the package-level Extract with x finding the content.
func (x Extractor) Extract(body []byte, pageURL, mediaType string) (*Article, error) {
	return x.ExtractWith(body, pageURL, mediaType, Options{})
}

// ExtractWith is the package-level ExtractWith with x finding the content.
func (x Extractor) ExtractWith(body []byte, pageURL, mediaType string, opts Options) (a *Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("extract %s: %s panicked: %v", pageURL, x.Name, r)
		}
	}()
	page, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("extract %s: invalid page URL: %w", pageURL, err)
	}
	switch kind := mediaKind(mediaType, body); kind {
	case "text/html", "application/xhtml+xml":
		a, err = x.extractHTML(body, page)
	case "text/plain":
		a = plainArticle(body)
	case "text/markdown", "text/x-markdown":
		a = markdownArticle(body)
	case "application/pdf":
		a, err = pdfArticle(body, opts.withDefaults())
		if err != nil {
			return nil, fmt.Errorf("extract %s: %w", pageURL, err)
		}
	default:
		return nil, fmt.Errorf("extract %s: unsupported media type %q", pageURL, kind)
	}
	if err != nil {
		return nil, fmt.Errorf("extract %s: %s: %w", pageURL, x.Name, err)
	}
	a.URL = pageURL
	if a.CanonicalURL == "" {
		a.CanonicalURL = pageURL
	}
	// The canonical URL is the article's identity (duplicates, the 참고
	// link): strip tracking parameters and fragments the same way submitted
	// URLs are normalised. file:// URLs of local pages are kept as they are.
	if u, err := urlnorm.Normalize(a.CanonicalURL); err == nil {
		a.CanonicalURL = u
	}
	a.WordCount = words.Count(a.Text)
	if a.WordCount == 0 {
		return nil, fmt.Errorf("extract %s: %w", pageURL, ErrNoContent)
	}
	if a.Language == "" {
		a.Language = detectLanguage(a.Text)
	}
	return a, nil
}

// mediaKind is the lower-case media type without parameters, sniffed from
// body when mediaType is empty or unparsable.
func mediaKind(mediaType string, body []byte) string {
	if t, _, err := mime.ParseMediaType(mediaType); err == nil {
		return t
	}
	t, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	return t
}

func (x Extractor) extractHTML(body []byte, page *url.URL) (*Article, error) {
	src := toUTF8(body)
	doc, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %w", err)
	}
	meta := readMetadata(goquery.NewDocumentFromNode(doc), page)
	var content *html.Node
	if x.consume != nil {
		content, err = x.consume(doc, src, page)
	} else {
		content, err = x.content(doc, page)
	}
	if err != nil {
		return nil, err
	}
	a := &Article{
		CanonicalURL: meta.canonical,
		Title:        meta.title,
		SiteName:     meta.siteName,
		Author:       meta.author,
		Published:    meta.published,
		Language:     meta.language,
		Text:         Render(content),
	}
	if a.Title == "" {
		a.Title = firstHeading(a.Text)
	}
	return a, nil
}

// firstHeading returns the text of the first "## " style heading of text.
func firstHeading(text string) string {
	for line := range strings.Lines(text) {
		if h, ok := strings.CutPrefix(strings.TrimSpace(line), "#"); ok {
			return strings.TrimSpace(strings.TrimLeft(h, "#"))
		}
	}
	return ""
}

// detectLanguage guesses the language of text when the page declares
// none, answering only when the guess is reliable.
func detectLanguage(text string) string {
	if len(text) > 4096 {
		end := 4096
		for end > 0 && !utf8.RuneStart(text[end]) {
			end--
		}
		text = text[:end]
	}
	info := whatlanggo.Detect(text)
	if !info.IsReliable() {
		return ""
	}
	return info.Lang.Iso6391()
}
