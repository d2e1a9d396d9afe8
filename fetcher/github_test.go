package fetcher

import (
	"testing/synctest"

	"github.com/godevcommunity/newsletter/internal/waitlog"
	"github.com/godevcommunity/newsletter/retry"

	"github.com/godevcommunity/newsletter/urlnorm"

	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

func TestGitHubRepo(t *testing.T) {
	tests := []struct {
		url         string
		owner, repo string // "" when not a repository URL
	}{
		{"https://github.com/maragudk/gomponents", "maragudk", "gomponents"},
		{"https://github.com/maragudk/gomponents/", "maragudk", "gomponents"},
		{"https://github.com/Tochemey/goakt.git", "Tochemey", "goakt"},
		{"https://www.github.com/zhufuyi/sponge", "zhufuyi", "sponge"},
		{"https://github.com/unionj-cloud/go-doudou/tree/main", "unionj-cloud", "go-doudou"},
		{"https://github.com/o/r/tree/feature/x/docs", "o", "r"},
		{"https://github.com/o/repo.name_x?tab=readme-ov-file", "o", "repo.name_x"},
		{"https://github.com/o/r/issues/12", "", ""},
		{"https://github.com/o/r/blob/main/README.md", "", ""},
		{"https://github.com/o/r/pulls", "", ""},
		{"https://github.com/maragudk", "", ""},
		{"https://github.com/", "", ""},
		{"https://github.com/orgs/golang", "", ""},
		{"https://github.com/topics/go", "", ""},
		{"https://github.com/sponsors/someone", "", ""},
		{"https://gist.github.com/o/abc123", "", ""},
		{"https://gitlab.com/o/r", "", ""},
		{"https://github.com/o/..", "", ""},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		owner, repo, ok := githubRepo(u)
		if ok != (tt.owner != "") || owner != tt.owner || repo != tt.repo {
			t.Errorf("githubRepo(%s) = %q, %q, %v; want %q, %q", tt.url, owner, repo, ok, tt.owner, tt.repo)
		}
	}
}

// githubAPI is a fake GitHub REST API recording the README requests.
type githubAPI struct {
	mu       sync.Mutex
	requests []*http.Request
}

func (a *githubAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.requests = append(a.requests, r)
	a.mu.Unlock()
	switch r.URL.Path {
	case "/api/repos/maragudk/gomponents/readme":
		w.Header().Set("Content-Type", "application/vnd.github.raw+json; charset=utf-8")
		fmt.Fprint(w, "# gomponents\n\nHTML components in pure Go. 한국어도 됩니다.\n")
	case "/api/repos/limited/repo/readme":
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(waitlog.Start.Add(20*time.Minute).Unix()))
		w.WriteHeader(http.StatusForbidden)
	case "/api/repos/private/repo/readme":
		w.WriteHeader(http.StatusForbidden)
	default:
		http.NotFound(w, r)
	}
}

func (a *githubAPI) last() *http.Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.requests[len(a.requests)-1]
}

