package fetcher

import (
	"github.com/godevcommunity/newsletter/retry"

	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestFetchRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case p == "/a":
			http.Redirect(w, r, "/b?utm_medium=redirect", http.StatusMovedPermanently)
		case p == "/b":
			http.Redirect(w, r, "/final", http.StatusFound)
		case p == "/final":
			fmt.Fprint(w, "<p>final</p>")
		case p == "/loop1":
			http.Redirect(w, r, "/loop2", http.StatusFound)
		case p == "/loop2":
			http.Redirect(w, r, "/LOOP1/../loop1", http.StatusFound) // resolves back to /loop1
		case p == "/self":
			http.Redirect(w, r, "/self", http.StatusFound)
		case strings.HasPrefix(p, "/chain/"):
			var n int
			fmt.Sscanf(p, "/chain/%d", &n)
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusFound)
		case p == "/ftp":
			http.Redirect(w, r, "ftp://files.example/x", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.MaxRedirects = 3
	f := newTestFetcher(t, cfg)

	page, err := f.Fetch(context.Background(), srv.URL+"/a")
	if err != nil {
		t.Fatal(err)
	}
	if page.FinalURL != srv.URL+"/final" || page.RequestURL != srv.URL+"/a" {
		t.Errorf("RequestURL %q FinalURL %q", page.RequestURL, page.FinalURL)
	}

	tests := []struct {
		path string
		want error
		msg  string
	}{
		{"/loop1", ErrRedirectLoop, "redirect loop: " + srv.URL + "/loop2 leads back to " + srv.URL + "/loop1"},
		{"/self", ErrRedirectLoop, "redirect loop"},
		{"/chain/0", ErrTooManyRedirects, "too many redirects (limit 3)"},
		{"/ftp", ErrBadURL, `unsupported scheme "ftp"`},
	}
	for _, tt := range tests {
		_, err := f.Fetch(context.Background(), srv.URL+tt.path)
		if !errors.Is(err, tt.want) || !retry.IsPermanent(err) {
			t.Errorf("Fetch(%s) = %v, want %v", tt.path, err, tt.want)
			continue
		}
		want := "fetcher: " + srv.URL + tt.path + ": "
		if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Fetch(%s) error %q, want prefix %q and %q", tt.path, err, want, tt.msg)
		}
	}

	cfg.MaxRedirects = 0
	f = newTestFetcher(t, cfg)
	if _, err := f.Fetch(context.Background(), srv.URL+"/b"); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("max_redirects 0: %v, want ErrTooManyRedirects", err)
	}
}

func TestRedirectKey(t *testing.T) {
	same := [][2]string{
		{"HTTP://Example.COM:80/a?b=1#x", "http://example.com/a?b=1"},
		{"https://example.com:443/", "https://example.com/"},
	}
	for _, p := range same {
		a, _ := url.Parse(p[0])
		b, _ := url.Parse(p[1])
		if redirectKey(a) != redirectKey(b) {
			t.Errorf("%s and %s should be the same redirect target", p[0], p[1])
		}
	}
	a, _ := url.Parse("https://example.com/a")
	b, _ := url.Parse("https://example.com/A")
	if redirectKey(a) == redirectKey(b) {
		t.Error("paths are case-sensitive")
	}
}
