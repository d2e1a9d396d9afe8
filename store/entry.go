package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/godevcommunity/newsletter/entry"
	"github.com/godevcommunity/newsletter/internal/quiet"
)

// Edit is an editor's text for one field, replacing the model's.
type Edit struct {
	Value  string
	Editor string
	At     time.Time
}

// Entry is a summarised submission with what its issue needs: the article,
// the model's sections and the editors' edits of them.
type Entry struct {
	Submission Submission
	Article    Article
	Summary    Summary // as the model wrote it
	Edits      map[entry.Field]Edit
}

// Effective returns the sections as they are published: the model's,
// with the editors' edits in place.
func (e Entry) Effective() Summary {
	s := e.Summary
	for f, ed := range e.Edits {
		s.Set(f, ed.Value)
	}
	return s
}

// Edited lists the fields an editor changed, in entry order.
func (e Entry) Edited() []entry.Field {
	var out []entry.Field
	for _, f := range entry.Fields {
		if _, ok := e.Edits[f]; ok {
			out = append(out, f)
		}
	}
	return out
}

// querier runs queries, in a transaction or not.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// entryOrder is the order of entries in an issue or the draft.
const entryOrder = ` ORDER BY COALESCE(s.position, 1000000000 + s.id), s.id`

// queryEntries returns the summarised submissions matching where (on s, the
// submissions), with their articles, sections and edits, in issue order.
func queryEntries(ctx context.Context, q querier, where string, args ...any) ([]Entry, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+submissionColumns("s.")+`,
		a.final_url, a.canonical_url, a.title, a.site_name, a.author, a.published,
		a.language, a.text, a.text_hash, a.word_count, a.fetched_at,
		m.text_hash, m.prompt_version, m.model, m.title_ko, m.summary, m.introduction,
		m.recommendation, m.caution, m.requests, m.prompt_tokens, m.output_tokens, m.cached, m.created_at
		FROM submissions s
		JOIN articles a ON a.submission_id = s.id
		JOIN article_summaries m ON m.submission_id = s.id
		WHERE `+where+entryOrder, args...)
	if err != nil {
		return nil, err
	}
	var es []Entry
	for rows.Next() {
		var e Entry
		sub, art, sum := &e.Submission, &e.Article, &e.Summary
		err := rows.Scan(&sub.ID, &sub.URL, &sub.CanonicalURL, &sub.SubmittedBy, &sub.Note, &sub.State,
			&sub.Attempts, &sub.LastError, timeCol{&sub.NextAttemptAt}, &sub.WaitingFor, &sub.DuplicateOf, &sub.IssueID,
			&sub.Position, &sub.Excluded, timeCol{&sub.CreatedAt}, timeCol{&sub.UpdatedAt},
			&art.FinalURL, &art.CanonicalURL, &art.Title, &art.SiteName, &art.Author,
			timeCol{&art.Published}, &art.Language, &art.Text, &art.TextHash, &art.WordCount,
			timeCol{&art.FetchedAt},
			&sum.TextHash, &sum.PromptVersion, &sum.Model, &sum.TitleKo, &sum.Summary, &sum.Introduction,
			&sum.Recommendation, &sum.Caution, &sum.Requests, &sum.PromptTokens, &sum.OutputTokens,
			&sum.Cached, timeCol{&sum.CreatedAt})
		if err != nil {
			quiet.Close(rows)
			return nil, err
		}
		art.SubmissionID, sum.SubmissionID = sub.ID, sub.ID
		es = append(es, e)
	}
	quiet.Close(rows)
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range es {
		if es[i].Edits, err = editsOf(ctx, q, es[i].Submission.ID); err != nil {
			return nil, err
		}
	}
	return es, nil
}

func editsOf(ctx context.Context, q querier, id int64) (map[entry.Field]Edit, error) {
	rows, err := q.QueryContext(ctx, `SELECT field, value, editor, at FROM edits WHERE submission_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer quiet.Close(rows)
	edits := map[entry.Field]Edit{}
	for rows.Next() {
		var f entry.Field
		var e Edit
		if err := rows.Scan(&f, &e.Value, &e.Editor, timeCol{&e.At}); err != nil {
			return nil, err
		}
		edits[f] = e
	}
	return edits, rows.Err()
}

// DraftEntries returns the open draft: every summarised submission in no
// issue yet, in order.
func (s *Store) DraftEntries(ctx context.Context) ([]Entry, error) {
	es, err := queryEntries(ctx, s.db, `s.state = 'summarized' AND s.issue_id IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("store: draft entries: %w", err)
	}
	return es, nil
}

