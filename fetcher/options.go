package fetcher

import (
	"crypto/tls"
	"net"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/godevcommunity/newsletter/retry"
)

// Option configures a Fetcher beyond its config section; mostly for tests.
type Option func(*options)

type options struct {
	resolver Resolver
	clock    clockwork.Clock
	backoff  retry.Backoff
	tls      *tls.Config
}

func defaultOptions() options {
	return options{
		resolver: net.DefaultResolver,
		clock:    clockwork.NewRealClock(),
		backoff:  retry.Backoff{Base: 500 * time.Millisecond, Max: 30 * time.Second},
	}
}

// WithResolver sets the name resolver (default net.DefaultResolver). Every
// address it returns is checked by the guard before dialling.
func WithResolver(r Resolver) Option {
	return func(o *options) {
		if r != nil {
			o.resolver = r
		}
	}
}

// WithClock sets the clock used for timestamps and the waits between
// attempts.
func WithClock(c clockwork.Clock) Option {
	return func(o *options) {
		if c != nil {
			o.clock = c
		}
	}
}

// WithBackoff sets the backoff between attempts (default 500ms doubling up
// to 30s). A Retry-After longer than its Max is not waited for.
func WithBackoff(b retry.Backoff) Option {
	return func(o *options) { o.backoff = b }
}

// WithTLSConfig sets the TLS client configuration, for instance extra root
// certificates for an internal wiki. It cannot affect the address guard.
func WithTLSConfig(c *tls.Config) Option {
	return func(o *options) { o.tls = c }
}
