package hashnode_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/publisher/hashnode/hashnodetest"
	"github.com/godevcommunity/newsletter/retry"
)

// start is the fake clock's time at the start of every test: a Monday
// 06:00 in Seoul.
var start = time.Date(2026, 3, 1, 21, 0, 0, 0, time.UTC)

const (
	issueKey = "2026-03-02-gdc-weekly-newsletter-march-2nd-2026"
	timeout  = 30 * time.Second
	window   = 30 * time.Second
)

// settle is how long after a lost create Publish trusts a lookup again.
const settle = timeout + window

func issue() hashnode.Post {
	return hashnode.Post{
		Title:           "[GDC] Weekly Newsletter March 2nd",
		Slug:            "gdc-weekly-newsletter-march-2nd-2026",
		Tags:            hashnode.ParseTags("newsletter, Go"),
		ContentMarkdown: "## 첫 글\n\n### 요약\n\n요약 <b>그대로</b> & 끝\n",
		PublishedAt:     time.Date(2026, 3, 1, 21, 0, 0, 0, time.UTC),
	}
}

// harness is a client wired to a fake Hashnode on one fake clock.
type harness struct {
	t       *testing.T
	clock   *clockwork.FakeClock
	srv     *hashnodetest.Server
	ledger  *hashnode.MemoryLedger
	client  *hashnode.Client
	logs    []*observer.ObservedLogs
	retries chan time.Duration
	mode    hashnode.Mode

	mu    sync.Mutex
	waits []time.Duration // backoff waits, in order
}

type option func(*hashnode.Config)

func newHarness(t *testing.T, mode hashnode.Mode, opts ...option) *harness {
	t.Helper()
	clock := clockwork.NewFakeClockAt(start)
	h := &harness{
		t:       t,
		clock:   clock,
		srv:     hashnodetest.New(t, clock),
		ledger:  &hashnode.MemoryLedger{},
		retries: make(chan time.Duration),
		mode:    mode,
	}
	h.client = h.newClient(h.ledger, opts...)
	t.Cleanup(h.checkLogs)
	return h
}

// newClient makes another client on the same server and clock, as a second
// process would be.
func (h *harness) newClient(ledger hashnode.Ledger, opts ...option) *hashnode.Client {
	h.t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	h.logs = append(h.logs, logs)
	cfg := hashnode.Config{
		Endpoint:      h.srv.URL,
		Token:         hashnodetest.Token,
		PublicationID: hashnodetest.PublicationID,
		Mode:          h.mode,
		Ledger:        ledger,
		Clock:         h.clock,
		Backoff:       retry.Backoff{Base: time.Second, Max: 30 * time.Second, Jitter: func(int64) int64 { return 0 }},
		Timeout:       timeout,
		CacheWindow:   window,
		Logger:        zap.New(zapcore.NewTee(core, &retryCore{ch: h.retries})),
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := hashnode.New(cfg)
	if err != nil {
		h.t.Fatalf("New: %v", err)
	}
	return c
}

// publish runs Publish on h.client, driving the fake clock through its
// backoff waits and attempt timeouts, and checks what every error must be:
// one line, without the token.
func (h *harness) publish(p hashnode.Post) (hashnode.Result, error) {
	h.t.Helper()
	return h.publishWith(h.client, p)
}

func (h *harness) publishWith(c *hashnode.Client, p hashnode.Post) (hashnode.Result, error) {
	h.t.Helper()
	// A bound on a broken test, not a wait: every step below is driven.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	type outcome struct {
		res hashnode.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := c.Publish(ctx, issueKey, p)
		done <- outcome{res, err}
	}()
	for {
		select {
		case o := <-done:
			if o.err != nil {
				msg := o.err.Error()
				if strings.ContainsAny(msg, "\r\n") {
					h.t.Errorf("error is not one line: %q", msg)
				}
				if strings.Contains(msg, hashnodetest.Token) {
					h.t.Errorf("error holds the token: %q", msg)
				}
			}
			return o.res, o.err
		case d := <-h.retries:
			h.mu.Lock()
			h.waits = append(h.waits, d)
			h.mu.Unlock()
			if err := h.clock.BlockUntilContext(ctx, 1); err != nil {
				h.t.Fatalf("backoff wait never started: %v", err)
			}
			h.clock.Advance(d)
		case <-h.srv.Hung():
			if err := h.clock.BlockUntilContext(ctx, 1); err != nil {
				h.t.Fatalf("attempt timer never started: %v", err)
			}
			h.clock.Advance(timeout)
		case <-ctx.Done():
			h.t.Fatalf("Publish did not return")
		}
	}
}

func (h *harness) backoffWaits() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.waits
}

func (h *harness) record() hashnode.Record {
	h.t.Helper()
	r, err := h.ledger.Load(context.Background(), issueKey)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// checkLogs fails the test if any log line holds the token.
func (h *harness) checkLogs() {
	for _, logs := range h.logs {
		for _, e := range logs.All() {
			line := e.Message
			for k, v := range e.ContextMap() {
				line += " " + k + "=" + toString(v)
			}
			if strings.Contains(line, hashnodetest.Token) {
				h.t.Errorf("log line holds the token: %s", line)
			}
		}
	}
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

// retryCore passes the wait of each retry the client logs to ch, before the
// client starts waiting, so the test knows when to move the clock.
type retryCore struct {
	ch chan time.Duration
}

func (c *retryCore) Enabled(zapcore.Level) bool        { return true }
func (c *retryCore) With([]zapcore.Field) zapcore.Core { return c }
func (c *retryCore) Sync() error                       { return nil }

func (c *retryCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(e, c)
}

func (c *retryCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	if e.Message != "hashnode: request failed, retrying" {
		return nil
	}
	for _, f := range fields {
		if f.Key == "wait" {
			c.ch <- time.Duration(f.Integer)
		}
	}
	return nil
}
