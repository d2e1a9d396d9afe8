// Package source polls the configured sources (feeds, Hacker News
// searches, GitHub releases) and records what they offer as candidates
// for the desk's suggestions: each item deduplicated against the other
// candidates, the queue and every published issue (canonical URL first,
// then the title, package suggest), never submitted on its own.
package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/godevcommunity/newsletter/config"
)

// Item is one article a source offered.
type Item struct {
	URL, Title, Snippet string
	Published           time.Time
	Points, Comments    int
	Discussion          string // the thread's URL, if the source has one
}

// snippetRunes bounds an item's snippet.
const snippetRunes = 280

// RequestURL is what polling src at now asks for: the feed, the Hacker
// News search, or the repository's releases feed. Hacker News is asked
// for the newest stories first (Algolia's search_by_date; its search
// ranks by relevance, which puts years-old stories first) of the time a
// candidate is offered (ExpireAfter), with at least min_points.
func RequestURL(src config.Source, now time.Time) string {
	switch src.Kind {
	case config.SourceHackerNews:
		q := url.Values{"query": {src.Query}, "tags": {"story"}, "hitsPerPage": {"100"}}
		filters := []string{"created_at_i>" + strconv.FormatInt(now.Add(-ExpireAfter).Unix(), 10)}
		if src.MinPoints > 0 {
			filters = append(filters, "points>"+strconv.Itoa(src.MinPoints))
		}
		q.Set("numericFilters", strings.Join(filters, ","))
		return strings.TrimRight(src.URL, "/") + "/search_by_date?" + q.Encode()
	case config.SourceGitHub:
		u := strings.TrimRight(src.URL, "/")
		if strings.HasSuffix(u, ".atom") {
			return u
		}
		return u + "/releases.atom"
	}
	return src.URL
}

// Parse reads a source's answer into items: a feed (RSS 2.0, Atom 1.0,
// JSON Feed) for feed and github sources, Algolia's search JSON for
// hackernews. Items without a link or a title are left out.
func Parse(src config.Source, body []byte) ([]Item, error) {
	if src.Kind == config.SourceHackerNews {
		return parseHN(body)
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("source %s: not a feed: %w", src.Name, err)
	}
	prefix := ""
	if src.Kind == config.SourceGitHub {
		prefix = repoName(src.URL) + " "
	}
	items := make([]Item, 0, len(feed.Items))
	for _, it := range feed.Items {
		title := clean(it.Title)
		if it.Link == "" || title == "" {
			continue
		}
		snippet := it.Description
		if snippet == "" {
			snippet = it.Content
		}
		item := Item{URL: it.Link, Title: prefix + title, Snippet: clip(clean(snippet), snippetRunes)}
		switch {
		case it.PublishedParsed != nil:
			item.Published = *it.PublishedParsed
		case it.UpdatedParsed != nil:
			item.Published = *it.UpdatedParsed
		}
		items = append(items, item)
	}
	return items, nil
}

// repoName is OWNER/REPO of a GitHub repository URL, "" when it is none.
func repoName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// hnAnswer is the part of Algolia's Hacker News search answer read
// (https://hn.algolia.com/api).
type hnAnswer struct {
	Hits []struct {
		Title       string `json:"title"`
		URL         string `json:"url"`
		Points      int    `json:"points"`
		NumComments int    `json:"num_comments"`
		CreatedAtI  int64  `json:"created_at_i"`
		ObjectID    string `json:"objectID"`
		StoryText   string `json:"story_text"`
	} `json:"hits"`
}

func parseHN(body []byte) ([]Item, error) {
	var a hnAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("not a Hacker News search answer: %w", err)
	}
	items := make([]Item, 0, len(a.Hits))
	for _, h := range a.Hits {
		title := clean(h.Title)
		if title == "" || h.ObjectID == "" {
			continue
		}
		thread := "https://news.ycombinator.com/item?id=" + url.QueryEscape(h.ObjectID)
		link := h.URL
		if link == "" { // Ask HN and the like: the thread is the article
			link = thread
		}
		items = append(items, Item{URL: link, Title: title, Snippet: clip(clean(h.StoryText), snippetRunes),
			Points: h.Points, Comments: h.NumComments, Discussion: thread, Published: time.Unix(h.CreatedAtI, 0).UTC()})
	}
	return items, nil
}

var (
	blockTags = regexp.MustCompile(`(?i)</?(p|br|div|li|ul|ol|h[1-6]|blockquote|pre|tr|td)\b[^>]*>`)
	tags      = regexp.MustCompile(`<[^>]*>`)
)

// clean is text without markup, entities decoded, spaces collapsed.
func clean(s string) string {
	s = html.UnescapeString(tags.ReplaceAllString(blockTags.ReplaceAllString(s, " "), ""))
	return strings.Join(strings.Fields(s), " ")
}

// clip cuts s to n runes, ending with an ellipsis when it cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
