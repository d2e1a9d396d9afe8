package fetcher

import (
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
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"

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
	clock := newFakeClock()
	f := newTestFetcher(t, cfg, WithClock(clock))

	page, err := f.Fetch(context.Background(), srv.URL+"/post?id=7&utm_source=x#top")
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
	if !page.FetchedAt.Equal(clock.Now()) {
		t.Errorf("FetchedAt %v, want the clock's %v", page.FetchedAt, clock.Now())
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

func TestFetchRefusesPrivateAddresses(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/to-literal":
			http.Redirect(w, r, "http://10.0.0.1/admin", http.StatusFound)
		case "/to-numeric":
			http.Redirect(w, r, "http://0xa9fea9fe/latest/meta-data/", http.StatusFound)
		case "/to-name":
			http.Redirect(w, r, "http://private.test/", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://metadata.test/", http.StatusMovedPermanently)
		default:
			fmt.Fprint(w, "<p>ok</p>")
		}
	}))
	defer srv.Close()
	f := newTestFetcher(t, testConfig()) // allows 127.0.0.1/32 only

	if _, err := f.Fetch(context.Background(), srv.URL+"/"); err != nil {
		t.Fatalf("allowed loopback server: %v", err)
	}
	tests := []struct{ url, msg string }{
		{"http://private.test/", "refused address 10.0.0.2 of host private.test (private network)"},
		{"http://mixed.test/", "192.168.1.1"},
		{"http://mapped-loopback.test/", "127.0.0.2"},
		{"http://10.0.0.1/", "refused address 10.0.0.1 (private network)"},
		{srv.URL + "/to-literal", "redirect to http://10.0.0.1/admin: refused address 10.0.0.1"},
		{srv.URL + "/to-numeric", "169.254.169.254 (link-local)"},
		{srv.URL + "/to-name", "refused address 10.0.0.2"},
		{srv.URL + "/to-metadata", "169.254.169.254"},
	}
	for _, tt := range tests {
		_, err := f.Fetch(context.Background(), tt.url)
		if !errors.Is(err, ErrRefusedAddress) || !IsPermanent(err) {
			t.Errorf("Fetch(%s) = %v, want a permanent ErrRefusedAddress", tt.url, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "fetcher: ") {
			t.Errorf("Fetch(%s) error %q, want it to mention %q", tt.url, err, tt.msg)
		}
	}
}

func TestFetchIgnoresEnvironmentProxy(t *testing.T) {
	var proxied, direct atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		fmt.Fprint(w, "<p>from the proxy</p>")
	}))
	defer proxy.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		direct.Add(1)
		fmt.Fprint(w, "<p>direct</p>")
	}))
	defer srv.Close()
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", proxy.URL)
	t.Setenv("NO_PROXY", "")

	f := newTestFetcher(t, testConfig())
	if f.transport.Proxy != nil {
		t.Fatal("transport has a proxy function; it would bypass the address guard")
	}
	page, err := f.Fetch(context.Background(), hostURL(t, srv, "site.test", "/"))
	if err != nil {
		t.Fatal(err)
	}
	if proxied.Load() != 0 || direct.Load() != 1 || !strings.Contains(string(page.Body), "direct") {
		t.Errorf("proxy saw %d requests, server %d; want 0 and 1", proxied.Load(), direct.Load())
	}
}

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
		if !errors.Is(err, tt.want) || !IsPermanent(err) {
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

func TestFetchContentTypes(t *testing.T) {
	var served atomic.Int64 // body bytes written, to see refusals happen before the download
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		write := func(ct, body string) {
			if ct == "" {
				w.Header()["Content-Type"] = nil // no header at all, not even a sniffed one
			} else {
				w.Header().Set("Content-Type", ct)
			}
			n, _ := fmt.Fprint(w, body)
			served.Add(int64(n))
		}
		switch r.URL.Path {
		case "/page.html":
			write("text/html", "<p>html</p>")
		case "/page.xhtml":
			write("application/xhtml+xml; charset=utf-8", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>`)
		case "/notes.txt":
			write("text/plain; charset=utf-8", "plain words")
		case "/doc.md", "/raw/README.md":
			write("text/plain", "# Title\n")
		case "/served-md":
			write("text/markdown; charset=utf-8", "# Markdown")
		case "/download.md":
			write("application/octet-stream", "# Downloaded markdown")
		case "/no-header":
			write("", "<!DOCTYPE html><html><body><p>sniffed</p></body></html>")
		case "/paper.pdf":
			write("application/pdf", strings.Repeat("%PDF-1.7 ", 10000))
		case "/sniffed.pdf":
			write("", "%PDF-1.7\n1 0 obj")
		case "/image":
			write("image/png", "\x89PNG\r\n\x1a\n")
		case "/video":
			write("video/mp4", "....")
		case "/audio":
			write("audio/mpeg", "ID3")
		case "/archive":
			write("", "PK\x03\x04\x14\x00\x00\x00")
		case "/json":
			write("application/json", "{}")
		}
	}))
	defer srv.Close()
	f := newTestFetcher(t, testConfig())

	ok := map[string]string{
		"/page.html":     "text/html",
		"/page.xhtml":    "text/html",
		"/notes.txt":     "text/plain",
		"/doc.md":        "text/markdown",
		"/raw/README.md": "text/markdown",
		"/served-md":     "text/markdown",
		"/download.md":   "text/markdown",
		"/no-header":     "text/html",
	}
	for path, want := range ok {
		page, err := f.Fetch(context.Background(), srv.URL+path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if page.MediaType != want {
			t.Errorf("%s: MediaType %q, want %q", path, page.MediaType, want)
		}
	}

	refused := map[string]string{
		"/paper.pdf":   "application/pdf",
		"/sniffed.pdf": "application/pdf",
		"/image":       "image/png",
		"/video":       "video/mp4",
		"/audio":       "audio/mpeg",
		"/archive":     "application/zip",
		"/json":        "application/json",
	}
	for path, mt := range refused {
		_, err := f.Fetch(context.Background(), srv.URL+path)
		if !errors.Is(err, ErrUnsupportedType) || !IsPermanent(err) {
			t.Errorf("%s: %v, want ErrUnsupportedType", path, err)
			continue
		}
		want := fmt.Sprintf("fetcher: %s%s: unsupported content type %q", srv.URL, path, mt)
		if err.Error() != want {
			t.Errorf("%s: error %q, want %q", path, err, want)
		}
	}
}

func TestFetchCharsets(t *testing.T) {
	eucKR, _ := korean.EUCKR.NewEncoder().Bytes([]byte(korText))
	sjis, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte(jpText))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/euckr-header":
			w.Header().Set("Content-Type", "text/html; charset=euc-kr")
			w.Write(htmlDoc("", eucKR))
		case "/euckr-meta":
			w.Header().Set("Content-Type", "text/html")
			w.Write(htmlDoc(`<meta charset="EUC-KR">`, eucKR))
		case "/sjis-header":
			w.Header().Set("Content-Type", "text/html; charset=shift_jis")
			w.Write(htmlDoc("", sjis))
		case "/sjis-meta":
			w.Header().Set("Content-Type", "text/html")
			w.Write(htmlDoc(`<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">`, sjis))
		case "/euckr-gzip":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipBytes(t, htmlDoc(`<meta charset="euc-kr">`, eucKR)))
		}
	}))
	defer srv.Close()
	f := newTestFetcher(t, testConfig())
	for path, want := range map[string]string{
		"/euckr-header": korText, "/euckr-meta": korText, "/euckr-gzip": korText,
		"/sjis-header": jpText, "/sjis-meta": jpText,
	} {
		page, err := f.Fetch(context.Background(), srv.URL+path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("%s: body %q does not contain %q", path, page.Body, want)
		}
	}
}

