// Package edition is the life of the week's issue once its articles are
// summarised: a Runner closes the week, freezing the open draft as the
// week's issue for review; editors (or the clock) approve it; publishing
// decides its content, writes its file and hands it to the outlets
// (Hashnode, the chats); a correction publishes it again. The states and
// the transitions between them are written in one place, life.go. A
// Scheduler starts the Runner on the weekly schedule. The articles
// themselves are package pipeline's work, which a run drains first.
package edition

import (
	"github.com/jonboulle/clockwork"
	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/store"
)

// Env is what the life works with. Store is required, and
// Publisher by the Runner.
type Env struct {
	Store     *store.Store
	Publisher publisher.Publisher // writes an issue's file
	// Hashnode, if set, gets each issue after its file is written,
	// through the outbox (see HashnodeOutlet).
	Hashnode Hashnode
	// Listmonk, if set, gets each issue as an email campaign after its
	// file is written, through the outbox (see ListmonkOutlet).
	Listmonk Listmonk
	// Chats counts the chat webhooks told of each issue published, and of
	// each frozen for review by a run, through the outbox (see ChatOutlet).
	Chats int
	// Outbox, if set, is woken when a publication queues deliveries, and
	// sends an editor's retry of one.
	Outbox Outbox
	// Notifier, if set, is told of runs failed; Links are the addresses
	// the events point to.
	Notifier Notifier
	Links    Links
	Metrics  *Metrics        // nil records nothing
	Log      *zap.Logger     // nil discards logs
	Clock    clockwork.Clock // nil means the real clock; dates issues, runs and retries
}

func (e Env) withDefaults() Env {
	if e.Log == nil {
		e.Log = zap.NewNop()
	}
	if e.Clock == nil {
		e.Clock = clockwork.NewRealClock()
	}
	return e
}
