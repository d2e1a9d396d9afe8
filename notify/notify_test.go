package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/godevcommunity/newsletter/retry"
)

var (
	kst       = time.FixedZone("KST", 9*60*60)
	publishAt = time.Date(2024, 9, 2, 6, 0, 0, 0, kst)
)

// events has one event of each kind, in the order the tests send them.
var events = []Event{
	DraftReady{Title: "[GDC] Weekly Newsletter September 2nd", DeskURL: "https://desk.example.org/issues/42", PublishAt: publishAt},
	Published{Title: "[GDC] Weekly Newsletter September 2nd", File: "issues/2024-09-02-gdc-weekly-newsletter-2024-september-2nd.md", HashnodeURL: "https://gdc.hashnode.dev/gdc-weekly-newsletter-2024-september-2nd", ArchiveURL: "https://newsletter.example.org/issues/gdc-weekly-newsletter-2024-september-2nd"},
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

// exact is a backoff without jitter: waits of 1 s, 2 s, 4 s, 8 s.
var exact = retry.Backoff{Base: time.Second, Max: 8 * time.Second, Jitter: func(int64) int64 { return 0 }}

type harness struct {
	n     *Notifier
	clock *clockwork.FakeClock
	logs  *observer.ObservedLogs
}

// newHarness builds a Notifier on a fake clock with every log captured.
// The test's cleanup closes it, with a bound.
func newHarness(t *testing.T, hooks []string, opts ...Option) *harness {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	clock := clockwork.NewFakeClockAt(time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC))
	opts = append([]Option{WithClock(clock), WithBackoff(exact)}, opts...)
	n, err := New(hooks, zap.New(core), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = n.Close(ctx)
	})
	return &harness{n: n, clock: clock, logs: logs}
}

// close drains the Notifier within a generous bound and fails on an error.
func (h *harness) close(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.n.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// advance waits until the worker waits on the clock, then moves the clock
// by d.
func (h *harness) advance(t *testing.T, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("the worker never waited for a retry: %v", err)
	}
	h.clock.Advance(d)
}

// waits returns the waits the worker logged before its retries.
func (h *harness) waits() []time.Duration {
	var out []time.Duration
	for _, e := range h.logs.FilterMessage("notification failed; retrying").All() {
		out = append(out, time.Duration(e.ContextMap()["wait"].(time.Duration)))
	}
	return out
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
			n, err := New(tt.hooks, zap.NewNop())
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
			defer n.Close(context.Background())
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

// TestEachEventReceivedOnce sends one event of each kind to a Discord and a
// Slack webhook: each receives every event exactly once, in order.
func TestEachEventReceivedOnce(t *testing.T) {
	discord, slack := newFakeWebhook(t, Discord), newFakeWebhook(t, Slack)
	h := newHarness(t, []string{discord.url(), slack.url()})
	for _, e := range events {
		h.n.Send(e)
	}
	h.close(t)
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
	if n := len(h.logs.FilterLevelExact(zapcore.ErrorLevel).All()) + len(h.logs.FilterLevelExact(zapcore.WarnLevel).All()); n != 0 {
		t.Errorf("%d warnings or errors logged: %v", n, h.logs.All())
	}
}

// TestRetries checks that a delivery that fails in a way that passes is
// retried after the backoff, or the wait the webhook asks for, and lands
// once.
func TestRetries(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		script []answer
		waits  []time.Duration
	}{
		{"discord 500, 502, 503", Discord, []answer{discordError(500, 0, "500: Internal Server Error"), status(502, "Bad Gateway"), status(503, "upstream connect error")}, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"slack 500 rollup_error, 504", Slack, []answer{status(500, "rollup_error"), status(504, "")}, []time.Duration{time.Second, 2 * time.Second}},
		{"slack 408", Slack, []answer{status(408, "")}, []time.Duration{time.Second}},
		{"discord 429, retry_after in seconds", Discord, []answer{discordRateLimited("2.5", "")}, []time.Duration{2500 * time.Millisecond}},
		{"discord 429, Retry-After longer than retry_after", Discord, []answer{discordRateLimited("2.5", "3")}, []time.Duration{3 * time.Second}},
		{"discord 429, API v6 retry_after in milliseconds", Discord, []answer{discordRateLimited("1500", "2")}, []time.Duration{2 * time.Second}},
		{"discord 429, shorter than the backoff", Discord, []answer{status(503, ""), discordRateLimited("0.2", "1")}, []time.Duration{time.Second, 2 * time.Second}},
		{"slack 429 with Retry-After", Slack, []answer{func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "7")
			status(429, "rate_limited")(w)
		}}, []time.Duration{7 * time.Second}},
		{"slack 503 with an HTTP-date Retry-After", Slack, []answer{func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", time.Date(2024, 9, 2, 0, 0, 30, 0, time.UTC).Format(http.TimeFormat))
			status(503, "")(w)
		}}, []time.Duration{30 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeWebhook(t, tt.format, tt.script...)
			h := newHarness(t, []string{f.url()})
			h.n.Send(events[0])
			for i := range tt.script {
				f.waitHit(t)
				h.advance(t, tt.waits[i])
			}
			h.close(t)
			if requests, accepted := f.counts(); requests != len(tt.script)+1 || accepted != 1 {
				t.Errorf("%d requests, %d accepted, want %d and 1", requests, accepted, len(tt.script)+1)
			}
			if got := h.waits(); fmt.Sprint(got) != fmt.Sprint(tt.waits) {
				t.Errorf("waits %v, want %v", got, tt.waits)
			}
		})
	}
}

