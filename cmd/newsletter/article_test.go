package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/summarizer/geminitest"
)

const articleHTML = `<!doctype html><html lang="en"><head><title>Go 1.23 adds the unique package</title>
<link rel="canonical" href="/blog/unique?utm_source=x"><meta property="og:site_name" content="The Go Blog"></head>
<body><nav><a href="/">Home</a> <a href="/blog">Blog</a></nav><article><h1>New unique package</h1>
<p>The standard library of Go 1.23 now includes the new unique package. The purpose of this package is to
enable the canonicalization of comparable values. In other words, this package lets you deduplicate values
so that they point to a single, canonical, unique copy, while efficiently managing the canonical copies
under the hood. You might be familiar with this concept already, called interning.</p>
<p>Let's dive in to see how it works, and why it's useful. A simple implementation of interning uses a map
from strings to strings, and a Make function that looks the value up or stores it.</p>
<pre><code>func Intern(s string) string {
	if v, ok := m[s]; ok {
		return v
	}
	m[s] = s
	return s
}</code></pre>
<p>The unique package has a single function, Make, which returns a Handle. Two handles are equal only when
the values used to create them are equal, and comparing them is a pointer comparison.</p></article>
<div class="share-buttons">Share on Twitter</div></body></html>`

// articleServer serves the article at /blog/unique and 404 elsewhere.
func articleServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/blog/unique" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(articleHTML))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// localEnv lets the fetcher reach loopback test servers, and nothing else private.
func localEnv(extra map[string]string) map[string]string {
	env := map[string]string{"NEWSLETTER_FETCHER_ALLOWED_NETWORKS": "127.0.0.1/32,::1/128", "NEWSLETTER_LOG_LEVEL": "warn"}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

func TestExtractCommand(t *testing.T) {
	srv := articleServer(t)
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, []byte(articleHTML), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.html")
	if err := os.WriteFile(empty, []byte("<html><body></body></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{"url", localEnv(nil), []string{"extract", srv.URL + "/blog/unique"}, 0,
			[]string{"# Go 1.23 adds the unique package", "canonicalization of comparable values", "\tif v, ok := m[s]; ok {\n\t\treturn v"}, ""},
		{"url as json", localEnv(nil), []string{"extract", srv.URL + "/blog/unique", "--json"}, 0,
			[]string{`"canonical_url": "` + srv.URL + `/blog/unique"`, `"site_name": "The Go Blog"`, `"word_count":`}, ""},
		{"file", nil, []string{"extract", file}, 0, []string{"The unique package has a single function"}, ""},
		{"private address refused by default", nil, []string{"extract", srv.URL + "/blog/unique"}, 1, nil, "refused address 127.0.0.1 (loopback); to fetch loopback or private addresses, pass --allow-private-networks (fetcher.allow_private_networks) or list the network in fetcher.allowed_networks"},
		{"not found", localEnv(nil), []string{"extract", srv.URL + "/missing"}, 1, nil, "(404 status code)"},
		{"unsupported scheme", nil, []string{"extract", "ftp://example.com/x"}, 1, nil, `unsupported scheme "ftp"`},
		{"missing file", nil, []string{"extract", "no-such-file.html"}, 1, nil, "no-such-file.html"},
		{"no scheme: https, as the API takes it", nil, []string{"extract", "127.0.0.1/blog/unique"}, 1, nil,
			"https://127.0.0.1/blog/unique: refused address 127.0.0.1 (loopback); to fetch loopback or private addresses"},
		{"file without text", nil, []string{"extract", empty}, 1, nil, "newsletter: extract file://" + filepath.ToSlash(empty) + ": no readable content"},
		{"no argument", nil, []string{"extract"}, 2, nil, "exactly one URL or FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runApp(t, tt.env, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, errs)
			}
			for _, w := range tt.wantStdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(errs, tt.wantStderr) {
				t.Errorf("stderr = %q, want %q", errs, tt.wantStderr)
			}
			if tt.wantCode == 1 && strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("error is not one line: %q", errs)
			}
			for _, junk := range []string{"<p>", "Share on Twitter", "Home"} {
				if strings.Contains(out, junk) {
					t.Errorf("output contains %q", junk)
				}
			}
		})
	}
}

