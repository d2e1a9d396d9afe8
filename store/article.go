package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
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
// its canonical URL the submission's. If another submission still headed
// for the issue has the same canonical URL, the later of the two becomes a
// duplicate of the earlier: when that is a.SubmissionID itself, dupOf is the
// earlier one's id and the caller must stop processing it.
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
		err = tx.QueryRowContext(ctx, `SELECT id FROM submissions
			WHERE canonical_url = ?1 AND id < ?2 AND `+active+` ORDER BY id LIMIT 1`,
			a.CanonicalURL, id).Scan(&dupOf)
		switch {
		case err == nil:
			_, err = tx.ExecContext(ctx, `UPDATE submissions
				SET state = 'duplicate', duplicate_of = ?2, last_error = '', updated_at = ?3
				WHERE id = ?1`, id, dupOf, now)
			return err
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		// This one is the earliest: later ones, fetched or not, repeat it.
		_, err = tx.ExecContext(ctx, `UPDATE submissions
			SET state = 'duplicate', duplicate_of = ?2, next_attempt_at = NULL, updated_at = ?3
			WHERE canonical_url = ?1 AND id > ?2 AND `+active, a.CanonicalURL, id, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: save article of submission %d: %w", id, err)
	}
	return dupOf, nil
}

// Summary is the sections a submission goes into its issue with, and the
// summariser cache key and usage they came from.
type Summary struct {
	SubmissionID   int64
	TextHash       string
	PromptVersion  string
	Model          string
	TitleKo        string
	Summary        string
	Introduction   string
	Recommendation string
	Caution        string
	Requests       int
	PromptTokens   int
	OutputTokens   int
	Cached         bool
	CreatedAt      time.Time
}

// MarkSummarized saves the sections of a submission being processed and
// moves it to summarized. It returns ErrStateChanged, saving nothing, when
// the submission was deleted or marked duplicate meanwhile.
func (s *Store) MarkSummarized(ctx context.Context, sum Summary) error {
	id := sum.SubmissionID
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		res, err := tx.ExecContext(ctx, `UPDATE submissions
			SET state = 'summarized', last_error = '', next_attempt_at = NULL, updated_at = ?2
			WHERE id = ?1 AND state = 'processing'`, id, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrStateChanged
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
