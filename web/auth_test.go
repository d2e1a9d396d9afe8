package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/desk"
	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/publisher"
)

const kimToken = "kim-token-0123456789"

func withTokens(c *config.Config) {
	c.Server.Token = "the-server-token"
	c.Server.Editors = []string{"kim=" + kimToken, "이영희=lee-token-0123456789"}
}

func TestSignIn(t *testing.T) {
	tests := []struct {
		name       string
		token      string
		wantStatus int
		wantActor  string
	}{
		{"server token", "the-server-token", http.StatusSeeOther, "서버 토큰"},
		{"an editor's token", kimToken, http.StatusSeeOther, "kim"},
		{"the other editor", "lee-token-0123456789", http.StatusSeeOther, "이영희"},
		{"token with spaces around", "  " + kimToken + " ", http.StatusSeeOther, "kim"},
		{"wrong token", "kim-token-012345678X", http.StatusUnauthorized, ""},
		{"a prefix of a token", "kim-token", http.StatusUnauthorized, ""},
		{"empty", "", http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			c := h.client()
			r := c.post("/desk/signin", url.Values{"token": {tt.token}})
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantActor == "" {
				if len(c.cookies) > 0 || !strings.Contains(r.body, "토큰") {
					t.Errorf("refused sign-in: cookies %v, page %s", c.cookies, r.body)
				}
				if tt.token != "" && strings.Contains(r.body, tt.token) {
					t.Error("the refused token is written back into the page")
				}
				if got := c.get("/desk/"); got.status != http.StatusSeeOther {
					t.Errorf("after a refused sign-in the desk answers %d", got.status)
				}
				return
			}
			if loc := r.header.Get("Location"); loc != "/desk/" {
				t.Errorf("signed in to %q", loc)
			}
			page := c.get("/desk/")
			if page.status != http.StatusOK || !strings.Contains(page.body, "<span>"+tt.wantActor+"</span>") {
				t.Errorf("the desk after sign-in: %d, want it to name %s", page.status, tt.wantActor)
			}
			if strings.Contains(page.body, strings.TrimSpace(tt.token)) {
				t.Error("the page holds the token")
			}
		})
	}
}

func TestSessionCookie(t *testing.T) {
	h := newHarness(t, withTokens)
	c := h.client()
	r := c.post("/desk/signin", url.Values{"token": {kimToken}, "next": {"/desk/submissions?state=failed"}})
	if r.header.Get("Location") != "/desk/submissions?state=failed" {
		t.Errorf("next page %q", r.header.Get("Location"))
	}
	set := r.header.Get("Set-Cookie")
	for _, want := range []string{cookieName + "=", "Path=/desk/", "HttpOnly", "SameSite=Lax", "Max-Age="} {
		if !strings.Contains(set, want) {
			t.Errorf("Set-Cookie %q lacks %s", set, want)
		}
	}
	if strings.Contains(set, kimToken) || strings.Contains(r.header.Get("Location"), kimToken) {
		t.Error("the token is in the cookie or the URL")
	}
	if strings.Contains(set, "Secure") {
		t.Error("Secure cookie over http")
	}

	// Signing out ends the session on the server, not only in the browser.
	old := c.cookies
	if r := c.post("/desk/signout", nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/desk/signin" {
		t.Errorf("sign-out: %d %s", r.status, r.header.Get("Location"))
	}
	replay := h.client()
	replay.cookies = old
	if r := replay.get("/desk/"); r.status != http.StatusSeeOther {
		t.Errorf("the signed-out session still opens the desk: %d", r.status)
	}

	// A session nobody used for sessionIdle ends.
	c.signIn(kimToken)
	h.Clock.Advance(sessionIdle + time.Minute)
	if r := c.get("/desk/"); r.status != http.StatusSeeOther {
		t.Errorf("an idle session still opens the desk: %d", r.status)
	}
}

func TestSecureCookieOverHTTPS(t *testing.T) {
	h := newHarness(t, func(c *config.Config) { withTokens(c); c.Server.URL = "https://desk.example.org" })
	r := h.client().post("/desk/signin", url.Values{"token": {kimToken}})
	if !strings.Contains(r.header.Get("Set-Cookie"), "Secure") {
		t.Errorf("Set-Cookie %q is not Secure with an https server.url", r.header.Get("Set-Cookie"))
	}
}

