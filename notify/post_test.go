package notify

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/retry"
)

// Post makes one attempt and says what kind of failure it met, for the
// outbox's one backoff to act on.
func TestPost(t *testing.T) {
	now := time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		format   Format
		reply    answer // nil: accepted
		kind     retry.Kind
		wait     time.Duration // asked by the server
		reason   string
		accepted int
	}{
		{"discord accepts", Discord, nil, -1, 0, "", 1},
		{"slack accepts", Slack, nil, -1, 0, "", 1},
		{"slack 404 no_service", Slack, status(404, "no_service"), retry.Permanent, 0, "404 Not Found: no_service", 0},
		{"discord 401 invalid token", Discord, discordError(401, 50027, "Invalid Webhook Token"), retry.Permanent, 0,
			`401 Unauthorized: {"message": "Invalid Webhook Token", "code": 50027}`, 0},
		{"a redirect is not followed", Slack, func(w http.ResponseWriter) {
			w.Header().Set("Location", "http://127.0.0.1:1/elsewhere")
			w.WriteHeader(http.StatusFound)
		}, retry.Permanent, 0, "302 Found (redirects are not followed)", 0},
		{"discord rate limit", Discord, discordRateLimited("2.5", "3"), retry.Transient, 3 * time.Second, "429 Too Many Requests", 0},
		{"slack 500", Slack, status(500, "rollup_error"), retry.Transient, 0, "500 Internal Server Error: rollup_error", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var script []answer
			if tt.reply != nil {
				script = append(script, tt.reply)
			}
			f := newFakeWebhook(t, tt.format, script...)
			h := newHarness(t, []string{f.url()})
			h.clock.Advance(now.Sub(h.clock.Now()))
			err := h.n.Post(context.Background(), 0, events[2])
			if _, accepted := f.counts(); accepted != tt.accepted {
				t.Errorf("%d accepted, want %d", accepted, tt.accepted)
			}
			if tt.reply == nil {
				if err != nil {
					t.Errorf("Post = %v, want delivered", err)
				}
				return
			}
			c := retry.Classify(err)
			if c == nil || c.Kind != tt.kind {
				t.Fatalf("Post = %v, want a %v failure", err, tt.kind)
			}
			if !strings.Contains(err.Error(), tt.reason) || strings.Contains(err.Error(), discordToken) || strings.Contains(err.Error(), slackSecret) {
				t.Errorf("error %q, want %q in it and no secret", err, tt.reason)
			}
			if got := c.At.Sub(h.clock.Now()); tt.wait > 0 && got != tt.wait {
				t.Errorf("asked to wait %s, want %s", got, tt.wait)
			}
		})
	}
	h := newHarness(t, nil)
	if err := h.n.Post(context.Background(), 0, events[2]); !retry.IsPermanent(err) {
		t.Errorf("Post to no webhook = %v, want a permanent failure", err)
	}
}
