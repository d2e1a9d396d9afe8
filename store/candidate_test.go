package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestCandidates(t *testing.T) {
	s, clock := newTestStore(t)
	ctx := context.Background()
	add := func(url, source string, points int) Candidate {
		t.Helper()
		c, _, err := s.AddCandidate(ctx, NewCandidate{URL: url, Title: "t " + url, Source: source, Points: points, State: CandidateNew})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a := add("https://a.example/1", "HN", 10)
	// The same address from another source: one candidate, two sources,
	// the higher points.
	again, added, err := s.AddCandidate(ctx, NewCandidate{URL: a.URL, Title: "other title", Snippet: "filled", Source: "Lobsters_%", Points: 50, State: CandidateNew})
	if err != nil || added || again.ID != a.ID || !slices.Equal(again.Sources, []string{"HN", "Lobsters_%"}) || again.Points != 50 || again.Snippet != "filled" {
		t.Fatalf("seen again: %+v added %v %v", again, added, err)
	}
	b := add("https://a.example/2", "HN", 0)
	for _, tt := range []struct {
		source string
		want   int
	}{{"HN", 2}, {"Lobsters_%", 1}, {"Lobsters", 0}, {"L%", 0}, {"", 2}} {
		cs, err := s.Candidates(ctx, CandidateFilter{Source: tt.source})
		if err != nil || len(cs) != tt.want {
			t.Errorf("source %q: %d candidates, want %d (%v)", tt.source, len(cs), tt.want, err)
		}
	}
	if _, err := s.DecideCandidate(ctx, a.ID, CandidateDismissed, "kim", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideCandidate(ctx, a.ID, CandidateAccepted, "lee", 0); !errors.Is(err, ErrConflict) {
		t.Errorf("decided twice: %v", err)
	}
	if _, err := s.DecideCandidate(ctx, 999, CandidateAccepted, "lee", 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such candidate: %v", err)
	}
	clock.Advance(15 * 24 * time.Hour)
	n, err := s.ExpireCandidates(ctx, clock.Now().Add(-14*24*time.Hour))
	if err != nil || n != 1 {
		t.Errorf("expired %d, want 1 (%v)", n, err)
	}
	if c, _ := s.Candidate(ctx, b.ID); c.State != CandidateExpired {
		t.Errorf("b is %s", c.State)
	}
	if c, _ := s.Candidate(ctx, a.ID); c.State != CandidateDismissed {
		t.Errorf("a dismissed stays dismissed, is %s", c.State)
	}
	counts, err := s.CountCandidates(ctx)
	if err != nil || len(counts) != 2 {
		t.Errorf("counts %+v %v", counts, err)
	}

	if err := s.SaveSourcePoll(ctx, SourcePoll{Name: "HN", ETag: `"x"`, Failures: 2, LastError: "boom", NextPollAt: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	polls, err := s.SourcePolls(ctx)
	if err != nil || polls["HN"].ETag != `"x"` || polls["HN"].Failures != 2 || !polls["HN"].NextPollAt.Equal(clock.Now()) {
		t.Errorf("polls %+v %v", polls, err)
	}
}
