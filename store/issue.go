package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/godevcommunity/newsletter/internal/quiet"
)

// IssueState is where an issue is on its way to readers.
type IssueState string

// Issue states. An issue is frozen for review with its members fixed;
// publishing decides its content in one transaction and published means
// its file is written.
const (
	IssueReview     IssueState = "review"
	IssuePublishing IssueState = "publishing"
	IssuePublished  IssueState = "published"
)

// Issue is one newsletter issue.
type Issue struct {
	ID          int64
	Week        string // ISO week of Date, e.g. 2024-W36; one issue per week
	Title       string
	Slug        string
	CUID        string
	Date        time.Time // the date the issue carries
	State       IssueState
	Intro       string    // the opening paragraph, "" for none
	FrozenAt    time.Time // when its members were fixed
	PublishAt   time.Time // in review: published on its own then; zero: never
	ApprovedBy  string
	Location    string // where the publisher wrote it
	KeptCopy    string // a hand-edited copy the last publication kept aside
	Content     []byte // the document as decided at its last publication
	ContentHash string
	ContentAt   time.Time // when a publication last changed the content
	PublishedAt time.Time // zero until first published
	Hashnode    HashnodePost
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Published reports whether the issue's file has been written once.
func (i Issue) Published() bool { return !i.PublishedAt.IsZero() }

// HashnodePost is what is known of an issue's post on Hashnode.
type HashnodePost struct {
	PostID, DraftID, URL string
	// PendingSince is when a create was sent whose answer was lost;
	// PendingOp names it. Zero when none.
	PendingSince time.Time
	PendingOp    string
	// Error is why the last attempt to publish to Hashnode failed.
	Error string
}

const issueCols = `id, week, title, slug, cuid, issue_date, state, intro, frozen_at, publish_at, approved_by,
	location, kept_copy, content, content_hash, content_at, published_at,
	hashnode_post_id, hashnode_draft_id, hashnode_url, hashnode_pending_since, hashnode_pending_op, hashnode_error,
	created_at, updated_at`

func scanIssue(row scanner) (Issue, error) {
	var i Issue
	var content string
	h := &i.Hashnode
	err := row.Scan(&i.ID, &i.Week, &i.Title, &i.Slug, &i.CUID, timeCol{&i.Date}, &i.State, &i.Intro,
		timeCol{&i.FrozenAt}, timeCol{&i.PublishAt}, &i.ApprovedBy, &i.Location, &i.KeptCopy, &content,
		&i.ContentHash, timeCol{&i.ContentAt}, timeCol{&i.PublishedAt},
		&h.PostID, &h.DraftID, &h.URL, timeCol{&h.PendingSince}, &h.PendingOp, &h.Error,
		timeCol{&i.CreatedAt}, timeCol{&i.UpdatedAt})
	i.Content = []byte(content)
	return i, err
}

func (s *Store) issueWhere(ctx context.Context, what, where string, args ...any) (Issue, bool, error) {
	i, err := scanIssue(s.db.QueryRowContext(ctx, `SELECT `+issueCols+` FROM issues WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Issue{}, false, nil
	}
	if err != nil {
		return Issue{}, false, fmt.Errorf("store: %s: %w", what, err)
	}
	return i, true, nil
}

// Issue returns the issue with the given id, or ErrNotFound.
func (s *Store) Issue(ctx context.Context, id int64) (Issue, error) {
	i, ok, err := s.issueWhere(ctx, fmt.Sprintf("issue %d", id), `id = ?`, id)
	if err == nil && !ok {
		err = fmt.Errorf("store: issue %d: %w", id, ErrNotFound)
	}
	return i, err
}

// Issues lists the issues, the latest first.
func (s *Store) Issues(ctx context.Context) ([]Issue, error) {
	return s.issues(ctx, `SELECT `+issueCols+` FROM issues ORDER BY issue_date DESC, id DESC`)
}

// PublishedIssues returns up to limit issues whose file was written at
// least once (also while one is being published again), latest first;
// limit 0 means all.
func (s *Store) PublishedIssues(ctx context.Context, limit int) ([]Issue, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	return s.issues(ctx, `SELECT `+issueCols+` FROM issues WHERE published_at IS NOT NULL
		ORDER BY issue_date DESC, id DESC LIMIT ?`, limit)
}

// PublishedIssue returns the published issue with the given slug.
func (s *Store) PublishedIssue(ctx context.Context, slug string) (Issue, bool, error) {
	return s.issueWhere(ctx, "published issue "+slug, `published_at IS NOT NULL AND slug = ? ORDER BY issue_date DESC LIMIT 1`, slug)
}

func (s *Store) issues(ctx context.Context, query string, args ...any) ([]Issue, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list issues: %w", err)
	}
	defer quiet.Close(rows)
	var out []Issue
	for rows.Next() {
		i, err := scanIssue(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list issues: %w", err)
		}
		out = append(out, i)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list issues: %w", err)
	}
	return out, nil
}

// UnfinishedIssue returns an issue whose content was decided but whose
// file was not written (the process stopped in between), if any: the next
// run must finish it first.
func (s *Store) UnfinishedIssue(ctx context.Context) (Issue, bool, error) {
	return s.issueWhere(ctx, "unfinished issue", `state = 'publishing' ORDER BY id LIMIT 1`)
}

// ReviewIssue returns the oldest issue frozen for review, if any.
func (s *Store) ReviewIssue(ctx context.Context) (Issue, bool, error) {
	return s.issueWhere(ctx, "issue in review", `state = 'review' ORDER BY id LIMIT 1`)
}

// DueReview returns the oldest issue in review whose publish_at has come
// at now, if any.
func (s *Store) DueReview(ctx context.Context, now time.Time) (Issue, bool, error) {
	return s.issueWhere(ctx, "issue due", `state = 'review' AND publish_at IS NOT NULL AND publish_at <= ?
		ORDER BY publish_at, id LIMIT 1`, ts(now))
}

// NextPublishAt returns the earliest publish_at of an issue in review; ok
// is false when none will publish on its own.
func (s *Store) NextPublishAt(ctx context.Context) (at time.Time, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT MIN(publish_at) FROM issues WHERE state = 'review'`).Scan(timeCol{&at})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: next issue due: %w", err)
	}
	return at, !at.IsZero(), nil
}

// IssueForWeek returns the issue of an ISO week, if any.
func (s *Store) IssueForWeek(ctx context.Context, week string) (Issue, bool, error) {
	return s.issueWhere(ctx, "issue of week "+week, `week = ?`, week)
}

// LatestIssue returns the most recently dated published issue, or ErrNotFound.
func (s *Store) LatestIssue(ctx context.Context) (Issue, error) {
	i, ok, err := s.issueWhere(ctx, "latest issue",
		`state = 'published' ORDER BY issue_date DESC, id DESC LIMIT 1`)
	if err == nil && !ok {
		err = fmt.Errorf("store: latest issue: %w", ErrNotFound)
	}
	return i, err
}

// LastPublished returns when an issue was last published; ok is false when
// none has been.
func (s *Store) LastPublished(ctx context.Context) (at time.Time, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT MAX(published_at) FROM issues`).Scan(timeCol{&at})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: last published issue: %w", err)
	}
	return at, !at.IsZero(), nil
}

// NewIssue is an issue about to be frozen.
type NewIssue struct {
	Week, Title, Slug, CUID string
	Date                    time.Time
	PublishAt               time.Time // zero: never on its own
}

// Freeze records the week's issue in review with the open draft as its
// members: every summarised submission in no issue yet, with their order,
// exclusions and edits, and the failed and duplicate ones its run
// reports. The draft's opening paragraph moves to the issue. Articles
// summarised after it go to the next draft. The week must have no issue
// yet (ErrConflict). Deliveries, the issue's once it is made (the "draft
// ready" messages of a run), are queued in the same transaction.
func (s *Store) Freeze(ctx context.Context, n NewIssue, deliveries ...NewDelivery) (Issue, error) {
	var is Issue
	err := s.tx(ctx, func(tx *sql.Tx) error {
		at := s.now()
		now := ts(at)
		intro, err := setting(ctx, tx, draftIntroKey)
		if err != nil {
			return err
		}
		is, err = scanIssue(tx.QueryRowContext(ctx, `INSERT INTO issues
			(week, title, slug, cuid, issue_date, state, intro, frozen_at, publish_at, created_at, updated_at)
			VALUES (?1, ?2, ?3, ?4, ?5, 'review', ?6, ?7, ?8, ?7, ?7)
			ON CONFLICT (week) DO NOTHING RETURNING `+issueCols,
			n.Week, n.Title, n.Slug, n.CUID, ts(n.Date), intro, now, nullTS(n.PublishAt)))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: week %s has an issue already", ErrConflict, n.Week)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key IN (?, ?)`, draftIntroKey, draftCUIDKey); err != nil {
			return err
		}
		ds := slices.Clone(deliveries)
		for i := range ds {
			ds[i].IssueID = is.ID
		}
		if err := enqueue(ctx, tx, at, ds); err != nil {
			return err
		}
		return adopt(ctx, tx, is.ID, now)
	})
	if err != nil {
		return Issue{}, fmt.Errorf("store: freeze the issue of %s: %w", n.Week, err)
	}
	return is, nil
}

