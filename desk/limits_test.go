package desk

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/api"
	"github.com/godevcommunity/newsletter/config"
)

func withTokens(c *config.Config) {
	c.Server.Token = "server-token-0123456789"
	c.Server.Editors = []string{"kim=kim-token-0123456789"}
}

// A token is checked, and wrong ones limited per address, here once for
// the API's bearer token and the web desk's sign-in.
func TestSignIn(t *testing.T) {
	type try struct {
		addr, token string
		wait        time.Duration
		want        refusal
		wantActor   string
	}
	wrong := func(addr string, n int) []try {
		out := make([]try, n)
		for i := range out {
			out[i] = try{addr: addr, token: fmt.Sprintf("guess-%d", i), want: refusal{Unauthorized, "unauthorized", "invalid bearer token", "토큰이 맞지 않습니다.", "", ""}}
		}
		return out
	}
	limited := refusal{Limited, "too_many_attempts", "too many wrong tokens from this address (10 a minute); try again in ",
		"이 주소에서 틀린 토큰이 너무 많습니다(1분에 10번까지).", "", ""}
	kim := try{addr: "a", token: " kim-token-0123456789 ", wantActor: "kim"}
	tests := []struct {
		name  string
		tries []try
	}{
		{"the server's token and an editor's", []try{{addr: "a", token: "server-token-0123456789", wantActor: "api"}, kim}},
		{"ten wrong, then refused, a right one too", append(wrong("a", MaxTokenFailures),
			try{addr: "a", token: "kim-token-0123456789", want: limited})},
		{"another address goes on", append(wrong("a", MaxTokenFailures), try{addr: "b", token: "kim-token-0123456789", wantActor: "kim"})},
		{"a right token does not count", append(append(append(wrong("a", MaxTokenFailures-1), kim, kim, kim), wrong("a", 1)...),
			try{addr: "a", token: "x", want: limited})},
		{"the window slides", append(append(wrong("a", MaxTokenFailures), try{addr: "a", token: "x", wait: 59 * time.Second, want: limited}),
			try{addr: "a", wait: 2 * time.Second, token: "kim-token-0123456789", wantActor: "kim"})},
		{"an empty token is wrong", []try{{addr: "a", token: " ", want: refusal{Unauthorized, "unauthorized", "invalid bearer token", "토큰이 맞지 않습니다.", "", ""}}}},
		{"no token at all is asked for, and counts", append(append(wrong("a", MaxTokenFailures-1),
			try{addr: "a", token: "", want: refusal{Unauthorized, "unauthorized", "no token given", "토큰을 입력하세요.", "token", ""}}),
			try{addr: "a", token: "kim-token-0123456789", want: limited})},
		{"a token longer than MaxToken is wrong", []try{{addr: "a", token: "kim-token-0123456789" + strings.Repeat(" ", MaxToken),
			want: refusal{Unauthorized, "unauthorized", "invalid bearer token", "토큰이 맞지 않습니다.", "", ""}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			for i, tr := range tt.tries {
				h.Clock.Advance(tr.wait)
				actor, err := h.desk.SignIn(tr.token, tr.addr)
				if (err == nil) != (tr.want.code == "") || actor != tr.wantActor {
					t.Fatalf("try %d from %s: %q, %v; want %q", i, tr.addr, actor, err, tr.wantActor)
				}
				tr.want.check(t, err)
			}
		})
	}
}

// Submissions are limited per token and per address, whichever door they
// come through: what adds to the queue counts, a link already queued or
// one refused does not; an hour later the token submits again.
func TestSubmitLimited(t *testing.T) {
	kim, lee := Caller{Actor: "kim", Addr: "192.0.2.1"}, Caller{Actor: "lee", Addr: "192.0.2.2"}
	byToken := refusal{Limited, "too_many_submissions", "too many submissions from this token: 3 an hour at most; try again in 60 min",
		"이 토큰으로는 한 시간에 3건까지 제출할 수 있습니다. 60분 뒤에 다시 시도하세요.", "", ""}
	byAddr := refusal{Limited, "too_many_submissions", "too many submissions from this address: 4 an hour at most",
		"이 주소에서는 한 시간에 4건까지 제출할 수 있습니다.", "", ""}
	type step struct {
		by   Caller
		url  string
		wait time.Duration
		want refusal
	}
	fill := func(c Caller, prefix string, n int) []step {
		out := make([]step, n)
		for i := range out {
			out[i] = step{by: c, url: fmt.Sprintf("https://go.dev/%s/%d", prefix, i)}
		}
		return out
	}
	cat := func(parts ...[]step) []step {
		var out []step
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"a token's limit", cat(fill(kim, "k", 3), []step{{by: kim, url: "https://go.dev/k/more", want: byToken},
			{by: lee, url: "https://go.dev/l/0"}})},
		{"an address's limit, whatever the token", cat(fill(kim, "k", 2), fill(Caller{Actor: "lee", Addr: kim.Addr}, "l", 2),
			[]step{{by: Caller{Actor: "park", Addr: kim.Addr}, url: "https://go.dev/p/0", want: byAddr}})},
		{"refused and repeated links do not count", cat(fill(kim, "k", 2),
			[]step{{by: kim, url: "http://10.0.0.1/", want: refusal{Invalid, "url_refused", "private", "받을 수 없는 링크", "url", ""}},
				{by: kim, url: "https://go.dev/k/0"}, {by: kim, url: "https://go.dev/k/1"}, {by: kim, url: "https://go.dev/k/2"},
				{by: kim, url: "https://go.dev/k/3", want: byToken}})},
		{"an hour later", cat(fill(kim, "k", 3), []step{{by: kim, url: "https://go.dev/k/3", wait: time.Hour + time.Second}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(c *config.Config) {
				c.Server.SubmissionsPerHourPerToken = 3
				c.Server.SubmissionsPerHourPerAddress = 4
			})
			for i, s := range tt.steps {
				h.Clock.Advance(s.wait)
				_, err := h.desk.Submit(context.Background(), api.SubmissionRequest{URL: s.url}, s.by)
				if (err == nil) != (s.want.code == "") {
					t.Fatalf("step %d (%s by %+v): %v", i, s.url, s.by, err)
				}
				s.want.check(t, err)
			}
		})
	}
}

