package browsertest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The browser loads pages from loopback, and whatever it is sent to
// elsewhere (a link, a redirect, a resource) ends at the guard, which
// names it; nothing leaves the machine.
func TestOnlyLoopback(t *testing.T) {
	b := New(t)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<!doctype html><title>ok</title><p id="p">로컬 페이지</p>`)
	}))
	defer site.Close()
	tab := b.Tab()
	if err := chromedp.Do(tab, chromedp.Navigate(site.URL)); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(tab, chromedp.Text(chromedp.ID("p")))
	if err != nil || text != "로컬 페이지" {
		t.Fatalf("loopback page: %q %v", text, err)
	}
	// 192.0.2.0/24 is TEST-NET-1: never routed, and here never tried.
	_ = chromedp.Do(tab, chromedp.Navigate("http://192.0.2.1/secret"))
	_ = chromedp.Do(tab, chromedp.Navigate("http://example.com/page"))
	b.mu.Lock()
	pages, refused := b.offLoopback, b.refused
	b.offLoopback = nil // seen: not a failure of this test
	b.mu.Unlock()
	for _, want := range []string{"GET 192.0.2.1/secret", "GET example.com/page"} {
		if !slices.ContainsFunc(refused, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("the proxy did not refuse %q: %q", want, refused)
		}
	}
	for _, want := range []string{"GET http://192.0.2.1/secret", "GET http://example.com/page"} {
		if !slices.Contains(pages, want) {
			t.Errorf("the page's request %q was not seen: %q", want, pages)
		}
	}
}

func TestLoopback(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8080/desk/": true, "http://localhost/x": true, "http://[::1]:1/": true, "about:blank": true,
		"https://127.0.0.2/": true, "http://192.0.2.1/": false, "https://example.com/": false, "data:text/html,x": false,
		"http://127.0.0.1.example.com/": false, "ws://127.0.0.1/": false,
	} {
		if got := Loopback(u); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", u, got, want)
		}
	}
}
