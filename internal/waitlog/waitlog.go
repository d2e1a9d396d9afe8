// Package waitlog is the real clock, recording the length of every wait,
// for tests of retry loops and rate limits. They run with it in a
// testing/synctest bubble, where the waits end as soon as nothing else
// can happen and the time read is the bubble's, and assert on the waits.
package waitlog

import (
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Start is the time at which every synctest bubble starts.
var Start = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Clock implements clockwork.Clock over the real clock. It is safe for
// concurrent use.
type Clock struct {
	clockwork.Clock
	mu    sync.Mutex
	waits []time.Duration
	// OnWait, if set, runs at the start of every wait with its length,
	// e.g. to cancel a context during the first backoff.
	OnWait func(d time.Duration)
}

// New returns a Clock with no waits yet.
func New() *Clock { return &Clock{Clock: clockwork.NewRealClock()} }

// Waits returns the length of every wait so far, in order.
func (c *Clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

func (c *Clock) record(d time.Duration) {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	hook := c.OnWait
	c.mu.Unlock()
	if hook != nil {
		hook(d)
	}
}

// Sleep records d and sleeps.
func (c *Clock) Sleep(d time.Duration) { c.record(d); c.Clock.Sleep(d) }

// After records d and waits.
func (c *Clock) After(d time.Duration) <-chan time.Time { c.record(d); return c.Clock.After(d) }

// NewTimer records d and starts a timer.
func (c *Clock) NewTimer(d time.Duration) clockwork.Timer { c.record(d); return c.Clock.NewTimer(d) }

// AfterFunc records d and starts a timer running f.
func (c *Clock) AfterFunc(d time.Duration, f func()) clockwork.Timer {
	c.record(d)
	return c.Clock.AfterFunc(d, f)
}
