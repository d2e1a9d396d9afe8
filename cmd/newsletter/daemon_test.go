package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/internal/testsite"
	"github.com/godevcommunity/newsletter/pipeline"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files")

// cuidLine is the front matter line of an issue's random CUID.
var cuidLine = regexp.MustCompile(`(?m)^cuid: c[0-9a-z]{24}$`)

// sitePages are the article pages of the daemon tests. A page may name
// itself by its canonical link (less a trailing slash).
var sitePages = map[string]testsite.Page{
	"/posts/generics": {Title: "Go generics in practice"},
	"/posts/sqlite":   {Title: "SQLite in WAL mode"},
	"/posts/sqlite/":  {Title: "SQLite in WAL mode", Canonical: "/posts/sqlite"}, // the page names itself
	"/posts/zap":      {Title: "Structured logging with zap"},
}

// articleSite serves sitePages on loopback, and /slow/page, which answers
// only when its request ends; slowEntered is closed when it is requested.
type articleSite struct {
	*testsite.Site
	slowEntered chan struct{}
}

func newArticleSite(t *testing.T) *articleSite {
	s := &articleSite{Site: testsite.New(t), slowEntered: make(chan struct{})}
	for path, p := range sitePages {
		s.Set(path, p)
	}
	s.Set("/slow/page", testsite.Page{Title: "A slow page", Block: make(chan struct{}), Entered: s.slowEntered})
	return s
}

// daemonTestConfig is the configuration of a service using the fake Gemini and
// the loopback article site, with its files in dir.
func daemonTestConfig(dir, geminiURL string) config.Config {
	cfg := config.Default()
	cfg.Store.Path = filepath.Join(dir, "newsletter.db")
	cfg.Publisher.Dir = filepath.Join(dir, "issues")
	cfg.Gemini = geminitest.Config(geminiURL)
	cfg.Fetcher.AllowedNetworks = []string{"127.0.0.1/32"} // not allow_private_networks
	cfg.Fetcher.MaxRetries = 0
	cfg.Worker.PollInterval = time.Hour // the API wakes the worker
	cfg.Schedule.Mode = config.ModeAuto // review mode has tests of its own
	return cfg
}

// issueDate is Monday 2 September 2024, 07:00 in Seoul: the fake clock.
var issueDate = time.Date(2024, 9, 2, 7, 0, 0, 0, mustLoc("Asia/Seoul"))

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// serveForTest runs `serve` in-process on a free loopback port with cfg
// (its listen address and URL set here) and clock until the test ends or
// stop is called, and returns once /readyz answers: the configuration as
// served, a client with its token, and the environment the CLI needs to
// reach it.
func serveForTest(t *testing.T, cfg config.Config, clock clockwork.Clock) (_ config.Config, _ apiClient, env map[string]string, stop func()) {
	t.Helper()
	return serveWatching(t, cfg, clock, nil)
}

// serveWatching is serveForTest with settled told of every attempt at a
// delivery of the outbox once its outcome is recorded.
func serveWatching(t *testing.T, cfg config.Config, clock clockwork.Clock, settled func(store.Delivery)) (_ config.Config, _ apiClient, env map[string]string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Server.Listen, cfg.Server.URL = ln.Addr().String(), "http://"+ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	d, err := buildDaemon(ctx, cfg, zaptest.NewLogger(t), clock)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	served := make(chan error, 1)
	d.settled = settled
	go func() { served <- d.serve(ctx, ln) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-served; err != nil {
				t.Errorf("serve: %v", err)
			}
			d.Close()
		})
	}
	t.Cleanup(stop)
	c := apiClient{t: t, base: cfg.Server.URL, token: cfg.Server.Token}
	awaitReady(t, c, ln, served)
	env = map[string]string{"NEWSLETTER_SERVER_URL": cfg.Server.URL}
	if cfg.Server.Token != "" {
		env["NEWSLETTER_SERVER_TOKEN"] = cfg.Server.Token
	}
	return cfg, c, env, stop
}

// apiClient calls the running service with the token.
type apiClient struct {
	t     *testing.T
	base  string
	token string
}

