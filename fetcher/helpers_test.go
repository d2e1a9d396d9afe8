package fetcher

import (
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/jonboulle/clockwork"
)

// fakeResolver answers from a map; unknown names are not found. Tests never
// resolve real names.
type fakeResolver map[string][]netip.Addr

func (r fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

var loopback = []netip.Addr{netip.MustParseAddr("127.0.0.1")}

// testResolver maps the names tests use.
var testResolver = fakeResolver{
	"site.test":            loopback,
	"other.test":           loopback,
	"github.com":           loopback,
	"xn--bcher-kva.test":   loopback,
	"private.test":         {netip.MustParseAddr("10.0.0.2")},
	"metadata.test":        {netip.MustParseAddr("169.254.169.254")},
	"mixed.test":           {netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("192.168.1.1")},
	"mapped-loopback.test": {netip.MustParseAddr("::ffff:127.0.0.2")},
}

// bubbleStart is the time at which every synctest bubble starts.
var bubbleStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// waitLog is the real clock, recording the length of every wait. Tests of
// retry loops run with it in a synctest bubble, where the waits end as
// soon as nothing else can happen, and the time read is the bubble's.
type waitLog struct {
	clockwork.Clock
	mu    sync.Mutex
	waits []time.Duration
	// onWait, if set, runs at the start of every wait with its length,
	// e.g. to cancel a context during the first backoff.
	onWait func(d time.Duration)
}

func newWaitLog() *waitLog { return &waitLog{Clock: clockwork.NewRealClock()} }

// Waits returns the length of every wait so far, in order.
func (c *waitLog) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

func (c *waitLog) record(d time.Duration) {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	hook := c.onWait
	c.mu.Unlock()
	if hook != nil {
		hook(d)
	}
}

func (c *waitLog) Sleep(d time.Duration) { c.record(d); c.Clock.Sleep(d) }

func (c *waitLog) After(d time.Duration) <-chan time.Time { c.record(d); return c.Clock.After(d) }

func (c *waitLog) NewTimer(d time.Duration) clockwork.Timer { c.record(d); return c.Clock.NewTimer(d) }

func (c *waitLog) AfterFunc(d time.Duration, f func()) clockwork.Timer {
	c.record(d)
	return c.Clock.AfterFunc(d, f)
}

// forBubble lets f's waits end in a synctest bubble: a kept-alive
// connection's reader blocks on the network, which is not durably
// blocking, and would hold the bubble's time still. The test servers must
// be started outside the bubble, for the same reason.
func forBubble(f *Fetcher) *Fetcher {
	f.transport.DisableKeepAlives = true
	return f
}

// testConfig allows the loopback test servers (127.0.0.1 only) and nothing
// else private; no retries unless a test asks.
func testConfig() config.Fetcher {
	cfg := config.Default().Fetcher
	cfg.AllowedNetworks = []string{"127.0.0.1/32"}
	cfg.MaxRetries = 0
	return cfg
}

// newTestFetcher builds a Fetcher with the test resolver and the real clock.
// As a safety net it fails the test if anything but loopback is dialled.
func newTestFetcher(t *testing.T, cfg config.Fetcher, opts ...Option) *Fetcher {
	t.Helper()
	base := []Option{WithResolver(testResolver), WithBackoff(retry.Backoff{Base: time.Millisecond, Max: 30 * time.Second})}
	f, err := New(cfg, zaptest.NewLogger(t), append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	inner := f.dialer.dial
	f.dialer.dial = func(ctx context.Context, network, address string) (net.Conn, error) {
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !ap.Addr().IsLoopback() {
			t.Errorf("test dialled %s; only loopback is allowed", address)
			return nil, errors.New("dial refused by test")
		}
		return inner(ctx, network, address)
	}
	t.Cleanup(f.CloseIdleConnections)
	return f
}

// hostURL rewrites a test server URL to use host name (resolved by
// testResolver) instead of 127.0.0.1, keeping the port.
func hostURL(t *testing.T, srv *httptest.Server, host, path string) string {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = net.JoinHostPort(host, u.Port())
	return u.String() + path
}
