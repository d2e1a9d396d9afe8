package edition

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/notify"
	"github.com/godevcommunity/newsletter/publisher"
	"github.com/godevcommunity/newsletter/publisher/hashnode"
	"github.com/godevcommunity/newsletter/retry"
	"github.com/godevcommunity/newsletter/store"
)

// The outlets. What a publication promises them is queued in the
// transaction that records it published (store.Written, see promises) and
// sent by the outbox's worker (package outbox), which resumes it after any
// stop; each outlet below settles an unknown outcome as well as its
// receiver allows.

// Names of the outlets, as deliveries carry them; a chat's is "chat:N",
// N its place in notify.webhooks.
const (
	OutletHashnode = "hashnode"
	OutletChat     = "chat"
)

// Kinds of the deliveries of a publication.
const (
	KindPublished = "published" // the first publication
	KindCorrected = "corrected" // a publication again after corrections
)

// Hashnode publishes an issue to a Hashnode publication; *hashnode.Client
// is one, with StoreLedger as its ledger.
type Hashnode interface {
	Publish(ctx context.Context, issueKey string, p hashnode.Post) (hashnode.Result, error)
	// Draft makes or updates the issue's draft for a test send.
	Draft(ctx context.Context, issueKey string, p hashnode.Post) (hashnode.Result, error)
}

// Notifier tells people what happened; ChatQueue is one. Send must never
// block.
type Notifier interface {
	Send(e notify.Event)
}

// Outbox sends what is queued; *outbox.Worker is one.
type Outbox interface {
	// Wake says something was queued.
	Wake()
	// Send sends delivery id now (queuing it again if it failed) and
	// returns how it went.
	Send(ctx context.Context, id int64) (store.Delivery, error)
}

// Links are the public addresses events point to.
type Links struct {
	Desk    string // the editors' desk, for "a draft is ready"
	Archive string // the public archive's base URL, "" when it is private
}

// promises are the deliveries the publication of is owes its outlets, to
// be queued with it: the first publication goes to Hashnode and to every
// chat; a correction updates the Hashnode post (once, however often it is
// corrected before the update goes out) and tells the chats only when an
// editor asked to announce it, as a correction.
func (r *Runner) promises(is store.Issue, announce bool) ([]store.NewDelivery, error) {
	kind := KindPublished
	if is.Published() {
		kind = KindCorrected
	}
	var ds []store.NewDelivery
	if r.env.Hashnode != nil {
		ds = append(ds, store.NewDelivery{IssueID: is.ID, Outlet: OutletHashnode, Kind: kind,
			DedupeKey: hashnodeKey(is.ID)})
	}
	if r.env.Listmonk != nil {
		ds = append(ds, store.NewDelivery{IssueID: is.ID, Outlet: OutletListmonk, Kind: kind,
			DedupeKey: outletKey(is.ID, OutletListmonk)})
	}
	if (kind == KindPublished || announce) && r.env.Chats > 0 {
		ev := notify.Published{Title: is.Title, Corrected: kind == KindCorrected}
		if r.env.Links.Archive != "" {
			ev.ArchiveURL = r.env.Links.Archive + "/issues/" + is.Slug
		}
		_, payload, err := notify.Marshal(ev)
		if err != nil {
			return nil, err
		}
		for i := range r.env.Chats {
			ds = append(ds, store.NewDelivery{IssueID: is.ID, Outlet: chatOutlet(i), Kind: notify.Kind(ev), Payload: payload})
		}
	}
	return ds, nil
}

// draftReady is the "draft ready" message of issue n, frozen by a run for
// review, to each chat: queued in the transaction that freezes it, so that
// no stop between the two loses it.
func (r *Runner) draftReady(n store.NewIssue) ([]store.NewDelivery, error) {
	if r.env.Chats == 0 {
		return nil, nil
	}
	kind, payload, err := notify.Marshal(notify.DraftReady{Title: n.Title, DeskURL: r.env.Links.Desk, PublishAt: n.PublishAt})
	if err != nil {
		return nil, err
	}
	ds := make([]store.NewDelivery, r.env.Chats)
	for i := range ds {
		ds[i] = store.NewDelivery{Outlet: chatOutlet(i), Kind: kind, Payload: payload}
	}
	return ds, nil
}

