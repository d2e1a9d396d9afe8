package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/godevcommunity/newsletter/internal/quiet"
)

// due selects new submissions whose turn has come at the time bound to
// the placeholder now: no retry time or one reached, and not waiting for a
// dependency unless that wait has a time that has come.
func due(now string) string {
	return `state = 'new' AND (next_attempt_at IS NULL OR next_attempt_at <= ` + now + `)
	AND (waiting_for = '' OR next_attempt_at IS NOT NULL)`
}

// ClaimNext marks the oldest submission that is new and due at now as
// processing and returns it; ok is false when none is due. The claim is
// committed before any work on it starts. The returned Attempts counts the
// attempt under way, which is charged only when it ends (Retry, Fail,
// SaveArticle finding a duplicate, MarkSummarized): a stop charges nothing.
func (s *Store) ClaimNext(ctx context.Context, now time.Time) (sub Submission, ok bool, err error) {
	sub, err = scanSubmission(s.db.QueryRowContext(ctx, `UPDATE submissions
		SET state = 'processing', next_attempt_at = NULL, waiting_for = '', updated_at = ?1
		WHERE id = (SELECT id FROM submissions WHERE `+due("?2")+` ORDER BY id LIMIT 1)
		RETURNING `+submissionCols, ts(s.now()), ts(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return Submission{}, false, nil
	}
	if err != nil {
		return Submission{}, false, fmt.Errorf("store: claim next submission: %w", err)
	}
	sub.Attempts++ // the one under way
	return sub, true, nil
}

// Claim marks submission id as processing if it is new and due at now;
// ok is false when it is not (taken by another worker, deleted, done, or
// not due yet). Attempts counts the attempt under way, as in ClaimNext.
func (s *Store) Claim(ctx context.Context, id int64, now time.Time) (sub Submission, ok bool, err error) {
	sub, err = scanSubmission(s.db.QueryRowContext(ctx, `UPDATE submissions
		SET state = 'processing', next_attempt_at = NULL, waiting_for = '', updated_at = ?1
		WHERE id = ?3 AND `+due("?2")+`
		RETURNING `+submissionCols, ts(s.now()), ts(now), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Submission{}, false, nil
	}
	if err != nil {
		return Submission{}, false, fmt.Errorf("store: claim submission %d: %w", id, err)
	}
	sub.Attempts++ // the one under way
	return sub, true, nil
}

// DueIDs returns the ids of the submissions due at now, oldest first: what
// ClaimNext would take, in turn.
func (s *Store) DueIDs(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM submissions WHERE `+due("?")+` ORDER BY id`, ts(now))
	if err != nil {
		return nil, fmt.Errorf("store: due submissions: %w", err)
	}
	defer quiet.Close(rows)
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: due submissions: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: due submissions: %w", err)
	}
	return ids, nil
}

// CountProcessing returns how many submissions are being processed.
func (s *Store) CountProcessing(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM submissions WHERE state = 'processing'`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count processing: %w", err)
	}
	return n, nil
}

// NextDue returns when the earliest submission waiting in state new for a
// time is due; ok is false when none is waiting for a time.
func (s *Store) NextDue(ctx context.Context) (due time.Time, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT MIN(next_attempt_at) FROM submissions
		WHERE state = 'new' AND next_attempt_at IS NOT NULL`).Scan(timeCol{&due})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next due submission: %w", err)
	}
	return due, !due.IsZero(), nil
}

// Release puts a submission being processed back to new without counting
// the attempt: the work was interrupted (shutdown, run deadline), not failed.
func (s *Store) Release(ctx context.Context, id int64) error {
	return s.finish(ctx, id, "release", `state = 'new'`, "", "")
}

// Wait puts a submission being processed back to new without counting the
// attempt, waiting for a dependency that is unavailable: until until, or
// until ResumeWaiting when until is zero. reason goes into its history.
func (s *Store) Wait(ctx context.Context, id int64, dependency, reason string, until time.Time) error {
	return s.finish(ctx, id, "park", `state = 'new', waiting_for = ?3, next_attempt_at = ?4`,
		EventWaiting, reason, dependency, nullTS(until))
}

// ResumeWaiting makes the submissions waiting for dependency due now ("" for
// every dependency) and returns how many there were.
func (s *Store) ResumeWaiting(ctx context.Context, dependency string) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE submissions SET waiting_for = '', next_attempt_at = NULL, updated_at = ?1
		WHERE state = 'new' AND waiting_for != '' AND (?2 = '' OR waiting_for = ?2)`, ts(s.now()), dependency)
	if err != nil {
		return 0, fmt.Errorf("store: resume submissions waiting for %q: %w", dependency, err)
	}
	return rowsAffected(res)
}

// Retry puts a submission being processed back to new after a transient
// error, due again at at.
func (s *Store) Retry(ctx context.Context, id int64, reason string, at time.Time) error {
	return s.finish(ctx, id, "retry", `state = 'new', attempts = attempts + 1, interruptions = 0, last_error = ?3, next_attempt_at = ?4`, EventRetry, reason, reason, ts(at))
}

// Fail marks a submission being processed as failed for good.
func (s *Store) Fail(ctx context.Context, id int64, reason string) error {
	return s.finish(ctx, id, "fail", `state = 'failed', attempts = attempts + 1, interruptions = 0, last_error = ?3`, EventFailed, reason, reason)
}

// finish applies set (which may use ?3 onwards) to submission id if it is
// still processing, and records event with detail in its history (none
// when event is ""); otherwise it returns ErrStateChanged.
func (s *Store) finish(ctx context.Context, id int64, what, set string, event EventKind, detail string, args ...any) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		res, err := tx.ExecContext(ctx, `UPDATE submissions SET `+set+`, updated_at = ?2
			WHERE id = ?1 AND state = 'processing'`, append([]any{id, now}, args...)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrStateChanged
		}
		if event == "" {
			return nil
		}
		return addEvent(ctx, tx, id, now, event, detail, "")
	})
	if err != nil {
		return fmt.Errorf("store: %s submission %d: %w", what, id, err)
	}
	return nil
}

