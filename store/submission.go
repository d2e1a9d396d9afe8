package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/internal/quiet"
)

// State is where a submission is in its journey.
type State string

// Submission states. A submission moves new → processing → summarized →
// published; processing may also end in failed, duplicate, or back in new
// (a transient error waiting for its retry, or a checkpoint at shutdown).
const (
	StateNew        State = "new"
	StateProcessing State = "processing"
	StateSummarized State = "summarized"
	StateFailed     State = "failed"
	StateDuplicate  State = "duplicate"
	StatePublished  State = "published"
	StateDeleted    State = "deleted"
)

// States lists every state, in journey order.
var States = []State{StateNew, StateProcessing, StateSummarized, StateFailed, StateDuplicate, StatePublished, StateDeleted}

// Valid reports whether s is one of States.
func (s State) Valid() bool {
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return false
}

// Submission is one submitted link.
type Submission struct {
	ID int64
	// URL is the normalised submitted URL.
	URL string
	// CanonicalURL is the normalised canonical URL: the submitted one until
	// the page is fetched, then the page's own.
	CanonicalURL  string
	SubmittedBy   string
	Note          string
	State         State
	Attempts      int
	LastError     string
	NextAttemptAt time.Time // zero unless waiting for a retry
	// WaitingFor names the unavailable dependency the submission waits for
	// ("gemini", "github"), "" when none.
	WaitingFor  string
	DuplicateOf int64 // zero unless State is StateDuplicate
	IssueID     int64 // zero until assigned to an issue
	// Position is the entry's place in its issue (1 is first), 0 when an
	// editor has not moved any: then entries go in submission order.
	Position int
	// Excluded entries stay out of their issue.
	Excluded  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewSubmission is what a member submits. URL must already be normalised.
type NewSubmission struct {
	URL         string
	SubmittedBy string
	Note        string
	// Again: a link already published, included again on purpose; without
	// it, processing finds the link a duplicate of the published one.
	Again bool
}

var submissionCols = submissionColumns("")

// submissionColumns lists the columns scanSubmission reads, each qualified
// by prefix (a table alias and dot, or "").
func submissionColumns(p string) string {
	return p + `id, ` + p + `url, ` + p + `canonical_url, ` + p + `submitted_by, ` + p + `note, ` +
		p + `state, ` + p + `attempts, ` + p + `last_error, ` + p + `next_attempt_at, ` + p + `waiting_for, ` +
		`COALESCE(` + p + `duplicate_of, 0), COALESCE(` + p + `issue_id, 0), COALESCE(` + p + `position, 0), ` +
		p + `excluded, ` + p + `created_at, ` + p + `updated_at`
}

// queued selects submissions still headed for the next issue: not deleted,
// not published, and in no issue or in the one waiting for review.
var queued = queuedAs("")

// queuedAs is queued for the submissions table under alias p ("s.").
func queuedAs(p string) string {
	return p + `state IN ('new', 'processing', 'summarized', 'failed', 'duplicate')
	AND (` + p + `issue_id IS NULL OR ` + p + `issue_id IN (SELECT id FROM issues WHERE state = 'review'))`
}

// Deletable reports whether DeleteSubmission withdraws s, whose issue (if
// any) is in state issue: the rule of queued, for a submission already
// read. One in an issue published or being published is part of its
// record, failed and duplicate ones too.
func (s Submission) Deletable(issue IssueState) bool {
	switch s.State {
	case StatePublished, StateDeleted:
		return false
	}
	return s.IssueID == 0 || issue == IssueReview
}

// activeAs selects the queued submissions that may still reach the issue,
// for the submissions table under alias p ("s.").
func activeAs(p string) string {
	return p + `state IN ('new', 'processing', 'summarized')
	AND (` + p + `issue_id IS NULL OR ` + p + `issue_id IN (SELECT id FROM issues WHERE state = 'review'))`
}

type scanner interface{ Scan(...any) error }

func scanSubmission(row scanner) (Submission, error) {
	var s Submission
	err := row.Scan(&s.ID, &s.URL, &s.CanonicalURL, &s.SubmittedBy, &s.Note, &s.State, &s.Attempts,
		&s.LastError, timeCol{&s.NextAttemptAt}, &s.WaitingFor, &s.DuplicateOf, &s.IssueID, &s.Position, &s.Excluded,
		timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt})
	return s, err
}

// SubmitResult says what Submit did.
type SubmitResult int

