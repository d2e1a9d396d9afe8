package summarizer

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/godevcommunity/newsletter/internal/waitlog"
)

func TestLimiter(t *testing.T) {
	tests := []struct {
		name     string
		rpm, tpm int
		tokens   []int // one request each, sent back to back
		want     []time.Duration
	}{
		{"unlimited", 0, 0, []int{1e6, 1e6, 1e6}, nil},
		{"requests spaced evenly", 10, 0, []int{1, 1, 1}, []time.Duration{6 * time.Second, 6 * time.Second}},
		{
			name: "tokens: a minute's burst, then refill",
			tpm:  6000, tokens: []int{4000, 2000, 3000},
			// 6000 tokens/min = 100/s: the third waits for 3000 tokens.
			want: []time.Duration{30 * time.Second},
		},
		{
			name: "the stricter limit decides",
			rpm:  60, tpm: 600, tokens: []int{600, 300},
			want: []time.Duration{30 * time.Second},
		},
		{
			name: "a request over the burst is charged the burst",
			tpm:  1200, tokens: []int{5000, 600},
			want: []time.Duration{30 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clock := waitlog.New()
				l := newLimiter(tt.rpm, tt.tpm, clock, nil)
				for i, n := range tt.tokens {
					if err := l.wait(context.Background(), n); err != nil {
						t.Fatalf("request %d: %v", i, err)
					}
				}
				if got := clock.Waits(); !slices.Equal(got, tt.want) {
					t.Errorf("sleeps = %v, want %v", got, tt.want)
				}
			})
		})
	}
}

func TestLimiterCancelReturnsReservation(t *testing.T) {
	synctest.Test(t, testLimiterCancelReturnsReservation) // the waits end at once
}

func testLimiterCancelReturnsReservation(t *testing.T) {
	clock := waitlog.New()
	l := newLimiter(1, 0, clock, nil)
	if err := l.wait(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.wait(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The cancelled reservation is returned: the next request waits one
	// interval after the first, not two.
	if err := l.wait(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{time.Minute}
	if got := clock.Waits(); !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
}
