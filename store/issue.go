package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Issue is one newsletter issue. An issue is recorded, with the set of its
// submissions, before its file is written; PublishedAt is set once it is.
type Issue struct {
	ID          int64
	Week        string // ISO week of Date, e.g. 2024-W36; one issue per week
	Title       string
	Slug        string
	CUID        string
	Date        time.Time // the date the issue carries
	Location    string    // where the publisher wrote it
	Content     []byte
	ContentHash string
	PublishedAt time.Time // zero until published
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Published reports whether the issue's file has been written.
func (i Issue) Published() bool { return !i.PublishedAt.IsZero() }

const issueCols = `id, week, title, slug, cuid, issue_date, location, content, content_hash,
	published_at, created_at, updated_at`

func scanIssue(row scanner) (Issue, error) {
	var i Issue
	var content string
	err := row.Scan(&i.ID, &i.Week, &i.Title, &i.Slug, &i.CUID, timeCol{&i.Date}, &i.Location, &content,
		&i.ContentHash, timeCol{&i.PublishedAt}, timeCol{&i.CreatedAt}, timeCol{&i.UpdatedAt})
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

// UnfinishedIssue returns the issue a run recorded but did not publish, if
// any: the next run must finish it before starting another.
func (s *Store) UnfinishedIssue(ctx context.Context) (Issue, bool, error) {
	return s.issueWhere(ctx, "unfinished issue", `published_at IS NULL ORDER BY id LIMIT 1`)
}

// IssueForWeek returns the issue of an ISO week, if any.
func (s *Store) IssueForWeek(ctx context.Context, week string) (Issue, bool, error) {
	return s.issueWhere(ctx, "issue of week "+week, `week = ?`, week)
}

// LatestIssue returns the most recently dated published issue, or ErrNotFound.
func (s *Store) LatestIssue(ctx context.Context) (Issue, error) {
	i, ok, err := s.issueWhere(ctx, "latest issue",
		`published_at IS NOT NULL ORDER BY issue_date DESC, id DESC LIMIT 1`)
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

// Entry is a summarised submission with what its issue needs.
type Entry struct {
	Submission Submission
	Article    Article
	Summary    Summary
}

// Entries returns, in submission order, the summarised submissions not in
// any issue yet together with those already in issue issueID (0 for a new
// issue): what that issue is made of now.
func (s *Store) Entries(ctx context.Context, issueID int64) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+submissionColumns("s.")+`,
		a.final_url, a.canonical_url, a.title, a.site_name, a.author, a.published,
		a.language, a.text, a.text_hash, a.word_count, a.fetched_at,
		m.text_hash, m.prompt_version, m.model, m.title_ko, m.summary, m.introduction,
		m.recommendation, m.caution, m.requests, m.prompt_tokens, m.output_tokens, m.cached, m.created_at
		FROM submissions s
		JOIN articles a ON a.submission_id = s.id
		JOIN article_summaries m ON m.submission_id = s.id
		WHERE (s.state = 'summarized' AND s.issue_id IS NULL)
		   OR (s.state IN ('summarized', 'published') AND s.issue_id = ?)
		ORDER BY s.id`, issueID)
	if err != nil {
		return nil, fmt.Errorf("store: issue entries: %w", err)
	}
	defer rows.Close()
	var es []Entry
	for rows.Next() {
		var e Entry
		sub, art, sum := &e.Submission, &e.Article, &e.Summary
		err := rows.Scan(&sub.ID, &sub.URL, &sub.CanonicalURL, &sub.SubmittedBy, &sub.Note, &sub.State,
			&sub.Attempts, &sub.LastError, timeCol{&sub.NextAttemptAt}, &sub.WaitingFor, &sub.DuplicateOf, &sub.IssueID,
			timeCol{&sub.CreatedAt}, timeCol{&sub.UpdatedAt},
			&art.FinalURL, &art.CanonicalURL, &art.Title, &art.SiteName, &art.Author,
			timeCol{&art.Published}, &art.Language, &art.Text, &art.TextHash, &art.WordCount,
			timeCol{&art.FetchedAt},
			&sum.TextHash, &sum.PromptVersion, &sum.Model, &sum.TitleKo, &sum.Summary, &sum.Introduction,
			&sum.Recommendation, &sum.Caution, &sum.Requests, &sum.PromptTokens, &sum.OutputTokens,
			&sum.Cached, timeCol{&sum.CreatedAt})
		if err != nil {
			return nil, fmt.Errorf("store: issue entries: %w", err)
		}
		art.SubmissionID, sum.SubmissionID = sub.ID, sub.ID
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: issue entries: %w", err)
	}
	return es, nil
}

// Rejected returns the submissions that failed or were duplicates and are
// not yet reported in a published issue: those without an issue and those
// recorded with issue issueID.
func (s *Store) Rejected(ctx context.Context, issueID int64) ([]Submission, error) {
	subs, err := s.querySubmissions(ctx, `SELECT `+submissionCols+` FROM submissions
		WHERE state IN ('failed', 'duplicate') AND (issue_id IS NULL OR issue_id = ?)
		ORDER BY id`, issueID)
	if err != nil {
		return nil, fmt.Errorf("store: rejected submissions: %w", err)
	}
	return subs, nil
}

// IssueDraft is an issue about to be written. ID is zero for a new issue.
type IssueDraft struct {
	ID    int64
	Week  string
	Title string
	Slug  string
	CUID  string
	Date  time.Time
}

// SaveIssue records an issue and the set of its submissions, before the
// issue is written: the summarised submissions in members go into it, and
// so do the rejected ones in rejected, which its run reports.
func (s *Store) SaveIssue(ctx context.Context, d IssueDraft, members, rejected []int64) (Issue, error) {
	var is Issue
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		var err error
		if d.ID == 0 {
			is, err = scanIssue(tx.QueryRowContext(ctx, `INSERT INTO issues
				(week, title, slug, cuid, issue_date, created_at, updated_at)
				VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING `+issueCols,
				d.Week, d.Title, d.Slug, d.CUID, ts(d.Date), now))
		} else {
			is, err = scanIssue(tx.QueryRowContext(ctx, `UPDATE issues
				SET week = ?2, title = ?3, slug = ?4, cuid = ?5, issue_date = ?6, updated_at = ?7
				WHERE id = ?1 RETURNING `+issueCols,
				d.ID, d.Week, d.Title, d.Slug, d.CUID, ts(d.Date), now))
		}
		if err != nil {
			return err
		}
		for _, id := range members {
			if err := assign(ctx, tx, id, is.ID, `state IN ('summarized', 'published')`, now); err != nil {
				return err
			}
		}
		for _, id := range rejected {
			if err := assign(ctx, tx, id, is.ID, `state IN ('failed', 'duplicate')`, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Issue{}, fmt.Errorf("store: save issue %s: %w", d.Slug, err)
	}
	return is, nil
}

func assign(ctx context.Context, tx *sql.Tx, id, issueID int64, cond, now string) error {
	res, err := tx.ExecContext(ctx, `UPDATE submissions SET issue_id = ?2, updated_at = ?3
		WHERE id = ?1 AND (issue_id IS NULL OR issue_id = ?2) AND `+cond, id, issueID, now)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("submission %d: %w", id, ErrStateChanged)
	}
	return nil
}

// PublishIssue records that the issue was written to location with content,
// and moves its summarised submissions to published. The first publication
// time is kept when an issue is rewritten.
func (s *Store) PublishIssue(ctx context.Context, issueID int64, location string, content []byte) (Issue, error) {
	var is Issue
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		sum := sha256.Sum256(content)
		var err error
		is, err = scanIssue(tx.QueryRowContext(ctx, `UPDATE issues
			SET location = ?2, content = ?3, content_hash = ?4,
			    published_at = COALESCE(published_at, ?5), updated_at = ?5
			WHERE id = ?1 RETURNING `+issueCols,
			issueID, location, string(content), hex.EncodeToString(sum[:]), now))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE submissions SET state = 'published', updated_at = ?2
			WHERE issue_id = ?1 AND state = 'summarized'`, issueID, now)
		return err
	})
	if err != nil {
		return Issue{}, fmt.Errorf("store: publish issue %d: %w", issueID, err)
	}
	return is, nil
}
