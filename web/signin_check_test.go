package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/desk"
)

// signinFrom posts the sign-in form to the desk from addr (r.RemoteAddr),
// with the extra headers given as name, value pairs.
func signinFrom(h *harness, addr, token string, header ...string) int {
	return signinRec(h, addr, token, header...).Code
}

// signinRec is signinFrom's whole answer.
func signinRec(h *harness, addr, token string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/desk/signin", strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.web.ServeHTTP(rec, req)
	return rec
}

// Failed sign-ins close sign-in for their address only: another editor
// still signs in, whatever X-Forwarded-For the guesser sends; the address
// signs in again once the window has passed.
func TestSigninLimitedPerAddress(t *testing.T) {
	const guesser = "192.0.2.1:4001"
	tests := []struct {
		name   string
		addr   string
		header []string
		wait   time.Duration
		want   int
	}{
		{"the guessing address", "192.0.2.1:5002", nil, 0, http.StatusTooManyRequests},
		{"the guessing address, claiming another", "192.0.2.1:5003", []string{"X-Forwarded-For", "198.51.100.7"}, 0, http.StatusTooManyRequests},
		{"another editor", "192.0.2.2:4001", nil, 0, http.StatusSeeOther},
		{"another IPv6 network", "[2001:db8:0:2::1]:4001", nil, 0, http.StatusSeeOther},
		{"the guessing address after the window", guesser, nil, desk.TokenFailureWindow + time.Second, http.StatusSeeOther},
		{"the guessing address within the window", guesser, nil, desk.TokenFailureWindow - time.Second, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			for i := range desk.MaxTokenFailures {
				if got := signinFrom(h, guesser, fmt.Sprintf("guess-%d-0123456789", i)); got != http.StatusUnauthorized {
					t.Fatalf("guess %d: %d, want 401", i, got)
				}
			}
			h.Clock.Advance(tt.wait)
			if got := signinFrom(h, tt.addr, kimToken, tt.header...); got != tt.want {
				t.Errorf("sign-in from %s after %d failures from %s: %d, want %d", tt.addr, desk.MaxTokenFailures, guesser, got, tt.want)
			}
		})
	}
}

// The API's bearer tokens and the desk's sign-in are one limit: wrong
// tokens sent to the API close the desk's sign-in for their address, and
// wrong sign-ins close the API, each answering 429 with why; a right
// token counts at neither.
func TestOneLimitForEveryDoor(t *testing.T) {
	const addr = "192.0.2.1:4001"
	api := func(h *harness, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/api/v1/status", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		h.srv.Config.Handler.ServeHTTP(rec, req)
		return rec
	}
	tests := []struct {
		name                      string
		apiGuesses, signinGuesses int
	}{
		{"guessed at the API", desk.MaxTokenFailures, 0},
		{"guessed at the sign-in", 0, desk.MaxTokenFailures},
		{"guessed at both", desk.MaxTokenFailures / 2, desk.MaxTokenFailures - desk.MaxTokenFailures/2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			for range 3 * desk.MaxTokenFailures { // right tokens do not count
				if rec := api(h, kimToken); rec.Code != http.StatusOK {
					t.Fatalf("the API with the right token: %d", rec.Code)
				}
			}
			for i := range tt.apiGuesses {
				if rec := api(h, fmt.Sprintf("guess-%d-0123456789", i)); rec.Code != http.StatusUnauthorized {
					t.Fatalf("guess %d at the API: %d, want 401", i, rec.Code)
				}
			}
			for i := range tt.signinGuesses {
				if got := signinFrom(h, addr, fmt.Sprintf("guess-%d-0123456789", i)); got != http.StatusUnauthorized {
					t.Fatalf("guess %d at the sign-in: %d, want 401", i, got)
				}
			}
			if rec := signinRec(h, addr, kimToken); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "60" ||
				!strings.Contains(rec.Body.String(), "이 주소에서 틀린 토큰이 너무 많습니다(1분에 10번까지). 1분 뒤에 다시 시도하세요.") {
				t.Errorf("sign-in after %d wrong tokens: %d, Retry-After %q, want 429 saying why", desk.MaxTokenFailures, rec.Code, rec.Header().Get("Retry-After"))
			}
			rec := api(h, kimToken)
			if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "60" ||
				!strings.Contains(rec.Body.String(), `"code": "too_many_attempts"`) ||
				!strings.Contains(rec.Body.String(), "too many wrong tokens from this address (10 a minute); try again in 1 min") {
				t.Errorf("the API after %d wrong tokens: %d, Retry-After %q, %s", desk.MaxTokenFailures, rec.Code,
					rec.Header().Get("Retry-After"), rec.Body)
			}
			h.Clock.Advance(desk.TokenFailureWindow + time.Second)
			if rec := api(h, kimToken); rec.Code != http.StatusOK {
				t.Errorf("the API after the window: %d", rec.Code)
			}
		})
	}
}
