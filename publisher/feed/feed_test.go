package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
)

var (
	kst        = time.FixedZone("KST", 9*60*60)
	september1 = time.Date(2024, 9, 1, 6, 15, 52, 0, kst)
	september9 = time.Date(2024, 9, 9, 6, 0, 0, 0, kst)
)

func archiveFeed() Feed {
	return Feed{
		ID:       "tag:newsletter.example.org,2024:feed",
		Title:    "GDC Weekly Newsletter",
		Subtitle: "Go 개발자 커뮤니티의 주간 뉴스레터",
		Language: "ko",
		Author:   Person{Name: "GDC 편집부", Email: "editor@example.org", URI: "https://newsletter.example.org/"},
		SelfURL:  "https://newsletter.example.org/feed.xml",
		HTMLURL:  "https://newsletter.example.org/issues",
		Entries: []Entry{
			{
				ID:        "tag:newsletter.example.org,2024:issue:cm0j4s1x2000008l4h3k9f7qz",
				Title:     "[GDC] Weekly Newsletter September 9th",
				URL:       "https://newsletter.example.org/issues/gdc-weekly-newsletter-2024-september-9th",
				Published: september9,
				Updated:   september9.Add(2 * time.Hour),
				Summary:   "unique 패키지 외 2편",
				HTML:      "<h2>Go의 새로운 unique 패키지</h2>\n<h3>요약</h3>\n<p>비교 가능한 값을 정규화합니다 &amp; 빠릅니다.</p>\n",
			},
			{
				ID:        "tag:newsletter.example.org,2024:issue:cm0a1b2c3000008l4abcdefgh",
				Title:     "[GDC] Weekly Newsletter September 1st",
				URL:       "https://newsletter.example.org/issues/gdc-weekly-newsletter-2024-september-1st",
				Published: september1,
				HTML:      "<h2>팬텀 토큰 접근 방식</h2>\n<p><a href=\"https://curity.io/\">The Phantom Token Approach</a></p>\n",
			},
		},
	}
}

// wellFormed decodes doc strictly, token by token, as a validating reader
// would, and returns the root element.
func wellFormed(t *testing.T, doc []byte) xml.StartElement {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var root xml.StartElement
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		if s, ok := tok.(xml.StartElement); ok && root.Name.Local == "" {
			root = s.Copy()
		}
	}
	if root.Name.Space != atomNS || root.Name.Local != "feed" {
		t.Fatalf("root element is {%s}%s, want {%s}feed", root.Name.Space, root.Name.Local, atomNS)
	}
	return root
}

func parseAtom(t *testing.T, doc []byte) *atom.Feed {
	t.Helper()
	wellFormed(t, doc)
	universal, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, doc)
	}
	if universal.FeedType != "atom" || universal.FeedVersion != "1.0" {
		t.Errorf("gofeed detects %s %s, want atom 1.0", universal.FeedType, universal.FeedVersion)
	}
	f, err := (&atom.Parser{}).Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("gofeed atom parser: %v\n%s", err, doc)
	}
	return f
}

func linkOf(links []*atom.Link, rel string) *atom.Link {
	var found *atom.Link
	for _, l := range links {
		r := l.Rel
		if r == "" {
			r = "alternate"
		}
		if r == rel {
			if found != nil {
				return nil // more than one: not what the feed should hold
			}
			found = l
		}
	}
	return found
}

