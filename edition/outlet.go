package edition

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/notify"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

// Hashnode publishes an issue to a Hashnode publication; *hashnode.Client
// is one, with StoreLedger as its ledger.
type Hashnode interface {
	Publish(ctx context.Context, issueKey string, p hashnode.Post) (hashnode.Result, error)
}

// Notifier tells people what happened; *notify.Notifier is one. Send must
// never block.
type Notifier interface {
	Send(e notify.Event)
}

// Links are the public addresses events point to.
type Links struct {
	Desk    string // the editors' desk, for "a draft is ready"
	Archive string // the public archive's base URL, "" when it is private
}

// hashnodeBackoff spaces the automatic retries of a Hashnode publication.
var hashnodeBackoff = retry.Backoff{Base: time.Minute, Max: 30 * time.Minute}

// hashnodeRetries bounds the automatic retries of a Hashnode publication
// that failed transiently (5xx, timeouts, an answer lost); after them, and
// after a permanent failure, the desk and the CLI retry it.
const hashnodeRetries = 5

// deliver hands an issue just written to the outlets: Hashnode, then the
// message that it is published. A failure of either never undoes the
// publication. It is the one place the outlets are called from after a
// publication: a durable outbox takes its place by recording these
// deliveries in the transaction of store.Written and delivering them from
// a worker, which the retries below would then belong to.
func (r *Runner) deliver(ctx context.Context, is store.Issue, content []byte, log *zap.Logger) store.Issue {
	if r.env.Hashnode != nil {
		is = r.toHashnode(ctx, is, content, 1, log)
	}
	if r.env.Notifier != nil {
		ev := notify.Published{Title: is.Title, File: is.Location, HashnodeURL: is.Hashnode.URL}
		if r.env.Links.Archive != "" {
			ev.ArchiveURL = r.env.Links.Archive + "/issues/" + is.Slug
		}
		r.env.Notifier.Send(ev)
	}
	return is
}

// toHashnode publishes is to Hashnode and records the outcome on the
// issue. A transient failure is tried again later on its own, at most
// hashnodeRetries times (attempt counts them).
func (r *Runner) toHashnode(ctx context.Context, is store.Issue, content []byte, attempt int, log *zap.Logger) store.Issue {
	post := hashnode.Post{Title: is.Title, Slug: is.Slug, Tags: hashnode.ParseTags(r.pub.Tags),
		ContentMarkdown: string(publisher.Body(content)), PublishedAt: is.Date}
	res, err := r.env.Hashnode.Publish(ctx, strconv.FormatInt(is.ID, 10), post)
	cur, gerr := r.env.Store.Issue(context.WithoutCancel(ctx), is.ID)
	if gerr != nil {
		log.Error("reading the issue after Hashnode failed", zap.Error(gerr))
		return is
	}
	h := cur.Hashnode
	if err == nil {
		h.PostID, h.DraftID, h.URL, h.Error = res.PostID, res.DraftID, res.URL, ""
		log.Info("issue published to Hashnode", zap.String("action", string(res.Action)), zap.String("url", res.URL))
	} else {
		h.Error = err.Error()
		log.Warn("publishing the issue to Hashnode failed; the issue itself is published", zap.Int("attempt", attempt), zap.Error(err))
		if c := retry.Classify(err); c.Kind == retry.Transient && attempt < hashnodeRetries && r.ctx.Err() == nil {
			wait := hashnodeBackoff.Delay(attempt, r.env.Clock.Until(c.At))
			r.env.Clock.AfterFunc(wait, func() { r.retryHashnode(is.ID, attempt+1) })
			log.Info("Hashnode is tried again later", zap.Duration("in", wait))
		}
	}
	if err := r.env.Store.SetHashnode(context.WithoutCancel(ctx), is.ID, h); err != nil {
		log.Error("recording the Hashnode outcome failed", zap.Error(err))
	}
	cur.Hashnode = h
	return cur
}

// retryHashnode is a scheduled retry of a Hashnode publication.
func (r *Runner) retryHashnode(id int64, attempt int) {
	if r.ctx.Err() != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	is, err := r.env.Store.Issue(r.ctx, id)
	if err != nil || is.State != store.IssuePublished {
		return
	}
	r.toHashnode(r.ctx, is, is.Content, attempt, r.env.Log.With(zap.Int64("issue_id", id)))
}

// ErrNoHashnode is returned by PublishHashnode when no publication is
// configured.
var ErrNoHashnode = errors.New("no Hashnode publication is configured (publisher.hashnode.publication_id)")

// PublishHashnode publishes a published issue to Hashnode again, for the
// desk and the CLI after a failure; it returns the issue with the outcome
// (Hashnode.Error says why it failed, if it did).
func (r *Runner) PublishHashnode(ctx context.Context, id int64) (store.Issue, error) {
	if r.env.Hashnode == nil {
		return store.Issue{}, ErrNoHashnode
	}
	if !r.mu.TryLock() {
		return store.Issue{}, &BusyError{ID: r.current.Load()}
	}
	defer r.mu.Unlock()
	is, err := r.env.Store.Issue(ctx, id)
	if err != nil {
		return store.Issue{}, err
	}
	if is.State != store.IssuePublished {
		return store.Issue{}, fmt.Errorf("%w: issue %d is %s, not published yet", store.ErrConflict, id, is.State)
	}
	return r.toHashnode(ctx, is, is.Content, hashnodeRetries, r.env.Log.With(zap.Int64("issue_id", id))), nil
}

// StoreLedger keeps the Hashnode client's record of each issue's post in
// the issue's row, so that a retry after a lost answer never makes a
// second post. The issue key is the issue's id.
type StoreLedger struct{ Store *store.Store }

// Load implements hashnode.Ledger.
func (l StoreLedger) Load(ctx context.Context, issueKey string) (hashnode.Record, error) {
	is, err := l.issue(ctx, issueKey)
	if err != nil {
		return hashnode.Record{}, err
	}
	h := is.Hashnode
	return hashnode.Record{PostID: h.PostID, DraftID: h.DraftID, URL: h.URL, PendingSince: h.PendingSince, PendingOp: h.PendingOp}, nil
}

// Save implements hashnode.Ledger; the issue's last Hashnode error stays.
func (l StoreLedger) Save(ctx context.Context, issueKey string, r hashnode.Record) error {
	is, err := l.issue(ctx, issueKey)
	if err != nil {
		return err
	}
	return l.Store.SetHashnode(ctx, is.ID, store.HashnodePost{PostID: r.PostID, DraftID: r.DraftID, URL: r.URL,
		PendingSince: r.PendingSince, PendingOp: r.PendingOp, Error: is.Hashnode.Error})
}

func (l StoreLedger) issue(ctx context.Context, key string) (store.Issue, error) {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return store.Issue{}, err
	}
	return l.Store.Issue(ctx, id)
}
