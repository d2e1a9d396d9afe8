package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/godevcommunity/newsletter/internal/quiet"
)

// RunKind says what started an issue run.
type RunKind string

// Run kinds.
const (
	RunManual    RunKind = "manual"
	RunScheduled RunKind = "scheduled"
)

// RunState is where an issue run is.
type RunState string

// Run states. A run left running by a crash becomes interrupted on the next
// start.
const (
	RunRunning     RunState = "running"
	RunSucceeded   RunState = "succeeded"
	RunFailed      RunState = "failed"
	RunInterrupted RunState = "interrupted"
)

// Run is one issue run.
type Run struct {
	ID   int64
	Kind RunKind
	// ScheduledFor is the schedule slot a scheduled run serves, or the
	// start time of a manual one; it dates the issue.
	ScheduledFor time.Time
	State        RunState
	StartedAt    time.Time
	FinishedAt   time.Time // zero while running
	IssueID      int64     // zero when nothing was published
	Report       []byte    // JSON, written by the pipeline
	Error        string
}

const runCols = `id, kind, scheduled_for, state, started_at, finished_at, COALESCE(issue_id, 0), report, error`

func scanRun(row scanner) (Run, error) {
	var r Run
	var report string
	err := row.Scan(&r.ID, &r.Kind, timeCol{&r.ScheduledFor}, &r.State, timeCol{&r.StartedAt},
		timeCol{&r.FinishedAt}, &r.IssueID, &report, &r.Error)
	r.Report = []byte(report)
	return r, err
}

// StartRun records a run as running.
func (s *Store) StartRun(ctx context.Context, kind RunKind, scheduledFor time.Time) (Run, error) {
	r, err := scanRun(s.db.QueryRowContext(ctx, `INSERT INTO runs (kind, state, scheduled_for, started_at)
		VALUES (?, 'running', ?, ?) RETURNING `+runCols, kind, ts(scheduledFor), ts(s.now())))
	if err != nil {
		return Run{}, fmt.Errorf("store: start %s run: %w", kind, err)
	}
	return r, nil
}

// FinishRun records the end of a run: its state, issue (0 for none), JSON
// report and error text.
func (s *Store) FinishRun(ctx context.Context, id int64, state RunState, issueID int64, report []byte, errText string) error {
	if len(report) == 0 {
		report = []byte("{}")
	}
	var issue any
	if issueID != 0 {
		issue = issueID
	}
	res, err := s.db.ExecContext(ctx, `UPDATE runs
		SET state = ?2, finished_at = ?3, issue_id = ?4, report = ?5, error = ?6
		WHERE id = ?1 AND state = 'running'`, id, state, ts(s.now()), issue, string(report), errText)
	if err != nil {
		return fmt.Errorf("store: finish run %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: finish run %d: %w: not running", id, ErrConflict)
	}
	return nil
}

// Run returns the run with the given id, or ErrNotFound.
func (s *Store) Run(ctx context.Context, id int64) (Run, error) {
	r, err := scanRun(s.db.QueryRowContext(ctx, `SELECT `+runCols+` FROM runs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("store: run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Run{}, fmt.Errorf("store: run %d: %w", id, err)
	}
	return r, nil
}

// LastSucceededRun returns the latest successful run; ok is false when no
// run has succeeded yet.
func (s *Store) LastSucceededRun(ctx context.Context) (r Run, ok bool, err error) {
	r, err = scanRun(s.db.QueryRowContext(ctx, `SELECT `+runCols+` FROM runs
		WHERE state = 'succeeded' ORDER BY started_at DESC, id DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, false, nil
	}
	if err != nil {
		return Run{}, false, fmt.Errorf("store: last succeeded run: %w", err)
	}
	return r, true, nil
}

// InterruptRuns marks runs left running by a crash as interrupted and
// returns how many. Call it before any run starts.
func (s *Store) InterruptRuns(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE runs
		SET state = 'interrupted', finished_at = ?1, error = 'interrupted: the process stopped during the run'
		WHERE state = 'running'`, ts(s.now()))
	if err != nil {
		return 0, fmt.Errorf("store: interrupt runs: %w", err)
	}
	return rowsAffected(res)
}

// SubmittedBefore reports whether any submission was made before t.
func (s *Store) SubmittedBefore(ctx context.Context, t time.Time) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM submissions WHERE created_at < ?`, ts(t)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: submissions before %s: %w", ts(t), err)
	}
	return n > 0, nil
}

// Runs returns the latest runs, newest first, at most limit.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+runCols+` FROM runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list runs: %w", err)
	}
	defer quiet.Close(rows)
	var runs []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list runs: %w", err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list runs: %w", err)
	}
	return runs, nil
}
