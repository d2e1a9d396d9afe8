package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/internal/quiet"
)

// CandidateState is where a suggested article is.
type CandidateState string

// Candidate states: new candidates are offered to editors until one is
// accepted (it became a submission), dismissed (never offered again) or
// expires; a duplicate is the same story as another candidate, or a link
// already queued or published.
const (
	CandidateNew       CandidateState = "new"
	CandidateAccepted  CandidateState = "accepted"
	CandidateDismissed CandidateState = "dismissed"
	CandidateDuplicate CandidateState = "duplicate"
	CandidateExpired   CandidateState = "expired"
)

// CandidateStates lists every candidate state.
var CandidateStates = []CandidateState{CandidateNew, CandidateAccepted, CandidateDismissed, CandidateDuplicate, CandidateExpired}

// Candidate is an article a source offered.
type Candidate struct {
	ID      int64
	URL     string // normalised
	Title   string
	Snippet string
	// Sources are the names of the sources that offered it, first first.
	Sources     []string
	Points      int
	Comments    int
	Discussion  string // the thread's URL, e.g. on Hacker News
	PublishedAt time.Time
	State       CandidateState
	DuplicateOf int64
	// Reason says why a duplicate is one.
	Reason       string
	SubmissionID int64 // the submission an accepted candidate became
	DecidedBy    string
	DecidedAt    time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// NewCandidate is an item a source offered. URL must be normalised.
type NewCandidate struct {
	URL, Title, Snippet, Source, Discussion string
	Points, Comments                        int
	PublishedAt                             time.Time
	// State is CandidateNew or CandidateDuplicate (with DuplicateOf or
	// Reason).
	State       CandidateState
	DuplicateOf int64
	Reason      string
}

const candidateCols = `id, url, title, snippet, sources, points, comments, discussion, published_at, state,
	COALESCE(duplicate_of, 0), reason, COALESCE(submission_id, 0), decided_by, decided_at, created_at, updated_at`

func scanCandidate(row scanner) (Candidate, error) {
	var c Candidate
	var sources string
	err := row.Scan(&c.ID, &c.URL, &c.Title, &c.Snippet, &sources, &c.Points, &c.Comments, &c.Discussion,
		timeCol{&c.PublishedAt}, &c.State, &c.DuplicateOf, &c.Reason, &c.SubmissionID, &c.DecidedBy,
		timeCol{&c.DecidedAt}, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	c.Sources = strings.Split(sources, ",")
	return c, err
}

// AddCandidate records an item first offered, unless its URL is already
// a candidate: then it is SeenAgain, and that one is returned with added
// false.
func (s *Store) AddCandidate(ctx context.Context, n NewCandidate) (c Candidate, added bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		var dup any
		if n.DuplicateOf != 0 {
			dup = n.DuplicateOf
		}
		row := tx.QueryRowContext(ctx, `INSERT INTO candidates
			(url, title, snippet, sources, points, comments, discussion, published_at, state, duplicate_of, reason, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (url) DO NOTHING RETURNING `+candidateCols,
			n.URL, n.Title, n.Snippet, n.Source, n.Points, n.Comments, n.Discussion, nullTS(n.PublishedAt), n.State,
			dup, n.Reason, now, now)
		c, err = scanCandidate(row)
		if err == nil {
			added = true
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		c, err = seenAgain(ctx, tx, `url = ?`, n.URL, n.Source, n.Snippet, n.Points, n.Comments, n.PublishedAt, now)
		return err
	})
	if err != nil {
		return Candidate{}, false, fmt.Errorf("store: add candidate %s: %w", n.URL, err)
	}
	return c, added, nil
}

// SeenAgain records that source offered candidate id (another story of
// the same news, say): the source joins its sources, and its points and
// comments are the highest seen, its publication time the earliest, and
// snippet fills its snippet if it had none.
func (s *Store) SeenAgain(ctx context.Context, id int64, source, snippet string, points, comments int, published time.Time) (Candidate, error) {
	var c Candidate
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = seenAgain(ctx, tx, `id = ?`, id, source, snippet, points, comments, published, ts(s.now()))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		return err
	})
	if err != nil {
		return Candidate{}, fmt.Errorf("store: candidate %d seen again: %w", id, err)
	}
	return c, nil
}