func checkTime(t *testing.T, what string, got *time.Time, want time.Time) {
	t.Helper()
	if got == nil {
		t.Errorf("%s missing", what)
		return
	}
	if !got.Equal(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestMarshalParsesAsAtom checks every element RFC 4287 requires of a feed
// (id, title, updated, an author) and of an entry (id, title, updated), the
// links and content the archive gives, as a real feed parser reads them.
func TestMarshalParsesAsAtom(t *testing.T) {
	in := archiveFeed()
	doc, err := in.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n")) {
		t.Errorf("no XML declaration:\n%.80s", doc)
	}
	f := parseAtom(t, doc)
	if f.ID != in.ID || f.Title != in.Title || f.Subtitle != in.Subtitle || f.Language != "ko" {
		t.Errorf("feed id, title, subtitle, language = %q %q %q %q", f.ID, f.Title, f.Subtitle, f.Language)
	}
	// Updated defaults to the latest entry's.
	checkTime(t, "feed updated", f.UpdatedParsed, september9.Add(2*time.Hour))
	if len(f.Authors) != 1 || *f.Authors[0] != (atom.Person{Name: in.Author.Name, Email: in.Author.Email, URI: in.Author.URI}) {
		t.Errorf("authors = %+v", f.Authors)
	}
	if l := linkOf(f.Links, "self"); l == nil || l.Href != in.SelfURL || l.Type != "application/atom+xml" {
		t.Errorf("rel=self link = %+v", l)
	}
	if l := linkOf(f.Links, "alternate"); l == nil || l.Href != in.HTMLURL || l.Type != "text/html" {
		t.Errorf("rel=alternate link = %+v", l)
	}
	if len(f.Entries) != len(in.Entries) {
		t.Fatalf("%d entries, want %d", len(f.Entries), len(in.Entries))
	}
	for i, want := range in.Entries {
		got := f.Entries[i]
		if got.ID != want.ID || got.Title != want.Title {
			t.Errorf("entry %d: id, title = %q %q", i, got.ID, got.Title)
		}
		checkTime(t, want.ID+" updated", got.UpdatedParsed, want.updated())
		checkTime(t, want.ID+" published", got.PublishedParsed, want.Published)
		if l := linkOf(got.Links, "alternate"); l == nil || l.Href != want.URL || l.Type != "text/html" {
			t.Errorf("entry %d: rel=alternate link = %+v", i, l)
		}
		// gofeed trims the content it reads.
		if got.Content == nil || got.Content.Type != "html" || got.Content.Value != strings.TrimSpace(want.HTML) {
			t.Errorf("entry %d: content = %+v, want type html holding %q", i, got.Content, want.HTML)
		}
		if exact := contents(t, doc); exact[i] != want.HTML {
			t.Errorf("entry %d: content reads back as %q, want %q exactly", i, exact[i], want.HTML)
		}
		if got.Summary != want.Summary {
			t.Errorf("entry %d: summary = %q, want %q", i, got.Summary, want.Summary)
		}
	}
}

// contents reads every entry's content exactly, as encoding/xml does.
func contents(t *testing.T, doc []byte) []string {
	t.Helper()
	var f struct {
		Entries []struct {
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(doc, &f); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range f.Entries {
		out = append(out, e.Content)
	}
	return out
}

func TestMarshalDefaults(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Feed)
		updated time.Time
		check   func(*testing.T, *atom.Feed)
	}{
		{
			name:    "feed updated as given",
			edit:    func(f *Feed) { f.Updated = september9.Add(24 * time.Hour) },
			updated: september9.Add(24 * time.Hour),
		},
		{
			name:    "entry updated defaults to published",
			edit:    func(f *Feed) { f.Entries[0].Updated = time.Time{} },
			updated: september9,
			check: func(t *testing.T, f *atom.Feed) {
				checkTime(t, "entry updated", f.Entries[0].UpdatedParsed, september9)
			},
		},
		{
			name: "entry without published has no published element",
			edit: func(f *Feed) {
				f.Entries[1].Published, f.Entries[1].Updated = time.Time{}, september1
			},
			updated: september9.Add(2 * time.Hour),
			check: func(t *testing.T, f *atom.Feed) {
				if f.Entries[1].Published != "" {
					t.Errorf("published = %q, want none", f.Entries[1].Published)
				}
			},
		},
		{
			name:    "an empty archive with updated given",
			edit:    func(f *Feed) { f.Entries, f.Updated = nil, september1 },
			updated: september1,
			check: func(t *testing.T, f *atom.Feed) {
				if len(f.Entries) != 0 {
					t.Errorf("%d entries", len(f.Entries))
				}
			},
		},
		{
			name: "optional fields left out",
			edit: func(f *Feed) {
				f.Subtitle, f.Language, f.Author = "", "", Person{Name: "GDC"}
				f.Entries[0].Summary = ""
			},
			updated: september9.Add(2 * time.Hour),
			check: func(t *testing.T, f *atom.Feed) {
				if f.Subtitle != "" || f.Language != "" || f.Entries[0].Summary != "" {
					t.Errorf("subtitle %q, language %q, summary %q", f.Subtitle, f.Language, f.Entries[0].Summary)
				}
				if *f.Authors[0] != (atom.Person{Name: "GDC"}) {
					t.Errorf("author = %+v", f.Authors[0])
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := archiveFeed()
			tt.edit(&in)
			doc, err := in.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			f := parseAtom(t, doc)
			checkTime(t, "feed updated", f.UpdatedParsed, tt.updated)
			if tt.check != nil {
				tt.check(t, f)
			}
		})
	}
}

// TestMarshalHostileStrings puts strings no XML document may hold as they
// are into every text field: the feed must stay well-formed, parse, and
// read back as the string made safe.
func TestMarshalHostileStrings(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // what a parser reads back from a multi-line field
		wantLine string // from a title or name; "" means the same as want
	}{
		{"markup", `<script>alert("x")</script> & <![CDATA[`, `<script>alert("x")</script> & <![CDATA[`, ""},
		{"CDATA end", "a ]]> b", "a ]]> b", ""},
		{"entities stay text", "&amp; &#0; &lt;x&gt; &nbsp;", "&amp; &#0; &lt;x&gt; &nbsp;", ""},
		{"doctype and entity declaration", `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;`, `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;`, ""},
		{"processing instruction", `<?xml version="1.0"?><?php x ?>`, `<?xml version="1.0"?><?php x ?>`, ""},
		{"quotes", `"'"'`, `"'"'`, ""},
		{"invalid UTF-8", "a\xffb\xc3(c", "a\uFFFDb\uFFFD(c", ""},
		{"encoded surrogate", "a\xed\xa0\x80b", "a\uFFFDb", ""}, // one U+FFFD a run
		{"C0 controls", "a\x00b\x01c\x08d\x0be\x0cf\x1bg", "abcdefg", ""},
		{"DEL and C1 controls", "a\x7fb\u0080c\u0085d\u009fe", "abcde", ""},
		{"noncharacters", "a\uFFFEb\uFFFFc", "abc", ""},
		{"line breaks and tabs", "첫 줄\r\n둘째\t줄\n", "첫 줄\r\n둘째\t줄\n", "첫 줄 둘째 줄"},
		{"Korean and emoji", "뉴스레터 📬 ① 𝔾𝕠", "뉴스레터 📬 ① 𝔾𝕠", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := archiveFeed()
			in.Title, in.Subtitle, in.Author.Name = "T "+tt.in, "S "+tt.in, "A "+tt.in
			e := &in.Entries[0]
			e.Title, e.Summary, e.HTML = "E "+tt.in, tt.in, "<p>"+tt.in+"</p>"
			doc, err := in.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			f := parseAtom(t, doc)
			wantLine := tt.wantLine
			if wantLine == "" {
				wantLine = strings.Join(strings.Fields(tt.want), " ")
			}
			for _, c := range []struct{ field, got, want string }{
				{"feed title", f.Title, "T " + wantLine},
				{"subtitle", f.Subtitle, "S " + wantLine},
				{"author name", f.Authors[0].Name, "A " + wantLine},
				{"entry title", f.Entries[0].Title, "E " + wantLine},
				{"content", f.Entries[0].Content.Value, "<p>" + tt.want + "</p>"},
			} {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
				}
			}
			// gofeed trims a summary; compare what it keeps.
			if got := f.Entries[0].Summary; got != strings.TrimSpace(tt.want) {
				t.Errorf("summary = %q, want %q", got, strings.TrimSpace(tt.want))
			}
		})
	}
}

