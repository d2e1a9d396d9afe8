package summarizer

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/genai"
)

const (
	// backoffBase and backoffMax shape the exponential backoff: 1s, 2s, 4s,
	// ... up to 30s, each jittered down by up to half.
	backoffBase = time.Second
	backoffMax  = 30 * time.Second
	// maxServerDelay is the longest retry delay worth waiting for within one
	// request; a longer one is returned to the caller (the worker retries
	// the article later).
	maxServerDelay = 2 * time.Minute
)

// backoff returns the delay before attempt+1: exponential with jitter, but
// never shorter than what the server asked for.
func (s *Summarizer) backoff(attempt int, server time.Duration) time.Duration {
	d := backoffBase << min(attempt-1, 10)
	d = min(d, backoffMax)
	d -= time.Duration(s.jitter(int64(d / 2)))
	return max(d, server)
}

// retryInfo is what a failed attempt says about retrying.
type retryInfo struct {
	retryable bool
	// delay is the server's requested delay (RetryInfo or Retry-After).
	delay time.Duration
	// status is the HTTP status, 0 for a transport failure or timeout.
	status int
}

// classify decides whether err from one attempt is worth another.
func classify(err error, hint *retryHint) retryInfo {
	var api genai.APIError
	if errors.As(err, &api) {
		info := retryInfo{status: api.Code, retryable: retryableStatus(api.Code)}
		info.delay = max(serverRetryDelay(api), hint.get())
		if api.Code == http.StatusTooManyRequests && dailyQuota(api) {
			info.retryable = false
		}
		return info
	}
	// Timeouts, refused or reset connections and unreadable bodies are
	// transient.
	return retryInfo{retryable: true}
}

// serverRetryDelay reads google.rpc.RetryInfo from an error's details.
func serverRetryDelay(api genai.APIError) time.Duration {
	for _, d := range api.Details {
		if t, _ := d["@type"].(string); !strings.HasSuffix(t, "google.rpc.RetryInfo") {
			continue
		}
		if s, ok := d["retryDelay"].(string); ok {
			if v, err := time.ParseDuration(s); err == nil && v > 0 {
				return v
			}
		}
	}
	return 0
}

// dailyQuota reports whether a 429 names a per-day quota
// (google.rpc.QuotaFailure with a quotaId like
// GenerateRequestsPerDayPerProjectPerModel-FreeTier).
func dailyQuota(api genai.APIError) bool {
	for _, d := range api.Details {
		if t, _ := d["@type"].(string); !strings.HasSuffix(t, "google.rpc.QuotaFailure") {
			continue
		}
		violations, _ := d["violations"].([]any)
		for _, v := range violations {
			m, _ := v.(map[string]any)
			if id, _ := m["quotaId"].(string); strings.Contains(id, "PerDay") {
				return true
			}
		}
	}
	return false
}

// retryHint carries the Retry-After header of a failed response from the
// transport to the retry loop, since the SDK's error omits headers.
type retryHint struct {
	mu    sync.Mutex
	after time.Duration
}

func (h *retryHint) set(d time.Duration) {
	h.mu.Lock()
	h.after = d
	h.mu.Unlock()
}

func (h *retryHint) get() time.Duration {
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.after
}

type retryHintKey struct{}

func withRetryHint(ctx context.Context, h *retryHint) context.Context {
	return context.WithValue(ctx, retryHintKey{}, h)
}

// hintTransport records Retry-After of error responses into the request's
// retryHint.
type hintTransport struct {
	base http.RoundTripper
	now  func() time.Time
}

func (t *hintTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	if h, ok := req.Context().Value(retryHintKey{}).(*retryHint); ok {
		h.set(parseRetryAfter(resp.Header.Get("Retry-After"), t.now()))
	}
	return resp, err
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
