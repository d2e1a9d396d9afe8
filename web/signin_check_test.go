package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// signinFrom posts the sign-in form to the desk from addr (r.RemoteAddr),
// with the extra headers given as name, value pairs.
func signinFrom(h *harness, addr, token string, header ...string) int {
	req := httptest.NewRequest("POST", "/desk/signin", strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.web.ServeHTTP(rec, req)
	return rec.Code
}

// Failed sign-ins close sign-in for their address only: another editor
// still signs in, whatever X-Forwarded-For the guesser sends; the address
// signs in again once the window has passed.
func TestSigninLimitedPerAddress(t *testing.T) {
	const guesser = "192.0.2.1:4001"
	tests := []struct {
		name   string
		addr   string
		header []string
		wait   time.Duration
		want   int
	}{
		{"the guessing address", "192.0.2.1:5002", nil, 0, http.StatusTooManyRequests},
		{"the guessing address, claiming another", "192.0.2.1:5003", []string{"X-Forwarded-For", "198.51.100.7"}, 0, http.StatusTooManyRequests},
		{"another editor", "192.0.2.2:4001", nil, 0, http.StatusSeeOther},
		{"another IPv6 network", "[2001:db8:0:2::1]:4001", nil, 0, http.StatusSeeOther},
		{"the guessing address after the window", guesser, nil, failureWindow + time.Second, http.StatusSeeOther},
		{"the guessing address within the window", guesser, nil, failureWindow - time.Second, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, withTokens)
			for i := range maxFailures {
				if got := signinFrom(h, guesser, fmt.Sprintf("guess-%d-0123456789", i)); got != http.StatusUnauthorized {
					t.Fatalf("guess %d: %d, want 401", i, got)
				}
			}
			h.clock.Advance(tt.wait)
			if got := signinFrom(h, tt.addr, kimToken, tt.header...); got != tt.want {
				t.Errorf("sign-in from %s after %d failures from %s: %d, want %d", tt.addr, maxFailures, guesser, got, tt.want)
			}
		})
	}
}

func TestSigninLimiter(t *testing.T) {
	type try struct {
		addr    string
		wait    time.Duration
		succeed bool // the token was right
		want    bool
	}
	many := func(addr string, n int, want bool) []try {
		out := make([]try, n)
		for i := range out {
			out[i] = try{addr: addr, want: want}
		}
		return out
	}
	tests := []struct {
		name  string
		tries []try
	}{
		{"ten failures, then refused", append(many("a", maxFailures, true), try{addr: "a", want: false})},
		{"others go on", append(many("a", maxFailures+2, true)[:maxFailures], try{addr: "b", want: true}, try{addr: "a", want: false})},
		{"a sign-in that works is not a failure", append(append(many("a", maxFailures-1, true), try{addr: "a", succeed: true, want: true}),
			try{addr: "a", want: true}, try{addr: "a", want: false})},
		// Nine at 0 s and one at 30 s; at 59 s all ten count, at 61 s only
		// the one of 30 s: nine more may try (61 s is the second).
		{"the window slides", append(append(append(many("a", maxFailures-1, true), try{addr: "a", wait: 30 * time.Second, want: true},
			try{addr: "a", wait: 29 * time.Second, want: false}, try{addr: "a", wait: 2 * time.Second, want: true}),
			many("a", maxFailures-2, true)...), try{addr: "a", want: false})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := clockwork.NewFakeClock()
			l := newSigninLimiter(clock.Now)
			for i, tr := range tt.tries {
				clock.Advance(tr.wait)
				if got := l.attempt(tr.addr); got != tr.want {
					t.Fatalf("try %d from %s: %v, want %v", i, tr.addr, got, tr.want)
				}
				if tr.succeed {
					l.succeeded(tr.addr)
				}
			}
		})
	}
}

// Tries at the same time pass the check no more than maxFailures times.
func TestSigninLimiterConcurrent(t *testing.T) {
	l := newSigninLimiter(clockwork.NewFakeClock().Now)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 10 * maxFailures {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if l.attempt("a") {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := allowed.Load(); n != maxFailures {
		t.Errorf("%d concurrent tries passed, want %d", n, maxFailures)
	}
}

// The limiter remembers at most maxSigninAddrs addresses: the ones with
// no failure within the window go first, then the oldest; an address
// refused now stays refused while others come and go.
func TestSigninLimiterBounded(t *testing.T) {
	clock := clockwork.NewFakeClock()
	l := newSigninLimiter(clock.Now)
	for range maxFailures {
		l.attempt("guesser")
	}
	clock.Advance(time.Second)
	for i := range maxSigninAddrs + 500 {
		l.attempt(fmt.Sprintf("198.51.100.%d", i))
		if n := len(l.failures); n > maxSigninAddrs {
			t.Fatalf("%d addresses remembered, want at most %d", n, maxSigninAddrs)
		}
	}
	if _, kept := l.failures["guesser"]; kept {
		t.Error("the oldest address was not the one forgotten") // it was the first to go when full
	}
	clock.Advance(failureWindow + time.Second)
	l.attempt("new")
	if n := len(l.failures); n != 1 {
		t.Errorf("%d addresses remembered after the window, want 1 (the expired ones forgotten)", n)
	}
}

func TestClientAddr(t *testing.T) {
	tests := []struct{ remote, want string }{
		{"192.0.2.1:4001", "192.0.2.1"},
		{"[::ffff:192.0.2.1]:4001", "192.0.2.1"},
		{"[2001:db8:1:2:3:4:5:6]:4001", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff::1]:80", "2001:db8:1:2::/64"},
		{"[fe80::1%eth0]:80", "fe80::/64"},
		{"unix-socket", "unix-socket"},
	}
	for _, tt := range tests {
		if got := clientAddr(&http.Request{RemoteAddr: tt.remote}); got != tt.want {
			t.Errorf("clientAddr(%q) = %q, want %q", tt.remote, got, tt.want)
		}
	}
}
