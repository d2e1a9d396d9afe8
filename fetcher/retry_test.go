package fetcher

import (
	"os"
	"testing/synctest"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/internal/waitlog"
	"github.com/godevcommunity/newsletter/retry"

	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"429", &StatusError{Code: 429}, true},
		{"503", &StatusError{Code: 503}, true},
		{"502", &StatusError{Code: 502}, true},
		{"408", &StatusError{Code: 408}, true},
		{"500", &StatusError{Code: 500}, true},
		{"501", &StatusError{Code: 501}, false},
		{"GitHub rate limit", &StatusError{Code: 429, rateLimited: true}, false},
		{"404", &StatusError{Code: 404}, false},
		{"the whole fetch timed out", &timeoutError{after: time.Second}, false},
		{"a read timed out", &net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, true},
		{"reset", &net.OpError{Op: "read", Err: syscall.ECONNRESET}, true},
		{"closed early", io.ErrUnexpectedEOF, true},
		{"DNS timeout", &net.DNSError{IsTimeout: true}, true},
		{"DNS not found", &net.DNSError{IsNotFound: true}, false},
		{"refused address", &refusedError{host: "x", reason: "loopback"}, false},
		{"too large", tooLarge(1), false},
		{"canceled", context.Canceled, false},
		{"connection refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, false},
	}
	for _, tt := range tests {
		if got := retryable(tt.err); got != tt.want {
			t.Errorf("%s: retryable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// flakyServer answers the first fails requests with fail(w), then 200.
func flakyServer(t *testing.T, fails int32, fail func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= fails {
			fail(w)
			return
		}
		fmt.Fprint(w, "<p>ok</p>")
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, retryAfter string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
	}
}

func TestFetchRetries(t *testing.T) {
	hangUp := func(w http.ResponseWriter) { // drop the connection without answering
		c, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			c.Close()
		}
	}
	tests := []struct {
		name       string
		fails      int32
		fail       func(http.ResponseWriter)
		maxRetries int
		wantErr    bool
		wantCalls  int32
		wantSleeps []time.Duration // exact waits; nil means backoff (checked by count only)
		sleeps     int
	}{
		{name: "503 then ok", fails: 2, fail: status(503, ""), maxRetries: 3, wantCalls: 3, sleeps: 2},
		{name: "429 honours Retry-After seconds", fails: 1, fail: status(429, "7"), maxRetries: 3, wantCalls: 2, wantSleeps: []time.Duration{7 * time.Second}},
		{name: "503 honours Retry-After date", fails: 1, fail: status(503, waitlog.Start.Add(20*time.Second).Format(http.TimeFormat)), maxRetries: 3, wantCalls: 2, wantSleeps: []time.Duration{20 * time.Second}},
		{name: "Retry-After beyond the cap is not waited for", fails: 1, fail: status(429, "3600"), maxRetries: 3, wantErr: true, wantCalls: 1},
		{name: "retries exhausted", fails: 10, fail: status(503, ""), maxRetries: 2, wantErr: true, wantCalls: 3, sleeps: 2},
		{name: "no retries configured", fails: 1, fail: status(503, ""), maxRetries: 0, wantErr: true, wantCalls: 1},
		{name: "404 is not retried", fails: 1, fail: status(404, ""), maxRetries: 3, wantErr: true, wantCalls: 1},
		{name: "500 is retried", fails: 1, fail: status(500, ""), maxRetries: 3, wantCalls: 2, sleeps: 1},
		{name: "501 is not retried", fails: 1, fail: status(501, ""), maxRetries: 3, wantErr: true, wantCalls: 1},
		{name: "dropped connection is retried", fails: 1, fail: hangUp, maxRetries: 2, wantCalls: 2, sleeps: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := flakyServer(t, tt.fails, tt.fail) // outside the bubble
			cfg := testConfig()
			cfg.MaxRetries = tt.maxRetries
			clock := waitlog.New()
			var err error
			synctest.Test(t, func(t *testing.T) {
				f := forBubble(newTestFetcher(t, cfg, WithClock(clock), WithBackoff(retry.Backoff{Base: time.Millisecond, Max: 30 * time.Second})))
				_, err = f.Fetch(context.Background(), srv.URL+"/")
			})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("server saw %d requests, want %d", got, tt.wantCalls)
			}
			slept := clock.Waits()
			if tt.wantSleeps != nil {
				if fmt.Sprint(slept) != fmt.Sprint(tt.wantSleeps) {
					t.Errorf("slept %v, want %v", slept, tt.wantSleeps)
				}
			} else if len(slept) != tt.sleeps {
				t.Errorf("slept %d times (%v), want %d", len(slept), slept, tt.sleeps)
			}
		})
	}
}

func TestFetchRetryAfterReported(t *testing.T) {
	srv, _ := flakyServer(t, 10, status(429, "3600"))
	cfg := testConfig()
	cfg.MaxRetries = 3
	f := newTestFetcher(t, cfg)
	_, err := f.Fetch(context.Background(), srv.URL+"/")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 429 || se.RetryAfter != time.Hour {
		t.Fatalf("err = %#v, want a 429 StatusError with RetryAfter 1h", err)
	}
	if retry.IsPermanent(err) {
		t.Error("a rate limit is not permanent")
	}
}

func TestFetchRetryStopsOnCancel(t *testing.T) {
	srv, calls := flakyServer(t, 10, status(503, ""))
	cfg := testConfig()
	cfg.MaxRetries = 5
	synctest.Test(t, func(t *testing.T) { fetchCancelledInWait(t, srv.URL, calls, cfg) })
}

// fetchCancelledInWait is TestFetchRetryStopsOnCancel in its bubble.
func fetchCancelledInWait(t *testing.T, url string, calls *atomic.Int32, cfg config.Fetcher) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := waitlog.New()
	clock.OnWait = func(time.Duration) { cancel() } // the caller gives up during the first wait
	f := forBubble(newTestFetcher(t, cfg, WithClock(clock)))
	_, err := f.Fetch(ctx, url+"/")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 503 {
		t.Errorf("err = %v, want it to keep the 503 that caused the retry", err)
	}
	if calls.Load() != 1 {
		t.Errorf("server saw %d requests after cancellation, want 1", calls.Load())
	}

	_, err = f.Fetch(ctx, url+"/") // already cancelled: no request at all
	if !errors.Is(err, context.Canceled) || calls.Load() != 1 {
		t.Errorf("cancelled context: err %v, %d requests", err, calls.Load())
	}
}