// hashnodeKey makes issue id's Hashnode deliveries one at a time: a
// correction queued while one waits adds nothing, as the waiting one reads
// the issue as it is when it is sent.
func hashnodeKey(id int64) string { return outletKey(id, OutletHashnode) }

// outletKey makes issue id's deliveries to outlet one at a time.
func outletKey(id int64, outlet string) string {
	return "issue:" + strconv.FormatInt(id, 10) + ":" + outlet
}

func chatOutlet(i int) string { return OutletChat + ":" + strconv.Itoa(i) }

// wake tells the outbox that a publication queued deliveries.
func (r *Runner) wake() {
	if r.env.Outbox != nil {
		r.env.Outbox.Wake()
	}
}

// ErrNoHashnode is returned by PublishHashnode when no publication is
// configured.
var ErrNoHashnode = errors.New("no Hashnode publication is configured (publisher.hashnode.publication_id)")

// PublishHashnode sends a published issue to Hashnode again now, for the
// desk and the CLI after a failure, and returns the issue with the outcome
// (Hashnode.Error says why it failed, if it did). The delivery is the
// issue's last one to Hashnode, queued again; an issue that has none (it
// was published before Hashnode was configured) gets one.
func (r *Runner) PublishHashnode(ctx context.Context, id int64) (store.Issue, error) {
	if r.env.Hashnode == nil || r.env.Outbox == nil {
		return store.Issue{}, ErrNoHashnode
	}
	return r.sendAgain(ctx, id, OutletHashnode)
}

// sendAgain queues issue id's last delivery to outlet again, or a new one
// when it has none or the last was done, and sends it now.
func (r *Runner) sendAgain(ctx context.Context, id int64, outlet string) (store.Issue, error) {
	is, err := r.env.Store.Issue(ctx, id)
	if err != nil {
		return store.Issue{}, err
	}
	if is.State != store.IssuePublished {
		return store.Issue{}, fmt.Errorf("%w: issue %d is %s, not published yet", store.ErrConflict, id, is.State)
	}
	last, err := r.lastDelivery(ctx, id, outlet)
	if err != nil {
		return store.Issue{}, err
	}
	if last.ID == 0 || last.State == store.DeliveryDone {
		// An issue whose first publication the outlet never had (it was
		// configured later) gets it as a first publication.
		kind, err := r.kindAgain(ctx, id, outlet)
		if err != nil {
			return store.Issue{}, err
		}
		if err := r.env.Store.Enqueue(ctx, store.NewDelivery{IssueID: id, Outlet: outlet, Kind: kind,
			DedupeKey: outletKey(id, outlet)}); err != nil {
			return store.Issue{}, err
		}
		if last, err = r.lastDelivery(ctx, id, outlet); err != nil {
			return store.Issue{}, err
		}
	}
	if _, err := r.env.Outbox.Send(ctx, last.ID); err != nil && !errors.Is(err, store.ErrConflict) {
		return store.Issue{}, err
	}
	return r.env.Store.Issue(ctx, id)
}

// kindAgain is the kind of an editor's retry to outlet: corrected when
// the issue's first publication was promised to it, else published.
func (r *Runner) kindAgain(ctx context.Context, id int64, outlet string) (string, error) {
	ds, err := r.env.Store.Deliveries(ctx, id)
	if err != nil {
		return "", err
	}
	for _, d := range ds {
		if d.Outlet == outlet && d.Kind == KindPublished {
			return KindCorrected, nil
		}
	}
	return KindPublished, nil
}

// lastDelivery is issue id's latest delivery to outlet, the zero Delivery
// when it has none.
func (r *Runner) lastDelivery(ctx context.Context, id int64, outlet string) (store.Delivery, error) {
	ds, err := r.env.Store.Deliveries(ctx, id)
	if err != nil {
		return store.Delivery{}, err
	}
	var last store.Delivery
	for _, d := range ds {
		if d.Outlet == outlet && d.Kind != KindTest {
			last = d
		}
	}
	return last, nil
}

// HashnodeOutlet posts a published issue to Hashnode, or updates its post
// after a correction, and records the outcome on the issue. Its client's
// ledger (StoreLedger) records a create before it is sent, so that after
// a lost answer or a stop the client looks for the post before creating
// it again: one issue, one post.
type HashnodeOutlet struct {
	Store  *store.Store
	Client Hashnode
	Pub    config.Publisher // the tags of the post
	Log    *zap.Logger
}

