package fetcher

import (
	"sync/atomic"
	"testing/synctest"

	"github.com/godevcommunity/newsletter/retry"

	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
)

func TestFetchHTML(t *testing.T) {
	var gotUA, gotAE, gotURI string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAE, gotURI = r.UserAgent(), r.Header.Get("Accept-Encoding"), r.RequestURI
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body><p>안녕하세요</p></body></html>")
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.UserAgent = "newsletter-test/1"
	var page *Page
	var err error
	var now time.Time
	synctest.Test(t, func(t *testing.T) { // the bubble's time stands still while nothing waits
		f := forBubble(newTestFetcher(t, cfg))
		page, err = f.Fetch(context.Background(), srv.URL+"/post?id=7&utm_source=x#top")
		now = time.Now()
	})
	if err != nil {
		t.Fatal(err)
	}
	want := srv.URL + "/post?id=7"
	if page.RequestURL != want || page.FinalURL != want {
		t.Errorf("RequestURL %q, FinalURL %q; want both %q", page.RequestURL, page.FinalURL, want)
	}
	if gotURI != "/post?id=7" {
		t.Errorf("server saw %q; tracking parameters should be removed before fetching", gotURI)
	}
	if page.MediaType != "text/html" || !strings.Contains(string(page.Body), "안녕하세요") {
		t.Errorf("page = %q %q", page.MediaType, page.Body)
	}
	if !page.FetchedAt.Equal(now) {
		t.Errorf("FetchedAt %v, want the clock's %v", page.FetchedAt, now)
	}
	if gotUA != "newsletter-test/1" {
		t.Errorf("User-Agent %q", gotUA)
	}
	if gotAE != acceptEncoding {
		t.Errorf("Accept-Encoding %q", gotAE)
	}
}

func TestFetchIDNHost(t *testing.T) {
	var host string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host = r.Host
		fmt.Fprint(w, "<p>ok</p>")
	}))
	defer srv.Close()
	f := newTestFetcher(t, testConfig())
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	page, err := f.Fetch(context.Background(), "http://Bücher.test:"+port+"/")
	if err != nil {
		t.Fatal(err)
	}
	if host != "xn--bcher-kva.test:"+port || page.RequestURL != "http://xn--bcher-kva.test:"+port+"/" {
		t.Errorf("Host %q, RequestURL %q", host, page.RequestURL)
	}
}

func TestFetchStatusErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscanf(r.URL.Path, "/%d", &code)
		w.WriteHeader(code)
	}))
	defer srv.Close()
	f := newTestFetcher(t, testConfig())
	for _, code := range []int{404, 403, 410, 500} {
		_, err := f.Fetch(context.Background(), fmt.Sprintf("%s/%d", srv.URL, code))
		var se *StatusError
		if !errors.As(err, &se) || se.Code != code {
			t.Fatalf("status %d: %v", code, err)
		}
		if want := fmt.Sprintf("fetcher: %s/%d: %s (%d status code)", srv.URL, code, statusReason(code), code); err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
	}
}

func TestFetchTimeouts(t *testing.T) {
	done := make(chan struct{})
	defer close(done)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/no-headers":
			select {
			case <-r.Context().Done():
			case <-done:
			}
		case "/drip": // headers at once, then one byte at a time, forever
			w.Header().Set("Content-Type", "text/html")
			rc := http.NewResponseController(w)
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for {
				if _, err := w.Write([]byte("a")); err != nil {
					return
				}
				_ = rc.Flush()
				select {
				case <-r.Context().Done():
					return
				case <-done:
					return
				case <-tick.C:
				}
			}
		}
	}))
	defer srv.Close()

	// A TCP listener that accepts and never speaks: TLS handshakes hang.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()

	tests := []struct {
		name string
		url  string
		set  func(*config.Fetcher)
		msg  string
	}{
		{"response headers", srv.URL + "/no-headers", func(c *config.Fetcher) { c.HeaderTimeout = 50 * time.Millisecond }, "no response headers within 50ms"},
		{"slow body", srv.URL + "/drip", func(c *config.Fetcher) { c.Timeout = 100 * time.Millisecond }, "timed out after 100ms"},
		{"TLS handshake", "https://" + silent.Addr().String() + "/", func(c *config.Fetcher) { c.TLSTimeout = 50 * time.Millisecond }, "TLS handshake timed out after 50ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.set(&cfg)
			f := newTestFetcher(t, cfg)
			_, err := f.Fetch(context.Background(), tt.url)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.msg)
			}
			if k := retry.Classify(err).Kind; k != retry.Transient {
				t.Errorf("a timeout is transient for the article, got %v: %v", k, err)
			}
		})
	}
}