// Without limits (0) nothing is refused.
func TestSubmitUnlimited(t *testing.T) {
	h := newHarness(t, func(c *config.Config) {
		c.Server.SubmissionsPerHourPerToken, c.Server.SubmissionsPerHourPerAddress = 0, 0
	})
	for i := range 200 {
		if _, err := h.desk.Submit(context.Background(), api.SubmissionRequest{URL: fmt.Sprintf("https://go.dev/%d", i)}, Caller{Actor: "kim", Addr: "a"}); err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
	}
}

func TestErrorRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		e      *Error
		secs   int
		wantOK bool
	}{
		{"a limit, rounded up", &Error{Kind: Limited, Wait: 1500 * time.Millisecond}, 2, true},
		{"a limit of no wait: at least a second", &Error{Kind: Limited}, 1, true},
		{"out until a known time", &Error{Kind: Unavailable, RetryAt: now.Add(90 * time.Second)}, 90, true},
		{"out until a time passed: at least a second", &Error{Kind: Unavailable, RetryAt: now.Add(-time.Minute)}, 1, true},
		{"out with no known end", &Error{Kind: Unavailable}, 0, false},
		{"a conflict", &Error{Kind: Conflict}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secs, ok := tt.e.RetryAfter(now)
			if secs != tt.secs || ok != tt.wantOK {
				t.Errorf("RetryAfter = %d, %v; want %d, %v", secs, ok, tt.secs, tt.wantOK)
			}
		})
	}
}
