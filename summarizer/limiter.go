package summarizer

import (
	"context"
	"fmt"
	"time"

	"github.com/jonboulle/clockwork"
	"golang.org/x/time/rate"

	"github.com/godevcommunity/newsletter/retry"
)

// limiter keeps requests and input tokens under the per-minute quotas. One
// limiter serves every goroutine using a Summarizer. Waiting goes through
// the clock so tests can observe the delays.
type limiter struct {
	requests *rate.Limiter // nil: unlimited
	tokens   *rate.Limiter // nil: unlimited
	clock    clockwork.Clock
	notice   func(time.Duration) // nil: none
}

// newLimiter allows rpm requests and tpm input tokens per minute, spread
// evenly: one request every 60/rpm seconds, and bursts of at most a
// minute's tokens. Zero means unlimited.
func newLimiter(rpm, tpm int, clock clockwork.Clock, notice func(time.Duration)) *limiter {
	l := &limiter{clock: clock, notice: notice}
	if rpm > 0 {
		l.requests = rate.NewLimiter(rate.Limit(float64(rpm)/60), 1)
	}
	if tpm > 0 {
		l.tokens = rate.NewLimiter(rate.Limit(float64(tpm)/60), tpm)
	}
	return l
}

// wait blocks until one request of n input tokens may be sent. A request
// larger than the token burst is charged the whole burst.
func (l *limiter) wait(ctx context.Context, n int) error {
	now := l.clock.Now()
	var reservations []*rate.Reservation
	var delay time.Duration
	reserve := func(lim *rate.Limiter, n int) {
		if lim == nil {
			return
		}
		r := lim.ReserveN(now, min(n, lim.Burst()))
		reservations = append(reservations, r)
		delay = max(delay, r.DelayFrom(now))
	}
	reserve(l.requests, 1)
	reserve(l.tokens, max(n, 1))
	if delay == 0 {
		return nil
	}
	if l.notice != nil {
		l.notice(delay)
	}
	if err := retry.Sleep(ctx, l.clock, delay); err != nil {
		for _, r := range reservations {
			r.CancelAt(l.clock.Now())
		}
		return fmt.Errorf("wait for the Gemini rate limit: %w", err)
	}
	return nil
}