func TestMarshalInvalid(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Feed)
		want string
	}{
		{"no feed id", func(f *Feed) { f.ID = " " }, "feed: id is empty"},
		{"feed id not an IRI", func(f *Feed) { f.ID = "newsletter" }, `feed: id "newsletter" is not an absolute IRI`},
		{"feed id with a space", func(f *Feed) { f.ID = "tag:example.org,2024:news letter" }, `feed: id "tag:example.org,2024:news letter" holds white space`},
		{"feed id with a control character", func(f *Feed) { f.ID = "tag:example.org,2024:\x00" }, `holds white space, a control character`},
		{"no title", func(f *Feed) { f.Title = "\x01 \n" }, "feed tag:newsletter.example.org,2024:feed: title is empty"},
		{"no author", func(f *Feed) { f.Author = Person{} }, "feed tag:newsletter.example.org,2024:feed: author name is empty"},
		{"author uri relative", func(f *Feed) { f.Author.URI = "/about" }, `author uri "/about" is not an absolute IRI`},
		{"no self link", func(f *Feed) { f.SelfURL = "" }, "self URL is empty"},
		{"relative self link", func(f *Feed) { f.SelfURL = "/feed.xml" }, `self URL "/feed.xml" is not an absolute IRI`},
		{"javascript HTML link", func(f *Feed) { f.HTMLURL = "javascript:alert(1)" }, `HTML URL "javascript:alert(1)" is not an absolute http(s) URL`},
		{"entry without id", func(f *Feed) { f.Entries[1].ID = "" }, "feed tag:newsletter.example.org,2024:feed: entry 2: id is empty"},
		{"entry without title", func(f *Feed) { f.Entries[0].Title = "" }, "entry 1: tag:newsletter.example.org,2024:issue:cm0j4s1x2000008l4h3k9f7qz: title is empty"},
		{"entry without URL", func(f *Feed) { f.Entries[0].URL = "" }, "entry 1: tag:newsletter.example.org,2024:issue:cm0j4s1x2000008l4h3k9f7qz: URL is empty"},
		{"entry with a data URL", func(f *Feed) { f.Entries[0].URL = "data:text/html,x" }, `URL "data:text/html,x" is not an absolute http(s) URL`},
		{"entry without a time", func(f *Feed) { f.Entries[1].Published = time.Time{} }, "entry 2: tag:newsletter.example.org,2024:issue:cm0a1b2c3000008l4abcdefgh: neither updated nor published is set"},
		{"entry id twice", func(f *Feed) { f.Entries[1].ID = f.Entries[0].ID + " " }, "entry 2: id tag:newsletter.example.org,2024:issue:cm0j4s1x2000008l4h3k9f7qz is also entry 1's"},
		{"no entries, no updated", func(f *Feed) { f.Entries = nil }, "updated is zero and there is no entry to take it from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := archiveFeed()
			tt.edit(&in)
			doc, err := in.Marshal()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if doc != nil {
				t.Errorf("a document came with the error:\n%s", doc)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}