// Submit results.
const (
	Created  SubmitResult = iota + 1 // a new submission
	Existing                         // the same URL is already queued
	Requeued                         // the same URL had failed: it is queued again
)

// Submit records n, unless a submission with the same URL (submitted or
// canonical) is already queued for the next issue: then it returns that
// one, Existing. A queued one that had failed is queued again (see
// Requeue), its reason kept in its history: Requeued.
func (s *Store) Submit(ctx context.Context, n NewSubmission) (sub Submission, result SubmitResult, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		row := tx.QueryRowContext(ctx, `SELECT `+submissionCols+` FROM submissions
			WHERE (url = ?1 OR canonical_url = ?1) AND `+queued+` ORDER BY id LIMIT 1`, n.URL)
		sub, err = scanSubmission(row)
		switch {
		case err == nil && sub.State == StateFailed:
			result = Requeued
			sub, err = requeue(ctx, tx, sub.ID, now, "submitted again", n.SubmittedBy)
			return err
		case err == nil:
			result = Existing
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		row = tx.QueryRowContext(ctx, `INSERT INTO submissions
			(url, canonical_url, submitted_by, note, state, created_at, updated_at, again)
			VALUES (?1, ?1, ?2, ?3, 'new', ?4, ?4, ?5) RETURNING `+submissionCols,
			n.URL, n.SubmittedBy, n.Note, now, n.Again)
		if sub, err = scanSubmission(row); err != nil {
			return err
		}
		result = Created
		return addEvent(ctx, tx, sub.ID, now, EventSubmitted, n.Note, n.SubmittedBy)
	})
	if err != nil {
		return Submission{}, 0, fmt.Errorf("store: submit %s: %w", n.URL, err)
	}
	return sub, result, nil
}

// Requeue queues a failed submission again with its attempts reset, as
// if it were new: its page is fetched again, for the next issue (also when
// it failed in an issue already published). The reason it failed stays in
// its history. A submission that has not failed is ErrConflict.
func (s *Store) Requeue(ctx context.Context, id int64, actor string) (Submission, error) {
	var sub Submission
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		sub, err = requeue(ctx, tx, id, ts(s.now()), "queued again", actor)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		sub, err = scanSubmission(tx.QueryRowContext(ctx, `SELECT `+submissionCols+` FROM submissions WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("%w: it is %s, not failed", ErrConflict, sub.State)
	})
	if err != nil {
		return Submission{}, fmt.Errorf("store: requeue submission %d: %w", id, err)
	}
	return sub, nil
}

// requeue moves failed submission id back to new and forgets what was
// fetched for it; sql.ErrNoRows when it has not failed.
func requeue(ctx context.Context, tx *sql.Tx, id int64, now, why, actor string) (Submission, error) {
	sub, err := scanSubmission(tx.QueryRowContext(ctx, `UPDATE submissions
		SET state = 'new', attempts = 0, last_error = '', next_attempt_at = NULL, waiting_for = '',
		    issue_id = NULL, updated_at = ?2
		WHERE id = ?1 AND state = 'failed' RETURNING `+submissionCols, id, now))
	if err != nil {
		return Submission{}, err
	}
	for _, q := range []string{`DELETE FROM article_summaries WHERE submission_id = ?`, `DELETE FROM articles WHERE submission_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return Submission{}, err
		}
	}
	return sub, addEvent(ctx, tx, id, now, EventRequeued, why, actor)
}