func (c apiClient) do(method, path string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// doJSON sends body as JSON.
func (c apiClient) doJSON(method, path string, body any) (int, []byte) {
	c.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(b))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// try is do for a server that may not be listening yet: a failed
// connection is status 0.
func (c apiClient) try(method, path string) (int, []byte) {
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// awaitReady waits for the service serving ln to answer /readyz. The test
// binds ln before serve starts, so the request waits in the listener's
// backlog until the API takes it, which it does once the worker and the
// schedule run: one request, no polling. A serve that ends first ends the
// wait.
func awaitReady(t *testing.T, c apiClient, ln net.Listener, served chan error) {
	t.Helper()
	answered := make(chan int, 1)
	go func() { code, _ := c.try("GET", "/readyz"); answered <- code }()
	select {
	case code := <-answered:
		if code != http.StatusOK {
			t.Fatalf("GET /readyz = %d, want 200", code)
		}
	case err := <-served:
		served <- err // for whoever stops the service
		_ = ln.Close()
		t.Fatalf("serve ended before it answered: %v", err)
	}
}

// waitFor polls cond every 10 ms, for 30 s at most: for what only the
// service's state can tell (an article summarised, a run finished), as no
// event of the service says so.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitAdvancing is waitFor on a fake clock that moves a minute between
// looks, for conditions a timer of the service must reach.
func waitAdvancing(t *testing.T, what string, clock *clockwork.FakeClock, cond func() bool) {
	t.Helper()
	waitFor(t, what, func() bool {
		if cond() {
			return true
		}
		clock.Advance(time.Minute)
		return false
	})
}

// TestServeEndToEnd runs the service in-process against the fake Gemini and
// local article pages: links go in through `newsletter submit`, a run is
// started through the API, and the issue, the run report and the metrics
// are checked.
func TestServeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	gemini := geminitest.NewServer(t)
	site := newArticleSite(t)
	cfg := daemonTestConfig(dir, gemini.URL)
	cfg.Server.Token = "e2e-token"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Server.Listen = ln.Addr().String()
	cfg.Server.URL = "http://" + ln.Addr().String()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, err := buildDaemon(ctx, cfg, zap.NewNop(), clockwork.NewFakeClockAt(issueDate))
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- d.serve(ctx, ln) }()
	c := apiClient{t: t, base: cfg.Server.URL, token: cfg.Server.Token}
	awaitReady(t, c, ln, served)

	env := map[string]string{"NEWSLETTER_SERVER_URL": cfg.Server.URL, "NEWSLETTER_SERVER_TOKEN": cfg.Server.Token}
	submissions := []struct {
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{[]string{site.URL + "/posts/generics", "--by", "kim", "--note", "제네릭 입문"}, 0, "submitted #1", ""},
		{[]string{site.URL + "/posts/generics?utm_source=newsletter"}, 0, "already submitted as #1", ""},
		{[]string{"http://10.0.0.1/internal"}, 1, "", "private network"},
		{[]string{site.URL + "/missing"}, 0, "submitted #2", ""},
		{[]string{site.URL + "/posts/sqlite"}, 0, "submitted #3", ""},
		{[]string{site.URL + "/posts/sqlite/"}, 0, "submitted #4", ""},
	}
	for _, s := range submissions {
		code, out, errs := runApp(t, env, append([]string{"submit"}, s.args...)...)
		if code != s.wantCode || !strings.Contains(out, s.wantStdout) || !strings.Contains(errs, s.wantStderr) {
			t.Errorf("submit %s: code %d, stdout %q, stderr %q", s.args[0], code, out, errs)
		}
	}

	code, body := c.do("POST", "/api/v1/runs")
	if code != http.StatusAccepted {
		t.Fatalf("POST /api/v1/runs = %d %s", code, body)
	}
	var run struct {
		ID     int64          `json:"id"`
		State  string         `json:"state"`
		Report edition.Report `json:"report"`
	}
	if err := json.Unmarshal(body, &run); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/runs/%d", run.ID)
	waitFor(t, "the run to finish", func() bool {
		_, body := c.do("GET", path)
		return json.Unmarshal(body, &run) == nil && run.State != "running"
	})

	rep := run.Report
	if run.State != "succeeded" || rep.Issue == nil {
		t.Fatalf("run = %s, report %+v", run.State, rep)
	}
	var articles []int64
	for _, a := range rep.Articles {
		articles = append(articles, a.SubmissionID)
	}
	if fmt.Sprint(articles) != "[1 3]" {
		t.Errorf("issue articles = %v, want [1 3]", articles)
	}
	if len(rep.Failed) != 1 || rep.Failed[0].SubmissionID != 2 || !strings.Contains(rep.Failed[0].Error, "404") {
		t.Errorf("report failed = %+v, want the 404 (#2)", rep.Failed)
	}
	if len(rep.Duplicates) != 1 || rep.Duplicates[0].SubmissionID != 4 || rep.Duplicates[0].DuplicateOf != 3 {
		t.Errorf("report duplicates = %+v, want #4 repeating #3", rep.Duplicates)
	}

	file := filepath.Join(cfg.Publisher.Dir, "2024-09-02-gdc-weekly-newsletter-september-2nd.md")
	issue, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// The site's port and the random CUID differ from run to run.
	normalized := cuidLine.ReplaceAll(bytes.ReplaceAll(issue, []byte(site.URL), []byte("https://articles.example")), []byte("cuid: CUID"))
	checkGolden(t, "testdata/e2e-issue.md", normalized)
	if code, latest := c.do("GET", "/api/v1/issues/latest"); code != 200 || !bytes.Equal(latest, issue) {
		t.Errorf("GET /api/v1/issues/latest = %d, differs from the file", code)
	}
	if entries, _ := os.ReadDir(cfg.Publisher.Dir); len(entries) != 1 {
		t.Errorf("issue directory holds %d files, want 1", len(entries))
	}

	_, metrics := c.do("GET", "/metrics")
	for _, want := range []string{
		`newsletter_submissions{state="published"} 2`,
		`newsletter_submissions{state="failed"} 1`,
		`newsletter_submissions{state="duplicate"} 1`,
		`newsletter_articles_failed_total{stage="fetch"} 1`,
		`newsletter_articles_processed_total{outcome="summarized"} 2`,
		`newsletter_gemini_requests_total{outcome="succeeded"} 2`,
		`newsletter_runs_total{kind="manual",state="succeeded"} 1`,
		`newsletter_last_issue_published_timestamp_seconds `,
		`newsletter_http_requests_total{code="2xx",route="POST /api/v1/submissions"} 5`,
	} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if n := len(gemini.GenerateRequests()); n != 2 {
		t.Errorf("Gemini asked %d times, want 2", n)
	}

	// Shutdown with an article in flight checkpoints it back to new.
	code, out, errs := runApp(t, env, "submit", site.URL+"/slow/page")
	if code != 0 {
		t.Fatalf("submit slow page: %d %s %s", code, out, errs)
	}
	<-site.slowEntered
	cancel()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), cfg.Store.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sub, err := st.Submission(context.Background(), 5)
	if err != nil || sub.State != store.StateNew || sub.Attempts != 0 {
		t.Errorf("in-flight submission after shutdown = %+v, %v; want new, attempt not counted", sub, err)
	}
}

