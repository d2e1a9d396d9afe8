// Package notify tells the editors' chat what the newsletter is doing: a
// draft is ready, an issue went out, a run failed, a dependency is down or
// back. It posts to Discord and Slack incoming webhooks, in the background:
// Send never waits on a webhook, and a webhook that fails never holds up
// publishing.
//
// Each webhook has a bounded queue and one worker, which retries a failed
// delivery with retry.Backoff, honouring Retry-After and Discord's
// retry_after; a 4xx answer other than 408 and 429 is final for that
// message. What cannot be delivered is dropped and logged. A webhook URL
// carries its token, so it is never logged or put in an error: only the
// webhook's format, position in the list and host are.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/internal/quiet"
	"github.com/godevcommunity/newsletter/retry"
)

// Defaults of a Notifier.
const (
	DefaultQueueSize   = 64
	DefaultMaxAttempts = 5
	DefaultTimeout     = 10 * time.Second
	// DefaultMaxWait is the longest wait a webhook may ask for before a
	// retry; a message it asks to hold longer is dropped.
	DefaultMaxWait = 10 * time.Minute
)

// DefaultBackoff spaces a webhook's retries: 2 s, 4 s, 8 s … up to a minute.
var DefaultBackoff = retry.Backoff{Base: 2 * time.Second, Max: time.Minute}

// userAgent names the newsletter to webhook servers.
const userAgent = "newsletter-notify (+https://github.com/godevcommunity/newsletter)"

// maxResponseBytes bounds how much of an answer is read and shown.
const maxResponseBytes = 4 << 10

// Option sets up a Notifier.
type Option func(*Notifier)

// WithClock sets the clock the worker waits on between attempts; tests pass
// a clockwork.FakeClock.
func WithClock(c clockwork.Clock) Option { return func(n *Notifier) { n.clock = c } }

// WithHTTPClient sets the client requests go through. Redirects are never
// followed, whatever the client says: the request carries the token.
func WithHTTPClient(c *http.Client) Option { return func(n *Notifier) { n.client = c } }

// WithBackoff sets the waits between attempts.
func WithBackoff(b retry.Backoff) Option { return func(n *Notifier) { n.backoff = b } }

// WithMaxAttempts sets how many times one message is tried (at least 1).
func WithMaxAttempts(k int) Option { return func(n *Notifier) { n.attempts = k } }

// WithQueueSize sets how many messages wait for each webhook; Send drops
// what does not fit.
func WithQueueSize(k int) Option { return func(n *Notifier) { n.queueSize = k } }

// WithTimeout bounds one request.
func WithTimeout(d time.Duration) Option { return func(n *Notifier) { n.timeout = d } }

// WithMaxWait sets the longest wait a webhook may ask for.
func WithMaxWait(d time.Duration) Option { return func(n *Notifier) { n.maxWait = d } }

// Notifier delivers events to the configured webhooks. Its methods are
// safe for concurrent use.
type Notifier struct {
	hooks     []*webhook
	log       *zap.Logger
	clock     clockwork.Clock
	client    *http.Client
	backoff   retry.Backoff
	attempts  int
	queueSize int
	timeout   time.Duration
	maxWait   time.Duration

	mu     sync.RWMutex // guards closed against Send
	closed bool
	// closing is closed when Close begins.
	closing chan struct{}
	wg      sync.WaitGroup
	// ctx ends when Close gives up: in-flight requests and waits stop.
	ctx    context.Context
	cancel context.CancelFunc
	// abandoned counts the messages Close dropped.
	abandoned atomic.Int64
}

// delivery is one event encoded for one webhook.
type delivery struct {
	event string
	body  []byte
}