// Submission returns the submission with the given id, or ErrNotFound.
func (s *Store) Submission(ctx context.Context, id int64) (Submission, error) {
	sub, err := scanSubmission(s.db.QueryRowContext(ctx,
		`SELECT `+submissionCols+` FROM submissions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Submission{}, fmt.Errorf("store: submission %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Submission{}, fmt.Errorf("store: submission %d: %w", id, err)
	}
	return sub, nil
}

// Filter selects submissions to list.
type Filter struct {
	States []State // any of these; all when empty
	Limit  int     // at most this many, newest first; all when zero
	// Before and After keep the submissions whose id is below Before and
	// above After (when not zero): a page of a long list.
	Before, After int64
	// Oldest lists the oldest first.
	Oldest bool
	// Search, when not empty, keeps the submissions whose address,
	// submitter or note holds it (Latin letters in any case).
	Search string
}

// where is the condition of f, and its arguments.
func (f Filter) where() (string, []any) {
	q := `1`
	var args []any
	if len(f.States) > 0 {
		// "+state" keeps SQLite off the index of states, through which it
		// would read and sort every submission of the states (65,000 of
		// a flood) to keep the first few by id: walking the ids in order
		// stops at the limit.
		q += ` AND +state IN (?` + strings.Repeat(", ?", len(f.States)-1) + `)`
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.Search != "" {
		like := "%" + likeEscaper.Replace(f.Search) + "%"
		q += ` AND (url LIKE ? ESCAPE '\' OR submitted_by LIKE ? ESCAPE '\' OR note LIKE ? ESCAPE '\')`
		args = append(args, like, like, like)
	}
	if f.Before != 0 {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	if f.After != 0 {
		q += ` AND id > ?`
		args = append(args, f.After)
	}
	return q, args
}

// likeEscaper makes a search term match itself in a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// CountSubmissions counts the submissions matching f (its Limit aside).
func (s *Store) CountSubmissions(ctx context.Context, f Filter) (int, error) {
	where, args := f.where()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM submissions WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count submissions: %w", err)
	}
	return n, nil
}

// Submissions lists the submissions matching f, newest first (or oldest
// first).
func (s *Store) Submissions(ctx context.Context, f Filter) ([]Submission, error) {
	where, args := f.where()
	q := `SELECT ` + submissionCols + ` FROM submissions WHERE ` + where
	if f.Oldest {
		q += ` ORDER BY id`
	} else {
		q += ` ORDER BY id DESC`
	}
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	subs, err := s.querySubmissions(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list submissions: %w", err)
	}
	return subs, nil
}

func (s *Store) querySubmissions(ctx context.Context, q string, args ...any) ([]Submission, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer quiet.Close(rows)
	var subs []Submission
	for rows.Next() {
		sub, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		subs = append(subs, sub)
	}
	return subs, rows.Err()
}

// DeleteSubmission withdraws a submission from the next issue and returns
// it. A submission already in a published issue cannot be deleted
// (ErrConflict); deleting twice is not an error.
func (s *Store) DeleteSubmission(ctx context.Context, id int64, actor string) (Submission, error) {
	var sub Submission
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		now := ts(s.now())
		sub, err = scanSubmission(tx.QueryRowContext(ctx, `UPDATE submissions
			SET state = 'deleted', next_attempt_at = NULL, waiting_for = '', updated_at = ?2
			WHERE id = ?1 AND `+queued+` RETURNING `+submissionCols, id, now))
		if err == nil {
			return addEvent(ctx, tx, id, now, EventDeleted, "", actor)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		sub, err = scanSubmission(tx.QueryRowContext(ctx,
			`SELECT `+submissionCols+` FROM submissions WHERE id = ?`, id))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ErrNotFound
		case err != nil:
			return err
		case sub.State == StateDeleted:
			return nil
		}
		return fmt.Errorf("%w: it is in published issue %d", ErrConflict, sub.IssueID)
	})
	if err != nil {
		return Submission{}, fmt.Errorf("store: delete submission %d: %w", id, err)
	}
	return sub, nil
}

// CountByState returns how many submissions are in each state; every state
// is present.
func (s *Store) CountByState(ctx context.Context) (map[State]int, error) {
	counts, err := countGroups[State](ctx, s, "submissions", `SELECT state, COUNT(*) FROM submissions GROUP BY state`)
	if err != nil {
		return nil, err
	}
	for _, st := range States { // every state, counted or not
		if _, ok := counts[st]; !ok {
			counts[st] = 0
		}
	}
	return counts, nil
}

// PublishedAs returns the latest submission of url (as submitted or as
// its canonical address) published in an issue, with that issue; false
// when none was.
func (s *Store) PublishedAs(ctx context.Context, url string) (Submission, Issue, bool, error) {
	sub, err := scanSubmission(s.db.QueryRowContext(ctx, `SELECT `+submissionCols+` FROM submissions
		WHERE (url = ?1 OR canonical_url = ?1) AND state = 'published'
		AND issue_id IN (SELECT id FROM issues WHERE published_at IS NOT NULL)
		ORDER BY id DESC LIMIT 1`, url))
	if errors.Is(err, sql.ErrNoRows) {
		return Submission{}, Issue{}, false, nil
	}
	if err != nil {
		return Submission{}, Issue{}, false, fmt.Errorf("store: published submission of %s: %w", url, err)
	}
	is, err := s.Issue(ctx, sub.IssueID)
	if err != nil {
		return Submission{}, Issue{}, false, err
	}
	return sub, is, true, nil
}
