package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one schema step; version is the NNN prefix of its file name.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads migrations/NNN_name.sql and checks they number 1, 2, 3...
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	ms := make([]migration, 0, len(names))
	for i, name := range names { // Glob sorts, and the prefix is zero-padded
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNN_name.sql", base)
		}
		if v != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", base, i+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	return ms, nil
}

// migrate applies the migrations up to and including version target that
// the database (PRAGMA user_version) has not had yet, each in its own
// transaction together with the version bump.
func migrate(ctx context.Context, db *sql.DB, ms []migration, target int) error {
	for {
		done, err := migrateStep(ctx, db, ms, target)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the next migration the database lacks, or reports
// done when it is at target. The version is read inside the write
// transaction, so processes opening a new database at once apply each
// migration once.
func migrateStep(ctx context.Context, db *sql.DB, ms []migration, target int) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil) // IMMEDIATE: the write lock is taken before the read
	if err != nil {
		return false, err
	}
	defer rollback(tx)
	var current int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if current > len(ms) {
		return false, fmt.Errorf("database schema version %d is newer than this program's %d", current, len(ms))
	}
	if current >= target {
		return true, nil
	}
	m := ms[current]
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, fmt.Errorf("%s: %w", m.name, err)
	}
	// PRAGMA takes no parameters; the version is an integer we control.
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.version)); err != nil {
		return false, fmt.Errorf("%s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("%s: %w", m.name, err)
	}
	return false, nil
}

func userVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
