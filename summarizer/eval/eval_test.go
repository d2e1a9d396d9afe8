package eval

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/summarizer"
)

func TestPercentile(t *testing.T) {
	tests := []struct {
		v         []int
		p50, p95  int
		nameOfSet string
	}{
		{nil, 0, 0, "none"},
		{[]int{7}, 7, 7, "one"},
		{[]int{5, 1, 4, 2, 3}, 3, 5, "five, unsorted"},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, 10, 19, "twenty"},
	}
	for _, tt := range tests {
		if p50, p95 := percentile(tt.v, 50), percentile(tt.v, 95); p50 != tt.p50 || p95 != tt.p95 {
			t.Errorf("%s: p50 %d p95 %d, want %d %d", tt.nameOfSet, p50, p95, tt.p50, tt.p95)
		}
	}
	if got := percentile([]time.Duration{3 * time.Second, time.Second}, 50); got != time.Second {
		t.Errorf("durations: p50 %s", got)
	}
}

func TestFailureRule(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&summarizer.GuardrailError{Violations: []summarizer.Violation{{Rule: "speech"}}}, "speech"},
		{fmt.Errorf("summarize x: %w", summarizer.ErrInvalidResponse), "invalid_response"},
		{summarizer.ErrTruncated, "truncated"},
		{&summarizer.BlockedError{Reason: "SAFETY"}, "blocked"},
		{retry.Unavailable("openai", time.Time{}, errors.New("refused")), "outage"},
		{errors.New("boom"), "error"},
	}
	for _, tt := range tests {
		if got := failureRule(tt.err); got != tt.want {
			t.Errorf("failureRule(%v) = %s, want %s", tt.err, got, tt.want)
		}
	}
}
