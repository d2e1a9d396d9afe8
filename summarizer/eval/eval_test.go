package eval

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

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

// scripted answers each Summarize with the next of its results and
// records the inputs.
type scripted struct {
	out  []*summarizer.Result
	errs []error
	ins  []summarizer.Input
}

func (s *scripted) Summarize(_ context.Context, in summarizer.Input) (*summarizer.Result, error) {
	i := len(s.ins)
	s.ins = append(s.ins, in)
	return s.out[i], s.errs[i]
}
func (s *scripted) Model() string         { return "m" }
func (s *scripted) Provider() string      { return "gemini" }
func (s *scripted) PromptVersion() string { return "v" }

// TestEvaluateFirstTry: a first-try pass is one request, no correction,
// no truncated answer asked again; runs ask the standard tier unless Flex.
func TestEvaluateFirstTry(t *testing.T) {
	ok := func(requests, corrections int) *summarizer.Result {
		r := &summarizer.Result{Usage: summarizer.Usage{Requests: requests}}
		r.Checks.Corrections = corrections
		r.Summary = "요약합니다."
		return r
	}
	tests := []struct {
		name                              string
		out                               *summarizer.Result
		err                               error
		firstTry, retried, corrected, bad int
	}{
		{"one request", ok(1, 0), nil, 1, 0, 0, 0},
		{"a truncated answer asked again", ok(2, 0), nil, 0, 1, 0, 0},
		{"a rate limit retried", ok(3, 0), nil, 0, 1, 0, 0},
		{"a correction", ok(2, 1), nil, 0, 0, 1, 0},
		{"a retry and a correction", ok(3, 1), nil, 0, 0, 1, 0},
		{"failed", ok(2, 1), &summarizer.GuardrailError{Violations: []summarizer.Violation{{Rule: "speech"}}}, 0, 0, 0, 1},
	}
	for _, tt := range tests {
		for _, flex := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, flex %v", tt.name, flex), func(t *testing.T) {
				s := &scripted{out: []*summarizer.Result{tt.out}, errs: []error{tt.err}}
				rep, err := Evaluate(context.Background(), []Run{{Prompt: "embedded", S: s, Flex: flex}},
					[]Article{{Name: "a", In: summarizer.Input{URL: "https://example.com/a"}}}, clockwork.NewFakeClock())
				if err != nil {
					t.Fatal(err)
				}
				r := rep.Runs[0]
				if r.FirstTryPass != tt.firstTry || r.Retried != tt.retried || r.Corrected != tt.corrected || r.Failed != tt.bad {
					t.Errorf("first try %d, retried %d, corrected %d, failed %d; want %d %d %d %d",
						r.FirstTryPass, r.Retried, r.Corrected, r.Failed, tt.firstTry, tt.retried, tt.corrected, tt.bad)
				}
				if s.ins[0].Urgent == flex {
					t.Errorf("asked with Urgent %v, want %v: the standard tier unless the run is flex", s.ins[0].Urgent, !flex)
				}
			})
		}
	}
}
