package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap/zaptest"

	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// TestShutdownStopsRunsFirst is defect 6: a stop signal while a client
// trickles a request body and a run started through the API is still
// finishing an article. The run and the worker stop first, so nothing is
// published after the signal; the API then drains within its bound and
// cuts the trickling client; serve returns without an error (exit 0).
func TestShutdownStopsRunsFirst(t *testing.T) {
	dir := t.TempDir()
	gemini := geminitest.NewServer(t)
	site := newArticleSite(t)
	cfg := daemonTestConfig(dir, gemini.URL)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Server.Listen, cfg.Server.URL = ln.Addr().String(), "http://"+ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, err := buildDaemon(ctx, cfg, zaptest.NewLogger(t), clockwork.NewFakeClockAt(issueDate))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	served := make(chan error, 1)
	go func() { served <- d.serve(ctx, ln) }()
	c := apiClient{t: t, base: cfg.Server.URL}
	awaitReady(t, c, ln, served)

	env := map[string]string{"NEWSLETTER_SERVER_URL": cfg.Server.URL}
	if code, _, errs := runApp(t, env, "submit", site.URL+"/posts/generics"); code != 0 {
		t.Fatal(errs)
	}
	waitFor(t, "the first article", func() bool {
		_, body := c.do("GET", "/api/v1/submissions/1")
		return strings.Contains(string(body), `"state": "summarized"`)
	})
	if code, _, errs := runApp(t, env, "submit", site.URL+"/slow/page"); code != 0 {
		t.Fatal(errs)
	}
	<-site.slowEntered // the worker holds the slow page
	if code, body := c.do("POST", "/api/v1/runs"); code != 202 {
		t.Fatalf("POST /api/v1/runs = %d %s", code, body)
	}
	waitFor(t, "the run to wait for the slow page", func() bool {
		_, body := c.do("GET", "/api/v1/runs/1")
		return strings.Contains(string(body), `"state": "running"`)
	})

	// A client announces a body and sends a few bytes of it, then nothing.
	slow, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "POST /api/v1/submissions HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"url\":", ln.Addr())

	cancel() // SIGTERM
	if err := <-served; err != nil {
		t.Fatalf("serve after the signal: %v, want a clean stop", err)
	}
	entries, err := os.ReadDir(cfg.Publisher.Dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("the run published %d files after the signal", len(entries))
	}
	run, err := d.store.Run(context.Background(), 1)
	if err != nil || run.State != store.RunInterrupted || !strings.Contains(run.Error, "interrupted") {
		t.Errorf("run = %+v, %v; want interrupted, as a crash is recorded", run, err)
	}
	if sub, _ := d.store.Submission(context.Background(), 2); sub.State != store.StateNew || sub.Attempts != 0 {
		t.Errorf("the slow article after the stop: %s, %d attempts; want new, not charged", sub.State, sub.Attempts)
	}
}

// TestRunRemovesTemporaryFiles is defect 7: a kill during an issue write
// leaves .NAME.md.tmp-NNNN beside the issues; the next start removes it.
func TestRunRemovesTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	gemini := geminitest.NewServer(t)
	site := newArticleSite(t)
	env := runEnv(dir, gemini.URL)
	issues := env["NEWSLETTER_PUBLISHER_DIR"]
	if err := os.MkdirAll(issues, 0o755); err != nil {
		t.Fatal(err)
	}
	left := filepath.Join(issues, ".2024-09-02-gdc-weekly-newsletter-september-2nd.md.tmp-4242")
	if err := os.WriteFile(left, []byte("half an issue"), 0o644); err != nil {
		t.Fatal(err)
	}
	seedSubmissions(t, env["NEWSLETTER_STORE_PATH"], site.URL+"/posts/generics")
	if code, _, errs := runApp(t, env, "run"); code != runPublished {
		t.Fatalf("run: %d %s", code, errs)
	}
	entries, _ := os.ReadDir(issues)
	if len(entries) != 1 || strings.HasPrefix(entries[0].Name(), ".") {
		t.Errorf("issue directory = %v, want the one issue and no temporary file", entries)
	}
}
