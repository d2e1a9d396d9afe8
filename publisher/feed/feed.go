// Package feed writes the Atom 1.0 feed (RFC 4287) of published issues, so
// readers can subscribe to the newsletter's public archive.
//
// The feed and its entries are identified by IDs the caller chooses. An ID
// is how a feed reader knows an entry it has seen before, so it must be
// permanent: the same issue keeps the same ID when its title, slug or URL
// changes, and no two issues ever share one. A tag: URI (RFC 4151) built
// from a domain the project controls, the year it started using it, and the
// issue's stored cuid serves well:
//
//	feed:  tag:newsletter.example.org,2024:feed
//	entry: tag:newsletter.example.org,2024:issue:cm0j4s1x2000008l4h3k9f7qz
//
// Every string is written as valid XML whatever it holds: markup is
// escaped, invalid UTF-8 becomes U+FFFD, and control characters XML does
// not allow, or feed readers would show as garbage, are dropped.
package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ContentType is the media type to serve a feed with.
const ContentType = "application/atom+xml; charset=utf-8"

// Feed is the archive's feed.
type Feed struct {
	ID       string    // permanent IRI, e.g. a tag: URI; see the package doc
	Title    string    // "GDC Weekly Newsletter"
	Subtitle string    // optional
	Language string    // optional xml:lang, "ko"
	Updated  time.Time // zero: the latest Updated of the entries
	Author   Person
	SelfURL  string  // absolute URL the feed is served at (link rel="self")
	HTMLURL  string  // absolute URL of the archive's page (link rel="alternate")
	Entries  []Entry // in the order written; readers expect newest first
}

// Person is the feed's author.
type Person struct {
	Name  string // required
	Email string // optional
	URI   string // optional absolute URL
}

// Entry is one published issue.
type Entry struct {
	ID        string    // permanent IRI, never reused for another issue
	Title     string    // the title
	URL       string    // absolute URL of the page (link rel="alternate")
	Published time.Time // zero: no published element
	Updated   time.Time // the last change that mattered; zero: Published
	Summary   string    // optional plain text
	// HTML is the issue rendered as an HTML fragment, written as content
	// type="html". It must already be safe to show: the feed escapes it as
	// XML text but does not sanitise it, and feed readers render it.
	HTML string
}

const (
	atomNS = "http://www.w3.org/2005/Atom"
	xmlNS  = "http://www.w3.org/XML/1998/namespace"
)

