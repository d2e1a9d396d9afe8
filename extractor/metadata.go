package extractor

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/text/language"
)

// metadata is what the page says about itself, read from <head> markup,
// Open Graph and JSON-LD before any content extraction mutates the tree.
type metadata struct {
	title     string
	siteName  string
	author    string
	published *time.Time
	language  string
	canonical string
}

func readMetadata(doc *goquery.Document, page *url.URL) metadata {
	ld := readJSONLD(doc)
	m := metadata{
		siteName: firstNonEmpty(
			metaContent(doc, "og:site_name", "application-name"),
			ld.publisher,
		),
		author:    readAuthor(doc, ld),
		published: readPublished(doc, ld),
		language:  readLanguage(doc),
		canonical: readCanonical(doc, page),
	}
	m.title = readTitle(doc, ld, m.siteName)
	return m
}

// metaContent returns the content of the first <meta> whose property,
// name or itemprop is one of keys, trying keys in order.
func metaContent(doc *goquery.Document, keys ...string) string {
	for _, k := range keys {
		var found string
		doc.Find("meta").EachWithBreak(func(_ int, s *goquery.Selection) bool {
			for _, a := range []string{"property", "name", "itemprop"} {
				if v, ok := s.Attr(a); ok && strings.EqualFold(strings.TrimSpace(v), k) {
					found = clean(s.AttrOr("content", ""))
					if found != "" {
						return false
					}
				}
			}
			return true
		})
		if found != "" {
			return found
		}
	}
	return ""
}

func readTitle(doc *goquery.Document, ld jsonLD, siteName string) string {
	if t := firstNonEmpty(metaContent(doc, "og:title", "twitter:title"), ld.headline); t != "" {
		return stripSiteName(t, siteName)
	}
	if t := clean(doc.Find("head title").First().Text()); t != "" {
		return stripSiteName(t, siteName)
	}
	return clean(doc.Find("h1").First().Text())
}

// titleSeparators split "Article | Site" style titles.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " · ", " :: ", " » "}

// stripSiteName removes a leading or trailing site name segment.
func stripSiteName(title, siteName string) string {
	if siteName == "" {
		return title
	}
	for _, sep := range titleSeparators {
		if rest, ok := strings.CutSuffix(title, sep+siteName); ok && rest != "" {
			return rest
		}
		if rest, ok := strings.CutPrefix(title, siteName+sep); ok && rest != "" {
			return rest
		}
	}
	return title
}

func readAuthor(doc *goquery.Document, ld jsonLD) string {
	candidates := []string{
		metaContent(doc, "author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"),
		ld.author,
		doc.Find(`[rel="author"]`).First().Text(),
		doc.Find(`[itemprop="author"] [itemprop="name"]`).First().Text(),
	}
	for _, c := range candidates {
		c = clean(c)
		if c == "" || isURLish(c) || len(c) > 200 {
			continue
		}
		for _, p := range []string{"By ", "by ", "BY "} {
			c = strings.TrimPrefix(c, p)
		}
		return c
	}
	return ""
}

func isURLish(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "//")
}

func readPublished(doc *goquery.Document, ld jsonLD) *time.Time {
	var candidates []string
	for _, k := range []string{"article:published_time", "datePublished", "og:published_time",
		"parsely-pub-date", "sailthru.date", "publish-date", "pubdate", "publishdate",
		"dc.date.issued", "dc.date", "date"} {
		candidates = append(candidates, metaContent(doc, k))
	}
	candidates = append(candidates,
		ld.published,
		doc.Find(`time[itemprop="datePublished"]`).First().AttrOr("datetime", ""),
		doc.Find(`time[pubdate]`).First().AttrOr("datetime", ""),
	)
	for _, c := range candidates {
		if t, ok := parseDate(c); ok {
			return &t
		}
	}
	return nil
}

// dateLayouts are the forms dates take in page metadata.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"2006/01/02",
	"20060102",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"January 2, 2006",
	"Jan 2, 2006",
}

func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1990 && t.Year() < 2200 {
			return t, true
		}
	}
	return time.Time{}, false
}

func readLanguage(doc *goquery.Document) string {
	for _, c := range []string{
		doc.Find("html").First().AttrOr("lang", ""),
		doc.Find("html").First().AttrOr("xml:lang", ""),
		doc.Find(`meta[http-equiv="content-language" i]`).First().AttrOr("content", ""),
		metaContent(doc, "og:locale", "language", "dc.language"),
	} {
		if l := normalizeLanguage(c); l != "" {
			return l
		}
	}
	return ""
}

// normalizeLanguage returns the primary language subtag of a BCP 47 or
// POSIX-style tag ("en_US", "ko-KR", "EN") in lower case, or "".
func normalizeLanguage(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "_", "-"))
	if i := strings.IndexAny(s, ",;"); i >= 0 { // "en, ko" lists
		s = s[:i]
	}
	if s == "" {
		return ""
	}
	tag, err := language.Parse(s)
	if err != nil {
		return ""
	}
	base, conf := tag.Base()
	if conf == language.No || base.String() == "und" {
		return ""
	}
	return base.String()
}

// readCanonical returns the page's canonical address, from <link
// rel=canonical> or og:url, resolved against the page URL. The canonical
// address is an article's identity (duplicates, the 참고 link), so a page
// may only name itself with it: a candidate is ignored unless it is the
// page's own address less some of its noise (see samePage). A page can
// thus never take over another page's link, even on its own site.
func readCanonical(doc *goquery.Document, page *url.URL) string {
	var candidates []string
	doc.Find("link[rel]").Each(func(_ int, s *goquery.Selection) {
		for _, rel := range strings.Fields(strings.ToLower(s.AttrOr("rel", ""))) {
			if rel == "canonical" {
				candidates = append(candidates, s.AttrOr("href", ""))
			}
		}
	})
	candidates = append(candidates, metaContent(doc, "og:url"))
	for _, c := range candidates {
		if u := resolveCanonical(strings.TrimSpace(c), page); u != "" {
			return u
		}
	}
	return ""
}

func resolveCanonical(href string, page *url.URL) string {
	if href == "" || page == nil || strings.HasPrefix(href, "#") {
		return ""
	}
	ref, err := url.Parse(href)
	if err != nil {
		return ""
	}
	u := page.ResolveReference(ref)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return ""
	}
	if !samePage(u, page) {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

// samePage reports whether canonical names page itself: the same host but
// for a leading "www.", the same path but for a trailing slash, and a
// query that only drops parameters of the page's (tracking, sessions),
// never adds or changes one. The scheme may differ (http to https).
func samePage(canonical, page *url.URL) bool {
	host := func(u *url.URL) string { return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") }
	path := func(u *url.URL) string { return strings.TrimSuffix(u.EscapedPath(), "/") }
	if host(canonical) != host(page) || canonical.Port() != page.Port() || path(canonical) != path(page) {
		return false
	}
	have := page.Query()
	for k, vs := range canonical.Query() {
		for _, v := range vs {
			if !slices.Contains(have[k], v) {
				return false
			}
		}
	}
	return true
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v = clean(v); v != "" {
			return v
		}
	}
	return ""
}

// clean collapses whitespace.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