// Every answer of the desk, signed in or not, carries the same headers:
// a content security policy of the desk's own files, no framing, no
// caching, and referrers only to the desk itself (no-referrer would make
// some browsers send "Origin: null" with the desk's own forms).
func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t, withTokens)
	signedIn := h.client()
	signedIn.signIn(kimToken)
	tests := []struct {
		name string
		c    *client
		path string
	}{
		{"sign-in", h.client(), "/desk/signin"},
		{"a page without a session", h.client(), "/desk/status"},
		{"not found", h.client(), "/desk/nothing-here"},
		{"this week", signedIn, "/desk/"},
		{"not found, signed in", signedIn, "/desk/nothing-here"},
	}
	want := map[string]string{
		"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
		"Cache-Control":           "no-store",
	}
	for _, tt := range tests {
		r := tt.c.get(tt.path)
		for k, v := range want {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s: %s %q, want %q", tt.name, k, got, v)
			}
		}
	}
}

// Every page needs a session; without one the browser goes to sign in,
// and comes back to the page it asked for.
func TestPagesNeedSession(t *testing.T) {
	h := newHarness(t, withTokens)
	c := h.client()
	for _, path := range []string{"/desk/", "/desk/entries/1", "/desk/submissions", "/desk/issues", "/desk/issues/1",
		"/desk/issues/1/markdown", "/desk/draft/markdown", "/desk/status", "/desk/draft/publish", "/desk/issues/1/publish"} {
		r := c.get(path)
		want := "/desk/signin"
		if path != "/desk/" {
			want += "?next=" + url.QueryEscape(path)
		}
		if r.status != http.StatusSeeOther || r.header.Get("Location") != want {
			t.Errorf("GET %s without a session: %d to %q, want 303 to %q", path, r.status, r.header.Get("Location"), want)
		}
	}
	for _, path := range []string{"/desk/draft/publish", "/desk/entries/1", "/desk/entries/1/exclude", "/desk/submissions",
		"/desk/submissions/1/delete", "/desk/issues/1/publish", "/desk/entries/1/preview"} {
		if r := c.post(path, url.Values{"excluded": {"1"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/desk/signin" {
			t.Errorf("POST %s without a session: %d to %q", path, r.status, r.header.Get("Location"))
		}
	}
	if r := c.get("/"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/desk/" {
		t.Errorf("GET / = %d to %q", r.status, r.header.Get("Location"))
	}
	// The sign-in page and the static files are open.
	for _, path := range []string{"/desk/signin", staticPath("desk.css"), staticPath("desk.js")} {
		if r := c.get(path); r.status != http.StatusOK {
			t.Errorf("GET %s = %d", path, r.status)
		}
	}
}

// Where to go after signing in is a desk page, never another site.
func TestSafeNext(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/desk/status", "/desk/status"},
		{"/desk/submissions?state=failed", "/desk/submissions?state=failed"},
		{"", "/desk/"},
		{"https://evil.example/desk/", "/desk/"},
		{"//evil.example/desk/", "/desk/"},
		{"/\\evil.example", "/desk/"},
		{"/api/v1/runs", "/desk/"},
		{"javascript:alert(1)", "/desk/"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}

// A form posted from another site is refused, whatever cookie the browser
// would add; the same form from the desk goes through.
func TestCrossOriginPostRefused(t *testing.T) {
	h := newHarness(t, withTokens)
	id := h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "제목", Summary: "요약", Introduction: "소개"}, Link: "https://go.dev/blog/a"}})
	c := h.client()
	c.signIn(kimToken)
	path := "/desk/entries/1/exclude"
	for _, hd := range [][]string{
		{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
		{"Sec-Fetch-Site", "same-site", "Origin", "https://other.127.0.0.1.example"},
		{"Sec-Fetch-Site", "", "Origin", "https://evil.example"},
	} {
		r := c.do("POST", path, url.Values{"excluded": {"1"}}, hd...)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "다른 사이트") {
			t.Errorf("cross-origin post %v: %d", hd, r.status)
		}
	}
	if e, _ := h.desk.Entry(context.Background(), id); e.Excluded {
		t.Fatal("a cross-origin post excluded the entry")
	}
	if r := c.post(path, url.Values{"excluded": {"1"}}); r.status != http.StatusSeeOther {
		t.Errorf("the desk's own post: %d %s", r.status, r.body)
	}
	if e, _ := h.desk.Entry(context.Background(), id); !e.Excluded {
		t.Error("the desk's own post did not exclude the entry")
	}
}