// Adopt adds the open draft to an issue already published, for a second
// run of its week in auto mode, and returns how many articles joined it.
func (s *Store) Adopt(ctx context.Context, issueID int64) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM submissions WHERE state = 'summarized' AND issue_id IS NULL`).Scan(&n)
		if err != nil {
			return err
		}
		return adopt(ctx, tx, issueID, now)
	})
	if err != nil {
		return 0, fmt.Errorf("store: add the draft to issue %d: %w", issueID, err)
	}
	return n, nil
}

// adopt makes the open draft (summarised submissions in no issue) and the
// unreported failed and duplicate submissions members of issue id.
func adopt(ctx context.Context, tx *sql.Tx, id int64, now string) error {
	_, err := tx.ExecContext(ctx, `UPDATE submissions SET issue_id = ?1, updated_at = ?2
		WHERE issue_id IS NULL AND state IN ('summarized', 'failed', 'duplicate')`, id, now)
	return err
}

// Snapshot is an issue with everything it is rendered from, read in the
// transaction that publishes it.
type Snapshot struct {
	Issue   Issue
	Entries []Entry // in issue order, excluded ones included
}

// Publish decides an issue's content in one transaction: it reads the
// issue and its members, renders them with render, records the content
// and moves the included members to published; then the caller writes the
// file and calls Written. A submission is in the issue exactly when it
// was a member at this moment: deleting one afterwards is refused, and an
// excluded one stays out. approver names who approved it ("" for the
// schedule).
func (s *Store) Publish(ctx context.Context, issueID int64, approver string, render func(Snapshot) ([]byte, error)) (Issue, []byte, error) {
	var is Issue
	var content []byte
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		is, err = scanIssue(tx.QueryRowContext(ctx, `SELECT `+issueCols+` FROM issues WHERE id = ?`, issueID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		entries, err := queryEntries(ctx, tx, `s.issue_id = ?1 AND s.state IN ('summarized', 'published')`, issueID)
		if err != nil {
			return err
		}
		if content, err = render(Snapshot{Issue: is, Entries: entries}); err != nil {
			return err
		}
		now := ts(s.now())
		sum := sha256.Sum256(content)
		approvedBy := is.ApprovedBy
		if approver != "" {
			approvedBy = approver
		}
		is, err = scanIssue(tx.QueryRowContext(ctx, `UPDATE issues
			SET state = 'publishing', content = ?2, content_hash = ?3, approved_by = ?4, updated_at = ?5,
			    content_at = CASE WHEN content_hash = ?3 THEN content_at ELSE ?5 END,
			    published_event = (SELECT COALESCE(MAX(id), 0) FROM events)
			WHERE id = ?1 RETURNING `+issueCols,
			issueID, string(content), hex.EncodeToString(sum[:]), approvedBy, now))
		if err != nil {
			return err
		}
		for _, e := range entries {
			state := StatePublished
			if e.Submission.Excluded {
				state = StateSummarized
			}
			if e.Submission.State == state {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE submissions SET state = ?2, updated_at = ?3 WHERE id = ?1`,
				e.Submission.ID, string(state), now); err != nil {
				return err
			}
			if state == StatePublished {
				if err := addEvent(ctx, tx, e.Submission.ID, now, EventPublished, is.Slug, approver); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return Issue{}, nil, fmt.Errorf("store: publish issue %d: %w", issueID, err)
	}
	return is, content, nil
}