func TestSummarizeCommand(t *testing.T) {
	page := articleServer(t)
	gemini := geminitest.NewServer(t)
	dir := t.TempDir()
	env := localEnv(map[string]string{
		"GEMINI_API_KEY":         geminitest.APIKey,
		"GOOGLE_GEMINI_BASE_URL": gemini.URL,
		"NEWSLETTER_STORE_PATH":  filepath.Join(dir, "cache.db"),
	})
	url := page.URL + "/blog/unique"

	code, out, errs := runApp(t, env, "--url", url)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"## ", "### 요약\n\n", "### 소개\n\n", "### 참고\n\n[Go 1.23 adds the unique package](" + url + ")\n"} {
		if !strings.Contains(out, w) {
			t.Errorf("block lacks %q:\n%s", w, out)
		}
	}
	if strings.Count(out, "\n## ") != 0 || !strings.HasPrefix(out, "## ") {
		t.Errorf("want exactly one ## heading:\n%s", out)
	}
	if n := len(gemini.GenerateRequests()); n != 1 {
		t.Fatalf("%d generate requests, want 1", n)
	}

	// The second run is served from the cache: no request.
	code, out2, errs := runApp(t, env, "--url", url, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		TitleKo string `json:"title_ko"`
		Link    string `json:"link"`
		Model   string `json:"model"`
		Cached  bool   `json:"cached"`
	}
	if err := json.Unmarshal([]byte(out2), &got); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out2)
	}
	if !got.Cached || got.Link != url || got.Model == "" || !strings.Contains(out, got.TitleKo) {
		t.Errorf("json = %+v", got)
	}
	if n := len(gemini.GenerateRequests()); n != 1 {
		t.Errorf("cache hit made a request: %d in all", n)
	}
}

func TestSummarizeCommandErrors(t *testing.T) {
	page := articleServer(t)
	gemini := geminitest.NewServer(t)
	withKey := localEnv(map[string]string{"GEMINI_API_KEY": geminitest.APIKey, "GOOGLE_GEMINI_BASE_URL": gemini.URL, "NEWSLETTER_STORE_PATH": filepath.Join(t.TempDir(), "c.db")})
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		want     string
	}{
		{"missing key", localEnv(nil), []string{"--url", page.URL + "/blog/unique"}, 2, "set GEMINI_API_KEY"},
		{"missing url", nil, []string{"--json"}, 2, "--url URL is required"},
		{"fetch failure", withKey, []string{"--url", page.URL + "/gone"}, 1, page.URL + "/gone: resource not found (404 status code)"},
		{"blocked", withKey, []string{"--url", page.URL + "/blog/unique", "--no-cache"}, 1, "SAFETY"},
		{"loopback refused, the opt-in named", map[string]string{"GEMINI_API_KEY": geminitest.APIKey, "GOOGLE_GEMINI_BASE_URL": gemini.URL,
			"NEWSLETTER_STORE_PATH": filepath.Join(t.TempDir(), "d.db"), "NEWSLETTER_LOG_LEVEL": "warn"},
			[]string{"--url", page.URL + "/blog/unique"}, 1, "(loopback); to fetch loopback or private addresses, pass --allow-private-networks (fetcher.allow_private_networks)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "blocked" {
				gemini.Enqueue(geminitest.Blocked("SAFETY"))
			}
			code, out, errs := runApp(t, tt.env, tt.args...)
			if code != tt.wantCode || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d stderr %q, want %d and %q", code, errs, tt.wantCode, tt.want)
			}
			if out != "" {
				t.Errorf("stdout on failure: %q", out)
			}
		})
	}
}

func TestSummarizeDryRun(t *testing.T) {
	page := articleServer(t)
	code, out, errs := runApp(t, localEnv(nil), "--url", page.URL+"/blog/unique", "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "canonicalization of comparable values") || !strings.Contains(errs, "tokens") {
		t.Errorf("dry run printed:\n%s\nstderr: %s", out, errs)
	}
}

func TestExtractHints(t *testing.T) {
	tests := []struct {
		arg      string
		wantHint bool
	}{
		{"go.dev/blog/unique", true},
		{"example.com", true},
		{"page.html", false},
		{"notes/readme.md", false},
		{"./missing", false},
	}
	for _, tt := range tests {
		code, _, errs := runApp(t, nil, "extract", tt.arg)
		if code != 1 || strings.Contains(errs, "https://"+tt.arg) != tt.wantHint {
			t.Errorf("extract %s: exit %d, stderr %q; want a scheme hint: %v", tt.arg, code, errs, tt.wantHint)
		}
	}
}

func TestBooleanConfigFlagStandsAlone(t *testing.T) {
	srv := articleServer(t)
	code, out, errs := runApp(t, nil, "extract", "--allow-private-networks", srv.URL+"/blog/unique")
	if code != 0 || !strings.Contains(out, "canonicalization") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	code, _, errs = runApp(t, nil, "extract", "--allow-private-networks=false", srv.URL+"/blog/unique")
	if code != 1 || !strings.Contains(errs, "refused address") {
		t.Errorf("--allow-private-networks=false: exit %d, stderr %q", code, errs)
	}
}
