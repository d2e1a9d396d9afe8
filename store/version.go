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

// Sources of a version.
const (
	VersionModel = "model" // Gemini wrote it
	VersionEdit  = "edit"  // an editor wrote it, or restored it
)

// Version is one text a field of an entry has had.
type Version struct {
	ID           int64
	SubmissionID int64
	Field        entry.Field
	Value        string
	Source       string // VersionModel or VersionEdit
	Actor        string // the editor; for the model's, the editor who asked for a regeneration
	Note         string // a regeneration's instruction
	At           time.Time
}

// addVersion records a version of field f of submission id.
func addVersion(ctx context.Context, db execer, id int64, f entry.Field, value, source, actor, note, now string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO versions (submission_id, field, value, source, actor, note, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, string(f), value, source, actor, note, now)
	return err
}

// keepModel records the model's text of each field of e that has no
// version of the model yet (an entry summarised before versions were
// kept, or whose first summary was never changed), dated when it was
// written, so that a change never loses it.
func keepModel(ctx context.Context, tx *sql.Tx, e Entry) error {
	for _, f := range entry.Fields {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM versions WHERE submission_id = ? AND field = ? AND source = 'model'`,
			e.Submission.ID, string(f)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if err := addVersion(ctx, tx, e.Submission.ID, f, e.Summary.Get(f), VersionModel, "", "", ts(e.Summary.CreatedAt)); err != nil {
			return err
		}
	}
	return nil
}

// Versions returns every version of every field of the entry of
// submission id, oldest first; the model's text of an entry never changed
// is its one version of each field. ErrNotFound when it has no entry.
func (s *Store) Versions(ctx context.Context, id int64) ([]Version, error) {
	// Reading takes no write unless the model's first text is still to be
	// kept.
	var kept int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT field) FROM versions WHERE submission_id = ? AND source = 'model'`,
		id).Scan(&kept); err != nil {
		return nil, fmt.Errorf("store: versions of entry %d: %w", id, err)
	}
	if kept == len(entry.Fields) {
		out, err := versionsOf(ctx, s.db, id)
		if err != nil {
			return nil, fmt.Errorf("store: versions of entry %d: %w", id, err)
		}
		return out, nil
	}
	var out []Version
	err := s.tx(ctx, func(tx *sql.Tx) error {
		es, err := queryEntries(ctx, tx, `s.id = ?1`, id)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			return ErrNotFound
		}
		if err := keepModel(ctx, tx, es[0]); err != nil {
			return err
		}
		out, err = versionsOf(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: versions of entry %d: %w", id, err)
	}
	return out, nil
}

// versionsOf reads the versions of submission id, oldest first.
func versionsOf(ctx context.Context, q querier, id int64) ([]Version, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, submission_id, field, value, source, actor, note, at
		FROM versions WHERE submission_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer quiet.Close(rows)
	var out []Version
	for rows.Next() {
		var v Version
		if err := rows.Scan(&v.ID, &v.SubmissionID, &v.Field, &v.Value, &v.Source, &v.Actor, &v.Note, timeCol{&v.At}); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Version returns version vid of the entry of submission id, or
// ErrNotFound.
func (s *Store) Version(ctx context.Context, id, vid int64) (Version, error) {
	var v Version
	err := s.db.QueryRowContext(ctx, `SELECT id, submission_id, field, value, source, actor, note, at
		FROM versions WHERE submission_id = ? AND id = ?`, id, vid).
		Scan(&v.ID, &v.SubmissionID, &v.Field, &v.Value, &v.Source, &v.Actor, &v.Note, timeCol{&v.At})
	if errors.Is(err, sql.ErrNoRows) {
		return Version{}, fmt.Errorf("store: version %d of entry %d: %w", vid, id, ErrNotFound)
	}
	if err != nil {
		return Version{}, fmt.Errorf("store: version %d of entry %d: %w", vid, id, err)
	}
	return v, nil
}