// What an editor changes is recorded under the editor's name.
func TestEditsAttributed(t *testing.T) {
	h := newHarness(t, withTokens)
	id := h.addEntry(draftEntry{Article: publisher.Article{Sections: entry.Sections{TitleKo: "제목", Summary: "요약입니다. 이 글은 Go를 설명합니다.", Introduction: "소개"}, Link: "https://go.dev/blog/a"}})
	c := h.client()
	c.signIn(kimToken)
	c.post("/desk/entries/1/exclude", url.Values{"excluded": {"1"}})
	events, err := h.desk.History(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if last := events[len(events)-1]; last.Kind != "excluded" || last.Actor != "kim" {
		t.Errorf("last event %s by %q, want excluded by kim", last.Kind, last.Actor)
	}
	page := c.get("/desk/entries/1")
	if !strings.Contains(textOf(t, page.body), "제외 · kim") {
		t.Error("the history does not name kim")
	}
}

// Guessing is slowed: after desk.MaxTokenFailures failed sign-ins from this machine
// its sign-ins wait out the window, the right token too (other addresses:
// TestSigninLimitedPerAddress).
func TestSigninLimited(t *testing.T) {
	h := newHarness(t, withTokens)
	c := h.client()
	for range desk.MaxTokenFailures {
		c.post("/desk/signin", url.Values{"token": {"guess-0123456789"}})
	}
	if r := c.post("/desk/signin", url.Values{"token": {kimToken}}); r.status != http.StatusTooManyRequests {
		t.Errorf("sign-in after %d failures: %d, want 429", desk.MaxTokenFailures, r.status)
	}
	h.Clock.Advance(desk.TokenFailureWindow + time.Second)
	c.signIn(kimToken)
}

// Without any token the desk opens for this machine, as "local", and only
// for it: the API's loopback checks stand in front of it.
func TestOpenWithoutToken(t *testing.T) {
	h := newHarness(t, nil)
	c := h.client()
	r := c.get("/desk/")
	if r.status != http.StatusOK || !strings.Contains(r.body, "이 컴퓨터") || strings.Contains(r.body, "로그아웃") {
		t.Errorf("the open desk: %d", r.status)
	}
	if r := c.get("/desk/signin"); r.status != http.StatusSeeOther {
		t.Errorf("sign-in page of an open desk: %d", r.status)
	}
	if r := c.do("GET", "/desk/", nil, "Host", "attacker.example"); r.status != http.StatusForbidden {
		t.Errorf("a request addressed to another host name: %d, want 403", r.status)
	}
	if r := c.do("POST", "/desk/draft/publish", url.Values{}, "Sec-Fetch-Site", "cross-site"); r.status != http.StatusForbidden {
		t.Errorf("a cross-site post to the open desk: %d, want 403", r.status)
	}
}

// What the service is up to (a paused dependency and its reason, the
// version) is for editors: pages anyone may open (sign-in, a page not
// found, a refused sign-in) say nothing of it, unless no token is
// configured and only this machine reaches the desk.
func TestServiceStateOnlyForEditors(t *testing.T) {
	const reason = "no Gemini API key: summaries wait for GEMINI_API_KEY"
	tests := []struct {
		name     string
		tokens   bool
		signedIn bool
		path     string
		post     url.Values
		want     bool
	}{
		{"sign-in page", true, false, "/desk/signin", nil, false},
		{"sign-in refused", true, false, "/desk/signin", url.Values{"token": {"not-a-token-0123456789"}}, false},
		{"not found", true, false, "/desk/nothing-here", nil, false},
		{"not found at the root", true, false, "/nothing-here", nil, false},
		{"not found, signed in", true, true, "/desk/nothing-here", nil, true},
		{"this week, signed in", true, true, "/desk/", nil, true},
		{"not found, no token configured", false, false, "/desk/nothing-here", nil, true},
		{"this week, no token configured", false, false, "/desk/", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			change := withTokens
			if !tt.tokens {
				change = nil
			}
			h := newHarness(t, change)
			h.pauses.Hold("gemini", reason)
			c := h.client()
			if tt.signedIn {
				c.signIn(kimToken)
			}
			r := c.get(tt.path)
			if tt.post != nil {
				r = c.post(tt.path, tt.post)
			}
			text := textOf(t, r.body)
			for _, s := range []string{"Gemini 사용 불가", reason, "newsletter test"} {
				if got := strings.Contains(text, s); got != tt.want {
					t.Errorf("%s (%d) shows %q: %v, want %v", tt.path, r.status, s, got, tt.want)
				}
			}
		})
	}
}
