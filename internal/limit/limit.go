// Package limit bounds what one client may do within a sliding window:
// failed sign-ins and wrong API tokens from one address, submissions from
// one token or address. The desk's sign-in, the API's token check and
// submissions share it, so a rule reads the same at every door.
package limit

import (
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// DefaultMaxKeys bounds the clients a Limiter remembers.
const DefaultMaxKeys = 10000

// Limiter allows at most Max events per key within Window. It is safe for
// concurrent use. Build it with New.
type Limiter struct {
	max     int
	window  time.Duration
	maxKeys int
	now     func() time.Time

	mu sync.Mutex
	// events are the counted events of each key within the window, oldest
	// first.
	events map[string][]time.Time
}

// New returns a Limiter of max events per window, remembering at most
// DefaultMaxKeys keys; now is its clock (nil means time.Now).
func New(max int, window time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{max: max, window: window, maxKeys: DefaultMaxKeys, now: now, events: map[string][]time.Time{}}
}

// Allow reports whether key may act now and, in the same step, counts the
// event when it may: events at the same time cannot all pass the check
// before any is counted. When it may not, wait says when it may again.
// A Limiter of Max 0 allows everything.
func (l *Limiter) Allow(key string) (ok bool, wait time.Duration) {
	if l == nil || l.max <= 0 {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	ev, known := l.events[key]
	ev = l.recent(ev, now)
	if len(ev) >= l.max {
		l.events[key] = ev
		return false, max(ev[0].Add(l.window).Sub(now), time.Second)
	}
	if !known && len(l.events) >= l.maxKeys {
		l.evict(now)
	}
	l.events[key] = append(ev, now)
	return true, 0
}

// Undo takes back the last event counted for key: a sign-in whose token
// was right is not a failure.
func (l *Limiter) Undo(key string) {
	if l == nil || l.max <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch ev := l.events[key]; {
	case len(ev) > 1:
		l.events[key] = ev[:len(ev)-1]
	case len(ev) == 1:
		delete(l.events, key)
	}
}

// evict makes room for a key: it forgets the keys without an event within
// the window and, if none is, the one whose last event is oldest.
func (l *Limiter) evict(now time.Time) {
	oldest, at := "", now
	for key, ev := range l.events {
		if len(ev) == 0 || now.Sub(ev[len(ev)-1]) > l.window {
			delete(l.events, key)
		} else if last := ev[len(ev)-1]; !last.After(at) {
			oldest, at = key, last
		}
	}
	if len(l.events) >= l.maxKeys {
		delete(l.events, oldest)
	}
}

// recent is ev without the events older than the window.
func (l *Limiter) recent(ev []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ev) && now.Sub(ev[i]) > l.window {
		i++
	}
	return ev[i:]
}

// ClientAddr is the address a request comes from, as a key: the host of
// r.RemoteAddr, an IPv6 address by its /64 (a network one machine
// commonly holds whole). X-Forwarded-For is not trusted: anyone can send
// it. Behind a reverse proxy every client comes from the proxy's address.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	if ip = ip.Unmap(); ip.Is6() {
		if p, err := ip.WithZone("").Prefix(64); err == nil {
			return p.String()
		}
	}
	return ip.String()
}
