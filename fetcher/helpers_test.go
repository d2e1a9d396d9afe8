package fetcher

import (
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/retry"
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
