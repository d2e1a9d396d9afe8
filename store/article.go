package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/internal/quiet"
)

// Article is the readable text fetched for a submission.
type Article struct {
	SubmissionID int64
	FinalURL     string
	// CanonicalURL is normalised; duplicates are found by it.
	CanonicalURL string
	Title        string
	SiteName     string
	Author       string
	Published    time.Time // zero when unknown
	Language     string
	Text         string
	TextHash     string
	WordCount    int
	FetchedAt    time.Time
}

const articleCols = `submission_id, final_url, canonical_url, title, site_name, author, published,
	language, text, text_hash, word_count, fetched_at`

func scanArticle(row scanner) (Article, error) {
	var a Article
	err := row.Scan(&a.SubmissionID, &a.FinalURL, &a.CanonicalURL, &a.Title, &a.SiteName, &a.Author,
		timeCol{&a.Published}, &a.Language, &a.Text, &a.TextHash, &a.WordCount, timeCol{&a.FetchedAt})
	return a, err
}

// Article returns the article saved for a submission; ok is false when the
// page has not been fetched yet.
func (s *Store) Article(ctx context.Context, submissionID int64) (a Article, ok bool, err error) {
	a, err = scanArticle(s.db.QueryRowContext(ctx,
		`SELECT `+articleCols+` FROM articles WHERE submission_id = ?`, submissionID))
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, false, nil
	}
	if err != nil {
		return Article{}, false, fmt.Errorf("store: article of submission %d: %w", submissionID, err)
	}
	return a, true, nil
}