// TestPermanentFailures checks that a 4xx other than 408 and 429 is not
// retried: the message is dropped and logged, and the next one goes out.
func TestPermanentFailures(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		reply  answer
		reason string
	}{
		{"slack 400 invalid_payload", Slack, status(400, "invalid_payload"), "400 Bad Request: invalid_payload"},
		{"slack 403 action_prohibited", Slack, status(403, "action_prohibited"), "403 Forbidden: action_prohibited"},
		{"slack 404 no_service", Slack, status(404, "no_service"), "404 Not Found: no_service"},
		{"slack 410 channel_is_archived", Slack, status(410, "channel_is_archived"), "410 Gone: channel_is_archived"},
		{"discord 401 invalid token", Discord, discordError(401, 50027, "Invalid Webhook Token"), `401 Unauthorized: {"message": "Invalid Webhook Token", "code": 50027}`},
		{"discord 404 unknown webhook", Discord, discordError(404, 10015, "Unknown Webhook"), `404 Not Found: {"message": "Unknown Webhook", "code": 10015}`},
		{"a redirect is not followed", Slack, func(w http.ResponseWriter) {
			w.Header().Set("Location", "http://127.0.0.1:1/elsewhere")
			w.WriteHeader(http.StatusFound)
		}, "302 Found (redirects are not followed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeWebhook(t, tt.format, tt.reply)
			h := newHarness(t, []string{f.url()})
			h.n.Send(events[2])
			h.n.Send(events[3])
			// A retry would wait on the fake clock, which never moves:
			// Close would then fail at its deadline.
			h.close(t)
			if requests, accepted := f.counts(); requests != 2 || accepted != 1 {
				t.Errorf("%d requests, %d accepted, want 2 and 1", requests, accepted)
			}
			if got := f.headlines(); len(got) != 1 || !strings.Contains(plain(got[0]), "장애가 시작되었습니다") {
				t.Errorf("accepted %q, want the second event only", got)
			}
			if w := h.waits(); len(w) != 0 {
				t.Errorf("retried after %v", w)
			}
			dropped := h.logs.FilterMessage("notification dropped: the webhook refused it").All()
			if len(dropped) != 1 {
				t.Fatalf("%d drops logged, want 1: %v", len(dropped), h.logs.All())
			}
			ctx := dropped[0].ContextMap()
			if ctx["event"] != "run_failed" || ctx["attempts"] != int64(1) || ctx["webhook"] != "127.0.0.1" {
				t.Errorf("drop logged with %v", ctx)
			}
			if msg, _ := ctx["error"].(string); !strings.HasSuffix(msg, ": "+tt.reason) {
				t.Errorf("error %q, want it to end with %q", msg, tt.reason)
			}
		})
	}
}

