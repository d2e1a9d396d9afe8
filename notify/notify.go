// Package notify tells the editors' chat what the newsletter is doing: a
// draft is ready, an issue went out, a run failed, a dependency is down or
// back. It posts to Discord and Slack incoming webhooks, one attempt at a
// time: the events wait in the outbox (package outbox), which keeps them
// across stops and retries them with the one backoff, honouring
// Retry-After and Discord's retry_after, which Post reports; a 4xx answer
// other than 408 and 429 is final for that message. A webhook URL carries
// its token, so it is never logged or put in an error: only the webhook's
// format, position in the list and host are.
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
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/internal/quiet"
	"github.com/godevcommunity/newsletter/retry"
)

// DefaultTimeout bounds one request to a webhook.
const DefaultTimeout = 10 * time.Second

// userAgent names the newsletter to webhook servers.
const userAgent = "newsletter-notify (+https://github.com/godevcommunity/newsletter)"

// maxResponseBytes bounds how much of an answer is read and shown.
const maxResponseBytes = 4 << 10

// Option sets up a Notifier.
type Option func(*Notifier)

// WithClock sets the clock a server's Retry-After is read against.
func WithClock(c clockwork.Clock) Option { return func(n *Notifier) { n.clock = c } }

// WithHTTPClient sets the client requests go through. Redirects are never
// followed, whatever the client says: the request carries the token.
func WithHTTPClient(c *http.Client) Option { return func(n *Notifier) { n.client = c } }

// WithTimeout bounds one request.
func WithTimeout(d time.Duration) Option { return func(n *Notifier) { n.timeout = d } }

// Notifier posts events to the configured webhooks. It is safe for
// concurrent use.
type Notifier struct {
	hooks   []*webhook
	clock   clockwork.Clock
	client  *http.Client
	timeout time.Duration
}

// New returns a Notifier posting to webhooks, each a Discord or Slack
// webhook URL, its format known by its host (discord.com, discordapp.com,
// hooks.slack.com) or given by a "discord:" or "slack:" prefix before the
// URL, for a proxy or self-hosted gateway (which may use http). An unknown
// host without a prefix is an error naming the host, never the URL. Blank
// entries are skipped: Post numbers the others from 0.
func New(webhooks []string, opts ...Option) (*Notifier, error) {
	n := &Notifier{clock: clockwork.NewRealClock(), timeout: DefaultTimeout}
	for _, o := range opts {
		o(n)
	}
	if n.timeout <= 0 {
		n.timeout = DefaultTimeout
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
		n.hooks = append(n.hooks, h)
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
