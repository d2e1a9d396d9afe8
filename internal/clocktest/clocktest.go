// Package clocktest is a clock for tests of retry loops and rate limits:
// time stands still until something waits on it, and every wait ends at
// once, moving the clock forward by its length and recording it. Tests of
// code that waits in a loop for events (a worker's poll) use
// clockwork.FakeClock instead, which waits until the test advances it.
package clocktest

import (
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Clock implements clockwork.Clock. It is safe for concurrent use.
type Clock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
	// OnWait, if set, runs at the start of every wait with its length,
	// e.g. to cancel a context during the first backoff.
	OnWait func(d time.Duration)
}

var _ clockwork.Clock = (*Clock)(nil)

// New returns a clock standing at t.
func New(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Since returns the time elapsed since t on this clock.
func (c *Clock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// Until returns the time left until t on this clock.
func (c *Clock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }

// Advance moves the clock forward without recording a wait.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Waits returns the length of every wait so far, in order.
func (c *Clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// wait records d, advances the clock by it and returns the new time.
func (c *Clock) wait(d time.Duration) time.Time {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	if d > 0 {
		c.now = c.now.Add(d)
	}
	now, hook := c.now, c.OnWait
	c.mu.Unlock()
	if hook != nil {
		hook(d)
	}
	return now
}

// Sleep returns at once, the clock d later.
func (c *Clock) Sleep(d time.Duration) { c.wait(d) }

// After returns a channel that already holds the time d later.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- c.wait(d)
	return ch
}

// NewTimer returns a timer that has already fired, the clock d later.
func (c *Clock) NewTimer(d time.Duration) clockwork.Timer {
	t := &timer{c: c, ch: make(chan time.Time, 1)}
	t.ch <- c.wait(d)
	return t
}

// AfterFunc runs f now, the clock d later.
func (c *Clock) AfterFunc(d time.Duration, f func()) clockwork.Timer {
	c.wait(d)
	f()
	return &timer{c: c, ch: make(chan time.Time, 1)}
}

// NewTicker returns a ticker that ticks whenever it is read, each tick d
// after the last.
func (c *Clock) NewTicker(d time.Duration) clockwork.Ticker {
	return &ticker{c: c, d: d}
}

type timer struct {
	c  *Clock
	ch chan time.Time
}

func (t *timer) Chan() <-chan time.Time { return t.ch }

func (t *timer) Stop() bool {
	select {
	case <-t.ch:
		return true
	default:
		return false
	}
}

func (t *timer) Reset(d time.Duration) bool {
	active := t.Stop()
	t.ch <- t.c.wait(d)
	return active
}

type ticker struct {
	c *Clock
	d time.Duration
}

func (t *ticker) Chan() <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- t.c.wait(t.d)
	return ch
}

func (t *ticker) Reset(d time.Duration) { t.d = d }
func (t *ticker) Stop()                 {}