func TestFetchGitHubReadme(t *testing.T) {
	api := &githubAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	cfg := testConfig()
	cfg.GitHubAPIURL = srv.URL + "/api"
	cfg.GitHubToken = "ghp_secret-token-value"
	core, logs := observer.New(zapcore.DebugLevel)
	f := newTestFetcher(t, cfg)
	f.log = zap.New(core)

	for _, in := range []string{
		"https://github.com/maragudk/gomponents",
		"https://www.github.com/maragudk/gomponents.git",
		"https://github.com/maragudk/gomponents/tree/main/html?utm_source=x",
	} {
		page, err := f.Fetch(context.Background(), in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if page.MediaType != "text/markdown" || !strings.HasPrefix(string(page.Body), "# gomponents") || !strings.Contains(string(page.Body), "한국어") {
			t.Errorf("%s: page %q %q", in, page.MediaType, page.Body)
		}
		if page.FinalURL != "https://github.com/maragudk/gomponents" {
			t.Errorf("%s: FinalURL %q", in, page.FinalURL)
		}
		if want, _ := urlnorm.Normalize(in); page.RequestURL != want {
			t.Errorf("%s: RequestURL %q, want %q", in, page.RequestURL, want)
		}
		r := api.last()
		if got := r.Header.Get("Accept"); got != "application/vnd.github.raw+json" {
			t.Errorf("Accept %q", got)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer ghp_secret-token-value" {
			t.Errorf("Authorization %q", got)
		}
		if r.Header.Get("X-GitHub-Api-Version") == "" || r.UserAgent() != cfg.UserAgent {
			t.Errorf("headers %v", r.Header)
		}
	}

	if logs.Len() == 0 {
		t.Fatal("no debug log lines for the attempts")
	}
	for _, e := range logs.All() {
		line := fmt.Sprint(e.Message, e.ContextMap())
		if strings.Contains(line, "secret-token") {
			t.Errorf("token logged: %s", line)
		}
		for _, key := range []string{"url", "attempt", "status", "duration"} {
			if _, ok := e.ContextMap()[key]; !ok && e.Message == "fetch attempt" {
				t.Errorf("log line %s lacks %q", line, key)
			}
		}
	}
}

func TestFetchGitHubWithoutToken(t *testing.T) {
	api := &githubAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	cfg := testConfig()
	cfg.GitHubAPIURL = srv.URL + "/api/"
	f := newTestFetcher(t, cfg)
	if _, err := f.Fetch(context.Background(), "https://github.com/maragudk/gomponents"); err != nil {
		t.Fatal(err)
	}
	if h, ok := api.last().Header["Authorization"]; ok {
		t.Errorf("Authorization sent without a token: %q", h)
	}
}

func TestFetchGitHubErrors(t *testing.T) {
	api := &githubAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	cfg := testConfig()
	cfg.GitHubAPIURL = srv.URL + "/api"
	f := newTestFetcher(t, cfg)

	_, err := f.Fetch(context.Background(), "https://github.com/nobody/missing")
	if want := "fetcher: https://github.com/nobody/missing: resource not found (404 status code)"; err == nil || err.Error() != want || !retry.IsPermanent(err) {
		t.Errorf("missing repository: %v, want permanent %q", err, want)
	}
	_, err = f.Fetch(context.Background(), "https://github.com/private/repo")
	if se := new(StatusError); !errors.As(err, &se) || se.Code != 403 || !retry.IsPermanent(err) {
		t.Errorf("forbidden repository: %v, want a permanent 403", err)
	}
	synctest.Test(t, func(t *testing.T) { // the reset is 20 minutes after the bubble's start
		_, err = forBubble(newTestFetcher(t, cfg)).Fetch(context.Background(), "https://github.com/limited/repo")
	})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 429 || se.RetryAfter != 20*time.Minute || retry.IsPermanent(err) {
		t.Errorf("rate limited: %#v, want a transient 429 with RetryAfter 20m", err)
	}
}

func TestFetchGitHubNonRepositoryPages(t *testing.T) {
	var (
		mu    sync.Mutex
		paths []string
	)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Host+r.URL.Path)
		mu.Unlock()
		fmt.Fprint(w, "<html><body>issue</body></html>")
	}))
	defer site.Close()
	api := &githubAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	cfg := testConfig()
	cfg.GitHubAPIURL = srv.URL + "/api"
	f := newTestFetcher(t, cfg) // github.com resolves to the loopback site

	for _, p := range []string{"/o/r/issues/1", "/o/r/blob/main/x.go", "/maragudk"} {
		page, err := f.Fetch(context.Background(), hostURL(t, site, "github.com", p))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if page.MediaType != "text/html" {
			t.Errorf("%s: MediaType %q", p, page.MediaType)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(paths) != 3 || len(api.requests) != 0 {
		t.Errorf("site saw %v, API saw %d requests; want pages fetched directly", paths, len(api.requests))
	}
}

func TestFetchGitHubAPIIsGuarded(t *testing.T) {
	cfg := testConfig()
	cfg.GitHubAPIURL = "http://private.test/api"
	f := newTestFetcher(t, cfg)
	_, err := f.Fetch(context.Background(), "https://github.com/o/r")
	if !errors.Is(err, ErrRefusedAddress) || !strings.HasPrefix(err.Error(), "fetcher: https://github.com/o/r: ") {
		t.Errorf("err = %v, want the API call refused, naming the repository URL", err)
	}
}