// New returns a Notifier posting to webhooks, each a Discord or Slack
// webhook URL, its format known by its host (discord.com, discordapp.com,
// hooks.slack.com) or given by a "discord:" or "slack:" prefix before the
// URL, for a proxy or self-hosted gateway (which may use http). An unknown
// host without a prefix is an error naming the host, never the URL. With
// no webhooks, the Notifier drops every event quietly; a nil log logs
// nothing. Close it to stop its workers.
func New(webhooks []string, log *zap.Logger, opts ...Option) (*Notifier, error) {
	if log == nil {
		log = zap.NewNop()
	}
	n := &Notifier{
		log:       log.Named("notify"),
		clock:     clockwork.NewRealClock(),
		backoff:   DefaultBackoff,
		attempts:  DefaultMaxAttempts,
		queueSize: DefaultQueueSize,
		timeout:   DefaultTimeout,
		maxWait:   DefaultMaxWait,
		closing:   make(chan struct{}),
	}
	for _, o := range opts {
		o(n)
	}
	n.attempts = max(n.attempts, 1)
	n.queueSize = max(n.queueSize, 1)
	if n.timeout <= 0 {
		n.timeout = DefaultTimeout
	}
	if n.maxWait <= 0 {
		n.maxWait = DefaultMaxWait
	}
	var client http.Client
	if n.client != nil {
		client = *n.client
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	n.client = &client

	for i, raw := range webhooks {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		h, err := parseWebhook(i+1, raw)
		if err != nil {
			return nil, err
		}
		h.queue = make(chan delivery, n.queueSize)
		n.hooks = append(n.hooks, h)
	}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	for _, h := range n.hooks {
		n.wg.Add(1)
		go n.run(h)
	}
	return n, nil
}

// String names the webhooks without their secrets.
func (n *Notifier) String() string {
	names := make([]string, len(n.hooks))
	for i, h := range n.hooks {
		names[i] = h.String()
	}
	return "notify[" + strings.Join(names, ", ") + "]"
}

// Send queues e for every webhook and returns at once. A message that
// finds its webhook's queue full, or the Notifier closed, is dropped and
// logged.
func (n *Notifier) Send(e Event) {
	m := e.message()
	n.mu.RLock()
	defer n.mu.RUnlock()
	for _, h := range n.hooks {
		log := n.log.With(hookFields(h)...).With(zap.String("event", e.kind()))
		if n.closed {
			log.Warn("notification dropped: the notifier is closed")
			continue
		}
		body, err := encode(h.format, m)
		if err != nil {
			log.Error("notification dropped: cannot encode it", zap.Error(err))
			continue
		}
		select {
		case h.queue <- delivery{event: e.kind(), body: body}:
		default:
			log.Warn("notification dropped: the webhook's queue is full", zap.Int("queue_size", cap(h.queue)))
		}
	}
}

// Close stops taking events and delivers what is queued, retries included,
// until ctx ends; then it drops the rest, logging each, and returns an
// error saying how many were not delivered. Close returns once every worker
// has stopped. Calling it again does nothing.
func (n *Notifier) Close(ctx context.Context) error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	for _, h := range n.hooks {
		close(h.queue)
	}
	close(n.closing)
	n.mu.Unlock()

	done := make(chan struct{})
	go func() {
		n.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		n.cancel()
		return nil
	case <-ctx.Done():
		n.cancel()
		<-done
		if k := n.abandoned.Load(); k > 0 {
			return fmt.Errorf("notify: close: %d notifications not delivered: %w", k, ctx.Err())
		}
		return nil
	}
}

// run delivers h's queue, one message at a time, in order.
func (n *Notifier) run(h *webhook) {
	defer n.wg.Done()
	for d := range h.queue {
		if n.ctx.Err() != nil {
			n.abandoned.Add(1)
			n.log.Warn("notification dropped: closing", append(hookFields(h), zap.String("event", d.event))...)
			continue
		}
		n.deliver(h, d)
	}
}