func TestOutOfAttempts(t *testing.T) {
	f := newFakeWebhook(t, Discord, status(503, ""), status(503, ""), status(503, ""))
	h := newHarness(t, []string{f.url()}, WithMaxAttempts(3))
	h.n.Send(events[0])
	h.n.Send(events[1])
	f.waitHit(t)
	h.advance(t, time.Second)
	f.waitHit(t)
	h.advance(t, 2*time.Second)
	h.close(t)
	if requests, accepted := f.counts(); requests != 4 || accepted != 1 {
		t.Errorf("%d requests, %d accepted, want 4 and 1", requests, accepted)
	}
	dropped := h.logs.FilterMessage("notification dropped: out of attempts").All()
	if len(dropped) != 1 || dropped[0].ContextMap()["attempts"] != int64(3) {
		t.Errorf("drops logged: %v", dropped)
	}
}

func TestWaitLongerThanMaxWait(t *testing.T) {
	f := newFakeWebhook(t, Discord, discordRateLimited("3600", "3600"))
	h := newHarness(t, []string{f.url()}, WithMaxWait(time.Minute))
	h.n.Send(events[0])
	h.n.Send(events[1])
	h.close(t)
	if requests, accepted := f.counts(); requests != 2 || accepted != 1 {
		t.Errorf("%d requests, %d accepted, want 2 and 1", requests, accepted)
	}
	if d := h.logs.FilterMessage("notification dropped: the webhook asks to wait 1h0m0s, longer than 1m0s").Len(); d != 1 {
		t.Errorf("%d drops logged: %v", d, h.logs.All())
	}
}

// TestSlowWebhookNeverBlocksSend holds a webhook's answer: Send returns at
// once all the same, drops what does not fit in the queue, and the queued
// messages go out when the webhook answers.
func TestSlowWebhookNeverBlocksSend(t *testing.T) {
	slow := newFakeWebhook(t, Discord)
	release := slow.hold()
	h := newHarness(t, []string{slow.url()}, WithQueueSize(2))
	h.n.Send(events[0])
	slow.waitHit(t) // the worker is inside the request, which hangs

	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for range 10 {
			h.n.Send(events[2])
		}
	}()
	select {
	case <-sent:
	case <-time.After(10 * time.Second):
		t.Fatal("Send blocked on a slow webhook")
	}
	if d := h.logs.FilterMessage("notification dropped: the webhook's queue is full").Len(); d != 8 {
		t.Errorf("%d drops for a full queue, want 8 (10 sent, 2 queued)", d)
	}
	release()
	h.close(t)
	if requests, accepted := slow.counts(); requests != 3 || accepted != 3 {
		t.Errorf("%d requests, %d accepted, want 3 (the held one and the 2 queued)", requests, accepted)
	}
}

// TestSlowWebhookNeverDelaysAnother: each webhook has its own worker.
func TestSlowWebhookNeverDelaysAnother(t *testing.T) {
	slow, fast := newFakeWebhook(t, Discord), newFakeWebhook(t, Slack)
	release := slow.hold()
	h := newHarness(t, []string{slow.url(), fast.url()})
	for _, e := range events[:3] {
		h.n.Send(e)
	}
	for range 3 {
		fast.waitHit(t) // all three, while the slow one holds the first
	}
	release()
	h.close(t)
	for _, f := range []*fakeWebhook{slow, fast} {
		if _, accepted := f.counts(); accepted != 3 {
			t.Errorf("%s accepted %d, want 3", f.format, accepted)
		}
	}
}

// TestCloseDrains: Close waits for what is queued, and a Send after it is
// dropped.
func TestCloseDrains(t *testing.T) {
	f := newFakeWebhook(t, Slack)
	release := f.hold()
	h := newHarness(t, []string{f.url()})
	for _, e := range events {
		h.n.Send(e)
	}
	f.waitHit(t)
	closed := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		closed <- h.n.Close(ctx)
	}()
	<-h.n.closing // Close has begun, with four events queued and one held
	release()
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	h.n.Send(events[0])
	if requests, accepted := f.counts(); requests != len(events) || accepted != len(events) {
		t.Errorf("%d requests, %d accepted, want %d", requests, accepted, len(events))
	}
	if got, want := f.headlines(), headlinesOf(events); len(got) != len(want) || got[len(got)-1] != slackEscape(want[len(want)-1]) {
		t.Errorf("delivered %q", got)
	}
	if d := h.logs.FilterMessage("notification dropped: the notifier is closed").Len(); d != 1 {
		t.Errorf("%d drops after Close, want 1", d)
	}
	if err := h.n.Close(context.Background()); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestCloseDeadline: a webhook that keeps failing holds a retry on the