// IssueEntries returns the entries of an issue, excluded ones included, in
// order.
func (s *Store) IssueEntries(ctx context.Context, issueID int64) ([]Entry, error) {
	es, err := queryEntries(ctx, s.db, `s.issue_id = ?1 AND s.state IN ('summarized', 'published')`, issueID)
	if err != nil {
		return nil, fmt.Errorf("store: entries of issue %d: %w", issueID, err)
	}
	return es, nil
}

// Entry returns the entry of one summarised submission, or ErrNotFound.
func (s *Store) Entry(ctx context.Context, id int64) (Entry, error) {
	es, err := queryEntries(ctx, s.db, `s.id = ?1`, id)
	if err != nil {
		return Entry{}, fmt.Errorf("store: entry %d: %w", id, err)
	}
	if len(es) == 0 {
		return Entry{}, fmt.Errorf("store: entry %d: %w", id, ErrNotFound)
	}
	return es[0], nil
}

// Change is an editor's change of one entry. A field set to a pointer to
// text is edited to it; a field set to nil goes back to the model's text.
type Change struct {
	Fields   map[entry.Field]*string
	Excluded *bool
	Position *int // 1 is first in its issue (or the draft)
}

// editEvent is the history record of one field's edit.
type editEvent struct {
	Field entry.Field `json:"field"`
	From  string      `json:"from"`
	To    string      `json:"to"`
}

// Change applies c to the entry of submission id, by editor, in one
// transaction, recording each change in its history; edits are never
// overwritten by a later summary. The entry must be summarised or in a
// published issue (ErrConflict otherwise, ErrNotFound when missing).
func (s *Store) Change(ctx context.Context, id int64, c Change, editor string) (Entry, error) {
	var out Entry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		es, err := queryEntries(ctx, tx, `s.id = ?1`, id)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			return notEditable(ctx, tx, id)
		}
		e := es[0]
		if e.Submission.State != StateSummarized && e.Submission.State != StatePublished {
			return fmt.Errorf("%w: it is %s", ErrConflict, e.Submission.State)
		}
		now := ts(s.now())
		if len(c.Fields) > 0 {
			if err := keepModel(ctx, tx, e); err != nil {
				return err
			}
		}
		for _, f := range entry.Fields {
			v, ok := c.Fields[f]
			if !ok {
				continue
			}
			before := e.Effective().Get(f)
			if v == nil {
				if _, edited := e.Edits[f]; !edited {
					continue
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM edits WHERE submission_id = ? AND field = ?`, id, string(f)); err != nil {
					return err
				}
				detail, _ := json.Marshal(editEvent{Field: f, From: before, To: e.Summary.Get(f)})
				if err := addEvent(ctx, tx, id, now, EventReverted, string(detail), editor); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO edits (submission_id, field, value, editor, at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (submission_id, field) DO UPDATE SET value = excluded.value, editor = excluded.editor, at = excluded.at`,
				id, string(f), *v, editor, now); err != nil {
				return err
			}
			detail, _ := json.Marshal(editEvent{Field: f, From: before, To: *v})
			if err := addEvent(ctx, tx, id, now, EventEdited, string(detail), editor); err != nil {
				return err
			}
			if err := addVersion(ctx, tx, id, f, *v, VersionEdit, editor, "", now); err != nil {
				return err
			}
		}
		if c.Excluded != nil && *c.Excluded != e.Submission.Excluded {
			if _, err := tx.ExecContext(ctx, `UPDATE submissions SET excluded = ?2, updated_at = ?3 WHERE id = ?1`,
				id, *c.Excluded, now); err != nil {
				return err
			}
			kind := EventIncluded
			if *c.Excluded {
				kind = EventExcluded
			}
			if err := addEvent(ctx, tx, id, now, kind, "", editor); err != nil {
				return err
			}
		}
		if c.Position != nil {
			if err := move(ctx, tx, e.Submission, *c.Position, now, editor); err != nil {
				return err
			}
		}
		es, err = queryEntries(ctx, tx, `s.id = ?1`, id)
		if err != nil {
			return err
		}
		out = es[0]
		return nil
	})
	if err != nil {
		return Entry{}, fmt.Errorf("store: change entry %d: %w", id, err)
	}
	return out, nil
}

