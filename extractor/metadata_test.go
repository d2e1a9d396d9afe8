package extractor

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func readMetadataString(t *testing.T, head, body, pageURL string) metadata {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<html" + "><head>" + head + "</head><body>" + body + "</body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := url.Parse(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	return readMetadata(doc, page)
}

const testPage = "https://blog.example.com/posts/iterators?ref=feed"

func TestCanonical(t *testing.T) {
	tests := []struct {
		name string
		head string
		want string
	}{
		{"relative link resolved", `<link rel="canonical" href="/posts/iterators">`, "https://blog.example.com/posts/iterators"},
		{"fragment dropped", `<link rel="canonical" href="https://blog.example.com/posts/iterators#top">`, "https://blog.example.com/posts/iterators"},
		{"http to https, trailing slash", `<link rel="canonical" href="http://blog.example.com/posts/iterators/">`, "http://blog.example.com/posts/iterators/"},
		{"www. added", `<link rel="canonical" href="https://www.blog.example.com/posts/iterators">`, "https://www.blog.example.com/posts/iterators"},
		{"a parameter of the page kept", `<link rel="canonical" href="/posts/iterators?ref=feed">`, "https://blog.example.com/posts/iterators?ref=feed"},
		{"og:url when no link", `<meta property="og:url" content="https://blog.example.com/posts/iterators">`, "https://blog.example.com/posts/iterators"},
		{"rel list", `<link rel="alternate canonical" href="/posts/iterators">`, "https://blog.example.com/posts/iterators"},
		{"link preferred to og:url", `<meta property="og:url" content="https://blog.example.com/posts/iterators?ref=feed"><link rel="canonical" href="https://blog.example.com/posts/iterators">`, "https://blog.example.com/posts/iterators"},
		{"another page of the same site ignored", `<link rel="canonical" href="/posts/generics">`, ""},
		{"another subdomain of the same site ignored", `<link rel="canonical" href="https://www.example.com/iterators">`, ""},
		{"a parameter added ignored", `<link rel="canonical" href="/posts/iterators?page=2">`, ""},
		{"a parameter changed ignored", `<link rel="canonical" href="/posts/iterators?ref=mail">`, ""},
		{"another port ignored", `<link rel="canonical" href="https://blog.example.com:8443/posts/iterators">`, ""},
		{"other site ignored", `<link rel="canonical" href="https://evil.example.net/posts/iterators">`, ""},
		{"public suffix sibling ignored", `<link rel="canonical" href="https://example.co.uk/x">`, ""},
		{"front page from a deep page ignored", `<link rel="canonical" href="https://blog.example.com/">`, ""},
		{"junk ignored, og:url used", `<link rel="canonical" href="javascript:void(0)"><meta property="og:url" content="/posts/iterators">`, "https://blog.example.com/posts/iterators"},
		{"fragment-only ignored", `<link rel="canonical" href="#">`, ""},
		{"credentials ignored", `<link rel="canonical" href="https://user:pw@blog.example.com/x">`, ""},
		{"none", ``, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readMetadataString(t, tt.head, "", testPage).canonical; got != tt.want {
				t.Errorf("canonical = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAuthor(t *testing.T) {
	tests := []struct {
		name, head, body, want string
	}{
		{"meta author", `<meta name="author" content=" Jane  Gopher ">`, "", "Jane Gopher"},
		{"by prefix stripped", `<meta name="author" content="By Jane Gopher">`, "", "Jane Gopher"},
		{"article:author URL skipped for JSON-LD", `<meta property="article:author" content="https://facebook.com/jane">` +
			`<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"Jane Gopher"},{"name":"Rob"}]}</script>`, "", "Jane Gopher, Rob"},
		{"JSON-LD in @graph", `<script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"Site"},{"@type":["BlogPosting"],"author":"Jane Gopher"}]}</script>`, "", "Jane Gopher"},
		{"rel author link", ``, `<a rel="author" href="/jane">Jane Gopher</a>`, "Jane Gopher"},
		{"malformed JSON-LD ignored", `<script type="application/ld+json">{"@type":</script>`, `<span itemprop="author"><span itemprop="name">Jane</span></span>`, "Jane"},
		{"none", ``, `<p>text</p>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readMetadataString(t, tt.head, tt.body, testPage).author; got != tt.want {
				t.Errorf("author = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPublished(t *testing.T) {
	kst := time.FixedZone("", 9*3600)
	tests := []struct {
		name, head, body string
		want             time.Time // zero: none
	}{
		{"article:published_time", `<meta property="article:published_time" content="2024-08-13T09:30:00+09:00">`, "", time.Date(2024, 8, 13, 9, 30, 0, 0, kst)},
		{"JSON-LD datePublished", `<script type="application/ld+json">{"@type":"Article","datePublished":"2023-02-01"}</script>`, "", time.Date(2023, 2, 1, 0, 0, 0, 0, time.UTC)},
		{"time element", ``, `<time itemprop="datePublished" datetime="2022-12-24T18:00:00Z">Christmas Eve</time>`, time.Date(2022, 12, 24, 18, 0, 0, 0, time.UTC)},
		{"unparsable skipped", `<meta property="article:published_time" content="yesterday"><meta name="date" content="2021-06-30">`, "", time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)},
		{"implausible year rejected", `<meta name="date" content="0001-01-01">`, "", time.Time{}},
		{"none", ``, ``, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readMetadataString(t, tt.head, tt.body, testPage).published
			switch {
			case tt.want.IsZero() && got != nil:
				t.Errorf("published = %v, want none", got)
			case !tt.want.IsZero() && (got == nil || !got.Equal(tt.want)):
				t.Errorf("published = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"html lang with region", `<html lang="en-US"><body></body></html>`, "en"},
		{"upper case", `<html lang="KO"><body></body></html>`, "ko"},
		{"content-language", `<html><head><meta http-equiv="Content-Language" content="ko-KR"></head></html>`, "ko"},
		{"og:locale with underscore", `<html><head><meta property="og:locale" content="ja_JP"></head></html>`, "ja"},
		{"invalid tag falls through", `<html lang="!!"><head><meta property="og:locale" content="de_DE"></head></html>`, "de"},
		{"none", `<html><body></body></html>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if got := readLanguage(doc); got != tt.want {
				t.Errorf("language = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTitleAndSiteName(t *testing.T) {
	tests := []struct {
		name, head, body, title, site string
	}{
		{"og:title preferred", `<title>Iterators | Gopher Notes</title><meta property="og:title" content="Understanding iterators"><meta property="og:site_name" content="Gopher Notes">`, "", "Understanding iterators", "Gopher Notes"},
		{"site name suffix stripped", `<title>Understanding iterators - Gopher Notes</title><meta property="og:site_name" content="Gopher Notes">`, "", "Understanding iterators", "Gopher Notes"},
		{"site name prefix stripped", `<title>Gopher Notes | Understanding iterators</title><meta name="application-name" content="Gopher Notes">`, "", "Understanding iterators", "Gopher Notes"},
		{"JSON-LD headline and publisher", `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Big news","publisher":{"@type":"Organization","name":"The Daily"}}</script>`, "", "Big news", "The Daily"},
		{"h1 fallback", ``, `<h1> Only a heading </h1>`, "Only a heading", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := readMetadataString(t, tt.head, tt.body, testPage)
			if m.title != tt.title || m.siteName != tt.site {
				t.Errorf("title, site = %q, %q; want %q, %q", m.title, m.siteName, tt.title, tt.site)
			}
		})
	}
}
