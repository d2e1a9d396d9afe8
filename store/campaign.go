package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Campaign is what is known of an issue's email campaign on listmonk. Its
// parts are written apart: the campaign itself (SetCampaignLedger, by the
// listmonk client's ledger), the publication's outcome
// (SetCampaignOutcome) and the last test send's (SetCampaignTest), so
// that a test never changes what the publication's outcome says.
type Campaign struct {
	IssueID    int64
	CampaignID int
	Status     string    // listmonk's: draft, scheduled, running, finished, …
	SendAt     time.Time // when it is scheduled; zero when not
	// CreateSentAt is when a create was sent whose outcome is unknown;
	// zero when none.
	CreateSentAt time.Time
	// Note says what a publication did not do (a correction after the
	// campaign was sent, or a campaign gone from listmonk); "" when
	// nothing.
	Note string
	// Error is why the publication's last attempt failed; "" after a
	// success.
	Error string
	// TestedAt and TestedTo are the last successful test send's time and
	// addresses; TestError is why the last test send failed, "" when it
	// went.
	TestedAt  time.Time
	TestedTo  string
	TestError string
	UpdatedAt time.Time
}

// CampaignLedger is the campaign itself, as the listmonk client records
// it.
type CampaignLedger struct {
	CampaignID   int
	Status       string
	SendAt       time.Time
	CreateSentAt time.Time
}

// Campaign returns issue issueID's campaign record; ok is false when it has
// none.
func (s *Store) Campaign(ctx context.Context, issueID int64) (c Campaign, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT issue_id, campaign_id, status, send_at, create_sent_at, note, error,
		tested_at, tested_to, test_error, updated_at
		FROM campaigns WHERE issue_id = ?`, issueID).Scan(&c.IssueID, &c.CampaignID, &c.Status, timeCol{&c.SendAt},
		timeCol{&c.CreateSentAt}, &c.Note, &c.Error, timeCol{&c.TestedAt}, &c.TestedTo, &c.TestError, timeCol{&c.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return Campaign{}, false, nil
	}
	if err != nil {
		return Campaign{}, false, fmt.Errorf("store: campaign of issue %d: %w", issueID, err)
	}
	return c, true, nil
}

// SetCampaign records c, replacing the issue's record.
func (s *Store) SetCampaign(ctx context.Context, c Campaign) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO campaigns
		(issue_id, campaign_id, status, send_at, create_sent_at, note, error, tested_at, tested_to, test_error, updated_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
		ON CONFLICT (issue_id) DO UPDATE SET campaign_id = ?2, status = ?3, send_at = ?4, create_sent_at = ?5,
			note = ?6, error = ?7, tested_at = ?8, tested_to = ?9, test_error = ?10, updated_at = ?11`,
		c.IssueID, c.CampaignID, c.Status, nullTS(c.SendAt), nullTS(c.CreateSentAt), c.Note, c.Error,
		nullTS(c.TestedAt), c.TestedTo, c.TestError, ts(s.now()))
	if err != nil {
		return fmt.Errorf("store: campaign of issue %d: %w", c.IssueID, err)
	}
	return nil
}

// SetCampaignLedger records the issue's campaign itself, leaving the
// outcomes as they are.
func (s *Store) SetCampaignLedger(ctx context.Context, issueID int64, l CampaignLedger) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO campaigns (issue_id, campaign_id, status, send_at, create_sent_at, updated_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6)
		ON CONFLICT (issue_id) DO UPDATE SET campaign_id = ?2, status = ?3, send_at = ?4, create_sent_at = ?5, updated_at = ?6`,
		issueID, l.CampaignID, l.Status, nullTS(l.SendAt), nullTS(l.CreateSentAt), ts(s.now()))
	if err != nil {
		return fmt.Errorf("store: campaign ledger of issue %d: %w", issueID, err)
	}
	return nil
}

// SetCampaignOutcome records how the publication's last attempt at the
// campaign went: its note and its error ("" after a success).
func (s *Store) SetCampaignOutcome(ctx context.Context, issueID int64, note, failure string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO campaigns (issue_id, note, error, updated_at) VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT (issue_id) DO UPDATE SET note = ?2, error = ?3, updated_at = ?4`,
		issueID, note, failure, ts(s.now()))
	if err != nil {
		return fmt.Errorf("store: campaign outcome of issue %d: %w", issueID, err)
	}
	return nil
}

// SetCampaignTest records how a test send went: sent at at to the
// addresses to when failure is "", else why it failed (the last
// successful test is kept).
func (s *Store) SetCampaignTest(ctx context.Context, issueID int64, at time.Time, to, failure string) error {
	q := `INSERT INTO campaigns (issue_id, tested_at, tested_to, test_error, updated_at) VALUES (?1, ?2, ?3, '', ?5)
		ON CONFLICT (issue_id) DO UPDATE SET tested_at = ?2, tested_to = ?3, test_error = '', updated_at = ?5`
	if failure != "" {
		q = `INSERT INTO campaigns (issue_id, test_error, updated_at) VALUES (?1, ?4, ?5)
		ON CONFLICT (issue_id) DO UPDATE SET test_error = ?4, updated_at = ?5`
	}
	_, err := s.db.ExecContext(ctx, q, issueID, nullTS(at), to, failure, ts(s.now()))
	if err != nil {
		return fmt.Errorf("store: campaign test of issue %d: %w", issueID, err)
	}
	return nil
}
