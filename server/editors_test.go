package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

// An editor's token opens the API like server.token, and what the editor
// changes is recorded under the editor's name.
func TestEditorTokens(t *testing.T) {
	tests := []struct {
		name      string
		token     string // server.token
		auth      string
		want      int
		wantActor string
	}{
		{"server token", "s3cret", "Bearer s3cret", http.StatusOK, "api"},
		{"editor token", "s3cret", "Bearer 0123456789abcdef", http.StatusOK, "kim"},
		{"the other editor", "s3cret", "Bearer fedcba9876543210", http.StatusOK, "이영희"},
		{"editor token, no server token", "", "Bearer 0123456789abcdef", http.StatusOK, "kim"},
		{"wrong token", "s3cret", "Bearer 0123456789abcdeX", http.StatusUnauthorized, ""},
		{"no header, editors only", "", "", http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, func(o *Options) {
				o.Server.Token = tt.token
				o.Server.Editors = []string{"kim=0123456789abcdef", "이영희=fedcba9876543210"}
			})
			ctx := context.Background()
			sub, _, err := ts.store.Submit(ctx, store.NewSubmission{URL: "https://example.com/a"})
			if err != nil {
				t.Fatal(err)
			}
			ts.token = ""
			code, body, _ := ts.do(t, "DELETE", "/api/v1/submissions/1", "", "Authorization", tt.auth)
			if code != tt.want {
				t.Fatalf("status %d, want %d: %s", code, tt.want, body)
			}
			events, err := ts.store.Events(ctx, sub.ID)
			if err != nil {
				t.Fatal(err)
			}
			last := events[len(events)-1]
			if tt.wantActor == "" {
				if last.Kind == store.EventDeleted {
					t.Error("deleted without a valid token")
				}
				return
			}
			if last.Kind != store.EventDeleted || last.Actor != tt.wantActor {
				t.Errorf("last event %s by %q, want deleted by %q", last.Kind, last.Actor, tt.wantActor)
			}
		})
	}
}

// Editor tokens count as a token for listening off loopback.
func TestCheckListenEditors(t *testing.T) {
	if err := CheckListen(config.Server{Listen: "0.0.0.0:8080", Editors: []string{"kim=0123456789abcdef"}}); err != nil {
		t.Errorf("editors only: %v", err)
	}
	if err := CheckListen(config.Server{Listen: "0.0.0.0:8080"}); err == nil {
		t.Error("no token off loopback accepted")
	}
}

// Options.Web answers what the server's own routes do not; without a
// token it is behind the same loopback-only checks as the API. With the
// public archive on, readers opening "/" land on the archive.
func TestWebMounted(t *testing.T) {
	web := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "web page") })
	tests := []struct {
		name       string
		token      string
		method     string
		path, host string
		header     map[string]string
		want       int
		wantBody   string
		archive    bool
	}{
		{"the root, with the public archive", "s3cret", "GET", "/", "", nil, http.StatusSeeOther, "/issues", true},
		{"the root, with the public archive and no token", "", "HEAD", "/", "", nil, http.StatusSeeOther, "", true},
		{"the desk, with the public archive", "s3cret", "GET", "/desk/", "", nil, http.StatusOK, "web page", true},
		{"another path, with the public archive", "s3cret", "GET", "/nothing", "", nil, http.StatusOK, "web page", true},
		{"a web page", "", "GET", "/desk/", "", nil, http.StatusOK, "web page", false},
		{"the root", "", "GET", "/", "", nil, http.StatusOK, "web page", false},
		{"health stays the server's", "", "GET", "/healthz", "", nil, http.StatusOK, "ok\n", false},
		{"the API stays the server's", "", "GET", "/api/v1/nothing", "", nil, http.StatusNotFound, "no such endpoint", false},
		{"no token: DNS rebinding", "", "GET", "/desk/", "attacker.example:8080", nil, http.StatusForbidden, "loopback", false},
		{"no token: cross-site post", "", "POST", "/desk/draft/publish", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden, "cross-origin", false},
		{"token: the web does its own sign-in", "s3cret", "GET", "/desk/", "newsletter.example.org", nil, http.StatusOK, "web page", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, func(o *Options) { o.Server.Token = tt.token; o.Server.PublicArchive = tt.archive; o.Web = web })
			req, err := http.NewRequest(tt.method, ts.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.host != "" {
				req.Host = tt.host
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			client := ts.Client()
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode == http.StatusSeeOther {
				if loc := resp.Header.Get("Location"); loc != "/issues" {
					t.Errorf("%s %s redirects to %q, want /issues", tt.method, tt.path, loc)
				}
				b = []byte(resp.Header.Get("Location"))
			}
			if resp.StatusCode != tt.want || !strings.Contains(string(b), tt.wantBody) {
				t.Errorf("%s %s = %d %q, want %d with %q", tt.method, tt.path, resp.StatusCode, b, tt.want, tt.wantBody)
			}
		})
	}
}
