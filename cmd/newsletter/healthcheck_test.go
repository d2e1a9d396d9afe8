package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/config"
)

func TestHealthURL(t *testing.T) {
	def := config.Default().Server
	tests := []struct {
		name   string
		listen string
		url    string
		want   string
	}{
		{"defaults", def.Listen, def.URL, "http://127.0.0.1:8080/healthz"},
		{"all IPv4 interfaces", "0.0.0.0:9090", def.URL, "http://127.0.0.1:9090/healthz"},
		{"all interfaces, no host", ":9090", def.URL, "http://127.0.0.1:9090/healthz"},
		{"all IPv6 interfaces", "[::]:9090", def.URL, "http://[::1]:9090/healthz"},
		{"named host", "localhost:9090", def.URL, "http://localhost:9090/healthz"},
		{"explicit url wins", "0.0.0.0:9090", "https://news.example.org", "https://news.example.org/healthz"},
		{"explicit url with path", "0.0.0.0:9090", "https://example.org/newsletter/", "https://example.org/newsletter/healthz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := healthURL(config.Server{Listen: tt.listen, URL: tt.url})
			if err != nil || got != tt.want {
				t.Errorf("healthURL(%q, %q) = %q, %v; want %q", tt.listen, tt.url, got, err, tt.want)
			}
		})
	}
}

func TestHealthcheck(t *testing.T) {
	tests := []struct {
		name       string
		status     int    // what /healthz answers
		suffix     string // appended to the server's URL for --server
		wantCode   int
		wantStderr string
	}{
		{"healthy", http.StatusOK, "", 0, ""},
		{"unhealthy", http.StatusServiceUnavailable, "", 1, "503 Service Unavailable"},
		{"redirect is not followed", http.StatusFound, "", 1, "302 Found"},
		{"path under server.url", http.StatusOK, "/newsletter", 0, ""},
		{"wrong server.url", http.StatusOK, "/missing", 1, "404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet {
					t.Errorf("method %s, want GET", r.Method)
				}
				switch {
				case r.URL.Path != tt.suffix+"/healthz" || tt.suffix == "/missing":
					http.NotFound(w, r)
				case tt.status == http.StatusFound:
					http.Redirect(w, r, "/elsewhere", tt.status)
				default:
					w.WriteHeader(tt.status)
				}
			}))
			defer srv.Close()
			server := srv.URL + tt.suffix
			code, out, errs := runApp(t, nil, "healthcheck", "--server", server)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.wantCode, errs)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if tt.wantCode == 0 {
				if errs != "" {
					t.Errorf("stderr %q, want nothing", errs)
				}
				return
			}
			if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.wantStderr) || !strings.Contains(errs, server+"/healthz") {
				t.Errorf("stderr %q, want one line naming %s/healthz and %q", errs, server, tt.wantStderr)
			}
		})
	}
}

func TestHealthcheckDerivesURLFromListen(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"NEWSLETTER_SERVER_LISTEN": "0.0.0.0:" + port}
	if code, _, errs := runApp(t, env, "healthcheck"); code != 0 {
		t.Errorf("exit %d, want 0; stderr %q", code, errs)
	}
}

func TestHealthcheckUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	server := srv.URL
	srv.Close() // nothing listens there any more
	code, _, errs := runApp(t, nil, "healthcheck", "--server", server)
	if code != 1 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, server+"/healthz") {
		t.Errorf("exit %d, stderr %q; want 1 and one line naming %s/healthz", code, errs, server)
	}
}

func TestHealthcheckUsage(t *testing.T) {
	code, _, errs := runApp(t, nil, "healthcheck", "extra")
	if code != 2 || !strings.Contains(errs, "takes no arguments") {
		t.Errorf("exit %d, stderr %q; want 2 and a usage error", code, errs)
	}
}

// TestProbeHonoursContext shows that a server which never answers cannot
// hold the probe past its context, which the command bounds with a timeout.
func TestProbeHonoursContext(t *testing.T) {
	entered := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-entered
		cancel()
	}()
	err := probe(ctx, srv.URL+"/healthz")
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), srv.URL+"/healthz") {
		t.Errorf("probe = %v, want context.Canceled naming the URL", err)
	}
}
