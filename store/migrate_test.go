package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// databaseAt returns a new database file migrated to version only, as
// that release left it, open, and the embedded migrations.
func databaseAt(t *testing.T, version int) (string, *sql.DB, []migration) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), db, ms, version); err != nil {
		t.Fatal(err)
	}
	return path, db, ms
}

func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	// A database as the first release left it, with one queued submission.
	path, db, ms := databaseAt(t, 1)
	if _, err := db.ExecContext(ctx, `INSERT INTO submissions
		(url, canonical_url, state, created_at, updated_at)
		VALUES ('https://example.com/a', 'https://example.com/a', 'new', ?1, ?1)`, ts(t0)); err != nil {
		t.Fatal(err)
	}
	if v, _ := userVersion(ctx, db); v != 1 {
		t.Fatalf("old database at version %d, want 1", v)
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open version-1 database: %v", err)
	}
	defer s.Close()
	if v, _ := userVersion(ctx, s.db); v != len(ms) {
		t.Errorf("schema version after open = %d, want %d", v, len(ms))
	}
	sub, err := s.Submission(ctx, 1)
	if err != nil {
		t.Fatalf("submission from version 1 lost: %v", err)
	}
	if sub.URL != "https://example.com/a" || sub.State != StateNew || sub.DuplicateOf != 0 {
		t.Errorf("migrated submission = %+v", sub)
	}
	if _, err := s.StartRun(ctx, RunManual, t0); err != nil {
		t.Errorf("runs table of version 2 unusable: %v", err)
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open(version 99) error = %v, want one saying the schema is newer", err)
	}
}

func TestLoadMigrations(t *testing.T) {
	sql := &fstest.MapFile{Data: []byte("CREATE TABLE t (x);")}
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    int
		wantErr string
	}{
		{"ordered", fstest.MapFS{"migrations/001_a.sql": sql, "migrations/002_b.sql": sql}, 2, ""},
		{"gap", fstest.MapFS{"migrations/001_a.sql": sql, "migrations/003_c.sql": sql}, 0, "expected version 2"},
		{"bad name", fstest.MapFS{"migrations/first.sql": sql}, 0, "NNN_name.sql"},
		{"none", fstest.MapFS{}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := loadMigrations(tt.files)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != tt.want {
				t.Errorf("got %d migrations, want %d", len(ms), tt.want)
			}
		})
	}
}

func TestEmbeddedMigrationsLoad(t *testing.T) {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 2 {
		t.Fatalf("got %d embedded migrations, want at least 2", len(ms))
	}
}

// Processes started together on a new database (the service and a CLI
// command) each open it; every migration must be applied exactly once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	// The first open creates the file in WAL mode; the race is over the
	// migrations, which the others must not repeat.
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PingContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n = 4
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			s, err := Open(context.Background(), path)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent open: %v", err)
		}
	}
	ms, _ := loadMigrations(migrationFS)
	if v, _ := userVersion(context.Background(), db); v != len(ms) {
		t.Errorf("schema version = %d, want %d", v, len(ms))
	}
}

// TestMigrateFromVersion4: an issue published before content_at existed
// gets its last change from updated_at.
func TestMigrateFromVersion4(t *testing.T) {
	ctx := context.Background()
	path, db, _ := databaseAt(t, 4)
	if _, err := db.ExecContext(ctx, `INSERT INTO issues
		(week, title, slug, cuid, issue_date, state, content, content_hash, published_at, created_at, updated_at)
		VALUES ('2024-W36', 'T', 's', 'c', ?1, 'published', '# T', 'abc', ?1, ?1, ?2)`, ts(t0), ts(t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open version-4 database: %v", err)
	}
	defer s.Close()
	is, err := s.Issue(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !is.ContentAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("content_at = %v, want updated_at %v", is.ContentAt, t0.Add(time.Hour))
	}
}