// notEditable explains why submission id has no entry to change.
func notEditable(ctx context.Context, tx *sql.Tx, id int64) error {
	sub, err := scanSubmission(tx.QueryRowContext(ctx, `SELECT `+submissionCols+` FROM submissions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: it is %s, with no summary to edit", ErrConflict, sub.State)
}

// move puts sub at position pos (1-based, clamped) among the entries of
// its issue, or of the draft, renumbering them all.
func move(ctx context.Context, tx *sql.Tx, sub Submission, pos int, now, editor string) error {
	where, args := `s.state = 'summarized' AND s.issue_id IS NULL`, []any{}
	if sub.IssueID != 0 {
		where, args = `s.issue_id = ?1 AND s.state IN ('summarized', 'published')`, []any{sub.IssueID}
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.id FROM submissions s WHERE `+where+entryOrder, args...)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			quiet.Close(rows)
			return err
		}
		if id != sub.ID {
			ids = append(ids, id)
		}
	}
	quiet.Close(rows)
	if err := rows.Err(); err != nil {
		return err
	}
	pos = min(max(pos, 1), len(ids)+1)
	ids = slices.Insert(ids, pos-1, sub.ID)
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET position = ?2 WHERE id = ?1`, id, i+1); err != nil {
			return err
		}
	}
	return addEvent(ctx, tx, sub.ID, now, EventMoved, fmt.Sprintf("to position %d", pos), editor)
}

// Resummarized replaces the model's sections of a summarised or published
// submission with sum, a regeneration an editor asked for with
// instruction. Edits stay: an edited field keeps the editor's text until
// it is reverted. The model's texts before and after are kept as
// versions.
func (s *Store) Resummarized(ctx context.Context, sum Summary, instruction, editor string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		es, err := queryEntries(ctx, tx, `s.id = ?1`, sum.SubmissionID)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			return ErrStateChanged
		}
		if err := keepModel(ctx, tx, es[0]); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE article_summaries SET text_hash = ?2, prompt_version = ?3, model = ?4,
			title_ko = ?5, summary = ?6, introduction = ?7, recommendation = ?8, caution = ?9,
			requests = requests + ?10, prompt_tokens = prompt_tokens + ?11, output_tokens = output_tokens + ?12,
			cached = 0, created_at = ?13
			WHERE submission_id = ?1 AND submission_id IN (SELECT id FROM submissions WHERE state IN ('summarized', 'published'))`,
			sum.SubmissionID, sum.TextHash, sum.PromptVersion, sum.Model, sum.TitleKo, sum.Summary, sum.Introduction,
			sum.Recommendation, sum.Caution, sum.Requests, sum.PromptTokens, sum.OutputTokens, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrStateChanged
		}
		for _, f := range entry.Fields {
			if err := addVersion(ctx, tx, sum.SubmissionID, f, sum.Get(f), VersionModel, editor, instruction, now); err != nil {
				return err
			}
		}
		return addEvent(ctx, tx, sum.SubmissionID, now, EventRegenerated, instruction, editor)
	})
	if err != nil {
		return fmt.Errorf("store: regenerated summary of submission %d: %w", sum.SubmissionID, err)
	}
	return nil
}

// draftIntroKey is the setting that holds the open draft's opening
// paragraph until the draft is frozen.
const draftIntroKey = "draft_intro"

func setting(ctx context.Context, tx *sql.Tx, key string) (string, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// DraftIntro returns the opening paragraph of the open draft.
func (s *Store) DraftIntro(ctx context.Context) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, draftIntroKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: draft opening: %w", err)
	}
	return v, nil
}

// SetIntro sets the opening paragraph of issue issueID, or of the open
// draft for 0.
func (s *Store) SetIntro(ctx context.Context, issueID int64, text string) error {
	var err error
	if issueID == 0 {
		_, err = s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?1, ?2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, draftIntroKey, text)
	} else {
		var res sql.Result
		res, err = s.db.ExecContext(ctx, `UPDATE issues SET intro = ?2, updated_at = ?3 WHERE id = ?1`, issueID, text, ts(s.now()))
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				err = ErrNotFound
			}
		}
	}
	if err != nil {
		return fmt.Errorf("store: opening of issue %d: %w", issueID, err)
	}
	return nil
}

// draftCUIDKey is the setting that holds the CUID the open draft will be
// published with, so that its preview is what goes out.
const draftCUIDKey = "draft_cuid"

// DraftCUID returns the open draft's CUID, making one with make the first
// time.
func (s *Store) DraftCUID(ctx context.Context, make func() string) (string, error) {
	var v string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if v, err = setting(ctx, tx, draftCUIDKey); err != nil || v != "" {
			return err
		}
		v = make()
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, draftCUIDKey, v)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: draft CUID: %w", err)
	}
	return v, nil
}
