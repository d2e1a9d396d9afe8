package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// rssOf is an RSS 2.0 feed of the given links and titles.
func rssOf(items ...[2]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Go 소식</title><link>https://example.org/</link><description>test</description>`)
	for _, it := range items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><description>%s 요약</description><pubDate>Mon, 02 Sep 2024 06:00:00 +0900</pubDate></item>`,
			it[1], it[0], it[1])
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// TestSuggestionsThroughServe: serve polls a feed, the CLI lists the
// candidates ranked, accepts two and dismisses one; the accepted ones are
// submissions processed into the draft, the dismissed one is never shown
// again, and the status shows the source, a broken one with its reason.
func TestSuggestionsThroughServe(t *testing.T) {
	dir := t.TempDir()
	gemini := geminitest.NewServer(t)
	site := newArticleSite(t)
	a := site.Add("/s/1", "Generics in practice")
	b := site.Add("/s/2", "SQLite in WAL mode")
	c := site.Add("/s/3", "Fuzzing in Go")
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" { // answers only when the request ends: serve's stop must cut it
			<-r.Context().Done()
			return
		}
		if r.URL.Path == "/broken" {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rssOf([2]string{a, "Generics in practice"}, [2]string{b, "SQLite in WAL mode"}, [2]string{c, "Fuzzing in Go"}))
	}))
	defer feed.Close()
	cfg := daemonTestConfig(dir, gemini.URL)
	cfg.Schedule.Mode = config.ModeReview
	cfg.Sources = []config.Source{
		{Name: "Go 소식", Kind: config.SourceFeed, URL: feed.URL + "/feed", Every: time.Hour},
		{Name: "고장", Kind: config.SourceFeed, URL: feed.URL + "/broken", Every: time.Hour},
		{Name: "느림", Kind: config.SourceFeed, URL: feed.URL + "/slow", Every: time.Hour},
	}
	_, srv, env, stop := serveForTest(t, cfg, clockwork.NewFakeClockAt(issueDate))
	cli := func(want int, args ...string) string {
		t.Helper()
		code, out, errs := runApp(t, env, args...)
		if code != want {
			t.Fatalf("newsletter %s: exit %d, want %d; stderr %s", strings.Join(args, " "), code, want, errs)
		}
		return out + errs
	}
	suggestions := func() api.Suggestions {
		t.Helper()
		var s api.Suggestions
		if err := json.Unmarshal([]byte(cli(0, "suggestions", "--json")), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	waitFor(t, "three candidates", func() bool { return len(suggestions().Candidates) == 3 })
	s := suggestions()
	ids := map[string]int64{}
	for _, x := range s.Candidates {
		ids[x.URL] = x.ID
	}
	text := cli(0, "suggestions")
	if !strings.Contains(text, "Generics in practice") || !strings.Contains(text, "Go 소식") {
		t.Errorf("suggestions:\n%s", text)
	}

	out := cli(0, "accept", fmt.Sprint(ids[a]), fmt.Sprint(ids[b]))
	if strings.Count(out, "accepted as submission") != 2 {
		t.Errorf("accept: %s", out)
	}
	cli(0, "dismiss", fmt.Sprint(ids[c]))
	out = cli(1, "dismiss", fmt.Sprint(ids[c]))
	if !strings.Contains(out, "is dismissed already") {
		t.Errorf("dismissed twice: %s", out)
	}
	cli(2, "accept")
	// The API answers each refusal with its code; several ids, each.
	for _, tt := range []struct {
		ids    []int64
		status int
		code   string
	}{
		{[]int64{999}, http.StatusNotFound, `"code":"not_found"`},
		{[]int64{ids[c]}, http.StatusConflict, `"code":"already_decided"`},
		{nil, http.StatusBadRequest, `"code":"required"`},
		{[]int64{ids[c], 999}, http.StatusOK, `"refused":[{"id":`},
	} {
		status, raw := srv.doJSON("POST", "/api/v1/suggestions/accept", api.DecisionRequest{IDs: tt.ids})
		var body bytes.Buffer
		_ = json.Compact(&body, raw)
		if status != tt.status || !strings.Contains(body.String(), tt.code) {
			t.Errorf("accept %v: %d %s, want %d %s", tt.ids, status, body.String(), tt.status, tt.code)
		}
	}
	if status, body := srv.do("GET", "/api/v1/suggestions?source=Reddit"); status != http.StatusBadRequest || !strings.Contains(string(body), "unknown_source") {
		t.Errorf("unknown source: %d %s", status, body)
	}
	_, metrics := srv.do("GET", "/metrics")
	for _, want := range []string{`newsletter_candidates{source="Go 소식",state="accepted"} 2`, `newsletter_candidates{source="Go 소식",state="dismissed"} 1`,
		`newsletter_source_items_total{outcome="added",source="Go 소식"} 3`, `newsletter_source_failures_total{source="고장"} 1`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if left := suggestions().Candidates; len(left) != 0 {
		t.Errorf("left: %+v", left)
	}

	var d api.Issue
	waitFor(t, "the two accepted in the draft", func() bool {
		_ = json.Unmarshal([]byte(cli(0, "draft", "--json")), &d)
		return len(d.Entries) == 2
	})
	subs := cli(0, "submissions")
	if !strings.Contains(subs, "출처: Go 소식") {
		t.Errorf("submissions do not credit the source:\n%s", subs)
	}

	status := cli(0, "status")
	if !strings.Contains(status, "고장") || !strings.Contains(status, "FAILING (1)") || !strings.Contains(status, "502") ||
		!strings.Contains(status, "not polled yet") {
		t.Errorf("status:\n%s", status)
	}
	// The slow source's poll is still in flight: the stop cancels it
	// (else it would wait for fetcher.timeout) and serve ends cleanly.
	stop()
}
