package fetcher

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/retry"
)

// retryable reports whether an attempt's error is worth another attempt
// within the same Fetch: a retryable status, a timeout of one step, or a
// connection reset or cut short. Permanent failures and the ones that name a
// later time are not.
func retryable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return retry.Status(se.Code) && !se.rateLimited
	}
	var whole *timeoutError
	if permanent(err) || errors.As(err, &whole) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false // the fetch's time budget is spent, or the caller gave up
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

// retry runs attempt until it succeeds, fails for good, MaxRetries retries
// are spent, or the next wait would not end before deadline (the end of
// the whole fetch's time budget). A server asking (Retry-After) for a
// longer wait than the backoff maximum is not waited for: the error is
// returned at once, carrying StatusError.RetryAfter for the caller.
func (f *Fetcher) retry(ctx context.Context, name string, deadline time.Time, attempt func(ctx context.Context, n int) (*Page, error)) (*Page, error) {
	for n := 1; ; n++ {
		page, err := attempt(ctx, n)
		if err == nil {
			return page, nil
		}
		if ctx.Err() != nil || n > f.cfg.MaxRetries || !retryable(err) {
			return nil, err
		}
		var server time.Duration
		var se *StatusError
		if errors.As(err, &se) && se.RetryAfter > 0 {
			if se.RetryAfter > f.backoff.Max {
				return nil, err
			}
			server = se.RetryAfter
		}
		wait := f.backoff.Delay(n, server)
		if f.clock.Now().Add(wait).After(deadline) {
			f.log.Debug("fetch retry would outlast the timeout", zap.String("url", name),
				zap.Int("attempt", n), zap.Duration("wait", wait), zap.Error(err))
			return nil, err
		}
		f.log.Debug("fetch retry scheduled", zap.String("url", name), zap.Int("attempt", n), zap.Duration("wait", wait), zap.Error(err))
		if serr := retry.Sleep(ctx, f.clock, wait); serr != nil {
			return nil, &reasonError{msg: err.Error() + " (retry abandoned: " + serr.Error() + ")", err: errors.Join(err, serr)}
		}
	}
}