// SaveArticle saves the article of a submission being processed and makes
// its canonical URL the submission's. Two submissions still headed for the
// issue repeat each other when their canonical URLs are the same or their
// texts are (the same article at two addresses): the later of the two
// becomes a duplicate of the earlier, its history saying which and why,
// unless the later one is summarised already (an earlier one was retried,
// say): then the one being saved is the duplicate, and what editors have
// read stays. When a.SubmissionID is the duplicate, dupOf is the id it
// repeats and the caller must stop processing it.
func (s *Store) SaveArticle(ctx context.Context, a Article) (dupOf int64, err error) {
	id := a.SubmissionID
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		res, err := tx.ExecContext(ctx, `UPDATE submissions SET canonical_url = ?2, updated_at = ?3
			WHERE id = ?1 AND state = 'processing'`, id, a.CanonicalURL, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrStateChanged
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO articles (`+articleCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, a.FinalURL, a.CanonicalURL, a.Title, a.SiteName, a.Author, nullTS(a.Published),
			a.Language, a.Text, a.TextHash, a.WordCount, ts(a.FetchedAt)); err != nil {
			return err
		}
		// The same canonical URL, or the same text under another URL.
		same := `(s.canonical_url = ?1 OR EXISTS (SELECT 1 FROM articles x
			WHERE x.submission_id = s.id AND x.text_hash = ?2))`
		var why string
		err = tx.QueryRowContext(ctx, `SELECT s.id FROM submissions s
			WHERE `+same+` AND s.id <> ?3 AND (s.id < ?3 OR s.state = 'summarized') AND `+activeAs("s.")+`
			ORDER BY s.id LIMIT 1`,
			a.CanonicalURL, a.TextHash, id).Scan(&dupOf)
		switch {
		case err == nil:
			why = duplicateReason(ctx, tx, dupOf, a)
			if _, err = tx.ExecContext(ctx, `UPDATE submissions
				SET state = 'duplicate', duplicate_of = ?2, last_error = '', attempts = attempts + 1, interruptions = 0, updated_at = ?3
				WHERE id = ?1`, id, dupOf, now); err != nil {
				return err
			}
			return addEvent(ctx, tx, id, now, EventDuplicate, why, "")
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		// An article already published repeats it, unless it was submitted
		// again on purpose.
		var issueID int64
		err = tx.QueryRowContext(ctx, `SELECT s.id, s.issue_id FROM submissions s
			WHERE `+same+` AND s.id <> ?3 AND s.state = 'published'
			AND NOT (SELECT again FROM submissions WHERE id = ?3)
			ORDER BY s.id DESC LIMIT 1`, a.CanonicalURL, a.TextHash, id).Scan(&dupOf, &issueID)
		switch {
		case err == nil:
			if _, err = tx.ExecContext(ctx, `UPDATE submissions
				SET state = 'duplicate', duplicate_of = ?2, last_error = '', attempts = attempts + 1, interruptions = 0, updated_at = ?3
				WHERE id = ?1`, id, dupOf, now); err != nil {
				return err
			}
			return addEvent(ctx, tx, id, now, EventDuplicate,
				fmt.Sprintf("was published in issue %d as submission %d; submit it again on purpose to include it once more", issueID, dupOf), "")
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		dupOf = 0
		if err := carryEdits(ctx, tx, id, a, now); err != nil {
			return err
		}
		// This one is the earliest: later ones, not summarised yet, repeat it.
		rows, err := tx.QueryContext(ctx, `SELECT s.id FROM submissions s
			WHERE `+same+` AND s.id > ?3 AND `+activeAs("s."), a.CanonicalURL, a.TextHash, id)
		if err != nil {
			return err
		}
		var later []int64
		for rows.Next() {
			var l int64
			if err := rows.Scan(&l); err != nil {
				quiet.Close(rows)
				return err
			}
			later = append(later, l)
		}
		quiet.Close(rows)
		if err := rows.Err(); err != nil {
			return err
		}
		for _, l := range later {
			if _, err := tx.ExecContext(ctx, `UPDATE submissions
				SET state = 'duplicate', duplicate_of = ?2, next_attempt_at = NULL, waiting_for = '', updated_at = ?3
				WHERE id = ?1`, l, id, now); err != nil {
				return err
			}
			if err := addEvent(ctx, tx, l, now, EventDuplicate, fmt.Sprintf("repeats submission %d", id), ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: save article of submission %d: %w", id, err)
	}
	return dupOf, nil
}

// carryEdits gives submission id, a link already published submitted
// again on purpose, the editors' edits of the published one it repeats,
// so that it goes out as edited, not as the model first wrote it.
func carryEdits(ctx context.Context, tx *sql.Tx, id int64, a Article, now string) error {
	var pub int64
	err := tx.QueryRowContext(ctx, `SELECT s.id FROM submissions s
		WHERE (s.canonical_url = ?1 OR EXISTS (SELECT 1 FROM articles x WHERE x.submission_id = s.id AND x.text_hash = ?2))
		AND s.id <> ?3 AND s.state = 'published' AND (SELECT again FROM submissions WHERE id = ?3)
		ORDER BY s.id DESC LIMIT 1`, a.CanonicalURL, a.TextHash, id).Scan(&pub)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO edits (submission_id, field, value, editor, at)
		SELECT ?1, field, value, editor, ?3 FROM edits WHERE submission_id = ?2`, id, pub, now); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO versions (submission_id, field, value, source, actor, note, at)
		SELECT ?1, field, value, 'edit', editor, ?3, ?4 FROM edits WHERE submission_id = ?2`,
		id, pub, fmt.Sprintf("from submission %d, published", pub), now)
	return err
}

// duplicateReason says why a's submission repeats submission earlier.
func duplicateReason(ctx context.Context, tx *sql.Tx, earlier int64, a Article) string {
	var url, hash string
	err := tx.QueryRowContext(ctx, `SELECT s.canonical_url, COALESCE(x.text_hash, '') FROM submissions s
		LEFT JOIN articles x ON x.submission_id = s.id WHERE s.id = ?`, earlier).Scan(&url, &hash)
	switch {
	case err == nil && url == a.CanonicalURL:
		return fmt.Sprintf("repeats submission %d: the same page, %s", earlier, url)
	case err == nil && hash == a.TextHash:
		return fmt.Sprintf("repeats submission %d: the same text, at %s", earlier, url)
	}
	return fmt.Sprintf("repeats submission %d", earlier)
}

// Summary is the sections a submission goes into its issue with, and the
// summariser cache key and usage they came from.
type Summary struct {
	SubmissionID  int64
	TextHash      string
	PromptVersion string
	Model         string
	entry.Sections
	Requests     int
	PromptTokens int
	OutputTokens int
	Cached       bool
	CreatedAt    time.Time
}

// MarkSummarized saves the sections of a submission being processed and
// moves it to summarized. It returns ErrStateChanged, saving nothing, when
// the submission was deleted or marked duplicate meanwhile.
func (s *Store) MarkSummarized(ctx context.Context, sum Summary) error {
	id := sum.SubmissionID
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		res, err := tx.ExecContext(ctx, `UPDATE submissions
			SET state = 'summarized', last_error = '', next_attempt_at = NULL, attempts = attempts + 1, interruptions = 0, updated_at = ?2
			WHERE id = ?1 AND state = 'processing'`, id, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrStateChanged
		}
		if err := addEvent(ctx, tx, id, now, EventSummarized, sum.Model, ""); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO article_summaries
			(submission_id, text_hash, prompt_version, model, title_ko, summary, introduction,
			 recommendation, caution, requests, prompt_tokens, output_tokens, cached, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, sum.TextHash, sum.PromptVersion, sum.Model, sum.TitleKo, sum.Summary, sum.Introduction,
			sum.Recommendation, sum.Caution, sum.Requests, sum.PromptTokens, sum.OutputTokens, sum.Cached, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save summary of submission %d: %w", id, err)
	}
	return nil
}

// LookupSummary returns the cached model answer for a text, prompt version
// and model. It implements the summariser's cache.
func (s *Store) LookupSummary(ctx context.Context, textHash, promptVersion, model string) ([]byte, bool, error) {
	var v []byte
	err := s.db.QueryRowContext(ctx, `SELECT value FROM summaries
		WHERE text_hash = ? AND prompt_version = ? AND model = ?`, textHash, promptVersion, model).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: look up summary %s: %w", textHash, err)
	}
	return v, true, nil
}

// SaveSummary caches a model answer for a text, prompt version and model,
// replacing any earlier one. It implements the summariser's cache.
func (s *Store) SaveSummary(ctx context.Context, textHash, promptVersion, model string, value []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO summaries
		(text_hash, prompt_version, model, value, created_at) VALUES (?, ?, ?, ?, ?)`,
		textHash, promptVersion, model, value, ts(s.now()))
	if err != nil {
		return fmt.Errorf("store: save summary %s: %w", textHash, err)
	}
	return nil
}
