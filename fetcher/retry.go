package fetcher

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.uber.org/zap"
)

// Clock is the time source of a Fetcher: FetchedAt stamps, Retry-After
// dates and the waits between attempts. Tests replace it so retries take
// no time.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, returning ctx.Err() then.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// backoff computes the wait before each retry.
type backoff struct {
	base time.Duration // wait before the first retry, before jitter
	max  time.Duration // longest single wait, also for Retry-After
}

// delay returns the wait before retry n (n ≥ 1): base·2^(n-1) capped at max,
// then jittered uniformly over its upper half so clients that failed
// together do not retry together.
func (b backoff) delay(n int) time.Duration {
	d := b.max
	if n-1 < 32 {
		if e := b.base << (n - 1); e > 0 && e < b.max {
			d = e
		}
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// retryableStatus lists the status codes worth retrying within one Fetch:
// the server is overloaded, rate limiting or briefly unreachable behind a
// gateway. Other failures are left to the caller's own schedule.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryable reports whether an attempt's error is transient: a retryable
// status, a timeout, or a connection reset or cut short.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return retryableStatus(se.Code)
	}
	if IsPermanent(err) || errors.Is(err, context.Canceled) {
		return false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return true
	}
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// retry runs attempt until it succeeds, fails for good, or MaxRetries
// retries are spent. A server asking (Retry-After) for a longer wait than
// the backoff maximum is not waited for: the error is returned at once, not
// permanent, carrying StatusError.RetryAfter for the caller's scheduler.
func (f *Fetcher) retry(ctx context.Context, name string, attempt func(ctx context.Context, n int) (*Page, error)) (*Page, error) {
	for n := 1; ; n++ {
		page, err := attempt(ctx, n)
		if err == nil {
			return page, nil
		}
		if ctx.Err() != nil || n > f.cfg.MaxRetries || !retryable(err) {
			return nil, err
		}
		wait := f.backoff.delay(n)
		var se *StatusError
		if errors.As(err, &se) && se.RetryAfter > 0 {
			if se.RetryAfter > f.backoff.max {
				return nil, err
			}
			wait = max(wait, se.RetryAfter)
		}
		f.log.Debug("fetch retry scheduled", zap.String("url", name), zap.Int("attempt", n), zap.Duration("wait", wait), zap.Error(err))
		if serr := f.clock.Sleep(ctx, wait); serr != nil {
			return nil, &reasonError{msg: err.Error() + " (retry abandoned: " + serr.Error() + ")", err: errors.Join(err, serr)}
		}
	}
}
