package fetcher

import (
	"crypto/tls"
	"net"
	"time"
)

// Option configures a Fetcher beyond its config section; mostly for tests.
type Option func(*options)

type options struct {
	resolver Resolver
	clock    Clock
	backoff  backoff
	tls      *tls.Config
}

func defaultOptions() options {
	return options{
		resolver: net.DefaultResolver,
		clock:    realClock{},
		backoff:  backoff{base: 500 * time.Millisecond, max: 30 * time.Second},
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
func WithClock(c Clock) Option {
	return func(o *options) {
		if c != nil {
			o.clock = c
		}
	}
}

// WithBackoff sets the wait before the first retry (doubled for each
// further one, with jitter) and the longest single wait. A Retry-After
// longer than max is not waited for. Non-positive values keep the defaults
// (500ms, 30s).
func WithBackoff(base, max time.Duration) Option {
	return func(o *options) {
		if base > 0 {
			o.backoff.base = base
		}
		if max > 0 {
			o.backoff.max = max
		}
	}
}

// WithTLSConfig sets the TLS client configuration, for instance extra root
// certificates for an internal wiki. It cannot affect the address guard.
func WithTLSConfig(c *tls.Config) Option {
	return func(o *options) { o.tls = c }
}