// MaxInterruptions bounds the stops a submission may be caught in while
// it is processed, in a row, before it fails: a page that crashes the
// process every time is not retried for ever, while a stop now and then
// charges no attempt.
const MaxInterruptions = 10

// RecoverProcessing puts submissions left processing by a stop back to
// new, charging no attempt, and returns how many it requeued. One caught
// in MaxInterruptions stops in a row fails instead (failed counts those).
// Call it before any worker starts.
func (s *Store) RecoverProcessing(ctx context.Context) (requeued, failed int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		res, err := tx.ExecContext(ctx, `UPDATE submissions
			SET state = 'failed', interruptions = interruptions + 1,
			    last_error = 'the process stopped while processing it, ' || (interruptions + 1) || ' times in a row', updated_at = ?1
			WHERE state = 'processing' AND interruptions + 1 >= ?2`, now, MaxInterruptions)
		if err != nil {
			return err
		}
		if failed, err = rowsAffected(res); err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, `UPDATE submissions SET state = 'new', interruptions = interruptions + 1, updated_at = ?
			WHERE state = 'processing'`, now)
		if err != nil {
			return err
		}
		requeued, err = rowsAffected(res)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: recover processing submissions: %w", err)
	}
	return requeued, failed, nil
}

func rowsAffected(res sql.Result) (int, error) {
	n, err := res.RowsAffected()
	return int(n), err
}

// CountWaiting returns how many submissions wait for each dependency.
func (s *Store) CountWaiting(ctx context.Context) (map[string]int, error) {
	return countGroups[string](ctx, s, "waiting submissions", `SELECT waiting_for, COUNT(*) FROM submissions
		WHERE state = 'new' AND waiting_for != '' GROUP BY waiting_for`)
}