// deliver posts d to h until it is accepted, fails for good, runs out of
// attempts or the Notifier gives up on closing.
func (n *Notifier) deliver(h *webhook, d delivery) {
	log := n.log.With(hookFields(h)...).With(zap.String("event", d.event))
	for attempt := 1; ; attempt++ {
		err := n.post(n.ctx, h, d.body)
		if err == nil {
			log.Debug("notification delivered", zap.Int("attempt", attempt))
			return
		}
		fail := func(why string) {
			if n.ctx.Err() != nil {
				n.abandoned.Add(1)
				why = "closing"
			}
			log.Error("notification dropped: "+why, zap.Int("attempts", attempt), zap.Error(err))
		}
		if n.ctx.Err() != nil {
			fail("closing")
			return
		}
		if retry.IsPermanent(err) {
			fail("the webhook refused it")
			return
		}
		if attempt >= n.attempts {
			fail("out of attempts")
			return
		}
		var asked time.Duration
		if at := retry.Classify(err).At; !at.IsZero() {
			asked = max(at.Sub(n.clock.Now()), 0)
		}
		if asked > n.maxWait {
			fail(fmt.Sprintf("the webhook asks to wait %s, longer than %s", asked, n.maxWait))
			return
		}
		wait := n.backoff.Delay(attempt, asked)
		log.Warn("notification failed; retrying", zap.Int("attempt", attempt), zap.Duration("wait", wait), zap.Error(err))
		if retry.Sleep(n.ctx, n.clock, wait) != nil {
			fail("closing")
			return
		}
	}
}

// post sends body to h once. The error is retry.Never for an answer that
// will not change (a 4xx other than 408 and 429, a redirect), carries the
// time the server asked to wait until (retry.After), and is transient
// otherwise. It never holds the URL.
func (n *Notifier) post(ctx context.Context, h *webhook, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return retry.Never(fmt.Errorf("notify: %s: build the request: %w", h, h.scrub(err)))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := n.client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: %s: %w", h, h.scrub(err))
	}
	defer quiet.Close(resp.Body)
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("notify: %s: %s", h, h.redact(describe(resp, answer)))
	if !retry.Status(resp.StatusCode) {
		return retry.Never(err)
	}
	if wait := serverWait(resp, answer, n.clock.Now()); wait > 0 {
		return retry.After(err, n.clock.Now().Add(wait))
	}
	return err
}

// describe is the status and the start of the answer, on one line.
func describe(resp *http.Response, answer []byte) string {
	s := resp.Status
	if s == "" {
		s = fmt.Sprintf("%d", resp.StatusCode)
	}
	text := strings.Join(strings.Fields(strings.ToValidUTF8(string(answer), "\uFFFD")), " ")
	if len(text) > 200 {
		text = strings.ToValidUTF8(text[:200], "") + "…"
	}
	if text != "" {
		s += ": " + text
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		s += " (redirects are not followed)"
	}
	return s
}

// serverWait is how long the server asked to wait: Retry-After, or the
// retry_after of Discord's rate-limit answer, in seconds, whichever is
// longer. A retry_after far above Retry-After is in milliseconds, as
// Discord's API v6 (the default of webhook URLs without a version) writes
// it.
func serverWait(resp *http.Response, answer []byte, now time.Time) time.Duration {
	header, hasHeader := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), now)
	var limited struct {
		RetryAfter *float64 `json:"retry_after"`
	}
	if json.Unmarshal(answer, &limited) != nil || limited.RetryAfter == nil {
		return header
	}
	s := *limited.RetryAfter
	if s <= 0 || math.IsInf(s, 0) || math.IsNaN(s) {
		return header
	}
	if hasHeader && s > header.Seconds()+1 {
		s /= 1000
	}
	return max(header, time.Duration(min(s, 24*60*60)*float64(time.Second)))
}

func hookFields(h *webhook) []zap.Field {
	return []zap.Field{zap.String("webhook", h.host), zap.Int("webhook_index", h.index), zap.Stringer("format", h.format)}
}
