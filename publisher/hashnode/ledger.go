package hashnode

import (
	"context"
	"time"

	"github.com/godevcommunity/newsletter/internal/memledger"
)

// Ledger keeps, for each issue, what Publish knows of it on Hashnode. The
// caller implements it over its own storage, so that a retry in another
// process finds the post the first attempt made. Load returns the zero
// Record for an issue it has never saved.
type Ledger interface {
	Load(ctx context.Context, issueKey string) (Record, error)
	Save(ctx context.Context, issueKey string, r Record) error
}

// Record is an issue's state on Hashnode as Publish last knew it.
type Record struct {
	PostID  string // the published post, once there is one
	DraftID string // the draft, while the issue is one
	URL     string // the post's URL; Hashnode gives a draft none

	// PendingSince is when an operation whose outcome is unknown was sent:
	// a create (publishPost, createDraft, publishDraft) whose answer was
	// lost, or an update that found its recorded post or draft gone. Zero
	// when the record is settled. Publish saves it before sending a create
	// and trusts a lookup by slug only once Hashnode's query cache cannot
	// hide what that operation did.
	PendingSince time.Time
	// PendingOp names that operation, for messages.
	PendingOp string
}

// Pending reports whether an operation's outcome is unknown.
func (r Record) Pending() bool { return !r.PendingSince.IsZero() }

// MemoryLedger is a Ledger in memory, for tests and one-process use; its
// zero value is ready. It is safe for concurrent use.
type MemoryLedger = memledger.Memory[Record]
