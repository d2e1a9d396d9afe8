package limit

import (
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)

type fakeNow struct{ t time.Time }

func (f *fakeNow) now() time.Time { return f.t }

func TestAllow(t *testing.T) {
	clock := &fakeNow{t0}
	l := New(3, time.Minute, clock.now)
	steps := []struct {
		after    time.Duration
		key      string
		want     bool
		wantWait time.Duration
	}{
		{0, "a", true, 0},
		{10 * time.Second, "a", true, 0},
		{10 * time.Second, "a", true, 0},
		{10 * time.Second, "a", false, 30 * time.Second}, // the first leaves the window at t0+60s
		{0, "b", true, 0},                                // another key is not held up
		{31 * time.Second, "a", true, 0},                 // t0+61s: the first has left
		{0, "a", false, 9 * time.Second},
	}
	for i, s := range steps {
		clock.t = clock.t.Add(s.after)
		ok, wait := l.Allow(s.key)
		if ok != s.want || wait != s.wantWait {
			t.Errorf("step %d (%s at +%s): Allow = %v, %s; want %v, %s", i, s.key, clock.t.Sub(t0), ok, wait, s.want, s.wantWait)
		}
	}
}

func TestUndo(t *testing.T) {
	clock := &fakeNow{t0}
	l := New(2, time.Minute, clock.now)
	for range 5 {
		if ok, _ := l.Allow("editor"); !ok {
			t.Fatal("an event taken back still counted")
		}
		l.Undo("editor")
	}
	l.Undo("nobody") // nothing to take back
	if len(l.events) != 0 {
		t.Errorf("events = %v, want none", l.events)
	}
}

func TestZeroAllowsEverything(t *testing.T) {
	var nilLimiter *Limiter
	for _, l := range []*Limiter{New(0, time.Minute, nil), nilLimiter} {
		for range 100 {
			if ok, _ := l.Allow("a"); !ok {
				t.Fatal("a limiter of no limit refused")
			}
		}
		l.Undo("a")
	}
}

func TestKeysAreBounded(t *testing.T) {
	clock := &fakeNow{t0}
	l := New(1, time.Minute, clock.now)
	l.maxKeys = 100
	for i := range 1000 {
		clock.t = clock.t.Add(time.Millisecond)
		if ok, _ := l.Allow(fmt.Sprint("addr", i)); !ok {
			t.Fatalf("address %d refused: only its own events count", i)
		}
	}
	if n := len(l.events); n > 100 {
		t.Errorf("remembers %d keys, want at most 100", n)
	}
	// The newest is remembered: it is still limited.
	if ok, _ := l.Allow("addr999"); ok {
		t.Error("the newest key was forgotten")
	}
}

func TestClientAddr(t *testing.T) {
	tests := []struct{ remote, want string }{
		{"192.0.2.7:4711", "192.0.2.7"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff::1]:443", "2001:db8:1:2::/64"},
		{"[::ffff:192.0.2.7]:80", "192.0.2.7"},
		{"[fe80::1%eth0]:80", "fe80::/64"},
		{"not-an-address", "not-an-address"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		r.Header.Set("X-Forwarded-For", "203.0.113.9")
		if got := ClientAddr(r); got != tt.want {
			t.Errorf("ClientAddr(%q) = %q, want %q", tt.remote, got, tt.want)
		}
	}
}

// Events at the same time pass the check no more than Max times: each is
// counted in the step that checks it.
func TestAllowConcurrent(t *testing.T) {
	l := New(10, time.Minute, (&fakeNow{t0}).now)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if ok, _ := l.Allow("a"); ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 10 {
		t.Errorf("%d concurrent events passed, want 10", n)
	}
}