// checkGolden compares got with the file at path, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("issue differs from %s (run with -update after checking the change):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestServeRefusesOpenNonLoopbackListen(t *testing.T) {
	code, _, errs := runApp(t, map[string]string{"NEWSLETTER_SERVER_LISTEN": "0.0.0.0:8080"}, "serve")
	if code != 1 || !strings.Contains(errs, "server.token") {
		t.Errorf("serve on 0.0.0.0 without a token: code %d, stderr %q", code, errs)
	}
}

// TestServeWithoutAPIKey: a newcomer's first `newsletter serve` works with
// no key: it says so loudly, accepts submissions, fetches and extracts
// them, and keeps their summaries waiting for the key; the status says why.
func TestServeWithoutAPIKey(t *testing.T) {
	dir := t.TempDir()
	site := newArticleSite(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // serve binds it again
	env := map[string]string{
		"NEWSLETTER_STORE_PATH":               filepath.Join(dir, "newsletter.db"),
		"NEWSLETTER_PUBLISHER_DIR":            filepath.Join(dir, "issues"),
		"NEWSLETTER_SERVER_LISTEN":            addr,
		"NEWSLETTER_SERVER_URL":               "http://" + addr,
		"NEWSLETTER_FETCHER_ALLOWED_NETWORKS": "127.0.0.1/32",
		"NEWSLETTER_LOG_FORMAT":               "json",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- runAppContext(ctx, &stderr, env, "serve") }()
	c := apiClient{t: t, base: "http://" + addr}
	waitFor(t, "/readyz", func() bool { code, _ := c.try("GET", "/readyz"); return code == 200 })

	if code, out, errs := runApp(t, env, "submit", site.URL+"/posts/generics"); code != 0 {
		t.Fatalf("submit without a key: %d %s %s", code, out, errs)
	}
	var sub struct {
		State      string `json:"state"`
		WaitingFor string `json:"waiting_for"`
		Attempts   int    `json:"attempts"`
	}
	waitFor(t, "the article to be extracted and wait for Gemini", func() bool {
		_, body := c.do("GET", "/api/v1/submissions/1")
		return json.Unmarshal(body, &sub) == nil && sub.WaitingFor == "gemini"
	})
	if sub.State != "new" || sub.Attempts != 0 {
		t.Errorf("submission = %+v, want new, waiting for gemini, no attempt charged", sub)
	}
	_, body := c.do("GET", "/api/v1/status")
	var st struct {
		Dependencies []pipeline.DependencyStatus `json:"dependencies"`
		Waiting      map[string]int              `json:"waiting"`
	}
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Dependencies) == 0 || st.Dependencies[0].Dependency != "gemini" || st.Dependencies[0].Up ||
		!strings.Contains(st.Dependencies[0].Reason, "summaries wait for GEMINI_API_KEY") || st.Waiting["gemini"] != 1 {
		t.Errorf("status = %s", body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d, want 0; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "NO GEMINI API KEY") {
		t.Errorf("serve did not say loudly that summaries wait for a key:\n%s", stderr.String())
	}
}