func seenAgain(ctx context.Context, tx *sql.Tx, where string, key any, source, snippet string, points, comments int, published time.Time, now string) (Candidate, error) {
	c, err := scanCandidate(tx.QueryRowContext(ctx, `SELECT `+candidateCols+` FROM candidates WHERE `+where, key))
	if err != nil {
		return Candidate{}, err
	}
	sources := c.Sources
	if !slices.Contains(sources, source) {
		sources = append(sources, source)
	}
	return scanCandidate(tx.QueryRowContext(ctx, `UPDATE candidates
		SET sources = ?2, points = MAX(points, ?3), comments = MAX(comments, ?4), updated_at = ?5,
		    snippet = CASE WHEN snippet = '' THEN ?6 ELSE snippet END,
		    published_at = CASE WHEN ?7 IS NOT NULL AND (published_at IS NULL OR ?7 < published_at) THEN ?7 ELSE published_at END
		WHERE id = ?1 RETURNING `+candidateCols, c.ID, strings.Join(sources, ","), points, comments, now, snippet, nullTS(published)))
}

// CandidateByURL returns the candidate of the normalised url, if any.
func (s *Store) CandidateByURL(ctx context.Context, url string) (Candidate, bool, error) {
	c, err := scanCandidate(s.db.QueryRowContext(ctx, `SELECT `+candidateCols+` FROM candidates WHERE url = ?`, url))
	if errors.Is(err, sql.ErrNoRows) {
		return Candidate{}, false, nil
	}
	if err != nil {
		return Candidate{}, false, fmt.Errorf("store: candidate of %s: %w", url, err)
	}
	return c, true, nil
}

// Candidate returns candidate id, or ErrNotFound.
func (s *Store) Candidate(ctx context.Context, id int64) (Candidate, error) {
	c, err := scanCandidate(s.db.QueryRowContext(ctx, `SELECT `+candidateCols+` FROM candidates WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Candidate{}, fmt.Errorf("store: candidate %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Candidate{}, fmt.Errorf("store: candidate %d: %w", id, err)
	}
	return c, nil
}

// CandidateFilter selects candidates.
type CandidateFilter struct {
	States []CandidateState // any of these; all when empty
	Source string           // offered by this source; all when ""
}

// Candidates lists the candidates f selects, newest first.
func (s *Store) Candidates(ctx context.Context, f CandidateFilter) ([]Candidate, error) {
	q := `SELECT ` + candidateCols + ` FROM candidates WHERE 1`
	var args []any
	if len(f.States) > 0 {
		q += ` AND state IN (?` + strings.Repeat(", ?", len(f.States)-1) + `)`
		for _, st := range f.States {
			args = append(args, st)
		}
	}
	if f.Source != "" {
		q += ` AND ',' || sources || ',' LIKE '%,' || ? || ',%' ESCAPE '\'`
		args = append(args, likeEscaper.Replace(f.Source))
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: candidates: %w", err)
	}
	defer quiet.Close(rows)
	var out []Candidate
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, fmt.Errorf("store: candidates: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: candidates: %w", err)
	}
	return out, nil
}

