package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Campaign is what is known of an issue's email campaign on listmonk.
type Campaign struct {
	IssueID    int64
	CampaignID int
	Status     string    // listmonk's: draft, scheduled, running, finished, …
	SendAt     time.Time // when it is scheduled; zero when not
	// Note says what a correction did not do (it came after the campaign
	// was sent); "" when nothing.
	Note string
	// Error is why the last attempt failed; "" after a success.
	Error string
	// TestedAt and TestedTo are the last test send's time and addresses.
	TestedAt  time.Time
	TestedTo  string
	UpdatedAt time.Time
}

// Campaign returns issue issueID's campaign record; ok is false when it has
// none.
func (s *Store) Campaign(ctx context.Context, issueID int64) (c Campaign, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT issue_id, campaign_id, status, send_at, note, error, tested_at, tested_to, updated_at
		FROM campaigns WHERE issue_id = ?`, issueID).Scan(&c.IssueID, &c.CampaignID, &c.Status, timeCol{&c.SendAt}, &c.Note,
		&c.Error, timeCol{&c.TestedAt}, &c.TestedTo, timeCol{&c.UpdatedAt})
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
		(issue_id, campaign_id, status, send_at, note, error, tested_at, tested_to, updated_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
		ON CONFLICT (issue_id) DO UPDATE SET campaign_id = ?2, status = ?3, send_at = ?4, note = ?5, error = ?6,
			tested_at = ?7, tested_to = ?8, updated_at = ?9`,
		c.IssueID, c.CampaignID, c.Status, nullTS(c.SendAt), c.Note, c.Error, nullTS(c.TestedAt), c.TestedTo, ts(s.now()))
	if err != nil {
		return fmt.Errorf("store: campaign of issue %d: %w", c.IssueID, err)
	}
	return nil
}