func TestFetchBodyCap(t *testing.T) {
	const limit = 64 << 10
	bomb := gzipBytes(t, make([]byte, 16<<20)) // 16 MiB of zeros, ~16 KiB compressed
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		case "/big":
			w.Header().Set("Content-Length", fmt.Sprint(limit+1))
			w.Write(make([]byte, limit+1))
		case "/stream": // no Content-Length: chunked, endless until the client stops reading
			chunk := []byte(strings.Repeat("<p>text</p>", 1000))
			for r.Context().Err() == nil && written.Load() < 64<<20 {
				n, err := w.Write(chunk)
				written.Add(int64(n))
				if err != nil {
					return
				}
			}
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.MaxBodyBytes = limit
	f := newTestFetcher(t, cfg)
	for _, path := range []string{"/bomb", "/big", "/stream"} {
		_, err := f.Fetch(context.Background(), srv.URL+path)
		if !errors.Is(err, ErrBodyTooLarge) || !IsPermanent(err) {
			t.Errorf("%s: %v, want ErrBodyTooLarge", path, err)
			continue
		}
		if want := "fetcher: " + srv.URL + path + ": response body too large (limit 64 KiB)"; err.Error() != want {
			t.Errorf("%s: error %q, want %q", path, err, want)
		}
	}
	if written.Load() >= 64<<20 {
		t.Errorf("the client read the whole endless stream (%d bytes)", written.Load())
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
		{"slow body", srv.URL + "/drip", func(c *config.Fetcher) { c.Timeout = 100 * time.Millisecond }, "request timed out after 100ms"},
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
			if IsPermanent(err) || !retryable(errors.Unwrap(err)) {
				t.Errorf("a timeout should be transient: %v", err)
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

	zero, err := New(config.Fetcher{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if def := config.Default().Fetcher; zero.cfg.Timeout != def.Timeout || zero.cfg.MaxBodyBytes != def.MaxBodyBytes || zero.cfg.UserAgent != def.UserAgent {
		t.Errorf("zero config did not take defaults: %+v", zero.cfg)
	}
	for name, c := range map[string]config.Fetcher{
		"negative timeout":   {Timeout: -1},
		"negative retries":   {MaxRetries: -1},
		"negative redirects": {MaxRedirects: -1},
		"bad network":        {AllowedNetworks: []string{"nonsense"}},
	} {
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
	if err == nil || !strings.Contains(err.Error(), "TLS certificate not trusted") {
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
