package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

// BenchmarkLandingPage measures the server time of the landing page for a
// 30-article draft (the publisher's fixtures, seed articles among them),
// beside its peer in the same run: the editors' API answering the same
// draft as JSON (GET /api/v1/issues/draft), which does the same database
// work and renders markdown but no HTML. It reports the page's transfer
// size: the HTML, the stylesheet and the script it loads, as sent
// (uncompressed) and gzipped.
func BenchmarkLandingPage(b *testing.B) {
	h := newHarness(b, withTokens)
	var fixtures []publisher.Article
	for _, a := range publisherFixtures(b) {
		if webURL(a.Link) != "" { // the same unusable link twice is a duplicate
			fixtures = append(fixtures, a)
		}
	}
	for i := range 30 {
		h.addEntry(draftEntry{Article: fixtures[i%len(fixtures)], SubmittedBy: "kim", Note: "이번 주에 읽어 볼 만한 글"})
	}
	c := h.client()
	c.signIn(kimToken)
	get := c.serveOK
	b.Run("html", func(b *testing.B) {
		var page []byte
		for b.Loop() {
			page = get(b, "/desk/").Body.Bytes()
		}
		css, js := staticFiles["desk.css"].body, staticFiles["desk.js"].body
		b.ReportMetric(float64(len(page)), "html-bytes")
		b.ReportMetric(float64(len(css)+len(js)), "css+js-bytes")
		b.ReportMetric(float64(len(page)+len(css)+len(js)), "total-bytes")
		b.ReportMetric(float64(gzipped(page)+gzipped(css)+gzipped(js)), "total-gzip-bytes")
	})
	b.Run("json-api", func(b *testing.B) {
		for b.Loop() {
			get(b, "/api/v1/issues/draft", "Authorization", "Bearer "+kimToken)
		}
	})
}

func gzipped(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Len()
}

// floodSize is the queue issue 17 measured the desk with: one token
// submitted 65,358 links in a minute.
const floodSize = 65000

// BenchmarkFloodedQueue measures what a flooded queue costs the pages
// that list it: floodSize submissions queued (state new), put directly
// in the store, then the landing page, the submissions page and the
// editors' API's draft, each with its bytes and the heap it allocates.
// Their peers in the same run, "-uncapped", are the landing page and the
// draft's JSON with every queued submission in the pending list, as they
// were before the list was capped at a page. Seeding takes a while; run
// it alone:
//
//	go test ./web -run '^$' -bench FloodedQueue -benchtime 5x
func BenchmarkFloodedQueue(b *testing.B) {
	h := newHarness(b, withTokens)
	ctx := context.Background()
	start := time.Now()
	for i := range floodSize {
		if _, _, err := h.Store.Submit(ctx, store.NewSubmission{URL: fmt.Sprintf("https://example.com/flood/%d", i),
			SubmittedBy: "flood", Note: "같은 토큰으로 쏟아 넣은 링크"}); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d queued submissions in %s", floodSize, time.Since(start).Round(time.Millisecond))
	c := h.client()
	c.signIn(kimToken)
	get := c.serveOK
	// uncapped is the draft with every queued submission pending, as the
	// draft listed them before the cap.
	uncapped := func(b *testing.B) api.Issue {
		is, err := h.desk.Draft(ctx)
		if err != nil {
			b.Fatal(err)
		}
		subs, err := h.Store.Submissions(ctx, store.Filter{States: []store.State{store.StateNew, store.StateProcessing}, Oldest: true})
		if err != nil {
			b.Fatal(err)
		}
		is.Pending = is.Pending[:0]
		for _, s := range subs {
			is.Pending = append(is.Pending, api.Submission{ID: s.ID, URL: s.URL, CanonicalURL: s.CanonicalURL,
				SubmittedBy: s.SubmittedBy, Note: s.Note, State: string(s.State), CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt})
		}
		return is
	}
	b.Run("desk-uncapped", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			is := uncapped(b)
			body, _, err := publisher.IssueHTML([]byte(is.Markdown))
			if err != nil {
				b.Fatal(err)
			}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/desk/", nil)
			h.web.render(rec, req, http.StatusOK, "draft", "draft", draftPage{Issue: is, HTML: body, Plan: h.desk.PlanOf(is), Intro: is.Intro})
			n = rec.Body.Len()
		}
		b.ReportMetric(float64(n), "bytes")
	})
	b.Run("json-draft-uncapped", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			if err := enc.Encode(uncapped(b)); err != nil {
				b.Fatal(err)
			}
			n = buf.Len()
		}
		b.ReportMetric(float64(n), "bytes")
	})
	for _, p := range []struct{ name, path, auth string }{
		{"desk", "/desk/", ""},
		{"submissions", "/desk/submissions", ""},
		{"json-draft", "/api/v1/issues/draft", "Bearer " + kimToken},
	} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				n = get(b, p.path, "Authorization", p.auth).Body.Len()
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
}

// serveOK asks the desk's handler for path in process, with the client's
// cookies and header's name-value pairs, and fails unless it answers 200:
// a benchmark's request without the network's cost.
func (c *client) serveOK(tb testing.TB, path string, header ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	c.h.srv.Config.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET %s: %d %.300s", path, rec.Code, rec.Body)
	}
	return rec
}
