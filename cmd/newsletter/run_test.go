package main

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/edition"
	"github.com/godevcommunity/newsletter/store"
	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

// runEnv configures `newsletter run` through the environment, as a cron
// job would, with its files in dir.
func runEnv(dir, geminiURL string) map[string]string {
	return map[string]string{
		"NEWSLETTER_STORE_PATH":                 filepath.Join(dir, "newsletter.db"),
		"NEWSLETTER_PUBLISHER_DIR":              filepath.Join(dir, "issues"),
		"GEMINI_API_KEY":                        geminitest.APIKey,
		"NEWSLETTER_GEMINI_BASE_URL":            geminiURL,
		"NEWSLETTER_GEMINI_REQUESTS_PER_MINUTE": "0",
		"NEWSLETTER_FETCHER_ALLOWED_NETWORKS":   "127.0.0.1/32",
		"NEWSLETTER_FETCHER_MAX_RETRIES":        "0",
		"NEWSLETTER_LOG_LEVEL":                  "error",
		"NEWSLETTER_GEMINI_SERVICE_TIER":        "standard",
		"NEWSLETTER_SCHEDULE_MODE":              "auto", // review mode has tests of its own
	}
}

// seedSubmissions records submissions of urls in the database at path.
func seedSubmissions(t *testing.T, path string, urls ...string) {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, u := range urls {
		if _, _, err := st.Submit(context.Background(), store.NewSubmission{URL: u}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRunCommand(t *testing.T) {
	dir := t.TempDir()
	gemini := geminitest.NewServer(t)
	site := newArticleSite(t)
	env := runEnv(dir, gemini.URL)
	seedSubmissions(t, env["NEWSLETTER_STORE_PATH"], site.URL+"/posts/generics", site.URL+"/missing", site.URL+"/posts/zap")

	code, out, errs := runApp(t, env, "run")
	if code != runPartial || !strings.Contains(errs, "run 1: 1 article failed, 0 articles pending") {
		t.Fatalf("run: code %d, stderr %q; want %d: published with an article failed", code, errs, runPartial)
	}
	for _, want := range []string{"run 1 (manual): succeeded", "issue published:", "articles (2):", "failed (1):", "404", "gemini: 3 articles processed, 2 requests"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	entries, err := os.ReadDir(env["NEWSLETTER_PUBLISHER_DIR"])
	if err != nil || len(entries) != 1 {
		t.Fatalf("issue files = %v, %v; want one", entries, err)
	}

	// A second run the same week rewrites the same issue.
	code, out, _ = runApp(t, env, "run", "--json")
	var rep edition.Report
	if err := json.Unmarshal([]byte(out), &rep); code != runPartial || err != nil {
		t.Fatalf("run --json: code %d, %v:\n%s", code, err, out)
	}
	if rep.Issue == nil || !rep.Issue.Updated || len(rep.Articles) != 2 {
		t.Errorf("second run report = %+v", rep)
	}
	if entries, _ := os.ReadDir(env["NEWSLETTER_PUBLISHER_DIR"]); len(entries) != 1 {
		t.Errorf("issue files after the second run = %d, want 1", len(entries))
	}
}

// TestRunExitCodes: an external cron tells the outcomes of `run` apart.
func TestRunExitCodes(t *testing.T) {
	site := newArticleSite(t)
	tests := []struct {
		name string
		urls []string
		code int
		err  string
	}{
		{"published", []string{site.URL + "/posts/generics", site.URL + "/posts/zap"}, runPublished, ""},
		{"nothing to publish", nil, runEmpty, "nothing to publish"},
		{"nothing summarised", []string{site.URL + "/missing"}, runEmpty, "nothing to publish"},
		{"published, one failed", []string{site.URL + "/posts/generics", site.URL + "/missing"}, runPartial, "1 article failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := runEnv(t.TempDir(), geminitest.NewServer(t).URL)
			seedSubmissions(t, env["NEWSLETTER_STORE_PATH"], tt.urls...)
			code, _, errs := runApp(t, env, "run")
			if code != tt.code || !strings.Contains(errs, tt.err) {
				t.Errorf("run: code %d, stderr %q; want %d and %q", code, errs, tt.code, tt.err)
			}
		})
	}
}

func TestRunCommandFails(t *testing.T) {
	dir := t.TempDir()
	gemini := geminitest.NewServer(t)
	site := newArticleSite(t)
	env := runEnv(dir, gemini.URL)
	// The issue directory cannot be created: a file is in the way.
	if err := os.WriteFile(env["NEWSLETTER_PUBLISHER_DIR"], nil, 0o644); err != nil {
		t.Fatal(err)
	}
	seedSubmissions(t, env["NEWSLETTER_STORE_PATH"], site.URL+"/posts/generics")
	code, out, errs := runApp(t, env, "run")
	if code != 1 || !strings.Contains(errs, "run 1 failed") || !strings.Contains(out, "run 1 (manual): failed") {
		t.Errorf("run with an unwritable issue directory: code %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestRunCommandNeedsAPIKey(t *testing.T) {
	env := runEnv(t.TempDir(), "http://127.0.0.1:1")
	delete(env, "GEMINI_API_KEY")
	code, _, errs := runApp(t, env, "run")
	if code != 2 || !strings.Contains(errs, "no Gemini API key: set GEMINI_API_KEY") {
		t.Errorf("run without a key: code %d, stderr %q; want 2 and the missing key", code, errs)
	}
	if _, err := os.Stat(env["NEWSLETTER_STORE_PATH"]); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("run without a key created its database: %v", err)
	}
}

// A `run` pointed at the database of a running `serve` must not recover
// (and so take) the work in flight there.
func TestRunCommandRefusesBusyDatabase(t *testing.T) {
	dir := t.TempDir()
	env := runEnv(dir, "http://127.0.0.1:1")
	seedSubmissions(t, env["NEWSLETTER_STORE_PATH"], "https://example.com/a")
	serving, err := store.Open(context.Background(), env["NEWSLETTER_STORE_PATH"], store.WithExclusive())
	if err != nil {
		t.Fatal(err)
	}
	defer serving.Close()
	claimed, ok, err := serving.Claim(context.Background(), 1, time.Now())
	if err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	code, _, errs := runApp(t, env, "run")
	if code != 1 || !strings.Contains(errs, "in use by another newsletter process") {
		t.Errorf("run beside serve: code %d, stderr %q; want 1 and the database in use", code, errs)
	}
	if got, _ := serving.Submission(context.Background(), claimed.ID); got.State != store.StateProcessing {
		t.Errorf("submission being processed by serve = %s after the refused run, want processing", got.State)
	}
}

// TestRunCommandInterrupted: Ctrl-C during `run` says the run was
// interrupted and how many articles wait for the next run, and counts
// none it did not finish as processed.
func TestRunCommandInterrupted(t *testing.T) {
	dir := t.TempDir()
	site := newArticleSite(t)
	env := runEnv(dir, geminitest.NewServer(t).URL)
	env["NEWSLETTER_WORKER_CONCURRENCY"] = "1"
	seedSubmissions(t, env["NEWSLETTER_STORE_PATH"], site.URL+"/slow/page", site.URL+"/posts/generics")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-site.slowEntered
		cancel() // Ctrl-C
	}()
	var errs strings.Builder
	code := runAppContext(ctx, &errs, env, "run")
	if code != runFailed || !strings.Contains(errs.String(), "run 1 interrupted: 2 articles back in the queue for the next run") {
		t.Errorf("interrupted run: code %d, stderr %q; want %d and 2 articles back in the queue", code, errs.String(), runFailed)
	}
	st, err := store.Open(context.Background(), env["NEWSLETTER_STORE_PATH"])
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	run, err := st.Run(context.Background(), 1)
	if err != nil || run.State != store.RunInterrupted {
		t.Fatalf("run = %+v, %v; want interrupted", run, err)
	}
	var rep edition.Report
	if err := json.Unmarshal(run.Report, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Usage.Articles != 0 || rep.Returned != 1 || len(rep.Pending) != 2 {
		t.Errorf("report: %d processed, %d returned, %d pending; want 0, 1, 2", rep.Usage.Articles, rep.Returned, len(rep.Pending))
	}
}

// TestRunCommandReviewTimeInZone: in review mode the report says when the
// issue publishes on its own in schedule.timezone, the zone named.
func TestRunCommandReviewTimeInZone(t *testing.T) {
	site := newArticleSite(t)
	env := runEnv(t.TempDir(), geminitest.NewServer(t).URL)
	env["NEWSLETTER_SCHEDULE_MODE"] = "review"
	env["NEWSLETTER_SCHEDULE_PUBLISH_AFTER"] = "24h"
	env["NEWSLETTER_SCHEDULE_TIMEZONE"] = "Asia/Seoul"
	seedSubmissions(t, env["NEWSLETTER_STORE_PATH"], site.URL+"/posts/generics")
	code, out, errs := runApp(t, env, "run")
	if code != runPublished || !strings.Contains(out, "issue ready for review:") || !regexp.MustCompile(`publishes on its own at \d{4}-\d\d-\d\d \d\d:\d\d KST\n`).MatchString(out) {
		t.Errorf("run in review mode: code %d, stdout %q, stderr %q; want the time in KST", code, out, errs)
	}
}
