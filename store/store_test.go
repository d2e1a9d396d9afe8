package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var t0 = time.Date(2024, 9, 2, 6, 0, 0, 0, time.UTC)

func newTestStore(t *testing.T) (*Store, *clock) {
	t.Helper()
	c := &clock{t: t0}
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, c
}

func submit(t *testing.T, s *Store, url string) Submission {
	t.Helper()
	sub, created, err := s.Submit(context.Background(), NewSubmission{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	if !created {
		t.Fatalf("submit %s: returned existing submission %d", url, sub.ID)
	}
	return sub
}

func TestOpenSettings(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
		{"synchronous", "1"},
	}
	for _, tt := range tests {
		var got string
		if err := s.db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("PRAGMA %s = %q, want %q", tt.pragma, got, tt.want)
		}
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestOpenIsRepeatable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	ctx := context.Background()
	for i := range 2 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		v, err := userVersion(ctx, s.db)
		if err != nil {
			t.Fatal(err)
		}
		ms, _ := loadMigrations(migrationFS)
		if v != len(ms) {
			t.Errorf("open #%d: schema version %d, want %d", i+1, v, len(ms))
		}
		s.Close()
	}
}

func TestTimestampsRoundTrip(t *testing.T) {
	s, c := newTestStore(t)
	c.t = time.Date(2024, 9, 2, 15, 4, 5, 123456000, time.FixedZone("KST", 9*3600))
	sub := submit(t, s, "https://example.com/a")
	if !sub.CreatedAt.Equal(c.t) {
		t.Errorf("CreatedAt = %v, want %v", sub.CreatedAt, c.t)
	}
	if !sub.NextAttemptAt.IsZero() {
		t.Errorf("NextAttemptAt = %v, want zero", sub.NextAttemptAt)
	}
}
