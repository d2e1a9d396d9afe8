package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ClaimNext marks the oldest submission that is new and due at now as
// processing, counts the attempt, and returns it; ok is false when none is
// due. The claim is committed before any work on it starts.
func (s *Store) ClaimNext(ctx context.Context, now time.Time) (sub Submission, ok bool, err error) {
	sub, err = scanSubmission(s.db.QueryRowContext(ctx, `UPDATE submissions
		SET state = 'processing', attempts = attempts + 1, next_attempt_at = NULL, updated_at = ?1
		WHERE id = (SELECT id FROM submissions
			WHERE state = 'new' AND (next_attempt_at IS NULL OR next_attempt_at <= ?2)
			ORDER BY id LIMIT 1)
		RETURNING `+submissionCols, ts(s.now()), ts(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return Submission{}, false, nil
	}
	if err != nil {
		return Submission{}, false, fmt.Errorf("store: claim next submission: %w", err)
	}
	return sub, true, nil
}

// Claim marks submission id as processing if it is new, whether or not its
// retry is due; ok is false when it is not new (taken by another worker,
// deleted, already done).
func (s *Store) Claim(ctx context.Context, id int64) (sub Submission, ok bool, err error) {
	sub, err = scanSubmission(s.db.QueryRowContext(ctx, `UPDATE submissions
		SET state = 'processing', attempts = attempts + 1, next_attempt_at = NULL, updated_at = ?2
		WHERE id = ?1 AND state = 'new'
		RETURNING `+submissionCols, id, ts(s.now())))
	if errors.Is(err, sql.ErrNoRows) {
		return Submission{}, false, nil
	}
	if err != nil {
		return Submission{}, false, fmt.Errorf("store: claim submission %d: %w", id, err)
	}
	return sub, true, nil
}

// PendingIDs returns the ids of the submissions in state new, oldest first,
// including those waiting for a retry.
func (s *Store) PendingIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM submissions WHERE state = 'new' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: pending submissions: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: pending submissions: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pending submissions: %w", err)
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

// NextDue returns when the earliest retry waiting in state new is due; ok
// is false when none is waiting.
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
	return s.finish(ctx, id, "release", `state = 'new', attempts = MAX(attempts - 1, 0)`)
}

// Retry puts a submission being processed back to new after a transient
// error, due again at at.
func (s *Store) Retry(ctx context.Context, id int64, reason string, at time.Time) error {
	return s.finish(ctx, id, "retry", `state = 'new', last_error = ?3, next_attempt_at = ?4`, reason, ts(at))
}

// Fail marks a submission being processed as failed for good.
func (s *Store) Fail(ctx context.Context, id int64, reason string) error {
	return s.finish(ctx, id, "fail", `state = 'failed', last_error = ?3`, reason)
}

// finish applies set (which may use ?3 onwards) to submission id if it is
// still processing; otherwise it returns ErrStateChanged.
func (s *Store) finish(ctx context.Context, id int64, what, set string, args ...any) error {
	res, err := s.db.ExecContext(ctx, `UPDATE submissions SET `+set+`, updated_at = ?2
		WHERE id = ?1 AND state = 'processing'`, append([]any{id, ts(s.now())}, args...)...)
	if err != nil {
		return fmt.Errorf("store: %s submission %d: %w", what, id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: %s submission %d: %w", what, id, ErrStateChanged)
	}
	return nil
}

// RecoverProcessing puts submissions left processing by a crash back to new
// and returns how many it requeued. Their attempt still counts, and one
// that has had maxAttempts fails instead (failed counts those), so a page
// that crashes the process cannot loop forever. Call it before any worker
// starts.
func (s *Store) RecoverProcessing(ctx context.Context, maxAttempts int) (requeued, failed int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		res, err := tx.ExecContext(ctx, `UPDATE submissions
			SET state = 'failed', last_error = 'the process stopped while processing it (gave up after ' || attempts || ' attempts)', updated_at = ?1
			WHERE state = 'processing' AND attempts >= ?2`, now, maxAttempts)
		if err != nil {
			return err
		}
		if failed, err = rowsAffected(res); err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, `UPDATE submissions SET state = 'new', updated_at = ?
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
