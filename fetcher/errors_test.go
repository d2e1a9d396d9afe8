package fetcher

import (
	"net"
	"testing/synctest"
	"time"

	"github.com/godevcommunity/newsletter/retry"
	"github.com/jonboulle/clockwork"

	"context"
	"errors"
	"fmt"
	"testing"
)

func TestStatusErrorMessage(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{404, "fetcher: https://x/y: resource not found (404 status code)"},
		{403, "fetcher: https://x/y: access forbidden (403 status code)"},
		{429, "fetcher: https://x/y: rate limited by the server (429 status code)"},
		{503, "fetcher: https://x/y: server temporarily unavailable (503 status code)"},
		{500, "fetcher: https://x/y: server error (500 status code)"},
		{418, "fetcher: https://x/y: request rejected by the server (418 status code)"},
	}
	for _, tt := range tests {
		if got := (&StatusError{URL: "https://x/y", Code: tt.code}).Error(); got != tt.want {
			t.Errorf("code %d: got %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestPermanent(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("fetcher: https://x/: %w", err) }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"bad URL", wrap(ErrBadURL), true},
		{"refused", wrap(&refusedError{host: "x", reason: "loopback"}), true},
		{"unsupported", wrap(unsupported("application/pdf")), true},
		{"too large", wrap(tooLarge(1 << 20)), true},
		{"too many redirects", wrap(ErrTooManyRedirects), true},
		{"redirect loop", wrap(ErrRedirectLoop), true},
		{"404", &StatusError{Code: 404}, true},
		{"410", &StatusError{Code: 410}, true},
		{"408", &StatusError{Code: 408}, false},
		{"429", &StatusError{Code: 429}, false},
		{"500", &StatusError{Code: 500}, false},
		{"503", &StatusError{Code: 503}, false},
		{"timeout", wrap(&timeoutError{}), false},
		{"canceled", wrap(context.Canceled), false},
		{"other", errors.New("connection refused"), false},
		{"host not found", wrap(&reasonError{msg: "host x not found", err: &net.DNSError{Name: "x", IsNotFound: true}}), true},
		{"DNS timeout", wrap(&net.DNSError{Name: "x", IsTimeout: true}), false},
		{"unusable response", wrap(ErrBadResponse), true},
	}
	for _, tt := range tests {
		if got := permanent(tt.err); got != tt.want {
			t.Errorf("%s: permanent(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	synctest.Test(t, testClassify) // the bubble's time stands still
}

func testClassify(t *testing.T) {
	f := &Fetcher{clock: clockwork.NewRealClock()}
	now := time.Now()
	tests := []struct {
		name string
		err  error
		kind retry.Kind
		dep  string
		at   time.Time
	}{
		{"404 is the page's", &StatusError{Code: 404}, retry.Permanent, "", time.Time{}},
		{"503 without a wait", &StatusError{Code: 503}, retry.Transient, "", time.Time{}},
		{"429 names its time", &StatusError{Code: 429, RetryAfter: time.Hour}, retry.Transient, "", now.Add(time.Hour)},
		{"GitHub's rate limit is an outage of its API", &StatusError{Code: 429, RetryAfter: 20 * time.Minute, rateLimited: true}, retry.Outage, "github", now.Add(20 * time.Minute)},
		{"GitHub's rate limit without a reset", &StatusError{Code: 429, rateLimited: true}, retry.Outage, "github", time.Time{}},
		{"timeout", &timeoutError{after: time.Second}, retry.Transient, "", time.Time{}},
	}
	for _, tt := range tests {
		c := retry.Classify(f.classify(tt.err))
		if c.Kind != tt.kind || c.Dependency != tt.dep || !c.At.Equal(tt.at) {
			t.Errorf("%s: classified {%v %q %v}, want {%v %q %v}", tt.name, c.Kind, c.Dependency, c.At, tt.kind, tt.dep, tt.at)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{10 << 20: "10 MiB", 64 << 10: "64 KiB", 1500: "1500 bytes"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
