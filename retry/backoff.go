package retry

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"
)

// Backoff spaces retries: the wait before retry n is Base·2^(n-1), capped
// at Max, jittered over its upper half so clients that failed together do
// not retry together, and never shorter than what the server asked for.
// The zero Backoff waits nothing but what the server asks.
type Backoff struct {
	Base time.Duration
	Max  time.Duration
	// Jitter returns a uniform value in [0, n); nil means math/rand/v2.
	// Tests set it to return 0 for exact waits (the top of each range).
	Jitter func(n int64) int64
}

// Delay returns the wait before retry n (n ≥ 1), given the wait the server
// asked for (0 when it did not).
func (b Backoff) Delay(n int, server time.Duration) time.Duration {
	d := b.Max
	if n < 1 {
		n = 1
	}
	if n-1 < 62 {
		if e := b.Base << (n - 1); e > 0 && (e < b.Max || b.Max <= 0) {
			d = e
		}
	}
	if d > 0 {
		half := d / 2
		jitter := b.Jitter
		if jitter == nil {
			jitter = rand.Int64N
		}
		if span := int64(d - half); span > 0 {
			d -= time.Duration(jitter(span + 1))
		}
	}
	return max(d, server)
}

// Sleep waits d on clock, or until ctx ends, returning ctx's error then.
func Sleep(ctx context.Context, clock clockwork.Clock, d time.Duration) error {
	if d <= 0 || ctx.Err() != nil {
		return ctx.Err()
	}
	t := clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.Chan():
	}
	return ctx.Err() // an end of ctx wins over a timer that fired with it
}

// maxRetryAfter bounds what a server may ask for: a day. A larger value is
// read as a day, the longest pause the pipeline makes for one answer.
const maxRetryAfter = 24 * time.Hour

// ParseRetryAfter reads a Retry-After header value, delay-seconds or an
// HTTP date relative to now; ok is false when there is none or it cannot
// be read.
func ParseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter), true
	}
	return 0, false
}

// Status reports whether an HTTP status is worth another attempt: the
// server timed out, is rate limiting, or failed in a way that passes.
func Status(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
