package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

var (
	kst       = time.FixedZone("KST", 9*60*60)
	publishAt = time.Date(2024, 9, 2, 6, 0, 0, 0, kst)
)

// events has one event of each kind, in the order the tests send them.
var events = []Event{
	DraftReady{Title: "[GDC] Weekly Newsletter September 2nd", DeskURL: "https://desk.example.org/issues/42", PublishAt: publishAt},
	Published{Title: "[GDC] Weekly Newsletter September 2nd", HashnodeURL: "https://gdc.hashnode.dev/gdc-weekly-newsletter-2024-september-2nd", ArchiveURL: "https://newsletter.example.org/issues/gdc-weekly-newsletter-2024-september-2nd"},
	RunFailed{RunID: 17, Reason: "publisher: write issues/2024-09-02.md: no space left on device"},
	OutageStarted{Dependency: "gemini", Reason: "daily quota exhausted", Until: time.Date(2024, 9, 2, 9, 0, 0, 0, kst)},
	OutageEnded{Dependency: "gemini", Lasted: 2*time.Hour + 30*time.Minute},
}

// headlinesOf are the events' headlines as written.
func headlinesOf(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.message().headline)
	}
	return out
}

type harness struct {
	n     *Notifier
	clock *clockwork.FakeClock
}

// newHarness builds a Notifier whose clock stands still, for the waits
// servers ask for.
func newHarness(t *testing.T, hooks []string, opts ...Option) *harness {
	t.Helper()
	clock := clockwork.NewFakeClockAt(time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC))
	n, err := New(hooks, append([]Option{WithClock(clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{n: n, clock: clock}
}

func TestNewWebhooks(t *testing.T) {
	tests := []struct {
		name    string
		hooks   []string
		formats []Format
		hosts   []string
		wantErr string
	}{
		{
			name:    "formats by host",
			hooks:   []string{"https://discord.com/api/webhooks/1/tok", "https://discordapp.com/api/webhooks/1/tok", "https://ptb.discord.com/api/webhooks/1/tok", "https://hooks.slack.com/services/T/B/x"},
			formats: []Format{Discord, Discord, Discord, Slack},
			hosts:   []string{"discord.com", "discordapp.com", "ptb.discord.com", "hooks.slack.com"},
		},
		{
			name:    "a prefix forces the format, http allowed",
			hooks:   []string{"slack:http://127.0.0.1:9000/hook/x", " DISCORD: https://gateway.example.org/d/x ", "discord:https://hooks.slack.com/services/T/B/x"},
			formats: []Format{Slack, Discord, Discord},
			hosts:   []string{"127.0.0.1", "gateway.example.org", "hooks.slack.com"},
		},
		{
			name:  "empty entries are skipped",
			hooks: []string{"", "  ", "https://hooks.slack.com/services/T/B/x"}, formats: []Format{Slack}, hosts: []string{"hooks.slack.com"},
		},
		{
			name:    "unknown host without a prefix",
			hooks:   []string{"https://discord.com/api/webhooks/1/tok", "https://chat.example.org/hooks/" + discordToken},
			wantErr: "notify: webhook 2 (chat.example.org): unknown webhook host; prefix the URL with discord: or slack: to choose its format",
		},
		{
			name:    "a known host over http",
			hooks:   []string{"http://hooks.slack.com/services/T/B/" + slackSecret},
			wantErr: "notify: webhook 1 (hooks.slack.com): slack webhooks need https",
		},
		{
			name:    "not a URL",
			hooks:   []string{"https://[discord.com/api/webhooks/1/" + discordToken},
			wantErr: "notify: webhook 1: not an absolute http(s) URL",
		},
		{
			name:    "relative",
			hooks:   []string{"slack:/services/T/B/" + slackSecret},
			wantErr: "notify: webhook 1: not an absolute http(s) URL",
		},
		{
			name:    "another scheme",
			hooks:   []string{"discord:ftp://discord.com/" + discordToken},
			wantErr: "notify: webhook 1: not an absolute http(s) URL",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := New(tt.hooks)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				for _, secret := range []string{discordToken, slackSecret, "/hooks/", "/api/"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("the error shows %q", secret)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(n.hooks) != len(tt.formats) {
				t.Fatalf("%d webhooks, want %d", len(n.hooks), len(tt.formats))
			}
			for i, h := range n.hooks {
				if h.format != tt.formats[i] || h.host != tt.hosts[i] {
					t.Errorf("webhook %d: %s %s, want %s %s", i, h.format, h.host, tt.formats[i], tt.hosts[i])
				}
			}
			if s := fmt.Sprintf("%v %s %+v", n, n, n); strings.Contains(s, "tok") || strings.Contains(s, "/services/") {
				t.Errorf("the Notifier prints a secret: %s", s)
			}
		})
	}
}

// TestEachEventReceivedOnce posts one event of each kind to a Discord and
// a Slack webhook: each receives every event exactly once, in order, in
// its own wire format (the fakes check it).
func TestEachEventReceivedOnce(t *testing.T) {
	discord, slack := newFakeWebhook(t, Discord), newFakeWebhook(t, Slack)
	h := newHarness(t, []string{discord.url(), slack.url()})
	for _, e := range events {
		for i := range h.n.Webhooks() {
			if err := h.n.Post(context.Background(), i, e); err != nil {
				t.Fatalf("Post %s to webhook %d: %v", Kind(e), i, err)
			}
		}
	}
	want := headlinesOf(events)
	for _, f := range []*fakeWebhook{discord, slack} {
		requests, accepted := f.counts()
		if requests != len(events) || accepted != len(events) {
			t.Errorf("%s: %d requests, %d accepted, want %d of each", f.format, requests, accepted, len(events))
		}
		got := f.headlines()
		for i := range min(len(got), len(want)) {
			if g := plain(got[i]); f.format == Discord && g != want[i] || f.format == Slack && got[i] != slackEscape(want[i]) {
				t.Errorf("%s message %d = %q, want %q", f.format, i, got[i], want[i])
			}
		}
	}
}

// TestSecretNeverShown: whatever a webhook answers (an echo of its URL, a
// redirect to it, no answer, no server), the error names the webhook by
// its format, place and host, never by its token.
func TestSecretNeverShown(t *testing.T) {
	echo := newFakeWebhook(t, Discord,
		func(w http.ResponseWriter) { status(404, "no webhook at /api/webhooks/"+discordID+"/"+discordToken)(w) },
		func(w http.ResponseWriter) {
			w.Header().Set("Location", "https://discord.com/api/webhooks/"+discordID+"/"+discordToken)
			w.WriteHeader(http.StatusMovedPermanently)
		},
	)
	slow := newFakeWebhook(t, Slack)
	release := slow.hold()
	defer release()
	gone := newFakeWebhook(t, Slack)
	goneURL := gone.url()
	gone.srv.Close() // connection refused

	h := newHarness(t, []string{echo.url(), slow.url(), goneURL}, WithTimeout(100*time.Millisecond))
	var seen []string
	for _, i := range []int{0, 0, 1, 2} {
		err := h.n.Post(context.Background(), i, events[2])
		if err == nil {
			t.Fatalf("Post to webhook %d succeeded", i)
		}
		seen = append(seen, err.Error())
	}
	joined := strings.Join(seen, "\n")
	for _, secret := range []string{discordToken, discordID, slackSecret, "/api/webhooks", "/services/"} {
		if strings.Contains(joined, secret) {
			t.Errorf("an error shows %q:\n%s", secret, joined)
		}
	}
	for _, want := range []string{"[redacted]", "301 Moved Permanently", "connection refused", "deadline exceeded", "discord webhook 1 (127.0.0.1)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no error mentions %q:\n%s", want, joined)
		}
	}
}

// decodeDiscord and decodeSlack read encode's output as the fakes do.
func decodeDiscord(t *testing.T, b []byte) discordWire {
	t.Helper()
	var m discordWire
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func decodeSlack(t *testing.T, b []byte) slackWire {
	t.Helper()
	var m slackWire
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
