package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRuns(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(t)
	if _, ok, err := s.LastSucceededRun(ctx); ok || err != nil {
		t.Fatalf("LastSucceededRun on empty store = %v, %v", ok, err)
	}
	r1, err := s.StartRun(ctx, RunScheduled, t0)
	if err != nil {
		t.Fatal(err)
	}
	if r1.State != RunRunning || r1.Kind != RunScheduled || !r1.ScheduledFor.Equal(t0) {
		t.Fatalf("started run = %+v", r1)
	}
	if err := s.FinishRun(ctx, r1.ID, RunSucceeded, 0, []byte(`{"articles":0}`), ""); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, r1.ID, RunFailed, 0, nil, "x"); !errors.Is(err, ErrConflict) {
		t.Errorf("finishing a run twice: error = %v, want ErrConflict", err)
	}
	c.Advance(time.Hour)
	r2, _ := s.StartRun(ctx, RunManual, c.Now())
	last, ok, err := s.LastSucceededRun(ctx)
	if err != nil || !ok || last.ID != r1.ID || string(last.Report) != `{"articles":0}` {
		t.Fatalf("LastSucceededRun = %+v, %v, %v", last, ok, err)
	}
	n, err := s.InterruptRuns(ctx)
	if err != nil || n != 1 {
		t.Fatalf("InterruptRuns = %d, %v", n, err)
	}
	got, err := s.Run(ctx, r2.ID)
	if err != nil || got.State != RunInterrupted || got.FinishedAt.IsZero() || got.Error == "" {
		t.Errorf("interrupted run = %+v, %v", got, err)
	}
	if _, err := s.Run(ctx, 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("Run(99) error = %v, want ErrNotFound", err)
	}
}

func TestSubmittedBefore(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(t)
	submit(t, s, "https://example.com/a")
	tests := []struct {
		t    time.Time
		want bool
	}{
		{c.Now().Add(-time.Second), false},
		{c.Now(), false},
		{c.Now().Add(time.Second), true},
	}
	for _, tt := range tests {
		if got, err := s.SubmittedBefore(ctx, tt.t); err != nil || got != tt.want {
			t.Errorf("SubmittedBefore(%v) = %v, %v; want %v", tt.t, got, err, tt.want)
		}
	}
}
