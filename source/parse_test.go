package source

import (
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
)

func TestRequestURL(t *testing.T) {
	tests := []struct {
		src  config.Source
		want string
	}{
		{config.Source{Kind: config.SourceFeed, URL: "https://go.dev/blog/feed.atom"}, "https://go.dev/blog/feed.atom"},
		{config.Source{Kind: config.SourceGitHub, URL: "https://github.com/jackc/pgx/"}, "https://github.com/jackc/pgx/releases.atom"},
		{config.Source{Kind: config.SourceGitHub, URL: "https://github.com/jackc/pgx/releases.atom"}, "https://github.com/jackc/pgx/releases.atom"},
		{config.Source{Kind: config.SourceHackerNews, URL: "https://hn.algolia.com/api/v1/", Query: "go lang", MinPoints: 50},
			"https://hn.algolia.com/api/v1/search_by_date?hitsPerPage=100&numericFilters=created_at_i%3E1795478400%2Cpoints%3E50&query=go+lang&tags=story"},
		{config.Source{Kind: config.SourceHackerNews, URL: "https://hn.algolia.com/api/v1", Query: "golang"},
			"https://hn.algolia.com/api/v1/search_by_date?hitsPerPage=100&numericFilters=created_at_i%3E1795478400&query=golang&tags=story"},
	}
	now := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC) // 14 days later than 1795478400
	for _, tt := range tests {
		if got := RequestURL(tt.src, now); got != tt.want {
			t.Errorf("RequestURL(%+v) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, file string
		src        config.Source
		first      Item
		n          int
	}{
		{"GitHub releases", "releases.atom", config.Source{Kind: config.SourceGitHub, URL: "https://github.com/jackc/pgx"},
			Item{URL: "https://github.com/jackc/pgx/releases/tag/v5.9.0", Title: "jackc/pgx v5.9.0", Snippet: "Add support for PostgreSQL 18 Faster COPY",
				Published: time.Date(2026, 12, 5, 18, 0, 0, 0, time.UTC)}, 1},
		{"Atom", "atom.xml", config.Source{Kind: config.SourceFeed},
			Item{URL: "https://go.dev/blog/go1.26", Title: "Go 1.26 is released", Snippet: "Go 1.26 adds a new garbage collector by default and faster cgo calls.",
				Published: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}, 2},
		{"JSON Feed", "jsonfeed.json", config.Source{Kind: config.SourceFeed},
			Item{URL: "https://golangweekly.com/issues/600", Title: "Golang Weekly Issue 600", Snippet: "Go 1.26 is out, and synctest explained.",
				Published: time.Date(2026, 12, 4, 14, 0, 0, 0, time.UTC)}, 2},
		{"RSS 2.0, an item without a link left out", "rss2.xml", config.Source{Kind: config.SourceFeed},
			Item{URL: "https://news.hada.io/topic?id=30001&utm_source=rss", Title: "Go 1.26 릴리스 - 새 GC 기본값, 더 빠른 cgo",
				Snippet: "Go 1.26이 나왔습니다. Green Tea GC가 기본이 되었고 cgo 호출이 빨라졌습니다.", Published: time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC)}, 3},
		{"Hacker News", "hn.json", config.Source{Kind: config.SourceHackerNews},
			Item{URL: "https://go.dev/blog/go1.26", Title: "Go 1.26 Released", Points: 312, Comments: 145,
				Discussion: "https://news.ycombinator.com/item?id=42000001", Published: time.Unix(1796518800, 0).UTC()}, 3},
	}
	for _, tt := range tests {
		items, err := Parse(tt.src, fixture(t, tt.file))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(items) != tt.n {
			t.Errorf("%s: %d items, want %d", tt.name, len(items), tt.n)
			continue
		}
		got := items[0]
		got.Published = got.Published.UTC()
		if got != tt.first {
			t.Errorf("%s: first item\n%+v, want\n%+v", tt.name, got, tt.first)
		}
	}
	if _, err := Parse(config.Source{Name: "x", Kind: config.SourceFeed}, fixture(t, "malformed.xml")); err == nil ||
		!strings.Contains(err.Error(), "source x: not a feed") {
		t.Errorf("malformed feed: %v", err)
	}
}
