package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestClaimNextOrderAndBackoff(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	b := submit(t, s, "https://example.com/b")

	got, ok, err := s.ClaimNext(ctx, c.Now())
	if err != nil || !ok || got.ID != a.ID || got.State != StateProcessing || got.Attempts != 1 {
		t.Fatalf("first claim = %+v, %v, %v; want submission %d processing, attempt 1", got, ok, err, a.ID)
	}
	if err := s.Retry(ctx, a.ID, "timeout", c.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, ok, _ = s.ClaimNext(ctx, c.Now())
	if !ok || got.ID != b.ID {
		t.Fatalf("second claim = %d, %v; want %d (a waits for its retry)", got.ID, ok, b.ID)
	}
	if _, ok, _ := s.ClaimNext(ctx, c.Now()); ok {
		t.Fatal("claimed a submission whose retry is not due")
	}
	due, ok, err := s.NextDue(ctx)
	if err != nil || !ok || !due.Equal(c.Now().Add(time.Minute)) {
		t.Errorf("NextDue = %v, %v, %v; want %v", due, ok, err, c.Now().Add(time.Minute))
	}
	got, ok, _ = s.ClaimNext(ctx, c.Now().Add(time.Minute))
	if !ok || got.ID != a.ID || got.Attempts != 2 || got.LastError != "timeout" || !got.NextAttemptAt.IsZero() {
		t.Errorf("claim after backoff = %+v, %v; want %d at attempt 2", got, ok, a.ID)
	}
}

func TestClaimHonoursBackoff(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	b := submit(t, s, "https://example.com/b")
	claim(t, s, a.ID)
	if err := s.Retry(ctx, a.ID, "timeout", c.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ids, err := s.DueIDs(ctx, c.Now())
	if err != nil || !slices.Equal(ids, []int64{b.ID}) {
		t.Fatalf("DueIDs = %v, %v; want only the one not waiting for its retry", ids, err)
	}
	if _, ok, _ := s.Claim(ctx, a.ID, c.Now()); ok {
		t.Error("claimed a submission before its retry was due")
	}
	if ids, _ := s.DueIDs(ctx, c.Now().Add(time.Hour)); !slices.Equal(ids, []int64{a.ID, b.ID}) {
		t.Errorf("DueIDs an hour later = %v, want both", ids)
	}
	claim(t, s, a.ID)
	if _, ok, _ := s.Claim(ctx, a.ID, anyTime); ok {
		t.Error("claimed a submission twice")
	}
	if n, _ := s.CountProcessing(ctx); n != 1 {
		t.Errorf("CountProcessing = %d, want 1", n)
	}
}

func TestFinishTransitions(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name         string
		finish       func(s *Store, id int64) error
		wantState    State
		wantAttempts int
		wantError    string
	}{
		{"release", func(s *Store, id int64) error { return s.Release(ctx, id) }, StateNew, 0, ""},
		{"retry", func(s *Store, id int64) error { return s.Retry(ctx, id, "503", t0) }, StateNew, 1, "503"},
		{"fail", func(s *Store, id int64) error { return s.Fail(ctx, id, "404") }, StateFailed, 1, "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			a := submit(t, s, "https://example.com/a")
			claim(t, s, a.ID)
			if err := tt.finish(s, a.ID); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Submission(ctx, a.ID)
			if got.State != tt.wantState || got.Attempts != tt.wantAttempts || got.LastError != tt.wantError {
				t.Errorf("after %s: %+v", tt.name, got)
			}
			if err := tt.finish(s, a.ID); !errors.Is(err, ErrStateChanged) {
				t.Errorf("second %s: error = %v, want ErrStateChanged", tt.name, err)
			}
		})
	}
}

func TestRecoverProcessing(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(t)
	a := submit(t, s, "https://example.com/a")
	b := submit(t, s, "https://example.com/b")
	submit(t, s, "https://example.com/c")
	// a failed once, then was caught in a stop: the stop charges nothing.
	claim(t, s, a.ID)
	if err := s.Retry(ctx, a.ID, "timeout", c.Now()); err != nil {
		t.Fatal(err)
	}
	claim(t, s, a.ID)
	// b crashed the process every time it was processed.
	for range MaxInterruptions - 1 {
		claim(t, s, b.ID)
		if _, _, err := s.RecoverProcessing(ctx); err != nil {
			t.Fatal(err)
		}
	}
	claim(t, s, a.ID) // a was requeued by the recoveries above
	claim(t, s, b.ID)
	requeued, failed, err := s.RecoverProcessing(ctx)
	if err != nil || requeued != 1 || failed != 1 {
		t.Fatalf("RecoverProcessing = %d requeued, %d failed, %v; want 1 and 1", requeued, failed, err)
	}
	got, _ := s.Submission(ctx, a.ID)
	if got.State != StateNew || got.Attempts != 1 {
		t.Errorf("recovered = %+v; want new with its one failed attempt, the stops not charged", got)
	}
	got, _ = s.Submission(ctx, b.ID)
	want := fmt.Sprintf("the process stopped while processing it, %d times in a row", MaxInterruptions)
	if got.State != StateFailed || got.Attempts != 0 || got.LastError != want {
		t.Errorf("crashed too often = %+v; want failed with no attempt charged, saying %q", got, want)
	}
	// An attempt that ends starts the count of stops again.
	claim(t, s, a.ID)
	if err := s.Retry(ctx, a.ID, "timeout", c.Now()); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Submission(ctx, a.ID); got.Attempts != 2 {
		t.Errorf("after a second failed attempt: %d attempts, want 2", got.Attempts)
	}
	if _, ok, _ := s.ClaimNext(ctx, c.Now()); !ok {
		t.Error("nothing left to claim after recovery")
	}
}

func TestConcurrentClaimsTakeEachOnce(t *testing.T) {
	ctx := context.Background()
	s, c := newTestStore(t)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Go(func() {
			_, _, err := s.Submit(ctx, NewSubmission{URL: fmt.Sprintf("https://example.com/%d", i)})
			errs <- err
		})
	}
	wg.Wait()
	var mu sync.Mutex
	seen := map[int64]int{}
	for range 8 {
		wg.Go(func() {
			for {
				sub, ok, err := s.ClaimNext(ctx, c.Now())
				if err != nil {
					errs <- err
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				seen[sub.ID]++
				mu.Unlock()
				errs <- s.Fail(ctx, sub.ID, "x")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != n {
		t.Errorf("claimed %d distinct submissions, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("submission %d claimed %d times", id, k)
		}
	}
}