// Marshal returns the feed as an Atom document, or an error naming the
// first field that keeps it from being a valid one: a missing or relative
// ID, title, author name or link, an entry ID used twice, or no time to
// give as updated.
func (f Feed) Marshal() ([]byte, error) {
	updated, err := f.check()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	w := &writer{enc: xml.NewEncoder(&buf)}
	w.enc.Indent("", "  ")

	root := []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: atomNS}}
	if lang := line(f.Language); lang != "" {
		root = append(root, xml.Attr{Name: xml.Name{Space: xmlNS, Local: "lang"}, Value: lang})
	}
	w.start("feed", root...)
	w.element("id", strings.TrimSpace(f.ID))
	w.element("title", line(f.Title))
	if s := line(f.Subtitle); s != "" {
		w.element("subtitle", s)
	}
	w.element("updated", timestamp(updated))
	w.start("author")
	w.element("name", line(f.Author.Name))
	if e := line(f.Author.Email); e != "" {
		w.element("email", e)
	}
	if u := strings.TrimSpace(f.Author.URI); u != "" {
		w.element("uri", u)
	}
	w.end("author")
	w.link("self", "application/atom+xml", f.SelfURL)
	w.link("alternate", "text/html", f.HTMLURL)
	for _, e := range f.Entries {
		w.start("entry")
		w.element("id", strings.TrimSpace(e.ID))
		w.element("title", line(e.Title))
		w.element("updated", timestamp(e.updated()))
		if !e.Published.IsZero() {
			w.element("published", timestamp(e.Published))
		}
		w.link("alternate", "text/html", e.URL)
		if s := text(e.Summary); strings.TrimSpace(s) != "" {
			w.element("summary", s)
		}
		w.element("content", text(e.HTML), xml.Attr{Name: xml.Name{Local: "type"}, Value: "html"})
		w.end("entry")
	}
	w.end("feed")
	if w.err == nil {
		w.err = w.enc.Flush()
	}
	if w.err != nil {
		return nil, fmt.Errorf("feed %s: %w", f.ID, w.err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// check validates f and returns the feed's updated time.
func (f Feed) check() (time.Time, error) {
	if err := checkIRI("id", f.ID); err != nil {
		return time.Time{}, fmt.Errorf("feed: %w", err)
	}
	if line(f.Title) == "" {
		return time.Time{}, fmt.Errorf("feed %s: title is empty", f.ID)
	}
	if line(f.Author.Name) == "" {
		return time.Time{}, fmt.Errorf("feed %s: author name is empty", f.ID)
	}
	if f.Author.URI != "" {
		if err := checkIRI("author uri", f.Author.URI); err != nil {
			return time.Time{}, fmt.Errorf("feed %s: %w", f.ID, err)
		}
	}
	for _, l := range []struct{ field, url string }{{"self URL", f.SelfURL}, {"HTML URL", f.HTMLURL}} {
		if err := checkWebURL(l.field, l.url); err != nil {
			return time.Time{}, fmt.Errorf("feed %s: %w", f.ID, err)
		}
	}
	updated := f.Updated
	seen := make(map[string]int, len(f.Entries))
	for i, e := range f.Entries {
		if err := e.check(); err != nil {
			return time.Time{}, fmt.Errorf("feed %s: entry %d: %w", f.ID, i+1, err)
		}
		id := strings.TrimSpace(e.ID)
		if j, dup := seen[id]; dup {
			return time.Time{}, fmt.Errorf("feed %s: entry %d: id %s is also entry %d's", f.ID, i+1, id, j)
		}
		seen[id] = i + 1
		if f.Updated.IsZero() && e.updated().After(updated) {
			updated = e.updated()
		}
	}
	if updated.IsZero() {
		return time.Time{}, fmt.Errorf("feed %s: updated is zero and there is no entry to take it from", f.ID)
	}
	return updated, nil
}

func (e Entry) check() error {
	if err := checkIRI("id", e.ID); err != nil {
		return err
	}
	if line(e.Title) == "" {
		return fmt.Errorf("%s: title is empty", e.ID)
	}
	if err := checkWebURL("URL", e.URL); err != nil {
		return fmt.Errorf("%s: %w", e.ID, err)
	}
	if e.updated().IsZero() {
		return fmt.Errorf("%s: neither updated nor published is set", e.ID)
	}
	return nil
}

func (e Entry) updated() time.Time {
	if e.Updated.IsZero() {
		return e.Published
	}
	return e.Updated
}

// checkIRI reports whether s is an absolute IRI (RFC 3987): a scheme, then
// no white space or control character.
func checkIRI(field, s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return fmt.Errorf("%s is empty", field)
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("%s %q holds white space, a control character or invalid UTF-8", field, s)
	}
	if u, err := url.Parse(s); err != nil || u.Scheme == "" {
		return fmt.Errorf("%s %q is not an absolute IRI (tag:example.org,2024:feed)", field, s)
	}
	return nil
}

// checkWebURL reports whether s is an absolute http(s) URL.
func checkWebURL(field, s string) error {
	if err := checkIRI(field, s); err != nil {
		return err
	}
	u, _ := url.Parse(strings.TrimSpace(s))
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q is not an absolute http(s) URL", field, s)
	}
	return nil
}

// timestamp writes t as an RFC 3339 date-time in UTC.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// text makes s safe for an XML document beyond what escaping does: invalid
// UTF-8 becomes U+FFFD, and control characters other than tab, line feed
// and carriage return, and the noncharacters U+FFFE and U+FFFF, are dropped
// (XML 1.0 forbids the C0 ones and those two; C1 ones are allowed but no
// reader shows them as anything useful).
func text(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, 0x7f <= r && r <= 0x9f, r == 0xfffe, r == 0xffff:
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// line is text on one line: runs of white space become one space.
func line(s string) string { return strings.Join(strings.Fields(text(s)), " ") }

// writer writes XML tokens, keeping the first error.
type writer struct {
	enc *xml.Encoder
	err error
}

func (w *writer) token(t xml.Token) {
	if w.err == nil {
		w.err = w.enc.EncodeToken(t)
	}
}

func (w *writer) start(name string, attrs ...xml.Attr) {
	w.token(xml.StartElement{Name: xml.Name{Local: name}, Attr: attrs})
}

func (w *writer) end(name string) { w.token(xml.EndElement{Name: xml.Name{Local: name}}) }

// element writes <name attrs>value</name>; value is escaped as character
// data, line breaks kept.
func (w *writer) element(name, value string, attrs ...xml.Attr) {
	w.start(name, attrs...)
	w.token(xml.CharData(value))
	w.end(name)
}

func (w *writer) link(rel, typ, href string) {
	w.start("link",
		xml.Attr{Name: xml.Name{Local: "rel"}, Value: rel},
		xml.Attr{Name: xml.Name{Local: "type"}, Value: typ},
		xml.Attr{Name: xml.Name{Local: "href"}, Value: strings.TrimSpace(href)})
	w.end("link")
}
