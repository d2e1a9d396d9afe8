package main

import (
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// timerClock is a fake clock that tells when the function of an AfterFunc
// timer has returned. The service schedules work in such functions (a
// Hashnode retry, which holds the runner's lock until it returns), so a
// test waits for that work to be over instead of for what it writes to
// look finished.
type timerClock struct {
	*clockwork.FakeClock
	mu       sync.Mutex
	returned int           // functions of AfterFunc timers that have returned
	changed  chan struct{} // closed and replaced when returned grows
}

func newTimerClock(at time.Time) *timerClock {
	return &timerClock{FakeClock: clockwork.NewFakeClockAt(at), changed: make(chan struct{})}
}

// AfterFunc is the fake clock's, counting f's return.
func (c *timerClock) AfterFunc(d time.Duration, f func()) clockwork.Timer {
	return c.FakeClock.AfterFunc(d, func() {
		f()
		c.mu.Lock()
		c.returned++
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
	})
}

// Returned is how many functions of AfterFunc timers have returned.
func (c *timerClock) Returned() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.returned
}

// AwaitReturned waits until n functions of AfterFunc timers have returned.
// The bound only turns a hang into a failure.
func (c *timerClock) AwaitReturned(t *testing.T, n int) {
	t.Helper()
	bound := time.NewTimer(30 * time.Second)
	defer bound.Stop()
	for {
		c.mu.Lock()
		got, changed := c.returned, c.changed
		c.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-changed:
		case <-bound.C:
			t.Fatalf("%d of %d timer functions returned after 30s", got, n)
		}
	}
}