// Written records that the issue's content was written to location (and
// a hand-edited copy kept at kept, "" for none) and, in the same
// transaction, queues the deliveries the publication promises (the
// outbox): they are sent even if the process stops right after. The first
// publication time is kept when an issue is rewritten.
func (s *Store) Written(ctx context.Context, issueID int64, location, kept string, deliveries ...NewDelivery) (Issue, error) {
	var is Issue
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var err error
		is, err = scanIssue(tx.QueryRowContext(ctx, `UPDATE issues
			SET state = 'published', location = ?2, kept_copy = ?3,
			    published_at = COALESCE(published_at, ?4), updated_at = ?4
			WHERE id = ?1 AND state = 'publishing' RETURNING `+issueCols,
			issueID, location, kept, ts(now)))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: not being published", ErrConflict)
		}
		if err != nil {
			return err
		}
		return enqueue(ctx, tx, now, deliveries)
	})
	if err != nil {
		return Issue{}, fmt.Errorf("store: issue %d written: %w", issueID, err)
	}
	return is, nil
}

// SetHashnode records what is known of an issue's post on Hashnode.
func (s *Store) SetHashnode(ctx context.Context, issueID int64, h HashnodePost) error {
	_, err := s.db.ExecContext(ctx, `UPDATE issues SET hashnode_post_id = ?2, hashnode_draft_id = ?3,
		hashnode_url = ?4, hashnode_pending_since = ?5, hashnode_pending_op = ?6, hashnode_error = ?7, updated_at = ?8
		WHERE id = ?1`, issueID, h.PostID, h.DraftID, h.URL, nullTS(h.PendingSince), h.PendingOp, h.Error, ts(s.now()))
	if err != nil {
		return fmt.Errorf("store: hashnode record of issue %d: %w", issueID, err)
	}
	return nil
}

// Rejected returns the failed and duplicate submissions a report of issue
// issueID lists: its own, or for 0 those in no issue yet.
func (s *Store) Rejected(ctx context.Context, issueID int64) ([]Submission, error) {
	where := `issue_id = ?`
	if issueID == 0 {
		where = `issue_id IS NULL AND ?1 = 0`
	}
	subs, err := s.querySubmissions(ctx, `SELECT `+submissionCols+` FROM submissions
		WHERE state IN ('failed', 'duplicate') AND `+where+` ORDER BY id`, issueID)
	if err != nil {
		return nil, fmt.Errorf("store: rejected submissions: %w", err)
	}
	return subs, nil
}
