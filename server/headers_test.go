package server

import (
	"net/http"
	"strings"
	"testing"
)

// Every answer of the server's own, public or not, refuses to be framed
// and to be sniffed; the desk's pages keep the policy they set.
func TestSecureHeaders(t *testing.T) {
	desk := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		w.Write([]byte("web page"))
	})
	ts := newTestServer(t, func(o *Options) { o.Server.Token = "s3cret"; o.Server.PublicArchive = true; o.Web = desk })
	tests := []struct {
		name, path string
		status     int
		wantCSP    string
	}{
		{"the archive", "/issues", 200, ""}, // its own policy, framing denied too
		{"the archive's root, redirected to it", "/", 200, ""},
		{"an issue not there", "/issues/nothing", 404, ""},
		{"the feed", "/feed.xml", 200, frameDeny},
		{"the metrics", "/metrics", 200, frameDeny},
		{"health", "/healthz", 200, frameDeny},
		{"the API", "/api/v1/status", 200, frameDeny},
		{"the API without a route", "/api/v1/nothing", 404, frameDeny},
		{"the desk sets its own", "/desk/", 200, "default-src 'none'; frame-ancestors 'none'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, h := ts.do(t, "GET", tt.path, "")
			if code != tt.status {
				t.Errorf("status %d, want %d", code, tt.status)
			}
			csp := h.Get("Content-Security-Policy")
			if tt.wantCSP != "" && csp != tt.wantCSP {
				t.Errorf("Content-Security-Policy = %q, want %q", csp, tt.wantCSP)
			}
			if !containsDirective(csp, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy = %q: it can be framed", csp)
			}
			if got := h.Get("X-Frame-Options"); got != "DENY" {
				t.Errorf("X-Frame-Options = %q, want DENY", got)
			}
			if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
		})
	}
}

// containsDirective reports whether the policy csp holds directive.
func containsDirective(csp, directive string) bool {
	for d := range strings.SplitSeq(csp, ";") {
		if strings.TrimSpace(d) == directive {
			return true
		}
	}
	return false
}