// Deliver implements outbox.Outlet.
func (o HashnodeOutlet) Deliver(ctx context.Context, d store.Delivery) error {
	if d.Kind == KindTest {
		return o.test(ctx, d)
	}
	is, err := o.Store.Issue(ctx, d.IssueID)
	if err != nil {
		return fmt.Errorf("hashnode: issue %d: %w", d.IssueID, err)
	}
	if is.State != store.IssuePublished {
		// Published again meanwhile: the new publication queues its own.
		return retry.Never(fmt.Errorf("hashnode: issue %d is %s, not published", is.ID, is.State))
	}
	post := hashnode.Post{Title: is.Title, Slug: is.Slug, Tags: hashnode.ParseTags(o.Pub.Tags),
		ContentMarkdown: string(publisher.Body(is.Content)), PublishedAt: is.Date}
	res, err := o.Client.Publish(ctx, strconv.FormatInt(is.ID, 10), post)
	cur, gerr := o.Store.Issue(context.WithoutCancel(ctx), is.ID)
	if gerr != nil {
		return errors.Join(err, gerr)
	}
	h := cur.Hashnode
	switch {
	case err == nil:
		h.PostID, h.DraftID, h.URL, h.Error = res.PostID, res.DraftID, res.URL, ""
		if o.Log != nil {
			o.Log.Info("issue published to Hashnode", zap.Int64("issue_id", is.ID), zap.String("action", string(res.Action)),
				zap.String("url", res.URL))
		}
	case ctx.Err() != nil:
		return err // stopped: the ledger says what was sent
	default:
		h.Error = err.Error()
	}
	if serr := o.Store.SetHashnode(context.WithoutCancel(ctx), is.ID, h); serr != nil {
		return errors.Join(err, serr)
	}
	return err
}

// ChatOutlet posts an event to one chat webhook (the N of "chat:N"). A
// webhook cannot be asked what it received, so a stop while a message is
// in flight (sent, its answer not yet recorded) repeats it; nothing is
// ever lost.
type ChatOutlet struct {
	Store    *store.Store
	Notifier *notify.Notifier
}

// Deliver implements outbox.Outlet.
func (o ChatOutlet) Deliver(ctx context.Context, d store.Delivery) error {
	_, n, _ := strings.Cut(d.Outlet, ":")
	index, err := strconv.Atoi(n)
	if err != nil {
		return retry.Never(fmt.Errorf("chat: delivery %d: outlet %q names no webhook", d.ID, d.Outlet))
	}
	ev, err := notify.Unmarshal(d.Kind, d.Payload)
	if err != nil {
		return retry.Never(err)
	}
	if p, ok := ev.(notify.Published); ok && d.IssueID != 0 {
		// The Hashnode post's address as it is known now: its delivery
		// was queued first.
		if is, err := o.Store.Issue(ctx, d.IssueID); err == nil {
			p.HashnodeURL = is.Hashnode.URL
			p.Outlets = outletStates(ctx, o.Store, is)
			ev = p
		}
	}
	return o.Notifier.Post(ctx, index, ev)
}

// ChatQueue queues events for every chat webhook in the outbox: Send is
// the Notifier of the runs, the schedule and the dependency pauses.
type ChatQueue struct {
	Store    *store.Store
	Webhooks int
	Outbox   Outbox
	Log      *zap.Logger
}

// Send queues e for every webhook and wakes the outbox. It does not wait
// on any webhook; a failure to queue is logged.
func (q ChatQueue) Send(e notify.Event) {
	if q.Webhooks == 0 {
		return
	}
	kind, payload, err := notify.Marshal(e)
	if err == nil {
		ds := make([]store.NewDelivery, q.Webhooks)
		for i := range ds {
			ds[i] = store.NewDelivery{Outlet: chatOutlet(i), Kind: kind, Payload: payload}
		}
		err = q.Store.Enqueue(context.Background(), ds...)
	}
	if err != nil {
		if q.Log != nil {
			q.Log.Error("a chat notification could not be queued", zap.String("event", notify.Kind(e)), zap.Error(err))
		}
		return
	}
	if q.Outbox != nil {
		q.Outbox.Wake()
	}
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
