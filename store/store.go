// Package store keeps the service's state in one SQLite database: the
// submitted links and their progress, fetched articles, the summariser cache,
// issues and issue runs.
//
// Every state change is committed in its own short transaction before the
// side effect it announces, so a crash at any point loses nothing and
// repeats nothing.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jonboulle/clockwork"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Errors callers test for with errors.Is.
var (
	// ErrNotFound means no row has the given id.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the row is in a state that forbids the change.
	ErrConflict = errors.New("conflict")
	// ErrStateChanged means a submission left the state the caller expected,
	// e.g. it was deleted or marked duplicate while it was being processed.
	ErrStateChanged = errors.New("submission state changed")
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	db        *sql.DB
	now       func() time.Time
	exclusive bool
	lock      io.Closer // the process lock when exclusive
}

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock of the timestamps the store writes and of the
// due times it compares.
func WithClock(c clockwork.Clock) Option {
	return func(s *Store) { s.now = c.Now }
}

// maxOpenConns bounds the connection pool. WAL lets readers run beside the
// one writer; write transactions begin IMMEDIATE so they queue on the busy
// timeout instead of failing when a read is upgraded to a write.
const maxOpenConns = 4

// Open opens (creating if needed) the database at path and migrates it to
// the current schema.
func Open(ctx context.Context, path string, opts ...Option) (_ *Store, err error) {
	s := &Store{now: time.Now}
	for _, o := range opts {
		o(s)
	}
	// A first start makes the database's folder, as it makes the file.
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if s.exclusive {
		if s.lock, err = lockFile(path + ".lock"); err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, s.Close())
		}
	}()
	if s.db, err = sql.Open("sqlite", dsn(path)); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.db.SetMaxOpenConns(maxOpenConns)
	s.db.SetMaxIdleConns(maxOpenConns)
	s.db.SetConnMaxIdleTime(5 * time.Minute)
	if err := s.db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	ms, err := loadMigrations(migrationFS)
	if err == nil {
		err = migrate(ctx, s.db, ms, len(ms))
	}
	if err != nil {
		return nil, fmt.Errorf("store: migrate %s: %w", path, err)
	}
	return s, nil
}

func dsn(path string) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "foreign_keys(1)", "journal_mode(WAL)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Close closes the database and releases its process lock.
func (s *Store) Close() error {
	var errs []error
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.lock != nil {
		errs = append(errs, s.lock.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping checks that the database answers and takes a write: readiness
// means a submission can be saved, so a database locked by another writer
// or on a full disk is not ready.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('ready_probe', ?1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, ts(s.now()))
	if err != nil {
		return fmt.Errorf("store: ping: a write failed: %w", err)
	}
	return nil
}

// tx runs fn in a write transaction and commits it when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("store: roll back: %w", rerr))
		}
		return err
	}
	return tx.Commit()
}

// rollback ends tx on the way out of a function that commits it on
// success, for a defer. After Commit, Rollback returns sql.ErrTxDone,
// which means nothing; before it, the error that made the function stop is
// the one it returns, and a rollback that fails leaves nothing behind:
// SQLite rolls back the transaction of a connection that closes.
func rollback(tx *sql.Tx) { _ = tx.Rollback() }