func TestNewWiresConfiguration(t *testing.T) {
	cfg := testConfig()
	cfg.ConnectTimeout = 3 * time.Second
	cfg.TLSTimeout = 4 * time.Second
	cfg.HeaderTimeout = 5 * time.Second
	f := newTestFetcher(t, cfg)
	if f.dialer.net.Timeout != 3*time.Second || f.dialer.net.Control == nil {
		t.Errorf("dialer timeout %v, control set %v", f.dialer.net.Timeout, f.dialer.net.Control != nil)
	}
	if f.transport.TLSHandshakeTimeout != 4*time.Second || f.transport.ResponseHeaderTimeout != 5*time.Second {
		t.Errorf("TLS %v, headers %v", f.transport.TLSHandshakeTimeout, f.transport.ResponseHeaderTimeout)
	}
	if f.transport.Proxy != nil || !f.transport.DisableCompression {
		t.Error("transport must not use a proxy nor decompress behind the body cap")
	}

	// Defaults live in config.Default alone: New takes the values it is
	// given and refuses the ones it cannot work with.
	for name, edit := range map[string]func(*config.Fetcher){
		"zero config":        func(c *config.Fetcher) { *c = config.Fetcher{} },
		"zero timeout":       func(c *config.Fetcher) { c.Timeout = 0 },
		"negative timeout":   func(c *config.Fetcher) { c.Timeout = -1 },
		"negative retries":   func(c *config.Fetcher) { c.MaxRetries = -1 },
		"negative redirects": func(c *config.Fetcher) { c.MaxRedirects = -1 },
		"no body cap":        func(c *config.Fetcher) { c.MaxBodyBytes = 0 },
		"no user agent":      func(c *config.Fetcher) { c.UserAgent = " " },
		"bad network":        func(c *config.Fetcher) { c.AllowedNetworks = []string{"nonsense"} },
	} {
		c := config.Default().Fetcher
		edit(&c)
		if _, err := New(c, nil); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func TestFetchErrorMessages(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + closed.Addr().String() + "/"
	closed.Close() // nothing listens there any more

	f := newTestFetcher(t, testConfig())
	tests := []struct {
		url, want string
	}{
		{"mailto:someone@example.com", `fetcher: invalid URL "mailto:someone@example.com": unsupported scheme "mailto" (want http or https)`},
		{"http://unknown.test/", "fetcher: http://unknown.test/: host unknown.test not found"},
		{closedURL, "fetcher: " + closedURL + ": connection refused"},
	}
	for _, tt := range tests {
		_, err := f.Fetch(context.Background(), tt.url)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Fetch(%s) = %v, want %q", tt.url, err, tt.want)
		}
	}
}

func TestFetchTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<p>secure</p>")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()

	f := newTestFetcher(t, testConfig())
	_, err := f.Fetch(context.Background(), srv.URL+"/")
	if err == nil || !strings.Contains(err.Error(), "TLS certificate rejected") {
		t.Errorf("untrusted certificate: %v", err)
	}

	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	f = newTestFetcher(t, testConfig(), WithTLSConfig(&tls.Config{RootCAs: pool}))
	page, err := f.Fetch(context.Background(), srv.URL+"/")
	if err != nil || !strings.Contains(string(page.Body), "secure") {
		t.Errorf("trusted certificate: %v", err)
	}
}

// TestFetchTimeoutBoundsRetries: fetcher.timeout is the budget of the whole
// fetch. A page trickling its body is cut once, not retried three times,
// and retries stop when the next wait would outlast the budget.
func TestFetchTimeoutBoundsRetries(t *testing.T) {
	var drips, busy atomic.Int32
	done := make(chan struct{})
	defer close(done)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/drip":
			drips.Add(1)
			w.Header().Set("Content-Type", "text/html")
			rc := http.NewResponseController(w)
			for {
				if _, err := w.Write([]byte("a")); err != nil {
					return
				}
				_ = rc.Flush()
				select {
				case <-r.Context().Done():
					return
				case <-done:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		case "/busy":
			busy.Add(1)
			w.Header().Set("Retry-After", "20")
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()

	cfg := testConfig()
	cfg.MaxRetries = 3
	cfg.Timeout = 150 * time.Millisecond
	f := newTestFetcher(t, cfg)
	_, err := f.Fetch(context.Background(), srv.URL+"/drip")
	if err == nil || !strings.Contains(err.Error(), "timed out after 150ms") {
		t.Fatalf("err = %v, want the whole fetch timed out after 150ms", err)
	}
	if n := drips.Load(); n != 1 {
		t.Errorf("a body cut by the deadline was requested %d times, want 1", n)
	}

	cfg.Timeout = 30 * time.Second // in the bubble: room for one wait of 20s, not two
	synctest.Test(t, func(t *testing.T) {
		_, err = forBubble(newTestFetcher(t, cfg)).Fetch(context.Background(), srv.URL+"/busy")
	})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusServiceUnavailable {
		t.Fatalf("err = %v, want the 503", err)
	}
	if n := busy.Load(); n != 2 {
		t.Errorf("server saw %d requests, want 2: a second wait of 20s would end after the 30s budget", n)
	}
}

// TestFetchPermanentFailures: answers that cannot improve are permanent for
// the article and not retried.
func TestFetchPermanentFailures(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		switch r.URL.Path {
		case "/bad-location":
			w.Header().Set("Location", "http://[::1")
			w.WriteHeader(http.StatusFound)
		case "/huge-headers":
			w.Header().Set("X-Padding", strings.Repeat("a", 1<<20+1))
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer srv.Close()
	tests := []struct {
		name, url, msg string
		requests       int32
	}{
		{"host not found", "http://nowhere.test/", "host nowhere.test not found", 0},
		{"unparsable Location", srv.URL + "/bad-location", "redirect to an unparsable location", 1},
		{"oversized headers", srv.URL + "/huge-headers", "response headers larger than 1 MiB", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Store(0)
			cfg := testConfig()
			cfg.MaxRetries = 3
			f := newTestFetcher(t, cfg)
			_, err := f.Fetch(context.Background(), tt.url)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want it to say %q", err, tt.msg)
			}
			if !retry.IsPermanent(err) {
				t.Errorf("%v is not permanent", err)
			}
			if n := calls.Load(); n != tt.requests {
				t.Errorf("server saw %d requests, want %d", n, tt.requests)
			}
		})
	}
}