// DecideCandidate moves a new candidate to accepted (with the submission
// it became) or dismissed, recording who did. A candidate already
// decided is ErrConflict.
func (s *Store) DecideCandidate(ctx context.Context, id int64, st CandidateState, actor string, submissionID int64) (Candidate, error) {
	var c Candidate
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		var sub any
		if submissionID != 0 {
			sub = submissionID
		}
		var err error
		c, err = scanCandidate(tx.QueryRowContext(ctx, `UPDATE candidates
			SET state = ?2, decided_by = ?3, decided_at = ?4, submission_id = ?5, updated_at = ?4
			WHERE id = ?1 AND state = 'new' RETURNING `+candidateCols, id, st, actor, now, sub))
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		c, err = scanCandidate(tx.QueryRowContext(ctx, `SELECT `+candidateCols+` FROM candidates WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("%w: it is %s, not new", ErrConflict, c.State)
	})
	if err != nil {
		return c, fmt.Errorf("store: %s candidate %d: %w", st, id, err)
	}
	return c, nil
}

// ExpireCandidates moves the new candidates first offered before t to
// expired, and says how many.
func (s *Store) ExpireCandidates(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE candidates SET state = 'expired', updated_at = ?1
		WHERE state = 'new' AND created_at < ?2`, ts(s.now()), ts(before))
	if err != nil {
		return 0, fmt.Errorf("store: expire candidates: %w", err)
	}
	return rowsAffected(res)
}

// KnownURL reports whether the normalised url is a submission queued for
// the next issue ("queued") or published in an issue ("published").
func (s *Store) KnownURL(ctx context.Context, url string) (string, error) {
	var state string
	err := s.db.QueryRowContext(ctx, `SELECT state FROM submissions
		WHERE (url = ?1 OR canonical_url = ?1) AND state IN ('new', 'processing', 'summarized', 'published')
		ORDER BY state = 'published' DESC LIMIT 1`, url).Scan(&state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("store: is %s known: %w", url, err)
	case state == string(StatePublished):
		return "published", nil
	}
	return "queued", nil
}

// Titled is a title to compare a candidate's with: another candidate's
// (Candidate set) or a submitted article's.
type Titled struct {
	Candidate    int64
	Submission   int64
	Title        string
	CandidateNew bool // a candidate still offered
}

// Titles lists the titles a new candidate may repeat: candidates offered
// since t (not duplicates themselves), and every article fetched for a
// submission queued or published.
func (s *Store) Titles(ctx context.Context, since time.Time) ([]Titled, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, 0, title, state = 'new' FROM candidates WHERE state IN ('new', 'accepted', 'dismissed') AND created_at >= ?
		UNION ALL
		SELECT 0, a.submission_id, a.title, 0 FROM articles a JOIN submissions s ON s.id = a.submission_id
		WHERE s.state IN ('new', 'processing', 'summarized', 'published') AND a.title != ''`, ts(since))
	if err != nil {
		return nil, fmt.Errorf("store: titles: %w", err)
	}
	defer quiet.Close(rows)
	var out []Titled
	for rows.Next() {
		var t Titled
		if err := rows.Scan(&t.Candidate, &t.Submission, &t.Title, &t.CandidateNew); err != nil {
			return nil, fmt.Errorf("store: titles: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CandidateCount is how many candidates a source first offered, by state.
type CandidateCount struct {
	Source string
	State  CandidateState
	N      int
}

// CountCandidates counts candidates by their first source and state.
func (s *Store) CountCandidates(ctx context.Context) ([]CandidateCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT
		CASE WHEN instr(sources, ',') > 0 THEN substr(sources, 1, instr(sources, ',') - 1) ELSE sources END AS source,
		state, COUNT(*) FROM candidates GROUP BY source, state ORDER BY source, state`)
	if err != nil {
		return nil, fmt.Errorf("store: count candidates: %w", err)
	}
	defer quiet.Close(rows)
	var out []CandidateCount
	for rows.Next() {
		var c CandidateCount
		if err := rows.Scan(&c.Source, &c.State, &c.N); err != nil {
			return nil, fmt.Errorf("store: count candidates: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SourcePoll is what a source's polls have said.
type SourcePoll struct {
	Name               string
	ETag, LastModified string
	LastPollAt         time.Time
	LastOKAt           time.Time
	NextPollAt         time.Time
	Failures           int // in a row
	LastError          string
	Items              int
}

// SourcePolls returns every source's poll state, by name.
func (s *Store) SourcePolls(ctx context.Context) (map[string]SourcePoll, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, etag, last_modified, last_poll_at, last_ok_at, next_poll_at,
		failures, last_error, items FROM source_polls`)
	if err != nil {
		return nil, fmt.Errorf("store: source polls: %w", err)
	}
	defer quiet.Close(rows)
	out := map[string]SourcePoll{}
	for rows.Next() {
		var p SourcePoll
		if err := rows.Scan(&p.Name, &p.ETag, &p.LastModified, timeCol{&p.LastPollAt}, timeCol{&p.LastOKAt},
			timeCol{&p.NextPollAt}, &p.Failures, &p.LastError, &p.Items); err != nil {
			return nil, fmt.Errorf("store: source polls: %w", err)
		}
		out[p.Name] = p
	}
	return out, rows.Err()
}

// SaveSourcePoll records a source's poll state.
func (s *Store) SaveSourcePoll(ctx context.Context, p SourcePoll) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO source_polls
		(name, etag, last_modified, last_poll_at, last_ok_at, next_poll_at, failures, last_error, items)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			last_poll_at = excluded.last_poll_at, last_ok_at = excluded.last_ok_at, next_poll_at = excluded.next_poll_at,
			failures = excluded.failures, last_error = excluded.last_error, items = excluded.items`,
		p.Name, p.ETag, p.LastModified, nullTS(p.LastPollAt), nullTS(p.LastOKAt), nullTS(p.NextPollAt),
		p.Failures, p.LastError, p.Items)
	if err != nil {
		return fmt.Errorf("store: save poll of source %s: %w", p.Name, err)
	}
	return nil
}
