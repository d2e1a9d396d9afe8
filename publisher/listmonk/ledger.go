package listmonk

import (
	"context"
	"time"

	"github.com/godevcommunity/newsletter/internal/memledger"
)

// Ledger keeps, for each issue, what the client knows of its campaign, so
// that a retry in another process finds the campaign the first attempt
// made, by its id, and never creates a second one while a create's outcome
// is unknown. Load returns the zero Record for an issue never saved.
type Ledger interface {
	Load(ctx context.Context, issueKey string) (Record, error)
	Save(ctx context.Context, issueKey string, r Record) error
}

// Record is an issue's campaign as the client last knew it.
type Record struct {
	// CampaignID is the campaign's id in listmonk, 0 until one is known.
	// Once known the campaign is looked up by it, never by its name
	// again: a campaign renamed in listmonk is still the issue's, and one
	// deleted there is not made again.
	CampaignID int
	Status     string // as listmonk last answered: draft, scheduled, running, …
	SendAt     time.Time
	// CreateSentAt is when a create was sent whose outcome is unknown (no
	// answer, a 5xx, an answer cut): it may still commit. Zero when
	// settled. The client saves it before every create and sends none
	// again before CreateSentAt + timeout + margin.
	CreateSentAt time.Time
}

// mayHaveGoneOut reports whether the recorded campaign may have been sent
// since it was last seen: it was sending or sent, or scheduled for a time
// that has come.
func (r Record) mayHaveGoneOut(now time.Time) bool {
	return r.Status != StatusDraft && (r.Status != StatusScheduled || !r.SendAt.After(now))
}

// Pending reports whether a create's outcome is unknown.
func (r Record) Pending() bool { return !r.CreateSentAt.IsZero() }

// MemoryLedger is a Ledger in memory, for tests and one process; its zero
// value is ready. It is safe for concurrent use.
type MemoryLedger = memledger.Memory[Record]
