package summarizer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"google.golang.org/genai"

	"github.com/godevcommunity/newsletter/retry"
)

const (
	// backoffBase and backoffMax shape the backoff between attempts of one
	// request: 1s, 2s, 4s, ... up to 30s, each jittered down by up to half.
	backoffBase = time.Second
	backoffMax  = 30 * time.Second
	// maxServerDelay is the longest retry delay worth waiting for within one
	// request; a longer one is an outage until then.
	maxServerDelay = 2 * time.Minute
)

// failure is what a failed attempt says about what to do next.
type failure struct {
	err error // described for messages
	// retryable: another attempt of the same request may succeed.
	retryable bool
	// outage: no request gets past it (the key, the model, the daily
	// quota) until until, zero when unknown.
	outage bool
	until  time.Time
	// delay is the server's requested delay (RetryInfo or Retry-After).
	delay time.Duration
	// status is the HTTP status, 0 for a transport failure or timeout.
	status int
	// flex: the flex tier refused the request under load.
	flex bool
	// noFlex: the key or model cannot use the flex tier at all.
	noFlex bool
}

// dependency is what a long wait on this failure pauses.
func (f failure) dependency() string {
	if f.flex {
		return FlexDependency
	}
	return Dependency
}

// classify reads a failed attempt. hint may be nil.
func (s *geminiProvider) classify(err error, hint *retryHint, timedOut bool, tier genai.ServiceTier) failure {
	timeout := s.cfg.Timeout
	if tier == genai.ServiceTierFlex {
		timeout = s.cfg.FlexTimeout
	}
	f := failure{err: s.describe(err, timedOut, timeout)}
	var api genai.APIError
	if !errors.As(err, &api) {
		// Timeouts, refused or reset connections and unreadable bodies.
		f.retryable = true
		return f
	}
	f.status = api.Code
	f.delay = max(serverRetryDelay(api), hint.get())
	switch {
	case tier == genai.ServiceTierFlex && (api.Code == http.StatusBadRequest || api.Code == http.StatusForbidden) &&
		mentionsTier(api.Message):
		f.noFlex = true
	case keyRefused(api):
		f.outage, f.err = true, fmt.Errorf("%w: %w", ErrKeyRefused, f.err)
	case api.Code == http.StatusNotFound:
		f.outage, f.err = true, fmt.Errorf("%w: %w", ErrUnknownModel, f.err)
	case api.Code == http.StatusTooManyRequests && dailyQuota(api):
		now := s.clock.Now()
		f.outage, f.err = true, fmt.Errorf("%w: %w", ErrQuotaExhausted, f.err)
		f.until = nextQuotaReset(now)
		if asked := now.Add(f.delay); asked.After(f.until) {
			f.until = asked
		}
	case tier == genai.ServiceTierFlex && (api.Code == http.StatusTooManyRequests || api.Code == http.StatusServiceUnavailable):
		f.retryable, f.flex = true, true
	default:
		f.retryable = retry.Status(api.Code)
	}
	return f
}

// mentionsTier reports whether an error message is about the service tier.
func mentionsTier(msg string) bool {
	msg = strings.ToLower(msg)
	return strings.Contains(msg, "service tier") || strings.Contains(msg, "service_tier") ||
		strings.Contains(msg, "servicetier") || strings.Contains(msg, "flex")
}

// keyRefused reports whether Gemini refused the API key itself: 401, 403
// (PERMISSION_DENIED: revoked, restricted or from a suspended project), or
// 400 INVALID_ARGUMENT with a google.rpc.ErrorInfo reason about the key.
func keyRefused(api genai.APIError) bool {
	switch api.Code {
	case http.StatusUnauthorized, http.StatusForbidden:
		return true
	case http.StatusBadRequest:
		for _, d := range api.Details {
			if t, _ := d["@type"].(string); !strings.HasSuffix(t, "google.rpc.ErrorInfo") {
				continue
			}
			switch reason, _ := d["reason"].(string); reason {
			case "API_KEY_INVALID", "API_KEY_EXPIRED", "API_KEY_SERVICE_BLOCKED", "CONSUMER_SUSPENDED", "SERVICE_DISABLED":
				return true
			}
		}
	}
	return false
}

// quotaZone is where Gemini's daily quotas reset, at midnight.
var quotaZone = func() *time.Location {
	if loc, err := time.LoadLocation("America/Los_Angeles"); err == nil {
		return loc
	}
	return time.FixedZone("PST", -8*3600)
}()

// nextQuotaReset is the midnight Pacific time after now, when per-day
// quotas reset.
func nextQuotaReset(now time.Time) time.Time {
	t := now.In(quotaZone)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, quotaZone)
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
	base  http.RoundTripper
	clock clockwork.Clock
}

func (t *hintTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	if h, ok := req.Context().Value(retryHintKey{}).(*retryHint); ok {
		d, _ := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), t.clock.Now())
		h.set(d)
	}
	return resp, err
}
