package edition

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/godevcommunity/newsletter/config"
	"github.com/godevcommunity/newsletter/store"
)

// The life of an issue, every transition in one place. The open draft is
// every summarised submission in no issue yet; an issue is born frozen
// for review and ends published, and published again after corrections:
//
//	transition  from               to          guard                                  effect
//	freeze      open draft         review      the draft has articles and the week    store.Freeze fixes its members,
//	                                           has no issue yet                       title, slug, CUID and publish_at,
//	                                                                                  and queues a run's "draft ready"
//	adopt       open draft         published   auto mode, the week's issue published  store.Adopt adds the draft to it;
//	                                                                                  publish follows
//	publish     review, published  publishing  the runner's lock                      store.Publish decides the content
//	                                                                                  and the members published
//	write       publishing         published   the content was decided                the file is written; store.Written
//	finish      publishing         published   a stop came between publish and write  write, with the content decided
//	deliver     published          outlets     the file is written                    the outbox sends what Written queued:
//	                                                                                  Hashnode (its ledger on the issue),
//	                                                                                  the "published" message to each chat
//
// Who takes them: a run (Runner.Run) freezes or adopts the draft, and in
// auto mode publishes; in review mode an editor publishes (Approve), or
// the clock once publish_at has come (AutoPublish, or the next run); an
// editor publishes a published issue again after corrections (Republish)
// and retries its Hashnode post (PublishHashnode). A stop between publish
// and write leaves the issue publishing: finish writes it before anything
// else is published. One issue is in review at a time. Every transition
// runs with the runner's lock held; the store checks again what it can in
// the transaction: Freeze refuses a week that has its issue, Written an
// issue not being published.
//
// What a publication owes the outlets is queued in the transaction that
// records it published (store.Written): the first publication posts to
// Hashnode and tells each chat; a correction updates the Hashnode post
// and tells no chat. The outbox's worker sends them, resuming after any
// stop; a failed one waits for an editor's retry (PublishHashnode). Each
// outlet keeps its own ledger: Hashnode's on the issue's row (outlet.go,
// StoreLedger) records a create before it is sent, so that after a lost
// answer the client looks for the post before sending again; the post's
// id and URL once known; the last failure's reason, cleared by a success.
// A failed outlet never undoes the publication.

// freeze takes the open draft to review as the issue of week w, with the
// title, slug and CUID its previews showed. In review mode with
// schedule.publish_after, the issue publishes on its own after that long.
// announce queues the "draft ready" message to each chat with it, for an
// issue that waits for review (a run's, not an approval's).
func (r *Runner) freeze(ctx context.Context, w week, announce bool, log *zap.Logger) (store.Issue, error) {
	switch {
	case w.draft == 0:
		return store.Issue{}, ErrNothingToPublish
	case w.exists:
		return store.Issue{}, fmt.Errorf("%w: the issue of %s is %s; the draft goes out with next week's", ErrWeekTaken, w.key, w.issue.State)
	}
	shape, err := r.DraftIssue(ctx, w.date)
	if err != nil {
		return store.Issue{}, err
	}
	n := store.NewIssue{Week: w.key, Title: shape.Title, Slug: shape.Slug, CUID: shape.CUID, Date: shape.Date}
	if r.sched.Mode == config.ModeReview && r.sched.PublishAfter > 0 {
		n.PublishAt = r.env.Clock.Now().Add(r.sched.PublishAfter)
	}
	var promised []store.NewDelivery
	if announce {
		if promised, err = r.draftReady(n); err != nil {
			return store.Issue{}, err
		}
	}
	is, err := r.env.Store.Freeze(ctx, n, promised...)
	if err != nil {
		return store.Issue{}, err
	}
	if len(promised) > 0 {
		r.wake()
	}
	log.Info("the week's issue is frozen", zap.String("slug", is.Slug), zap.Int("articles", w.draft),
		zap.String("mode", r.sched.Mode), zap.Time("publishes_at", is.PublishAt))
	return is, nil
}

// adopt adds the open draft to the week's issue already published, in
// auto mode (a second run of the week); publishing it again follows.
func (r *Runner) adopt(ctx context.Context, w week, log *zap.Logger) error {
	if r.sched.Mode != config.ModeAuto || w.issue.State != store.IssuePublished {
		return fmt.Errorf("%w: the issue of %s is %s, not published in auto mode", store.ErrConflict, w.key, w.issue.State)
	}
	n, err := r.env.Store.Adopt(ctx, w.issue.ID)
	if err != nil {
		return err
	}
	log.Info("a second run of the week: its issue is published again", zap.String("slug", w.issue.Slug),
		zap.Int("new_articles", n))
	return nil
}

// publish takes issue id, in review or published, to publishing: its
// content is decided from the database in one transaction (see
// store.Publish), by approver ("" for the schedule), then written;
// announce tells the chats of a correction (see promises).
func (r *Runner) publish(ctx context.Context, id int64, approver string, announce bool, log *zap.Logger) (store.Issue, error) {
	var written string
	is, content, err := r.env.Store.Publish(ctx, id, approver, func(snap store.Snapshot) ([]byte, error) {
		if snap.Issue.Location != "" {
			written = snap.Issue.ContentHash // what the file held when last written
		}
		return r.render(snap).Markdown(r.pub), nil
	})
	if err != nil {
		return store.Issue{}, err
	}
	return r.write(context.WithoutCancel(ctx), is, content, written, announce, log)
}

// finish writes an issue a stop (or a failed write) left publishing, its
// content decided and its file not written, before anything else is
// published; ok says whether there was one.
func (r *Runner) finish(ctx context.Context, log *zap.Logger) (is store.Issue, ok bool, err error) {
	u, ok, err := r.env.Store.UnfinishedIssue(ctx)
	if err != nil || !ok {
		return store.Issue{}, false, err
	}
	log.Info("finishing an issue an earlier publication did not write", zap.String("slug", u.Slug))
	is, err = r.write(context.WithoutCancel(ctx), u, u.Content, "", false, log)
	return is, err == nil, err
}

// write takes is from publishing to published: its decided content goes
// to the file, and store.Written records where with the deliveries the
// publication owes the outlets; then the outbox is woken.
// written is the hash of the file as last written ("" when unknown), so
// that a copy changed by hand since is kept, not replaced; announce tells
// the chats of a correction.
func (r *Runner) write(ctx context.Context, is store.Issue, content []byte, written string, announce bool, log *zap.Logger) (store.Issue, error) {
	issue := r.render(store.Snapshot{Issue: is})
	issue.Written = written
	where, err := r.env.Publisher.Publish(ctx, issue, content)
	if err != nil {
		return store.Issue{}, err
	}
	if where.KeptCopy != "" {
		log.Warn("the published file was changed by hand since it was written: that copy is kept beside the new one",
			zap.String("kept", where.KeptCopy), zap.String("issue", where.String()))
	}
	promised, err := r.promises(is, announce)
	if err != nil {
		return store.Issue{}, err
	}
	is, err = r.env.Store.Written(ctx, is.ID, where.String(), where.KeptCopy, promised...)
	if err != nil {
		return store.Issue{}, err
	}
	log.Info("issue published", zap.Int64("issue_id", is.ID), zap.String("slug", is.Slug),
		zap.String("location", is.Location), zap.Int("deliveries", len(promised)))
	r.wake()
	return is, nil
}
