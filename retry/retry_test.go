package retry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

func TestClassify(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	base := errors.New("boom")
	tests := []struct {
		name     string
		err      error
		kind     Kind
		dep      string
		at       time.Time
		describe string
	}{
		{"unclassified is transient", base, Transient, "", time.Time{}, "transient"},
		{"permanent", Never(base), Permanent, "", time.Time{}, "permanent"},
		{"permanent through wrapping", fmt.Errorf("fetch: %w", Never(base)), Permanent, "", time.Time{}, "permanent"},
		{"transient at", After(base, at), Transient, "", at, "transient"},
		{"outage", Unavailable("gemini", at, base), Outage, "gemini", at, "gemini unavailable until 2026-12-01T09:00:00Z"},
		{"outage without end", Unavailable("github", time.Time{}, base), Outage, "github", time.Time{}, "github unavailable"},
		{"outermost wins", Unavailable("gemini", at, Never(base)), Outage, "gemini", at, "gemini unavailable until 2026-12-01T09:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Classify(tt.err)
			if c.Kind != tt.kind || c.Dependency != tt.dep || !c.At.Equal(tt.at) {
				t.Errorf("Classify = {%v %q %v}, want {%v %q %v}", c.Kind, c.Dependency, c.At, tt.kind, tt.dep, tt.at)
			}
			if !errors.Is(tt.err, base) {
				t.Error("the classified error no longer wraps its cause")
			}
			if tt.err.Error() != base.Error() && !errors.Is(tt.err, base) {
				t.Errorf("message %q", tt.err)
			}
			if got := Describe(tt.err); got != tt.describe {
				t.Errorf("Describe = %q, want %q", got, tt.describe)
			}
			if got := IsPermanent(tt.err); got != (tt.kind == Permanent) {
				t.Errorf("IsPermanent = %v", got)
			}
			if got := IsOutage(tt.err); got != (tt.kind == Outage) {
				t.Errorf("IsOutage = %v", got)
			}
		})
	}
	if Classify(nil) != nil || Never(nil) != nil || After(nil, at) != nil || Unavailable("x", at, nil) != nil {
		t.Error("a nil error must stay nil")
	}
	if got := Never(base).Error(); got != "boom" {
		t.Errorf("Never keeps the message: got %q", got)
	}
}

func TestBackoffDelay(t *testing.T) {
	top := func(int64) int64 { return 0 }
	bottom := func(n int64) int64 { return n - 1 }
	tests := []struct {
		name   string
		b      Backoff
		n      int
		server time.Duration
		want   time.Duration
	}{
		{"first retry waits base", Backoff{Base: time.Second, Max: 30 * time.Second, Jitter: top}, 1, 0, time.Second},
		{"doubles", Backoff{Base: time.Second, Max: 30 * time.Second, Jitter: top}, 3, 0, 4 * time.Second},
		{"capped", Backoff{Base: time.Second, Max: 30 * time.Second, Jitter: top}, 10, 0, 30 * time.Second},
		{"huge n is capped, not overflowed", Backoff{Base: time.Second, Max: time.Minute, Jitter: top}, 200, 0, time.Minute},
		{"jitter reaches half", Backoff{Base: 8 * time.Second, Max: time.Minute, Jitter: bottom}, 1, 0, 4 * time.Second},
		{"never shorter than the server asks", Backoff{Base: time.Second, Max: 30 * time.Second, Jitter: bottom}, 1, 41 * time.Second, 41 * time.Second},
		{"server longer than max still wins", Backoff{Base: time.Second, Max: 30 * time.Second, Jitter: top}, 2, time.Hour, time.Hour},
		{"no max means uncapped", Backoff{Base: time.Minute, Jitter: top}, 4, 0, 8 * time.Minute},
		{"zero backoff waits only for the server", Backoff{}, 3, 2 * time.Second, 2 * time.Second},
		{"n below 1 is the first retry", Backoff{Base: time.Second, Max: time.Minute, Jitter: top}, 0, 0, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.b.Delay(tt.n, tt.server); got != tt.want {
				t.Errorf("Delay(%d, %s) = %s, want %s", tt.n, tt.server, got, tt.want)
			}
		})
	}
}

func TestBackoffJitterStaysInRange(t *testing.T) {
	b := Backoff{Base: time.Second, Max: 10 * time.Second}
	for n := 1; n <= 6; n++ {
		want := min(time.Second<<(n-1), 10*time.Second)
		for range 200 {
			if d := b.Delay(n, 0); d < want/2 || d > want {
				t.Fatalf("Delay(%d) = %s, want within [%s, %s]", n, d, want/2, want)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"  120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{"999999999", 24 * time.Hour, true},
		{"99999999999999999999", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{now.Add(72 * time.Hour).Format(http.TimeFormat), 24 * time.Hour, true},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRetryAfter(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestStatus(t *testing.T) {
	for code, want := range map[int]bool{
		200: false, 400: false, 401: false, 403: false, 404: false, 408: true, 410: false,
		429: true, 500: true, 501: false, 502: true, 503: true, 504: true, 505: false,
	} {
		if got := Status(code); got != want {
			t.Errorf("Status(%d) = %v, want %v", code, got, want)
		}
	}
}

func TestSleep(t *testing.T) {
	clock := clockwork.NewFakeClock()
	done := make(chan error, 1)
	go func() { done <- Sleep(context.Background(), clock, time.Minute) }()
	if err := clock.BlockUntilContext(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if err := <-done; err != nil {
		t.Fatalf("Sleep = %v, want nil after the clock advanced", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- Sleep(ctx, clock, time.Hour) }()
	if err := clock.BlockUntilContext(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep after cancel = %v, want context.Canceled", err)
	}
	if err := Sleep(ctx, clock, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(0) on an ended context = %v, want its error", err)
	}
	if err := Sleep(context.Background(), clock, 0); err != nil {
		t.Errorf("Sleep(0) = %v, want nil", err)
	}
}