// clock; at Close's deadline the Notifier gives up, drops what is left and
// says how much.
func TestCloseDeadline(t *testing.T) {
	f := newFakeWebhook(t, Discord, status(503, ""))
	h := newHarness(t, []string{f.url()})
	h.n.Send(events[0])
	h.n.Send(events[1])
	f.waitHit(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	deadline, stop := context.WithCancel(context.Background())
	stop() // the deadline has passed already
	err := h.n.Close(deadline)
	if err == nil || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "2 notifications not delivered") {
		t.Fatalf("Close = %v, want 2 notifications not delivered", err)
	}
	if requests, accepted := f.counts(); requests != 1 || accepted != 0 {
		t.Errorf("%d requests, %d accepted, want 1 and 0", requests, accepted)
	}
	if d := h.logs.FilterMessageSnippet("notification dropped: closing").Len(); d != 2 {
		t.Errorf("%d drops logged, want 2: %v", d, h.logs.All())
	}
}

// TestSecretNeverShown fails deliveries in every way that could echo the
// URL (a network error, a timeout, a server that repeats the path, a
// redirect) and looks for the secret in every log entry and field.
func TestSecretNeverShown(t *testing.T) {
	echo := newFakeWebhook(t, Discord,
		func(w http.ResponseWriter) { status(404, "no webhook at /api/webhooks/"+discordID+"/"+discordToken)(w) },
		func(w http.ResponseWriter) {
			w.Header().Set("Location", "https://discord.com/api/webhooks/"+discordID+"/"+discordToken)
			w.WriteHeader(http.StatusMovedPermanently)
		},
	)
	slow := newFakeWebhook(t, Slack)
	slow.hold()
	gone := newFakeWebhook(t, Slack)
	goneURL := gone.url()
	gone.srv.Close() // connection refused

	h := newHarness(t, []string{echo.url(), slow.url(), goneURL}, WithTimeout(100*time.Millisecond), WithMaxAttempts(2))
	h.n.Send(events[2])
	h.n.Send(events[3])
	// Each of the slow and gone webhooks fails once, waits 1 s, fails
	// again and drops the message.
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := h.clock.BlockUntilContext(ctx, 2); err != nil {
			t.Fatal(err)
		}
		cancel()
		h.clock.Advance(time.Second)
	}
	h.close(t)

	entries := h.logs.All()
	if len(entries) < 6 {
		t.Fatalf("only %d log entries: %v", len(entries), entries)
	}
	var errorsSeen []string
	for _, e := range entries {
		line := fmt.Sprintf("%s %v", e.Message, e.ContextMap())
		for _, secret := range []string{discordToken, discordID, slackSecret, "/api/webhooks", "/services/"} {
			if strings.Contains(line, secret) {
				t.Errorf("log shows %q: %s", secret, line)
			}
		}
		if msg, ok := e.ContextMap()["error"].(string); ok {
			errorsSeen = append(errorsSeen, msg)
		}
	}
	joined := strings.Join(errorsSeen, "\n")
	for _, want := range []string{"[redacted]", "301 Moved Permanently", "connection refused", "deadline exceeded"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no logged error mentions %q:\n%s", want, joined)
		}
	}
}

func TestSendWithoutWebhooks(t *testing.T) {
	h := newHarness(t, nil)
	for _, e := range events {
		h.n.Send(e)
	}
	h.close(t)
	if n := h.logs.Len(); n != 0 {
		t.Errorf("%d log entries: %v", n, h.logs.All())
	}
}

func TestConcurrentSend(t *testing.T) {
	f := newFakeWebhook(t, Discord)
	h := newHarness(t, []string{f.url()}, WithQueueSize(100))
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 10 {
				h.n.Send(events[i])
			}
		})
	}
	wg.Wait()
	h.close(t)
	if requests, accepted := f.counts(); requests != 40 || accepted != 40 {
		t.Errorf("%d requests, %d accepted, want 40", requests, accepted)
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
