package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/internal/testenv"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/server"
	"github.com/godevcommunity/newsletter/store"
)

// t0 is Monday 2 September 2024, 07:00 in Seoul: the harness's clock.
var t0 = time.Date(2024, 9, 2, 7, 0, 0, 0, seoul)

var seoul = testenv.Seoul

// harness is the desk mounted in the API server, as serve mounts it, over
// a temporary database, with no Gemini (held paused, as without a key):
// tests put articles in the store themselves.
type harness struct {
	*testenv.Env
	t      testing.TB
	pauses *pipeline.Pauses
	runner *edition.Runner
	desk   *desk.Desk
	web    *Handler
	srv    *httptest.Server
}

// newHarness serves the desk on loopback; change adjusts the
// configuration first (tokens, editors, testenv.UseGemini for a
// summarizer).
func newHarness(t testing.TB, change func(*config.Config)) *harness {
	t.Helper()
	b := testenv.New(t, testenv.Options{Start: t0, Loopback: true, Change: []func(*config.Config){change}})
	h := &harness{Env: b, t: t}
	cfg := b.Config
	h.pauses = pipeline.NewPauses(pipeline.Env{Clock: h.Clock, Log: b.Log}, "gemini")
	penv := pipeline.Env{Store: b.Store, Fetcher: b.Fetcher, Pauses: h.pauses, Clock: h.Clock, Log: b.Log}
	if b.Summarizer != nil {
		penv.Summarizer = b.Summarizer
	}
	proc := pipeline.NewProcessor(penv, cfg.Worker)
	ed := edition.Env{Store: b.Store, Publisher: publisher.NewFilePublisher(cfg.Publisher.Dir), Clock: h.Clock, Log: b.Log,
		Chats: len(cfg.Notify.Webhooks)}
	var err error
	if h.runner, err = edition.NewRunner(ed, proc, cfg.Schedule, cfg.Publisher); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.runner.Close)
	nextRun := func() (time.Time, error) { return time.Date(2024, 9, 9, 6, 0, 0, 0, seoul), nil }
	h.desk = desk.New(b.Store, proc, h.runner, desk.Options{Fetcher: cfg.Fetcher, Schedule: cfg.Schedule, Publisher: cfg.Publisher,
		Notify: cfg.Notify, Pauses: h.pauses, NextRun: nextRun, Version: "test", Server: cfg.Server, Now: h.Clock.Now})
	h.web, err = New(Options{Desk: h.desk, Server: cfg.Server, Schedule: cfg.Schedule, Now: h.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Options{Server: cfg.Server, Desk: h.desk, Web: h.web})
	if err != nil {
		t.Fatal(err)
	}
	h.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(h.srv.Close)
	return h
}

// draftEntry is an article to put in the draft as the worker would have.
type draftEntry struct {
	publisher.Article
	SubmittedBy, Note string
	Text              string // the extracted text
}

// addEntry stores e as a summarised submission of the open draft and
// returns its id.
func (h *harness) addEntry(e draftEntry) int64 {
	h.t.Helper()
	ctx := context.Background()
	u := e.Link
	if u == "" {
		u = "https://example.com/article"
	}
	n, err := h.Store.CountByState(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	total := 0
	for _, c := range n {
		total += c
	}
	sub, _, err := h.Store.Submit(ctx, store.NewSubmission{URL: fmt.Sprintf("https://example.com/%d", total+1),
		SubmittedBy: e.SubmittedBy, Note: e.Note})
	if err != nil {
		h.t.Fatal(err)
	}
	if webURL(u) != "" { // one canonical URL per entry, or the store sees duplicates
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += fmt.Sprintf("%sentry=%d", sep, sub.ID)
	}
	text := e.Text
	if text == "" {
		text = e.Introduction
	}
	sum := sha256.Sum256([]byte(fmt.Sprint(sub.ID, text)))
	h.Summarized(sub.ID, store.Article{FinalURL: u, CanonicalURL: u, Title: e.LinkText, Text: text, TextHash: hex.EncodeToString(sum[:])},
		store.Summary{PromptVersion: "test", Model: "gemini-test", Sections: e.Sections, Requests: 1, PromptTokens: 1000, OutputTokens: 300})
	if err := h.Store.RecordUsage(ctx, sub.ID, store.UsageSummarize, "gemini-test", store.Usage{Requests: 1, PromptTokens: 1000, OutputTokens: 300, CostUSD: 0.00187}); err != nil {
		h.t.Fatal(err)
	}
	return sub.ID
}

// client is a browser without JavaScript: it keeps cookies, does not
// follow redirects, and posts forms as a page of the desk does.
type client struct {
	t       testing.TB
	h       *harness
	cookies []*http.Cookie
}

func (h *harness) client() *client { return &client{t: h.t, h: h} }

// response is what the client got.
type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(method, path string, form url.Values, header ...string) response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.h.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.h.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
		} else if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, ck := range resp.Cookies() {
		c.setCookie(ck)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (c *client) setCookie(ck *http.Cookie) {
	kept := c.cookies[:0]
	for _, old := range c.cookies {
		if old.Name != ck.Name {
			kept = append(kept, old)
		}
	}
	c.cookies = kept
	if ck.MaxAge >= 0 && ck.Value != "" {
		c.cookies = append(c.cookies, ck)
	}
}

func (c *client) get(path string) response { c.t.Helper(); return c.do("GET", path, nil) }

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return c.do("POST", path, form)
}

// signIn signs in with token and fails the test unless it works.
func (c *client) signIn(token string) {
	c.t.Helper()
	if r := c.post("/desk/signin", url.Values{"token": {token}}); r.status != http.StatusSeeOther {
		c.t.Fatalf("sign-in with a good token: %d %s", r.status, r.body)
	}
}

// follow reads the page a post redirected to.
func (c *client) follow(r response) response {
	c.t.Helper()
	if r.status != http.StatusSeeOther {
		c.t.Fatalf("status %d, want a redirect: %s", r.status, r.body)
	}
	return c.get(r.header.Get("Location"))
}
