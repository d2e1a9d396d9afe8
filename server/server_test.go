package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/store"
)

type testServer struct {
	*httptest.Server
	store   *store.Store
	token   string
	notices int
}

// newTestServer serves the API over a loopback httptest server; change
// adjusts the options first.
func newTestServer(t *testing.T, change func(*Options)) *testServer {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ts := &testServer{store: st}
	o := Options{Server: config.Default().Server}
	if change != nil {
		change(&o)
	}
	if o.Desk == nil { // the desk checks the tokens the change configured
		o.Desk = desk.New(st, nil, nil, desk.Options{Fetcher: config.Default().Fetcher, Server: o.Server, Wake: func() { ts.notices++ }})
	}
	ts.token = o.Server.Token
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// do sends a request with the test token and returns the status and body.
func (ts *testServer) do(t *testing.T, method, path, body string, header ...string) (int, string, http.Header) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if ts.token != "" {
		req.Header.Set("Authorization", "Bearer "+ts.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

func TestNewRequiresTokenOffLoopback(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tests := []struct {
		listen, token string
		wantErr       bool
	}{
		{"127.0.0.1:8080", "", false},
		{"[::1]:8080", "", false},
		{"localhost:8080", "", false},
		{"0.0.0.0:8080", "", true},
		{":8080", "", true},
		{"192.168.1.5:8080", "", true},
		{"0.0.0.0:8080", "secret", false},
	}
	for _, tt := range tests {
		_, err := New(Options{Server: config.Server{Listen: tt.listen, Token: tt.token}, Desk: desk.New(st, nil, nil, desk.Options{})})
		if (err != nil) != tt.wantErr {
			t.Errorf("New(listen %q, token %q) error = %v, want error %v", tt.listen, tt.token, err, tt.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "server.token") {
			t.Errorf("error %q does not name server.token", err)
		}
	}
}

func TestAuth(t *testing.T) {
	ts := newTestServer(t, func(o *Options) { o.Server.Token = "s3cret" })
	ts.token = "" // send headers by hand
	tests := []struct {
		name, path, auth string
		want             int
	}{
		{"no header", "/api/v1/submissions", "", http.StatusUnauthorized},
		{"wrong scheme", "/api/v1/submissions", "Basic czNjcmV0", http.StatusUnauthorized},
		{"wrong token", "/api/v1/submissions", "Bearer nope", http.StatusUnauthorized},
		{"prefix of token", "/api/v1/submissions", "Bearer s3c", http.StatusUnauthorized},
		{"right token", "/api/v1/submissions", "Bearer s3cret", http.StatusOK},
		{"scheme case", "/api/v1/submissions", "bearer s3cret", http.StatusOK},
		{"health is open", "/healthz", "", http.StatusOK},
		{"readiness is open", "/readyz", "", http.StatusOK},
		{"metrics are open", "/metrics", "", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, h := ts.do(t, "GET", tt.path, "", "Authorization", tt.auth)
			if code != tt.want {
				t.Fatalf("status %d, want %d: %s", code, tt.want, body)
			}
			if code == http.StatusUnauthorized {
				if h.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
				if e := decode[api.ErrorBody](t, body); e.Error == "" {
					t.Errorf("401 body %q has no error", body)
				}
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1:80": true, "127.1.2.3:80": true, "[::1]:80": true, "localhost:80": true,
		"0.0.0.0:80": false, ":80": false, "[::]:80": false, "10.0.0.1:80": false, "example.com:80": false,
		"bad": false,
	}
	for listen, want := range tests {
		if got := isLoopback(listen); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", listen, got, want)
		}
	}
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name  string
		check error
		want  int
	}{
		{"ready", nil, http.StatusOK},
		{"scheduler stopped", fmt.Errorf("scheduler is not running"), http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, func(o *Options) {
				o.Ready = map[string]func(context.Context) error{
					"scheduler": func(context.Context) error { return tt.check },
				}
			})
			code, body, _ := ts.do(t, "GET", "/readyz", "")
			if code != tt.want {
				t.Fatalf("status %d, want %d: %s", code, tt.want, body)
			}
			got := decode[struct {
				Checks map[string]string `json:"checks"`
			}](t, body)
			if got.Checks["database"] != "ok" {
				t.Errorf("database check = %q", got.Checks["database"])
			}
			if tt.check != nil && got.Checks["scheduler"] != tt.check.Error() {
				t.Errorf("scheduler check = %q, want %q", got.Checks["scheduler"], tt.check)
			}
		})
	}
}

func TestUnknownAPIPath(t *testing.T) {
	ts := newTestServer(t, nil)
	code, body, _ := ts.do(t, "GET", "/api/v1/nope", "")
	if code != http.StatusNotFound || decode[api.ErrorBody](t, body).Error == "" {
		t.Errorf("GET /api/v1/nope = %d %s, want 404 with an error", code, body)
	}
	code, body, h := ts.do(t, "PUT", "/api/v1/submissions", `{}`)
	if code != http.StatusMethodNotAllowed || h.Get("Allow") != "GET, POST" || decode[api.ErrorBody](t, body).Error == "" {
		t.Errorf("PUT /api/v1/submissions = %d %s (Allow %q), want 405 with Allow: GET, POST", code, body, h.Get("Allow"))
	}
}

func TestServeStopsOnCancel(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := New(Options{Server: config.Default().Server, Desk: desk.New(st, nil, nil, desk.Options{})})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz = %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve after cancel: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return after its context was cancelled")
	}
}

// addrListener is a listener bound, as far as Serve can tell, to addr. It
// accepts nothing.
type addrListener struct {
	net.Listener
	addr net.Addr
}

func (l addrListener) Addr() net.Addr { return l.addr }

func TestServeChecksBoundAddress(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// localhost passes New, but the resolver put it on a public address.
	srv, err := New(Options{Server: config.Server{Listen: "localhost:8080"}, Desk: desk.New(st, nil, nil, desk.Options{})})
	if err != nil {
		t.Fatal(err)
	}
	ln := addrListener{addr: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 8080}}
	err = srv.Serve(context.Background(), ln)
	if err == nil || !strings.Contains(err.Error(), "192.0.2.1:8080") || !strings.Contains(err.Error(), "server.token") {
		t.Errorf("Serve on a public address without a token: error %v, want one naming the address and server.token", err)
	}
}

