package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/godevcommunity/newsletter/internal/quiet"
)

// EventKind names what happened to a submission.
type EventKind string

// Event kinds, in the order a submission usually meets them.
const (
	EventSubmitted  EventKind = "submitted"
	EventWaiting    EventKind = "waiting"   // a dependency is unavailable; no attempt charged
	EventRetry      EventKind = "retry"     // a transient failure; retried later
	EventFailed     EventKind = "failed"    // for good
	EventDuplicate  EventKind = "duplicate" // repeats an earlier submission
	EventSummarized EventKind = "summarized"
	EventRequeued   EventKind = "requeued" // a failed submission queued again
	EventDeleted    EventKind = "deleted"
	EventPublished  EventKind = "published"
	// An editor's changes: detail is JSON {"field", "from", "to"} for an
	// edit or revert, the instruction for a regeneration.
	EventEdited      EventKind = "edited"
	EventReverted    EventKind = "reverted"
	EventRegenerated EventKind = "regenerated"
	EventExcluded    EventKind = "excluded"
	EventIncluded    EventKind = "included"
	EventMoved       EventKind = "moved"
)

// Event is one entry in a submission's history.
type Event struct {
	ID           int64
	SubmissionID int64
	At           time.Time
	Kind         EventKind
	Detail       string // the reason, or what changed
	Actor        string // who did it; "" for the service itself
}

// execer runs statements, in a transaction or not.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// addEvent records an event of submission id at now (stored text).
func addEvent(ctx context.Context, db execer, id int64, now string, kind EventKind, detail, actor string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO events (submission_id, at, kind, detail, actor)
		VALUES (?, ?, ?, ?, ?)`, id, now, string(kind), detail, actor)
	return err
}

// Events returns the history of a submission, oldest first.
func (s *Store) Events(ctx context.Context, submissionID int64) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, submission_id, at, kind, detail, actor
		FROM events WHERE submission_id = ? ORDER BY id`, submissionID)
	if err != nil {
		return nil, fmt.Errorf("store: history of submission %d: %w", submissionID, err)
	}
	defer quiet.Close(rows)
	var es []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ID, &e.SubmissionID, timeCol{&e.At}, &e.Kind, &e.Detail, &e.Actor); err != nil {
			return nil, fmt.Errorf("store: history of submission %d: %w", submissionID, err)
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: history of submission %d: %w", submissionID, err)
	}
	return es, nil
}

// ChangesSince returns, for each entry of issue issueID an editor changed
// after the issue was last published (edited, reverted, regenerated,
// excluded, included or moved), the kinds of its changes, each once, in
// the order they came.
func (s *Store) ChangesSince(ctx context.Context, issueID int64) (map[int64][]EventKind, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.submission_id, e.kind FROM events e
		JOIN submissions s ON s.id = e.submission_id
		WHERE s.issue_id = ?1 AND e.id > (SELECT published_event FROM issues WHERE id = ?1)
		AND e.kind IN ('edited', 'reverted', 'regenerated', 'excluded', 'included', 'moved')
		ORDER BY e.id`, issueID)
	if err != nil {
		return nil, fmt.Errorf("store: changes of issue %d: %w", issueID, err)
	}
	defer quiet.Close(rows)
	out := map[int64][]EventKind{}
	for rows.Next() {
		var id int64
		var k EventKind
		if err := rows.Scan(&id, &k); err != nil {
			return nil, fmt.Errorf("store: changes of issue %d: %w", issueID, err)
		}
		if !slices.Contains(out[id], k) {
			out[id] = append(out[id], k)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: changes of issue %d: %w", issueID, err)
	}
	return out, nil
}
