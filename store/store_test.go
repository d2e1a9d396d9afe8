package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

var t0 = time.Date(2024, 9, 2, 6, 0, 0, 0, time.UTC)

func newTestStore(t *testing.T) (*Store, *clockwork.FakeClock) {
	t.Helper()
	c := clockwork.NewFakeClockAt(t0)
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), WithClock(c))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, c
}

func submit(t *testing.T, s *Store, url string) Submission {
	t.Helper()
	sub, result, err := s.Submit(context.Background(), NewSubmission{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	if result != Created {
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
	at := time.Date(2024, 9, 2, 15, 4, 5, 123456000, time.FixedZone("KST", 9*3600))
	c.Advance(at.Sub(c.Now()))
	sub := submit(t, s, "https://example.com/a")
	if !sub.CreatedAt.Equal(at) {
		t.Errorf("CreatedAt = %v, want %v", sub.CreatedAt, at)
	}
	if !sub.NextAttemptAt.IsZero() {
		t.Errorf("NextAttemptAt = %v, want zero", sub.NextAttemptAt)
	}
}

func TestPingNeedsAWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ping.db")
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping of a healthy database: %v", err)
	}
	// Another writer holds the database: reads still answer, writes wait.
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK") //nolint:errcheck // the test ends either way
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := s.Ping(short); err == nil {
		t.Error("Ping answered ready while another writer held the database")
	}
}

// TestOpenMakesItsFolder: a first start in a folder that does not exist
// yet (a fresh volume, store.path under a new directory) makes it.
func TestOpenMakesItsFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "nested", "newsletter.db")
	s, err := Open(context.Background(), path, WithExclusive())
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database is not there: %v", err)
	}
}