func TestTokenlessAPIRefusesOtherSites(t *testing.T) {
	ts := newTestServer(t, nil) // loopback, no token
	tests := []struct {
		name   string
		host   string
		header map[string]string
		want   int
	}{
		{"this machine", "", nil, http.StatusCreated},
		{"localhost", "localhost:8080", nil, http.StatusCreated},
		{"IPv6 loopback", "[::1]:8080", nil, http.StatusCreated},
		{"DNS rebinding", "attacker.example:8080", nil, http.StatusForbidden},
		{"cross-site form", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"other origin", "", map[string]string{"Origin": "https://attacker.example"}, http.StatusForbidden},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := fmt.Sprintf(`{"url":"https://example.com/%d"}`, i)
			req, err := http.NewRequest("POST", ts.URL+"/api/v1/submissions", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.host != "" {
				req.Host = tt.host
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.want, b)
			}
			if tt.want == http.StatusForbidden && decode[api.ErrorBody](t, string(b)).Error == "" {
				t.Errorf("403 body %q has no error", b)
			}
		})
	}
	// With a token the bearer header, which browsers never add by themselves, is the check.
	withToken := newTestServer(t, func(o *Options) { o.Server.Token = "s3cret" })
	req, err := http.NewRequest("GET", withToken.URL+"/api/v1/submissions", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "newsletter.example.org"
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := withToken.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("request to a public host name with the token = %d, want 200", resp.StatusCode)
	}
}

// publishIssue freezes the open draft as the issue of week dated date and
// publishes it with content.
func publishIssue(t *testing.T, st *store.Store, week string, date time.Time, content string) store.Issue {
	t.Helper()
	ctx := context.Background()
	is, err := st.Freeze(ctx, store.NewIssue{Week: week, Slug: week, Title: week, Date: date})
	if err != nil {
		t.Fatal(err)
	}
	if is, _, err = st.Publish(ctx, is.ID, "", func(store.Snapshot) ([]byte, error) { return []byte(content), nil }); err != nil {
		t.Fatal(err)
	}
	if is, err = st.Written(ctx, is.ID, week+".md", ""); err != nil {
		t.Fatal(err)
	}
	return is
}
